"""On the committed corpus a comparison can tell: two runs that really differ are compared
with intervals and called significant, not "descriptive only" as with two articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.gold import load_corpus
from harness.providers.base import MockOptions
from harness.report.compare import compare_reports
from harness.report.load import load_report
from harness.run import RunConfig, start_run
from tests.conftest import CORPUS


@pytest.mark.slow
def test_noisy_at_two_noise_rates_differs_significantly_on_the_corpus(tmp_path: Path) -> None:
    assert len(load_corpus(CORPUS).articles) >= 20
    reports = []
    for rate in (0.05, 0.8):
        config = RunConfig(
            model="mock/noisy",
            gold=CORPUS,
            out=tmp_path / "r",
            cache_dir=tmp_path / "c",
            mock=MockOptions(noise_rate=rate),
        )
        reports.append(load_report(start_run(config).folder))
    result = compare_reports(*reports)
    assert not result.descriptive_only and result.paired_articles >= 20
    assert all(f.ci is not None and f.significant is not None for f in result.fields)
    # Much more noise is a real regression: called so with intervals below zero.
    regressed = [f for f in result.fields if f.verdict == "regressed"]
    assert regressed, [(f.field, f.verdict, f.delta_f1) for f in result.fields]
    assert all(f.significant and f.ci.high < 0 for f in regressed)
