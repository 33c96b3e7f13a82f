"""Loading gold for a run skips jsonschema for valid files, and changes nothing else.

`load_article` first tries a fast path (a predicate compiled from the committed schema, then
pydantic); anything it does not accept goes through the full check (`validate.check_files`),
which gives the messages. These tests check that the fast path never accepts what the schema
rejects, that broken gold gives the full check's messages, and that valid gold loads into the
same objects with the same corpus digest as the full check and a second read of every file.
"""

from __future__ import annotations

import copy
import gc
import hashlib
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from bench.corpus import build_corpus
from harness.gold import GoldError, article_dirs, corpus_sha256, load_article, load_corpus
from harness.gold.corpus import ARTICLE_FILES, _checked_load, _fast_load
from harness.gold.problems import Problem
from harness.gold.schemacheck import Unsupported, compile_schema, compiled
from harness.gold.validate import check_files
from harness.schemas import load
from tests.conftest import GOLD, META, SUMMARY, ArticleFactory

META_SCHEMA = "article-meta.schema.json"
SUMMARY_SCHEMA = "summary.schema.json"


def reference_sha256(root: Path) -> str:
    """The corpus digest as it was first defined: every file read again, on its own."""
    digest = hashlib.sha256()
    for folder in article_dirs(root):
        for name in ARTICLE_FILES:
            path = folder / name
            if path.is_file():
                digest.update(f"{folder.name}/{name}\0".encode())
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def schema_valid(name: str, data: Any) -> bool:
    schema = load(name)
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER).is_valid(data)


def full_check_error(folder: Path) -> str:
    """What load_article raised before the fast path: check_files' problems, id included."""
    article, problems = check_files(folder)
    if article is not None and article.id != folder.name:
        problems.append(
            Problem(
                file=str(folder / "meta.json"),
                path="$.id",
                message=f"id {article.id!r} does not match its folder name {folder.name!r}",
            )
        )
    assert article is None or problems, "expected broken gold"
    return str(GoldError(problems))


@pytest.fixture(scope="module")
def replicated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("gold") / "gold-7"
    build_corpus(GOLD, root, 7)
    return root


# --- valid gold: same objects, same digest ---------------------------------------------------


def test_both_committed_schemas_compile() -> None:
    # If this fails, a schema uses a keyword schemacheck does not know: every run would fall
    # back to jsonschema (correct, but slow). Teach schemacheck the keyword.
    assert compiled(META_SCHEMA) is not None
    assert compiled(SUMMARY_SCHEMA) is not None


@pytest.mark.parametrize("which", ["committed", "replicated"])
def test_valid_gold_loads_the_same_objects_and_digest(which: str, replicated: Path) -> None:
    root = GOLD if which == "committed" else replicated
    corpus = load_corpus(root)
    folders = article_dirs(root)
    assert [a.id for a in corpus.articles] == [f.name for f in folders]
    for folder, article in zip(folders, corpus.articles, strict=True):
        assert _fast_load(folder) is not None, f"{folder.name} did not take the fast path"
        slow = _checked_load(folder)
        assert article == slow
        assert article.model_dump_json() == slow.model_dump_json()
        assert load_article(folder) == slow
    assert corpus.sha256 == reference_sha256(root) == corpus_sha256(root)


def test_a_subset_still_hashes_the_whole_corpus(replicated: Path) -> None:
    ids = [f.name for f in article_dirs(replicated)]
    corpus = load_corpus(replicated, [ids[4], ids[1]])
    assert [a.id for a in corpus.articles] == [ids[1], ids[4]]
    assert corpus.sha256 == reference_sha256(replicated)


def test_crlf_files_load_as_read_text_reads_them(make_article: ArticleFactory) -> None:
    folder = make_article()
    for name in ("meta.json", "summary.json"):
        raw = (folder / name).read_bytes()
        (folder / name).write_bytes(raw.replace(b"\n", b"\r\n"))
    assert _fast_load(folder) is not None
    assert load_article(folder) == _checked_load(folder)
    assert load_corpus(folder.parent).sha256 == reference_sha256(folder.parent)


def test_without_the_fast_path_the_same_corpus_loads(
    replicated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = load_corpus(replicated)
    # As if a schema used a keyword schemacheck does not know: every file goes through
    # jsonschema, and the digest is taken by reading the files again.
    monkeypatch.setattr("harness.gold.schemacheck.compiled", lambda name: None)
    assert _fast_load(article_dirs(replicated)[0]) is None
    slow = load_corpus(replicated)
    assert slow.articles == fast.articles
    assert slow.sha256 == fast.sha256 == reference_sha256(replicated)


def test_load_corpus_turns_the_collector_back_on(make_article: ArticleFactory) -> None:
    folder = make_article()
    (folder / "summary.json").write_text("{")
    assert gc.isenabled()
    with pytest.raises(GoldError):
        load_corpus(folder.parent)
    assert gc.isenabled()
    load_corpus(folder.parent, ids=[])
    assert gc.isenabled()


# --- broken gold: the fast path never accepts it, and the messages are the full check's ----


def _meta(**changes: Any) -> dict[str, Any]:
    return {**META, **changes}


def _summary(section: str, index: int, key: str, value: Any) -> dict[str, Any]:
    summary = copy.deepcopy(SUMMARY)
    summary[section][index][key] = value
    return summary


def _with_extra(section: str) -> dict[str, Any]:
    summary = copy.deepcopy(SUMMARY)
    summary[section][0]["confidence"] = 0.9
    return summary


# Cases where pydantic alone (lax, stripping whitespace) would accept what the schema
# rejects, and a few plain ones.
SCHEMA_REJECTS: list[tuple[str, str, Any]] = [
    ("id with a leading space", META_SCHEMA, _meta(id=" geneva")),
    ("published as a timestamp", META_SCHEMA, _meta(published=1717372800)),
    ("published with a time", META_SCHEMA, _meta(published="2024-06-03T00:00:00")),
    ("published not a day", META_SCHEMA, _meta(published="2024-02-30")),
    ("published with spaces", META_SCHEMA, _meta(published=" 2024-06-03")),
    ("unknown meta key", META_SCHEMA, _meta(editor="someone")),
    ("title missing", META_SCHEMA, {k: v for k, v in META.items() if k != "title"}),
    ("author a number", META_SCHEMA, _meta(author=7)),
    ("date with a leading space", SUMMARY_SCHEMA, _summary("dates", 0, "date", " 2024-06")),
    ("date with a trailing tab", SUMMARY_SCHEMA, _summary("dates", 0, "date", "2024-06\t")),
    ("future as a string", SUMMARY_SCHEMA, _summary("dates", 1, "future", "true")),
    ("future as a number", SUMMARY_SCHEMA, _summary("dates", 1, "future", 1)),
    ("kind padded", SUMMARY_SCHEMA, _summary("participants", 0, "kind", " person")),
    ("kind unknown", SUMMARY_SCHEMA, _summary("participants", 0, "kind", "alien")),
    ("aliases a string", SUMMARY_SCHEMA, _summary("participants", 0, "aliases", "Ms Roe")),
    ("alias a number", SUMMARY_SCHEMA, _summary("participants", 0, "aliases", ["Ms Roe", 3])),
    ("empty speaker", SUMMARY_SCHEMA, _summary("claims", 0, "speaker", "")),
    ("claim a number", SUMMARY_SCHEMA, _summary("claims", 0, "claim", 42)),
    ("quote a list", SUMMARY_SCHEMA, _summary("red_lines", 0, "quote", ["x"])),
    ("unknown claim key", SUMMARY_SCHEMA, _with_extra("claims")),
    ("unknown top-level key", SUMMARY_SCHEMA, {**SUMMARY, "notes": "x"}),
    ("claims not a list", SUMMARY_SCHEMA, {**SUMMARY, "claims": {}}),
    ("summary a list", SUMMARY_SCHEMA, []),
]


@pytest.mark.parametrize(
    ("schema", "data"), [c[1:] for c in SCHEMA_REJECTS], ids=[c[0] for c in SCHEMA_REJECTS]
)
def test_the_fast_path_rejects_what_the_schema_rejects(
    make_article: ArticleFactory, schema: str, data: Any
) -> None:
    assert not schema_valid(schema, data)
    check = compiled(schema)
    assert check is not None and not check(data)

    folder = make_article()
    target = folder / ("meta.json" if schema == META_SCHEMA else "summary.json")
    target.write_text(json.dumps(data, indent=2))
    assert _fast_load(folder) is None
    with pytest.raises(GoldError) as excinfo:
        load_article(folder)
    assert str(excinfo.value) == full_check_error(folder)
    # ... and those messages are jsonschema's, naming the file and the JSON path.
    assert all(p.file == str(target) for p in excinfo.value.problems)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        # The schema accepts these, pydantic does not (it strips whitespace first).
        ("summary.json", _summary("participants", 0, "name", "   ")),
        ("summary.json", _summary("claims", 1, "speaker", "\n")),
        ("meta.json", _meta(title=" ")),
    ],
)
def test_what_only_pydantic_rejects_gives_its_messages(
    make_article: ArticleFactory, name: str, data: Any
) -> None:
    folder = make_article()
    (folder / name).write_text(json.dumps(data))
    with pytest.raises(GoldError) as excinfo:
        load_article(folder)
    assert str(excinfo.value) == full_check_error(folder)
    assert "at least 1 character" in str(excinfo.value)


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        ("summary.json", b'{"participants": [,]}'),
        ("summary.json", b"\xef\xbb\xbf" + json.dumps(SUMMARY).encode()),
        ("meta.json", json.dumps(META).encode().replace(b"Test", b"T\xe9st")),
        ("article.txt", b"  \n"),
        ("article.txt", b"Caf\xe9 talks\n"),
    ],
)
def test_unreadable_files_give_the_full_checks_messages(
    make_article: ArticleFactory, name: str, raw: bytes
) -> None:
    folder = make_article()
    (folder / name).write_bytes(raw)
    with pytest.raises(GoldError) as excinfo:
        load_article(folder)
    assert str(excinfo.value) == full_check_error(folder)


def test_missing_file_and_wrong_id_give_the_full_checks_messages(
    make_article: ArticleFactory,
) -> None:
    folder = make_article(meta={"id": "elsewhere"})
    with pytest.raises(GoldError, match="does not match its folder name 'geneva'") as excinfo:
        load_article(folder)
    assert str(excinfo.value) == full_check_error(folder)
    (folder / "summary.json").unlink()
    with pytest.raises(GoldError, match=r"missing summary\.json") as excinfo:
        load_article(folder)
    assert str(excinfo.value) == full_check_error(folder)


# --- the compiler itself ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "integer"},
        {"type": "string", "maxLength": 3},
        {"type": "string", "format": "email"},
        {"enum": [1, "x"]},
        {"$ref": "https://example.org/x.json"},
        {"type": "object", "additionalProperties": {"type": "string"}},
        {"type": "object", "patternProperties": {"^x": {}}},
        {"oneOf": [{"type": "string"}]},
        {"$schema": "http://json-schema.org/draft-07/schema#"},
    ],
)
def test_unknown_keywords_are_not_compiled(schema: dict[str, Any]) -> None:
    with pytest.raises(Unsupported):
        compile_schema(schema)


def test_the_compiled_check_agrees_with_jsonschema_on_edge_values() -> None:
    # Python's `$` matches before a final newline: jsonschema's re.search accepts "2024\n",
    # so the compiled check must too (or fall back) - and must not accept " 2024".
    for date, expected in [
        ("2024", True),
        ("2024\n", True),
        (" 2024", False),
        ("2024-13", False),
        ("2024-06-31", True),  # the pattern does not know month lengths
        ("\u0662\u0660\u0662\u0664", True),  # \d is any Unicode digit, as in jsonschema
    ]:
        data = _summary("dates", 0, "date", date)
        assert schema_valid(SUMMARY_SCHEMA, data) is expected, date
        check = compiled(SUMMARY_SCHEMA)
        assert check is not None and check(data) is expected, date
    for published, expected in [("2024-06-03", True), ("2024-06-03\n", False), ("2024-6-3", False)]:
        data = _meta(published=published)
        assert schema_valid(META_SCHEMA, data) is expected, published
        check = compiled(META_SCHEMA)
        assert check is not None and check(data) is expected, published
