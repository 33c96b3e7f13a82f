"""`evalsum score`: labelled by its predictions folder, missing predictions named, --articles,
--cache-dir and --judge like `evalsum run`, and the same printed table."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from harness.cli.main import cli
from harness.report.score_cache import SCORE_CACHE_FILE
from tests.conftest import GOLD, REPO

IDS = sorted(p.name for p in GOLD.iterdir() if p.is_dir())
JUDGED = "the judge finds the same proposition"


@pytest.fixture(autouse=True)
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


def predictions(root: Path, ids: list[str], name: str = "gpt-x") -> Path:
    """A predictions folder holding the gold summaries of `ids` (they score 1.0)."""
    folder = root / name
    folder.mkdir(parents=True)
    for article_id in ids:
        shutil.copy(GOLD / article_id / "summary.json", folder / f"{article_id}.json")
    return folder


def score(*args: str) -> Result:
    return CliRunner().invoke(cli, ["score", *args])


def report_of(result: Result) -> dict:
    folder = Path(result.stdout.strip().splitlines()[-1])
    return json.loads((folder / "report.json").read_text())


def reasons(report: dict) -> list[str]:
    return [
        e["reason"]
        for a in report["articles"]
        for s in a["samples"]
        for e in s["score"]["fields"]["claims"]["explanations"]
    ]


def test_a_scored_run_is_labelled_by_its_predictions_folder(tmp_path: Path) -> None:
    preds = predictions(tmp_path, IDS, name="gpt-x")
    result = score("--predictions", str(preds), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    report = report_of(result)
    assert report["run"]["model"] == "gpt-x"
    assert "-gpt-x-" in report["run"]["run_id"] and "external" not in report["run"]["run_id"]
    assert "external" not in result.stdout.splitlines()[-1]
    # The same summary as `evalsum run` prints, with report.json's numbers.
    assert f"overall score: {report['overall']['micro']:.3f} = the weighted mean" in result.stdout
    assert "2 prediction files: 2 scored against gold" in result.stdout
    assert "simulated" not in result.stdout


def test_missing_predictions_are_named_on_stderr(tmp_path: Path) -> None:
    preds = predictions(tmp_path, IDS[:1])
    result = score("--predictions", str(preds), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1, result.output
    assert f"no prediction for 1 gold article(s): {IDS[1]};" in result.stderr
    assert IDS[1] not in result.stderr.replace(f"article(s): {IDS[1]};", "")
    assert f"1 missing: no prediction file [{IDS[1]}]" in result.stdout


def test_articles_scores_only_those(tmp_path: Path) -> None:
    preds = predictions(tmp_path, IDS[:1])
    result = score(
        "--predictions", str(preds), "--out", str(tmp_path / "out"), "--articles", IDS[0]
    )
    assert result.exit_code == 0, result.output
    report = report_of(result)
    assert [a["article_id"] for a in report["articles"]] == [IDS[0]]
    assert report["overall"]["micro"] == 1.0 and report["errors"] == []
    assert "no prediction" not in result.stderr

    unknown = score("--predictions", str(preds), "--out", str(tmp_path / "out"), "--articles", "x")
    assert unknown.exit_code == 2
    assert "no article with id 'x'" in unknown.output and "Traceback" not in unknown.output


def test_cache_dir_holds_the_score_cache(tmp_path: Path, isolated_cache: Path) -> None:
    preds = predictions(tmp_path, IDS[:1])
    cache = tmp_path / "my-cache"
    args = ["--predictions", str(preds), "--out", str(tmp_path / "out"), "--articles", IDS[0]]
    first = score(*args, "--cache-dir", str(cache))
    assert first.exit_code == 0, first.output
    assert (cache / SCORE_CACHE_FILE).is_file()
    assert not isolated_cache.exists(), "the default cache is left alone"
    assert "already scored" not in first.stdout
    second = score(*args, "--cache-dir", str(cache))
    assert "1 answer(s) already scored: scores reused" in second.stdout
    assert report_of(second)["fields"] == report_of(first)["fields"]
    uncached = score(*args, "--cache-dir", str(cache), "--no-cache")
    assert "already scored" not in uncached.stdout


def test_an_unusable_cache_dir_is_one_clean_line(tmp_path: Path) -> None:
    preds = predictions(tmp_path, IDS[:1])
    (tmp_path / "a-file").write_text("")
    out = tmp_path / "out"
    cache = tmp_path / "a-file" / "c"
    result = score("--predictions", str(preds), "--out", str(out), "--cache-dir", str(cache))
    assert result.exit_code == 2
    assert result.output.startswith(f"error: cannot open the score cache in {tmp_path / 'a-file'}")
    assert "Traceback" not in result.output and not out.exists()


def test_judge_is_passed_through_and_recorded(tmp_path: Path) -> None:
    preds = predictions(tmp_path, IDS[:1])
    args = ["--predictions", str(preds), "--out", str(tmp_path / "out"), "--articles", IDS[0]]
    plain = score(*args)
    assert plain.exit_code == 0, plain.output
    assert report_of(plain)["run"]["judge"] is None
    assert JUDGED not in " ".join(reasons(report_of(plain)))

    judged = score(*args, "--judge", "mock/judge", "--cache-dir", str(tmp_path / "judge-cache"))
    assert judged.exit_code == 0, judged.output
    report = report_of(judged)
    judge = report["run"]["judge"]
    assert judge["model"] == "mock/judge"
    assert judge["calls"] > 0 and judge["errors"] == 0
    assert any(JUDGED in reason for reason in reasons(report)), "claims were judged"
    assert f"claims judged by mock/judge: {judge['calls']} calls" in judged.stdout


def test_an_unusable_judge_is_one_clean_line(tmp_path: Path) -> None:
    preds = predictions(tmp_path, IDS[:1])
    out = tmp_path / "out"
    result = score("--predictions", str(preds), "--out", str(out), "--judge", "nosuch/x")
    assert result.exit_code == 2
    assert result.output.startswith("error: unknown provider 'nosuch'")
    assert "Traceback" not in result.output
    assert not out.exists(), "nothing is written before the judge is known to work"
