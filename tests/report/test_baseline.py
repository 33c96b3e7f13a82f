"""The baseline CI compares against is a valid report and matches today's default mock run.

When this fails after an intended change of scores, run `make baseline` and commit it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.report.compare import compare_reports
from harness.report.load import load_report
from harness.run import RunConfig, start_run
from tests.conftest import CORPUS, REPO

BASELINE = REPO / "reports" / "baseline" / "report.json"


@pytest.mark.slow
def test_baseline_matches_a_fresh_default_mock_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    baseline = load_report(BASELINE)
    assert baseline.run.model == "mock/noisy"
    result = start_run(RunConfig(model="mock/noisy", gold=CORPUS, out=tmp_path, cache=False))
    fresh = load_report(result.folder)
    comparison = compare_reports(baseline, fresh)
    assert not comparison.regression
    stale = [f.field for f in comparison.fields if abs(f.delta_f1) > 1e-12]
    assert not stale, f"baseline is stale for {stale}: run `make baseline` and commit it"
