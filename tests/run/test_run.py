"""`evalsum run` end to end on the mock providers: offline, cached, resumable, honest."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from harness.cli.main import cli
from harness.run.journal import JOURNAL_FILE
from tests.conftest import GOLD, REPO


@pytest.fixture(autouse=True)
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)  # prompts/ and gold/ resolve as for a user


def evalsum(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def run_folder(output: str) -> Path:
    return Path([line for line in output.splitlines() if line.strip()][-1])


def load_report(folder: Path) -> dict:
    return json.loads((folder / "report.json").read_text())


def test_oracle_run_scores_perfectly(tmp_path: Path) -> None:
    code, output = evalsum("run", "--model", "mock/oracle", "--out", str(tmp_path))
    assert code == 0, output
    folder = run_folder(output)
    assert folder.parent == tmp_path
    report = load_report(folder)
    assert report["schema_version"] == 1
    assert report["run"]["status"] == "complete"
    assert report["overall"]["micro"] == 1.0
    for field in ("participants", "dates", "claims", "red_lines"):
        assert report["fields"][field]["micro"]["f1"] == 1.0
    ids = sorted(p.name for p in GOLD.iterdir() if p.is_dir())
    assert [a["article_id"] for a in report["articles"]] == ids
    sample = report["articles"][0]["samples"][0]
    assert sample["output_status"] == "ok"
    assert json.loads(sample["raw"])["participants"]
    assert report["usage"]["prompt_tokens"] > 0
    assert report["run"]["prompt"]["name"] == "v2"
    assert len(report["run"]["prompt"]["sha256"]) == 64
    assert len(report["run"]["gold"]["sha256"]) == 64


def test_noisy_run_is_reproducible_and_imperfect(tmp_path: Path) -> None:
    outs = []
    for _ in range(2):
        code, output = evalsum(
            "run",
            "--model",
            "mock/noisy",
            "--out",
            str(tmp_path),
            "--no-cache",
            "--seed",
            "7",
            "--mock-noise-rate",
            "0.9",
        )
        assert code == 0, output
        outs.append(load_report(run_folder(output)))
    assert outs[0]["overall"] == outs[1]["overall"]
    assert outs[0]["overall"]["micro"] < 1.0


@pytest.mark.slow
def test_second_identical_run_is_served_from_cache_without_litellm(tmp_path: Path) -> None:
    args = ["run", "--model", "mock/noisy", "--out", str(tmp_path / "r")]
    code, output = evalsum(*args)
    assert code == 0, output
    assert "2 provider call(s)" in output
    probe = (
        "import sys\n"
        "from harness.cli.main import main\n"
        f"sys.argv = ['evalsum', *{args!r}]\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    assert exc.code in (0, None), exc.code\n"
        "print('LITELLM_LOADED=' + str('litellm' in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert "0 provider call(s)" in out.stdout, out.stdout + out.stderr
    assert "2 ok (2 from cache)" in out.stdout
    assert "LITELLM_LOADED=False" in out.stdout


def test_resume_calls_only_what_is_missing(tmp_path: Path) -> None:
    code, output = evalsum("run", "--model", "mock/oracle", "--out", str(tmp_path), "--no-cache")
    assert code == 0
    folder = run_folder(output)
    journal = folder / JOURNAL_FILE
    lines = journal.read_bytes().splitlines(keepends=True)
    assert len(lines) == 2
    # As after a kill: one record kept, the next one torn mid-line.
    journal.write_bytes(lines[0] + lines[1][:40])
    code, output = evalsum("run", "--resume", str(folder), "--no-cache")
    assert code == 0, output
    assert "1 provider call(s)" in output
    assert "repaired a journal line" in output
    assert len(journal.read_bytes().splitlines()) == 2
    assert load_report(folder)["overall"]["micro"] == 1.0


def test_resume_of_a_folder_that_is_not_a_run(tmp_path: Path) -> None:
    code, output = evalsum("run", "--resume", str(tmp_path))
    assert code == 2
    assert "is not an evalsum run folder" in output


def test_samples_report_spread(tmp_path: Path) -> None:
    code, output = evalsum(
        "run",
        "--model",
        "mock/noisy",
        "--samples",
        "3",
        "--out",
        str(tmp_path),
        "--mock-noise-rate",
        "0.6",
    )
    assert code == 0, output
    report = load_report(run_folder(output))
    article = report["articles"][0]
    assert [s["sample"] for s in article["samples"]] == [0, 1, 2]
    assert article["overall"]["n"] == 3
    assert report["overall_spread"]["n"] == 3
    raws = {s["raw"] for s in article["samples"]}
    assert len(raws) > 1, "samples must differ"


def test_only_selected_articles(tmp_path: Path) -> None:
    first = sorted(p.name for p in GOLD.iterdir() if p.is_dir())[0]
    code, output = evalsum(
        "run", "--model", "mock/oracle", "--articles", first, "--out", str(tmp_path)
    )
    assert code == 0, output
    assert [a["article_id"] for a in load_report(run_folder(output))["articles"]] == [first]
    code, output = evalsum("run", "--articles", "nope", "--out", str(tmp_path))
    assert code == 2
    assert "no article with id 'nope'" in output


def test_injected_faults_are_retried_or_recorded(tmp_path: Path) -> None:
    code, output = evalsum(
        "run",
        "--model",
        "mock/oracle",
        "--out",
        str(tmp_path),
        "--no-cache",
        "--mock-error-rate",
        "1.0",
        "--retries",
        "1",
    )
    assert code == 1, output
    report = load_report(run_folder(output))
    assert report["run"]["status"] == "incomplete"
    assert len(report["errors"]) == 2
    assert {e["kind"] for e in report["errors"]} <= {"rate_limit", "timeout", "server"}
    assert all(e["attempts"] == 2 for e in report["errors"])
    assert report["overall"]["micro"] == 0.0


def test_malformed_answers_are_recorded_not_fatal(tmp_path: Path) -> None:
    code, output = evalsum(
        "run", "--model", "mock/oracle", "--out", str(tmp_path), "--mock-malformed-rate", "1.0"
    )
    assert code == 0, output
    report = load_report(run_folder(output))
    statuses = {s["output_status"] for a in report["articles"] for s in a["samples"]}
    assert statuses <= {"unparseable", "truncated", "invalid", "empty"}
    assert all(s["parse_errors"] for a in report["articles"] for s in a["samples"])


def test_dry_run_calls_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, output = evalsum("run", "--model", "mock/oracle", "--dry-run", "--out", str(out))
    assert code == 0, output
    assert "2 call(s)" in output
    assert "prompt tokens:" in output
    assert not out.exists()


def test_a_dry_run_needs_no_api_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    out = tmp_path / "out"
    args = ("run", "--model", "openai/gpt-4o-mini", "--dry-run", "--out", str(out))
    code, output = evalsum(*args, "--cache-dir", str(tmp_path / "cache"))
    assert code == 0, output
    assert "2 call(s)" in output and "estimated cost of prompts: $" in output
    # It still says what a real run would need, without stopping.
    assert "note: a real run would stop here: " in output and "OPENAI_API_KEY" in output
    assert not out.exists()
    # A model that does not exist is still an error in a dry run.
    code, output = evalsum("run", "--model", "nosuchprovider/x", "--dry-run", "--out", str(out))
    assert code == 2, output


def test_record_then_replay(tmp_path: Path) -> None:
    cassette = tmp_path / "tape.jsonl"
    code, output = evalsum(
        "run",
        "--model",
        "mock/noisy",
        "--out",
        str(tmp_path),
        "--record",
        str(cassette),
        "--seed",
        "3",
    )
    assert code == 0, output
    recorded = load_report(run_folder(output))
    assert len(cassette.read_text().splitlines()) == 2
    code, output = evalsum(
        "run",
        "--model",
        "mock/replay",
        "--cassette",
        str(cassette),
        "--out",
        str(tmp_path),
        "--seed",
        "3",
    )
    assert code == 0, output
    replayed = load_report(run_folder(output))
    assert replayed["overall"] == recorded["overall"]
    # A request the cassette lacks is an error, never a silent fallback.
    code, output = evalsum(
        "run",
        "--model",
        "mock/replay",
        "--cassette",
        str(cassette),
        "--out",
        str(tmp_path),
        "--seed",
        "4",
    )
    assert code == 1
    report = load_report(run_folder(output))
    assert {e["kind"] for e in report["errors"]} == {"not_found"}


def test_unknown_provider_is_one_clean_line(tmp_path: Path) -> None:
    code, output = evalsum("run", "--model", "nosuch/model", "--out", str(tmp_path))
    assert code == 2
    assert "unknown provider 'nosuch'" in output
    assert "Traceback" not in output
