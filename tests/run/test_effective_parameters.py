"""run.json and the report say what was used, beside what was asked for, where they differ."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.report.load import load_report
from harness.run import RunConfig, start_run
from harness.run.rundir import read_spec
from harness.run.runner import effective_parameters, resume_run
from tests.conftest import REPO


@pytest.fixture(autouse=True)
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


def test_a_local_model_records_its_token_cap_and_one_call_at_a_time() -> None:
    effective = effective_parameters(RunConfig(model="local/smollm2", max_tokens=4096))
    assert (effective.max_tokens, effective.concurrency) == (1024, 1)
    assert effective.notes == [
        "max_tokens: 4096 asked for, 1024 used (local/smollm2 answers at most 1024 tokens)",
        "concurrency: 8 asked for, 1 used (local/smollm2 answers 1 call(s) at a time)",
    ]
    # A lower request wins, and then nothing differs.
    lower = effective_parameters(RunConfig(model="local/smollm2", max_tokens=200, concurrency=1))
    assert (lower.max_tokens, lower.concurrency, lower.notes) == (200, 1, [])


def test_other_models_use_what_was_asked_for() -> None:
    for model in ("mock/noisy", "openai/gpt-4o-mini"):
        effective = effective_parameters(RunConfig(model=model, max_tokens=300, concurrency=3))
        assert (effective.max_tokens, effective.concurrency, effective.notes) == (300, 3, [])


def test_run_json_and_the_report_record_them_and_resume_updates_them(tmp_path: Path) -> None:
    config = RunConfig(
        model="mock/oracle", out=tmp_path, concurrency=2, cache_dir=tmp_path / "cache"
    )
    result = start_run(config)
    assert read_spec(result.folder).effective.concurrency == 2
    report = load_report(result.folder)
    assert report.run.effective_parameters.concurrency == 2
    assert report.run.parameters["concurrency"] == 2
    # Settings changed on resume are what the report then shows, as run.json does.
    resume_run(result.folder, overrides={"concurrency": 5})
    report = load_report(result.folder)
    assert report.run.parameters["concurrency"] == 5
    assert report.run.effective_parameters.concurrency == 5


def test_the_printed_summary_says_what_differs(tmp_path: Path) -> None:
    from harness.report.terminal import report_summary

    result = start_run(RunConfig(model="mock/oracle", out=tmp_path, cache_dir=tmp_path / "c"))
    report = load_report(result.folder)
    assert not any("asked for" in line for line in report_summary(report, result.folder))
    local = effective_parameters(RunConfig(model="local/smollm2"))
    run = report.run.model_copy(update={"effective_parameters": local})
    lines = report_summary(report.model_copy(update={"run": run}), result.folder)
    assert [line for line in lines if "asked for" in line] == [f"note: {n}" for n in local.notes]
