"""`evalsum validate`: clean gold passes; each kind of broken gold gets a precise message."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from harness.cli.main import cli
from harness.gold import GoldError, load_corpus, validate_corpus
from tests.conftest import ARTICLE_TEXT, CORPUS, GOLD, SUMMARY, ArticleFactory


def run_validate(gold_dir: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["validate", "--gold", str(gold_dir)])
    return result.exit_code, result.output


def broken(**changes: Any) -> dict[str, Any]:
    summary = copy.deepcopy(SUMMARY)
    for dotted, value in changes.items():
        target: Any = summary
        *parts, last = dotted.split(".")
        for part in parts:
            target = target[int(part)] if part.isdigit() else target[part]
        target[int(last) if last.isdigit() else last] = value
    return summary


def test_clean_article_passes(make_article: ArticleFactory) -> None:
    folder = make_article()
    code, output = run_validate(folder.parent)
    assert code == 0, output
    assert "ok: 1 article(s)" in output


def test_the_committed_corpus_is_valid() -> None:
    for corpus, size in ((CORPUS, 20), (GOLD, 2)):
        count, problems = validate_corpus(corpus)
        assert count >= size
        assert problems == [], "\n".join(map(str, problems))


@pytest.mark.parametrize(
    ("changes", "path", "message"),
    [
        ({"claims.0.quote": "We will always accept a blockade"}, "$.claims[0].quote", "verbatim"),
        ({"red_lines.0.quote": "never ever"}, "$.red_lines[0].quote", "verbatim"),
        ({"claims.1.speaker": "Vladimir Putin"}, "$.claims[1].speaker", "not a listed participant"),
        ({"red_lines.0.party": "Atlantis"}, "$.red_lines[0].party", "not a listed participant"),
        ({"red_lines.0.speaker": "Nobody"}, "$.red_lines[0].speaker", "not a listed participant"),
        ({"dates.0.date": "2024-02-30"}, "$.dates[0].date", "not a calendar date"),
        ({"dates.0.date": "2024-13"}, "$.dates[0].date", "does not match"),
        ({"dates.0.date": "3 June 2024"}, "$.dates[0].date", "does not match"),
        ({"dates.0.date": "2024-06-04"}, "$.dates[0].date", "after publication"),
        ({"participants.0.kind": "alien"}, "$.participants[0].kind", "is not one of"),
        # What the guidelines forbid besides the schema.
        ({"claims.1.speaker": "Mr Doe"}, "$.claims[1].speaker", "is an alias of 'John Doe'"),
        ({"red_lines.0.party": "Ms Roe"}, "$.red_lines[0].party", "never an alias"),
        ({"red_lines.0.speaker": "Ms Roe"}, "$.red_lines[0].speaker", "never an alias"),
        ({"dates.0.text": "on Tuesday"}, "$.dates[0].text", "does not occur in article.txt"),
        ({"dates.1.event": "Roe meets Doe in Geneva"}, "$.dates[1].event", "same event as"),
        (
            {"dates.1.event": "Roe meets Doe in Geneva.", "dates.1.date": "2024-06-03"},
            "$.dates[1].event",
            "same event as $.dates[0]",
        ),
        ({"claims.0.claim": 42}, "$.claims[0].claim", "is not of type 'string'"),
        ({"claims.0.confidence": 0.9}, "$.claims[0]", "Additional properties"),
        ({"participants.1.aliases": ["Ms Roe"]}, "$.participants[1].aliases[0]", "also names"),
        (
            {"participants.0.aliases": ["Madam Roe"]},
            "$.participants[0].aliases[0]",
            "does not occur",
        ),
    ],
)
def test_broken_summary_is_reported_precisely(
    make_article: ArticleFactory, changes: dict[str, Any], path: str, message: str
) -> None:
    folder = make_article(summary=broken(**{k: v for k, v in changes.items()}))
    code, output = run_validate(folder.parent)
    assert code == 1
    expected_prefix = f"{folder / 'summary.json'}: {path}:"
    lines = [line for line in output.splitlines() if line.startswith(expected_prefix)]
    assert lines, output
    assert message in lines[0]


def test_missing_required_field_names_it(make_article: ArticleFactory) -> None:
    summary = copy.deepcopy(SUMMARY)
    del summary["claims"][0]["speaker"]
    folder = make_article(summary=summary)
    code, output = run_validate(folder.parent)
    assert code == 1
    assert f"{folder / 'summary.json'}: $.claims[0]: 'speaker' is a required property" in output


def test_invalid_json_gives_line_and_column(make_article: ArticleFactory) -> None:
    folder = make_article()
    (folder / "summary.json").write_text('{"participants": [,]}')
    code, output = run_validate(folder.parent)
    assert code == 1
    assert f"{folder / 'summary.json'}: $: invalid JSON at line 1, column 19" in output


@pytest.mark.parametrize(
    ("text", "message"),
    [(b"Caf\xe9 talks\n", "not UTF-8"), (b"  \n\n", "article text is empty")],
)
def test_unusable_text(make_article: ArticleFactory, text: bytes, message: str) -> None:
    folder = make_article(text=text)
    code, output = run_validate(folder.parent)
    assert code == 1
    assert f"{folder / 'article.txt'}: $: {message}" in output


def test_missing_files_are_named(make_article: ArticleFactory) -> None:
    folder = make_article()
    (folder / "article.txt").unlink()
    (folder / "meta.json").unlink()
    code, output = run_validate(folder.parent)
    assert code == 1
    assert f"{folder / 'article.txt'}: $: missing article text" in output
    assert f"{folder / 'meta.json'}: $: missing meta.json" in output


def test_id_must_match_folder_and_be_unique(make_article: ArticleFactory, tmp_path: Path) -> None:
    make_article("first", meta={"id": "same"})
    make_article("second", meta={"id": "same"})
    code, output = run_validate(tmp_path / "gold")
    assert code == 1
    assert "first/meta.json: $.id: id 'same' does not match its folder name 'first'" in output
    assert output.count("duplicate id 'same'") == 2


def test_bad_publication_date_in_meta(make_article: ArticleFactory) -> None:
    folder = make_article(meta={"published": "26/04/2024"})
    code, output = run_validate(folder.parent)
    assert code == 1
    assert f"{folder / 'meta.json'}: $.published:" in output


def test_future_event_after_publication_is_allowed(make_article: ArticleFactory) -> None:
    folder = make_article(summary=broken(**{"dates.1.future": True}))
    assert run_validate(folder.parent)[0] == 0
    folder2 = make_article("other", summary=broken(**{"dates.1.future": False}))
    code, output = run_validate(folder2.parent)
    assert code == 1
    assert "other/summary.json: $.dates[1].date: 2024-07 is after publication" in output


def test_curly_quotes_and_line_breaks_count_as_verbatim(make_article: ArticleFactory) -> None:
    text = "Roe said: \u201cWe will never\n accept a blockade\u2019s end.\u201d\n"
    summary = broken(**{"claims.0.quote": '"We will never accept a blockade\'s end."'})
    summary["red_lines"] = []
    summary["participants"][0]["aliases"] = []
    summary["participants"][1]["aliases"] = []
    summary["claims"][1]["speaker"] = "John Doe"
    summary["dates"] = []
    folder = make_article(text=text, summary=summary)
    code, output = run_validate(folder.parent)
    assert code == 0, output


def test_missing_gold_folder_is_a_usage_error(tmp_path: Path) -> None:
    code, output = run_validate(tmp_path / "nope")
    assert code == 2
    assert "gold folder not found" in output
    assert "Traceback" not in output


def test_load_corpus_refuses_broken_gold(make_article: ArticleFactory) -> None:
    folder = make_article(summary=broken(**{"claims.1.speaker": "Ghost"}))
    (folder / "summary.json").write_text("{")
    with pytest.raises(GoldError) as excinfo:
        load_corpus(folder.parent)
    assert "invalid JSON" in str(excinfo.value)


def test_load_corpus_unknown_id_is_an_error(make_article: ArticleFactory) -> None:
    folder = make_article()
    with pytest.raises(GoldError, match="no article with id 'nope'"):
        load_corpus(folder.parent, ids=["nope"])
    corpus = load_corpus(folder.parent, ids=["geneva"])
    assert [a.id for a in corpus.articles] == ["geneva"]
    assert len(corpus.sha256) == 64


def test_gold_hash_changes_with_any_file(make_article: ArticleFactory) -> None:
    folder = make_article()
    before = load_corpus(folder.parent).sha256
    summary = json.loads((folder / "summary.json").read_text())
    summary["claims"][1]["claim"] = "talks will resume next month"
    (folder / "summary.json").write_text(json.dumps(summary))
    assert load_corpus(folder.parent).sha256 != before


CAPTIONED_TEXT = (
    ARTICLE_TEXT
    + "Jane Roe, Chief Negotiator of Ruritania, arrives in Geneva on Sunday (Reuters)\n"
    + "John Doe at the talks – AFP / JOHN SMITH\n"
)


@pytest.mark.parametrize(
    ("changes", "path", "message"),
    [
        (
            {"participants.0.role": "Chief Negotiator of Ruritania"},
            "$.participants[0].role",
            "occurs only in a photo caption",
        ),
        ({"dates.0.text": "on Sunday"}, "$.dates[0].text", "occurs only in a photo caption"),
    ],
)
def test_what_only_a_caption_says_is_not_gold(
    make_article: ArticleFactory, changes: dict[str, Any], path: str, message: str
) -> None:
    folder = make_article(text=CAPTIONED_TEXT, summary=broken(**changes))
    code, output = run_validate(folder.parent)
    assert code == 1
    assert f"{path}: " in output and message in output


def test_captions_are_told_by_their_credit() -> None:
    from harness.gold.guideline_checks import caption_lines

    assert caption_lines(CAPTIONED_TEXT) == [
        "Jane Roe, Chief Negotiator of Ruritania, arrives in Geneva on Sunday (Reuters)",
        "John Doe at the talks – AFP / JOHN SMITH",
    ]
    for line in (
        "Putin speaks to reporters. Photograph: AP",
        "Okonjo-Iweala speaks in Geneva, June 17, 2022. Reuters/Photo",
        "Xi meets Blinken in Beijing (via Reuters)",
    ):
        assert caption_lines(line) == [line]
    for line in ("He said the talks (in Geneva) went well.", "Talks resume – the envoy said"):
        assert caption_lines(line) == []


def test_the_summary_counts_articles_with_problems_not_articles_checked(
    make_article: ArticleFactory, tmp_path: Path
) -> None:
    for name, summary in (
        ("a", broken(**{"claims.1.speaker": "Mr Doe", "dates.0.text": "on Tuesday"})),
        ("b", broken(**{"red_lines.0.party": "Atlantis"})),
        ("c", None),
        ("d", None),
    ):
        make_article(name, summary=summary)
    gold = tmp_path / "gold"
    code, output = run_validate(gold)
    assert code == 1
    assert "3 problem(s) in 2 of 4 article(s)" in output
