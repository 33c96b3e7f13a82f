"""Inter-annotator agreement: measured with the scorer, written by a command, shown as a ceiling."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from harness.cli.main import cli
from harness.gold import load_corpus
from harness.gold.agreement import AGREEMENT_FILE, measure
from harness.report.load import load_report
from harness.run import RunConfig, start_run
from tests.conftest import SUMMARY, ArticleFactory


def _write(path: Path, data: dict[str, Any]) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _second_without_a_claim() -> dict[str, Any]:
    second = copy.deepcopy(SUMMARY)
    second["claims"] = second["claims"][:1]
    return second


def test_agreement_is_the_second_annotation_scored_against_first_and_gold(
    make_article: ArticleFactory,
) -> None:
    folder = make_article()
    gold = folder.parent
    assert measure(gold, load_corpus(gold).articles) is None  # nothing annotated twice
    _write(folder / "second.json", _second_without_a_claim())
    result = measure(gold, load_corpus(gold).articles)
    assert result is not None and [a.article_id for a in result.articles] == ["geneva"]
    claims = result.after["claims"]
    assert (claims.n_first, claims.n_second, claims.matched) == (2, 1, 1)
    assert claims.f1 == pytest.approx(2 / 3)
    assert result.after["participants"].f1 == 1.0
    # Without first.json, adjudication changed nothing: before equals after.
    assert result.before == result.after
    # The first annotation as made had a third, wrong claim that adjudication removed.
    first = copy.deepcopy(SUMMARY)
    first["claims"].append({"speaker": "Jane Roe", "claim": "it will rain", "quote": None})
    _write(folder / "first.json", first)
    result = measure(gold, load_corpus(gold).articles)
    assert result.before["claims"].f1 == pytest.approx(2 * 1 / (3 + 1))
    assert result.after["claims"].f1 == pytest.approx(2 / 3)
    assert result.ceiling["claims"] == pytest.approx(2 / 3)


def test_the_command_writes_agreement_md_and_check_says_when_it_is_stale(
    make_article: ArticleFactory,
) -> None:
    folder = make_article()
    gold = folder.parent
    runner = CliRunner()
    result = runner.invoke(cli, ["gold", "agreement", "--gold", str(gold)])
    assert result.exit_code == 2 and "no double-annotated article" in result.output
    _write(folder / "second.json", _second_without_a_claim())
    result = runner.invoke(cli, ["gold", "agreement", "--gold", str(gold)])
    assert result.exit_code == 0, result.output
    text = (gold / AGREEMENT_FILE).read_text()
    assert "| claims | 0.667 | 0.667 | 2 / 1 |" in text
    assert "| geneva |" in text and "do not edit by hand" in text
    assert runner.invoke(cli, ["gold", "agreement", "--gold", str(gold), "--check"]).exit_code == 0
    _write(folder / "second.json", SUMMARY)
    stale = runner.invoke(cli, ["gold", "agreement", "--gold", str(gold), "--check"])
    assert stale.exit_code == 1 and "out of date" in stale.output
    # The gold folder itself still validates: the extra files are not articles' files.
    assert runner.invoke(cli, ["validate", "--gold", str(gold)]).exit_code == 0


def test_a_report_shows_the_agreement_beside_each_field(
    make_article: ArticleFactory, tmp_path: Path
) -> None:
    folder = make_article()
    _write(folder / "second.json", _second_without_a_claim())
    config = RunConfig(model="mock/oracle", gold=folder.parent, out=tmp_path / "r")
    result = start_run(config)
    report = load_report(result.folder)
    assert report.agreement is not None and report.agreement.articles == ["geneva"]
    assert report.agreement.fields["claims"] == pytest.approx(2 / 3)
    header = next(line for line in result.summary_text().splitlines() if line.startswith("field"))
    assert header.split()[-1] == "agreement"
    assert "0.667" in next(
        line for line in result.summary_text().splitlines() if line.startswith("claims")
    )
    html = (result.folder / "report.html").read_text()
    assert "Annotator agreement" in html
    # A corpus annotated once has no agreement, and prints no such column.
    plain = tmp_path / "plain"
    shutil.copytree(folder.parent, plain)
    (plain / "geneva" / "second.json").unlink()
    result = start_run(config.model_copy(update={"gold": plain}))
    assert load_report(result.folder).agreement is None
    assert "agreement" not in result.summary_text()


def test_the_committed_agreement_file_is_what_the_annotations_give() -> None:
    from tests.conftest import CORPUS

    result = CliRunner().invoke(cli, ["gold", "agreement", "--gold", str(CORPUS), "--check"])
    assert result.exit_code == 0, result.output
    corpus = load_corpus(CORPUS)
    twice = measure(CORPUS, corpus.articles)
    assert twice is not None and len(twice.articles) >= 12
