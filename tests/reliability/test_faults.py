"""Provider faults and interruptions: nothing completed is lost or paid for twice."""

from __future__ import annotations

import json
import random
import signal
import time
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from harness.cli.main import cli
from harness.errors import InputError
from harness.run.rundir import LOCK_FILE, RunLock
from tests.conftest import REPO
from tests.reliability.helpers import evalsum_process, journal_lines, replicate_gold


@pytest.fixture(autouse=True)
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


def last_line(text: str) -> Path:
    return Path([line for line in text.splitlines() if line.strip()][-1])


@pytest.mark.slow
def test_thirty_percent_transient_errors_over_1000_calls(tmp_path: Path) -> None:
    gold = replicate_gold(tmp_path / "gold", 100)  # 100 articles x 10 samples = 1,000 calls
    result = CliRunner().invoke(
        cli,
        [
            "run",
            "--model",
            "mock/oracle",
            "--gold",
            str(gold),
            "--out",
            str(tmp_path / "out"),
            "--samples",
            "10",
            "--concurrency",
            "64",
            "--mock-error-rate",
            "0.3",
            "--retries",
            "12",
            "--retry-base-delay",
            "0",
            "--retry-max-delay",
            "0.001",
            "--no-cache",
        ],
    )
    assert result.exit_code == 0, result.output[-2000:]
    report = json.loads((last_line(result.output) / "report.json").read_text())
    assert report["errors"] == []
    assert report["usage"]["calls"] == 1000
    assert report["overall"]["micro"] == 1.0
    # About 0.3/0.7 retries per call are expected: ~430 in all.
    assert 300 <= report["usage"]["retries"] <= 560
    per_sample = sum(s["retries"] for a in report["articles"] for s in a["samples"])
    assert per_sample == report["usage"]["retries"]


def _wait_for_journal(folder_parent: Path, at_least: int, process, timeout_s: float = 60) -> Path:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        folders = (
            [p for p in folder_parent.iterdir() if p.is_dir()] if folder_parent.exists() else []
        )
        if folders and journal_lines(folders[0]) >= at_least:
            return folders[0]
        if process.poll() is not None:
            raise AssertionError(f"run ended early: {process.communicate()}")
        time.sleep(0.02)
    raise AssertionError("journal did not grow in time")


@pytest.mark.slow
def test_kill_9_at_random_points_then_resume(tmp_path: Path) -> None:
    gold = replicate_gold(tmp_path / "gold", 20)  # 20 articles x 2 samples = 40 calls
    common = ["--gold", str(gold), "--no-cache", "--mock-latency-ms", "60", "--concurrency", "4"]
    args = ["run", "--model", "mock/noisy", "--samples", "2", "--seed", "5", *common]

    reference = CliRunner().invoke(
        cli, [*args, "--out", str(tmp_path / "ref"), "--mock-latency-ms", "0"]
    )
    assert reference.exit_code == 0, reference.output
    expected = json.loads((last_line(reference.output) / "report.json").read_text())

    out = tmp_path / "out"
    process = evalsum_process(*args, "--out", str(out))
    rng = random.Random(1)
    folder = _wait_for_journal(out, rng.randint(3, 10), process)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    kills = [journal_lines(folder)]
    # Kill the resumed run too, at another random point.
    process = evalsum_process("run", "--resume", str(folder))
    _wait_for_journal(out, kills[0] + rng.randint(3, 10), process)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    kills.append(journal_lines(folder))
    assert kills[0] < kills[1] < 40

    final = CliRunner().invoke(cli, ["run", "--resume", str(folder)])
    assert final.exit_code == 0, final.output
    lines = (folder / "journal.jsonl").read_text().splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    ok = Counter((r["article_id"], r["sample"]) for r in records if r["status"] == "ok")
    assert len(ok) == 40, "every task completed"
    assert max(ok.values()) == 1, "no completed call was made twice"
    report = json.loads((folder / "report.json").read_text())
    assert report["fields"] == expected["fields"]
    assert report["overall"] == expected["overall"]


def test_second_run_in_the_same_folder_is_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["run", "--model", "mock/oracle", "--out", str(tmp_path)])
    folder = last_line(result.output)
    with RunLock(folder):
        second = CliRunner().invoke(cli, ["run", "--resume", str(folder)])
    assert second.exit_code == 2
    assert "is in use by another evalsum run" in second.output
    assert "Traceback" not in second.output


def test_a_finished_run_folder_holds_no_lock_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["run", "--model", "mock/oracle", "--out", str(tmp_path)])
    folder = last_line(result.output)
    assert not (folder / LOCK_FILE).exists()
    resumed = CliRunner().invoke(cli, ["run", "--resume", str(folder)])
    assert resumed.exit_code == 0, resumed.output
    assert sorted(p.name for p in folder.iterdir() if p.name.startswith(".")) == []
    # Taken again after a release, the lock still excludes a second holder.
    with RunLock(folder), pytest.raises(InputError, match="in use by another evalsum run"):
        RunLock(folder).acquire()


@pytest.mark.slow
def test_ctrl_c_stops_cleanly_and_says_how_to_resume(tmp_path: Path) -> None:
    gold = replicate_gold(tmp_path / "gold", 20)
    out = tmp_path / "out"
    process = evalsum_process(
        "run",
        "--model",
        "mock/oracle",
        "--gold",
        str(gold),
        "--out",
        str(out),
        "--mock-latency-ms",
        "200",
        "--concurrency",
        "2",
        "--no-cache",
    )
    folder = _wait_for_journal(out, 2, process)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert f"resume with: evalsum run --resume {folder}" in stderr
    assert "Traceback" not in stderr
    kept = journal_lines(folder)
    assert kept >= 2
    resumed = CliRunner().invoke(cli, ["run", "--resume", str(folder)])
    assert resumed.exit_code == 0, resumed.output
    assert f"{20 - kept} provider call(s)" in resumed.output
