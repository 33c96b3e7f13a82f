"""The score cache: a re-run reuses scores of answers already scored, and only those."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from harness.providers.base import MockOptions
from harness.report.build import REPORT_FILE
from harness.report.models import Report
from harness.report.score_cache import SCORE_CACHE_FILE, answer_key
from harness.run import RunConfig, start_run
from harness.scoring import ScoringConfig
from tests.conftest import GOLD, REPO


@pytest.fixture(autouse=True)
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


def _run(tmp_path: Path, gold: Path = GOLD, **changes: object):
    config = RunConfig(
        model="mock/noisy",
        gold=gold,
        out=tmp_path / "reports",
        samples=2,
        retries=0,
        mock=MockOptions(malformed_rate=0.25),
        cache_dir=tmp_path / "cache",
    ).model_copy(update=changes)
    result = start_run(config)
    report = Report.model_validate_json((result.folder / REPORT_FILE).read_bytes())
    return result, report


def _scores(report: Report) -> list[str]:
    return [s.score.model_dump_json() for a in report.articles for s in a.samples]


def test_a_rerun_reuses_every_score_and_reports_the_same_numbers(tmp_path: Path) -> None:
    first, before = _run(tmp_path)
    second, after = _run(tmp_path)
    assert first.scores_reused == 0
    assert second.scores_reused == 4  # 2 articles x 2 samples
    assert "4 answer(s) already scored" in second.summary_text()
    assert _scores(after) == _scores(before)
    assert after.fields == before.fields and after.overall == before.overall
    for a, b in zip(after.articles, before.articles, strict=True):
        for s, t in zip(a.samples, b.samples, strict=True):
            assert (s.prediction, s.output_status, s.parse_errors, s.parse_warnings) == (
                t.prediction,
                t.output_status,
                t.parse_errors,
                t.parse_warnings,
            )
            assert s.cached and not t.cached  # the call side is this run's own


def test_no_cache_means_no_score_cache_either(tmp_path: Path) -> None:
    _run(tmp_path, cache=False)
    result, _ = _run(tmp_path, cache=False)
    assert result.scores_reused == 0
    assert not (tmp_path / "cache" / SCORE_CACHE_FILE).exists()


def test_an_edited_gold_article_is_scored_again(tmp_path: Path) -> None:
    gold = tmp_path / "gold"
    shutil.copytree(GOLD, gold)
    _, before = _run(tmp_path, gold=gold)
    edited = sorted(p for p in gold.iterdir() if p.is_dir())[0]
    summary = json.loads((edited / "summary.json").read_text())
    summary["claims"] = summary["claims"][1:]
    (edited / "summary.json").write_text(json.dumps(summary, indent=2))
    result, after = _run(tmp_path, gold=gold)
    assert result.scores_reused == 2  # the other article's two samples
    claims_before = before.articles[0].samples[0].score.fields["claims"].n_gold
    assert after.articles[0].samples[0].score.fields["claims"].n_gold == claims_before - 1


def test_other_scoring_settings_or_answers_make_other_keys() -> None:
    base = answer_key(ScoringConfig().config_id(), "gold", "answer", False)
    stricter = ScoringConfig.model_validate({"claims": {"content_threshold": 0.6}})
    assert answer_key(stricter.config_id(), "gold", "answer", False) != base
    assert answer_key(ScoringConfig().config_id(), "gold2", "answer", False) != base
    assert answer_key(ScoringConfig().config_id(), "gold", "answer!", False) != base
    assert answer_key(ScoringConfig().config_id(), "gold", "answer", True) != base
    assert answer_key(ScoringConfig().config_id(), "gold", None, False) != base


def test_an_unreadable_entry_is_scored_again(tmp_path: Path) -> None:
    _, before = _run(tmp_path)
    with sqlite3.connect(tmp_path / "cache" / SCORE_CACHE_FILE) as db:
        db.execute("UPDATE scores SET value = ?", (b'{"not": "a score"}',))
    result, after = _run(tmp_path)
    assert result.scores_reused == 0
    assert _scores(after) == _scores(before)
