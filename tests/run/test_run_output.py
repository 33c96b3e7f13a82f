"""What `evalsum run` prints: counts that tell the truth, reasons grouped, a table per field
whose numbers are report.json's, the overall score and what it is, and the run folder last."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from harness.cli.main import cli
from harness.report.terminal import simulated_note
from tests.conftest import GOLD, REPO

FIRST = sorted(p.name for p in GOLD.iterdir() if p.is_dir())[0]


@pytest.fixture(autouse=True)
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


def evalsum(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def folder_of(result: Result) -> Path:
    return Path(result.stdout.strip().splitlines()[-1])


def report_of(result: Result) -> dict:
    return json.loads((folder_of(result) / "report.json").read_text())


def table(stdout: str) -> dict[str, list[str]]:
    """The per-field table: field -> its printed cells (P, R, F1, matched, predicted, gold)."""
    lines = stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.split()[:4] == ["field", "P", "R", "F1"])
    assert lines[start].split()[4:] == ["matched", "predicted", "gold"]
    rows = {}
    for line in lines[start + 1 :]:
        if not line.strip():
            break
        name, *cells = line.split()
        rows[name] = cells
    return rows


def test_the_table_and_the_overall_score_are_report_json(tmp_path: Path) -> None:
    result = evalsum(
        "run", "--model", "mock/noisy", "--mock-noise-rate", "0.9", "--samples", "2",
        "--out", str(tmp_path),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    report = report_of(result)
    rows = table(result.stdout)
    assert list(rows) == list(report["fields"])
    for name, field in report["fields"].items():
        micro, counts = field["micro"], field["counts"]
        expected = [f"{micro[k]:.3f}" for k in ("precision", "recall", "f1")]
        expected += [str(counts[k]) for k in ("tp", "n_pred", "n_gold")]
        assert rows[name] == expected, name
    assert "pooled over 2 articles x 2 samples" in result.stdout
    overall = f"overall score: {report['overall']['micro']:.3f} = the weighted mean of the "
    assert overall + "fields' F1 (equal weights); 1.0 = agrees with gold" in result.stdout
    assert f"report: {folder_of(result) / 'report.html'}" in result.stdout
    assert (folder_of(result) / "report.html").is_file()
    note = "note: mock/noisy is simulated: its answers are the gold summaries with seeded errors"
    assert note in result.stdout


def test_a_real_model_is_not_called_simulated() -> None:
    assert simulated_note("openai/gpt-4o-mini") is None
    assert simulated_note("local/smollm2") is None
    assert "simulated" in (simulated_note("mock/replay") or "")


def test_failed_calls_say_why_grouped_and_count_attempts(tmp_path: Path) -> None:
    result = evalsum(
        "run", "--model", "mock/oracle", "--out", str(tmp_path), "--no-cache",
        "--mock-error-rate", "1", "--retries", "1", "--retry-base-delay", "0",
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    report = report_of(result)
    # 2 calls, each tried twice: 4 requests were sent.
    assert "2 provider call(s) this session (4 requests sent, retries included)" in result.stdout
    groups: dict[str, int] = {}
    for error in report["errors"]:
        key = f"{error['kind']} (HTTP {error['status_code']}) after 2 attempts"
        groups[key] = groups.get(key, 0) + 1
    printed = re.findall(
        r"^  (\d+) failed: (\S+ \(HTTP \d+\) after \d+ attempts)", result.stdout, re.M
    )
    assert {reason: int(n) for n, reason in printed} == groups
    assert sum(groups.values()) == 2
    assert "already scored" not in result.stdout


def test_unusable_answers_say_why(tmp_path: Path) -> None:
    result = evalsum(
        "run", "--model", "mock/oracle", "--out", str(tmp_path), "--mock-malformed-rate", "1",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    report = report_of(result)
    samples = [s for a in report["articles"] for s in a["samples"]]
    assert all(s["prediction"] is None for s in samples)
    assert "2 ok (0 from cache, 2 unusable)" in result.stdout
    groups: dict[str, int] = {}
    for s in samples:
        reason = re.sub(r"\[\d+\]", "[*]", s["parse_errors"][0])
        key = f"{s['output_status']}: {reason}"
        groups[key] = groups.get(key, 0) + 1
    for key, n in groups.items():
        assert f"  {n} {key} [" in result.stdout, key
    assert "(an unusable answer scores as an empty prediction)" in result.stdout


def test_no_scores_reused_when_there_were_no_answers(tmp_path: Path) -> None:
    args = [
        "run", "--model", "mock/oracle", "--out", str(tmp_path), "--cache-dir",
        str(tmp_path / "cache"), "--mock-error-rate", "1", "--retries", "0",
    ]  # fmt: skip
    first = evalsum(*args)
    second = evalsum(*args)  # errors are never cached: both runs fail, nothing was answered
    assert first.exit_code == second.exit_code == 1, second.output
    assert "0 ok" in second.stdout
    assert "already scored" not in second.stdout


def test_scores_reused_counts_answers(tmp_path: Path) -> None:
    args = ["run", "--model", "mock/oracle", "--out", str(tmp_path), "--articles", FIRST]
    evalsum(*args)
    again = evalsum(*args)
    assert again.exit_code == 0, again.output
    assert "1 ok (1 from cache)" in again.stdout
    assert "0 provider call(s) this session (0 requests sent" in again.stdout
    assert "1 answer(s) already scored: scores reused" in again.stdout


def test_resume_prints_the_run_folder_first(tmp_path: Path) -> None:
    new = evalsum("run", "--model", "mock/oracle", "--out", str(tmp_path), "--articles", FIRST)
    folder = folder_of(new)
    assert new.stderr.splitlines()[0] == f"run folder: {folder}"
    (folder / "journal.jsonl").write_text("")  # as if killed before the first answer
    resumed = evalsum("run", "--resume", str(folder))
    assert resumed.exit_code == 0, resumed.output
    assert resumed.stderr.splitlines()[0] == f"run folder: {folder}"
    assert resumed.output.splitlines()[0] == f"run folder: {folder}"
    assert folder_of(resumed) == folder
