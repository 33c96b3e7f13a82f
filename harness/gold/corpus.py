"""Loading the gold corpus: one folder per article holding its text, metadata and summary.

Layout (documented in gold/README.md)::

    gold/<id>/article.txt   the article as published, noise included (UTF-8)
    gold/<id>/meta.json     ArticleMeta
    gold/<id>/summary.json  Summary (the hand-made gold annotation)

Adding an article is adding a folder; no code knows about a particular article.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from harness.gcpause import collector_paused
from harness.gold.problems import GoldError, Problem, gold_not_found
from harness.summary import ArticleMeta, Summary

TEXT_FILE = "article.txt"
META_FILE = "meta.json"
SUMMARY_FILE = "summary.json"
ARTICLE_FILES = (TEXT_FILE, META_FILE, SUMMARY_FILE)


class GoldArticle(BaseModel):
    """One article with its gold summary, as the run and the scorer see it."""

    model_config = ConfigDict(frozen=True)

    meta: ArticleMeta
    text: str
    summary: Summary

    @property
    def id(self) -> str:
        return self.meta.id


def gold_digest(article: GoldArticle) -> str:
    """The article as a model answering from gold, and the scorer, see it: its text, metadata
    and gold summary. Part of every cache key whose entry depends on the gold."""
    return hashlib.sha256(article.model_dump_json().encode()).hexdigest()


class Corpus(BaseModel):
    model_config = ConfigDict(frozen=True)

    root: Path
    sha256: str
    articles: tuple[GoldArticle, ...]

    def by_id(self) -> dict[str, GoldArticle]:
        return {a.id: a for a in self.articles}


def article_dirs(root: Path) -> list[Path]:
    """Every article folder under `root`, in id order. README and dot-folders are not articles."""
    if not root.is_dir():
        raise gold_not_found(root)
    return sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))


def corpus_sha256(root: Path, known: dict[str, tuple[bytes, ...]] | None = None) -> str:
    """A digest of every article file, so a report says exactly which gold it was scored on.
    `known`: file digests already taken while loading (see `_corpus_digest`)."""
    return _corpus_digest(article_dirs(root), known or {})


def _corpus_digest(folders: Sequence[Path], known: dict[str, tuple[bytes, ...]]) -> str:
    """`corpus_sha256` of these folders; `known` holds file digests taken while loading.

    `known[name]` is the sha256 of each of ARTICLE_FILES, all three read as regular files
    (what `is_file` accepts), so the value is the one reading every file again gives.
    """
    digest = hashlib.sha256()
    for folder in folders:
        files = known.get(folder.name)
        for i, name in enumerate(ARTICLE_FILES):
            if files is not None:
                file_digest = files[i]
            else:
                path = folder / name
                if not path.is_file():
                    continue
                with open(path, "rb", buffering=0) as fh:  # as path.read_bytes(), unbuffered
                    file_digest = hashlib.sha256(fh.readall()).digest()
            digest.update(f"{folder.name}/{name}\0".encode())
            digest.update(file_digest)
    return digest.hexdigest()


def read_text(path: Path) -> str:
    """An article's text; non-UTF-8 and empty files are errors, not silently mangled."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise GoldError(
            [Problem(file=str(path), path="", message="missing article text")]
        ) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise GoldError(
            [
                Problem(
                    file=str(path),
                    path="",
                    message=f"not UTF-8 (byte {exc.start}: {raw[exc.start : exc.start + 1]!r}); "
                    "re-save the file as UTF-8",
                )
            ]
        ) from None
    if not text.strip():
        raise GoldError([Problem(file=str(path), path="", message="article text is empty")])
    return text


def _read_regular(path: Path) -> bytes | None:
    """The file's bytes, or None when it is not a regular file (or cannot be read)."""
    try:
        with open(path, "rb", buffering=0) as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                return None
            return fh.readall()
    except OSError:
        return None


def _fast_json(raw: bytes, schema_name: str, model: type[BaseModel]) -> Any | None:
    """The file parsed into `model`, or None if anything at all is wrong with it.

    The data is what `validate.check_files` parses (read_text's universal newlines, then
    json.loads), and it is accepted only when the compiled schema check passes (never where
    jsonschema would not) and pydantic accepts it: then check_files would have produced the
    same object with no problem. None sends the caller to check_files for the messages.
    """
    from harness.gold.schemacheck import compiled

    check = compiled(schema_name)
    if check is None:
        return None
    try:
        text = raw.decode("utf-8")
        if "\r" in text:  # Path.read_text translates newlines
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        data = json.loads(text)
        if not check(data):
            return None
        return model.model_validate(data)
    except Exception:  # any doubt: the full check decides, and gives the messages
        return None


def _fast_load(folder: Path) -> tuple[GoldArticle, tuple[bytes, bytes, bytes]] | None:
    """A valid article and the bytes of its ARTICLE_FILES (all regular files); else None.

    Valid gold (the run's case) skips the jsonschema walk; anything this does not accept is
    loaded again by `load_article`'s full check, which gives today's messages.
    """
    text_raw, meta_raw, summary_raw = (_read_regular(folder / name) for name in ARTICLE_FILES)
    if text_raw is None or meta_raw is None or summary_raw is None:
        return None
    try:
        text = text_raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if not text.strip():
        return None
    meta = _fast_json(meta_raw, "article-meta.schema.json", ArticleMeta)
    if meta is None or meta.id != folder.name:
        return None
    summary = _fast_json(summary_raw, "summary.schema.json", Summary)
    if summary is None:
        return None
    article = GoldArticle(meta=meta, text=text, summary=summary)
    return article, (text_raw, meta_raw, summary_raw)


def load_article_digested(folder: Path) -> tuple[GoldArticle, tuple[bytes, ...] | None]:
    """`load_article`, plus the sha256 of each of ARTICLE_FILES when they were read once (the
    digests `_corpus_digest` takes as known); None when the full check read them again."""
    fast = _fast_load(folder)
    if fast is None:
        return _checked_load(folder), None
    article, raws = fast
    return article, tuple(hashlib.sha256(raw).digest() for raw in raws)


def load_article(folder: Path) -> GoldArticle:
    """Load one article folder, raising GoldError with every problem found (syntax and schema)."""
    fast = _fast_load(folder)
    if fast is not None:
        return fast[0]
    return _checked_load(folder)


def _checked_load(folder: Path) -> GoldArticle:
    """load_article through the full check: jsonschema, then pydantic (for the messages)."""
    from harness.gold.validate import check_files  # validation owns the parsing rules

    article, problems = check_files(folder)
    if article is not None and article.id != folder.name:
        # Results are paired by id across runs: an id that disagrees with its folder would
        # silently pair the wrong articles.
        problems.append(
            Problem(
                file=str(folder / META_FILE),
                path="$.id",
                message=f"id {article.id!r} does not match its folder name {folder.name!r}",
            )
        )
    if article is None or problems:
        raise GoldError(problems)
    return article


def iter_corpus(root: Path, ids: Sequence[str] | None = None) -> Iterator[GoldArticle]:
    """Articles one at a time, so a large corpus need not sit in memory."""
    wanted = set(ids) if ids is not None else None
    for folder in article_dirs(root):
        if wanted is None or folder.name in wanted:
            yield load_article(folder)


def check_ids(root: Path, ids: Sequence[str], known: Sequence[str]) -> None:
    """GoldError naming every id in `ids` that is not an article of `root` (not skipped: a run
    asked for them)."""
    present = set(known)
    unknown = [i for i in ids if i not in present]
    if unknown:
        listing = ", ".join(sorted(present))
        raise GoldError(
            [
                Problem(
                    file=str(root), path="", message=f"no article with id {i!r} (known: {listing})"
                )
                for i in unknown
            ]
        )


def load_corpus(root: Path | str, ids: Sequence[str] | None = None) -> Corpus:
    """The whole corpus (or the articles in `ids`); unknown ids are an error, not skipped."""
    root = Path(root)
    folders = article_dirs(root)
    if ids is not None:
        check_ids(root, ids, [p.name for p in folders])
    # Each file is read once: for the article and for the corpus digest.
    wanted = set(ids) if ids is not None else None
    articles: list[GoldArticle] = []
    digests: dict[str, tuple[bytes, ...]] = {}
    with collector_paused():  # loading: hundreds of objects per article, none cyclic
        for folder in folders:
            if wanted is None or folder.name in wanted:
                article, files = load_article_digested(folder)
                articles.append(article)
                if files is not None:  # else hashed by reading it again
                    digests[folder.name] = files
    return Corpus(root=root, sha256=_corpus_digest(folders, digests), articles=tuple(articles))


__all__ = [
    "ARTICLE_FILES",
    "META_FILE",
    "SUMMARY_FILE",
    "TEXT_FILE",
    "Corpus",
    "GoldArticle",
    "article_dirs",
    "check_ids",
    "corpus_sha256",
    "gold_digest",
    "iter_corpus",
    "load_article",
    "load_article_digested",
    "load_corpus",
    "read_text",
]
