"""A 10,000-article run still gives one usable page of at most 25 MB."""

from __future__ import annotations

import pytest

from harness.gold import load_corpus
from harness.report.html import MAX_BYTES, render_report_html
from tests.conftest import GOLD
from tests.report_html.factory import corpus_report, replicate

N = 10_000


@pytest.mark.slow
def test_ten_thousand_articles_fit_in_25_mb() -> None:
    # The real gold articles (long, with dozens of items) answered with typical mistakes.
    report = replicate(corpus_report(load_corpus(GOLD).articles, samples=1), N)
    html = render_report_html(report)
    size = len(html.encode("utf-8"))
    print(f"10,000 articles, 1 sample: {size / 1e6:.2f} MB")
    assert size <= MAX_BYTES == 25_000_000
    # Counting markup directly (parsing 25 MB takes a while): data cannot contain a raw "<".
    assert html.count("<tr data-status=") == N
    # Matched pairs are folded at this size; most articles keep their misses in the page,
    # in <details> closed by default.
    assert "Large report" in html
    assert html.count('<details class="art"') > N * 0.9
    assert "<details open" not in html
