"""Loading the gold corpus: one folder per article holding its text, metadata and summary.

Layout (documented in gold/README.md)::

    gold/<id>/article.txt   the article as published, noise included (UTF-8)
    gold/<id>/meta.json     ArticleMeta
    gold/<id>/summary.json  Summary (the hand-made gold annotation)

Adding an article is adding a folder; no code knows about a particular article.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from harness.gold.problems import GoldError, Problem
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
        raise GoldError([Problem(file=str(root), path="", message="gold folder not found")])
    return sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))


def corpus_sha256(root: Path) -> str:
    """A digest of every article file, so a report says exactly which gold it was scored on."""
    digest = hashlib.sha256()
    for folder in article_dirs(root):
        for name in ARTICLE_FILES:
            path = folder / name
            if path.is_file():
                digest.update(f"{folder.name}/{name}\0".encode())
                digest.update(hashlib.sha256(path.read_bytes()).digest())
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


def load_article(folder: Path) -> GoldArticle:
    """Load one article folder, raising GoldError with every problem found (syntax and schema)."""
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


def load_corpus(root: Path | str, ids: Sequence[str] | None = None) -> Corpus:
    """The whole corpus (or the articles in `ids`); unknown ids are an error, not skipped."""
    root = Path(root)
    if ids is not None:
        known = {p.name for p in article_dirs(root)}
        unknown = [i for i in ids if i not in known]
        if unknown:
            raise GoldError(
                [
                    Problem(
                        file=str(root),
                        path="",
                        message=f"no article with id {i!r} (known: {', '.join(sorted(known))})",
                    )
                    for i in unknown
                ]
            )
    articles = tuple(iter_corpus(root, ids))
    return Corpus(root=root, sha256=corpus_sha256(root), articles=articles)


__all__ = [
    "ARTICLE_FILES",
    "META_FILE",
    "SUMMARY_FILE",
    "TEXT_FILE",
    "Corpus",
    "GoldArticle",
    "article_dirs",
    "corpus_sha256",
    "iter_corpus",
    "load_article",
    "load_corpus",
    "read_text",
]
