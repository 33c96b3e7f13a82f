"""What report.html contains, and that it reads without JavaScript and without a network."""

from __future__ import annotations

import re
from pathlib import Path

from harness.report.html import render_report_html, write_report_html
from harness.report.html.assets import num
from harness.report.models import Interval, Report
from tests.report_html.factory import GENEVA, build, ok, replicate, sample_report
from tests.report_html.page import Page, parse


def _details(page: Page) -> list[str]:
    return [e.get("id") or "" for e in page.all("details") if e.get("class") == "art"]


def test_every_article_has_a_row_and_a_detail_section(report: Report, page: Page) -> None:
    assert _details(page) == [f"a{i}" for i in range(len(report.articles))]
    rows = page.all("tr")
    status_rows = [r for r in rows if r.get("data-status") is not None]
    assert len(status_rows) == len(report.articles)
    for article in report.articles:
        assert article.article_id in page.text
        assert article.title in page.text


def test_fields_chart_is_inline_svg(report: Report, page: Page) -> None:
    (svg,) = page.all("svg")
    assert svg.get("class") == "chart" and svg.get("role") == "img"
    bars = [e for e in page.all("rect") if e.get("class") in {"s0", "s1"}]
    # Hard and soft F1 per field, plus the two legend swatches.
    assert len(bars) == 2 * len(report.fields) + 2


def test_no_network_reference_anywhere(html: str, page: Page) -> None:
    for element in page.elements:
        for name, value in element.attrs:
            if name in {"src", "href", "srcset", "action", "poster", "data", "xlink:href"}:
                assert value is not None and not re.match(r"\s*(https?:)?//", value), value
    assert page.all("img") == [] and page.all("iframe") == [] and page.all("object") == []
    (link,) = page.all("link")
    assert link.get("href") == "data:,"
    (style,) = page.all("style")
    assert "@import" not in style.text and "url(" not in style.text
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", html, re.IGNORECASE)


def test_key_numbers_are_in_the_static_html(report: Report, page: Page) -> None:
    # No script runs here: the parser sees what a browser with JavaScript off shows.
    assert num(report.overall.micro) in page.text
    assert num(report.overall.macro) in page.text
    for name, aggregate in report.fields.items():
        assert name in page.text
        assert num(aggregate.micro.f1) in page.text
        assert num(aggregate.macro.soft_f1) in page.text
    for article in report.articles:
        assert num(article.overall.mean) in page.text
    # The script-only controls are hidden until the script shows them.
    (controls,) = [e for e in page.elements if e.get("class") == "controls"]
    assert ("hidden", None) in controls.attrs


def test_side_by_side_shows_labels_reasons_and_similarities(report: Report, page: Page) -> None:
    explanations = [
        e
        for a in report.articles
        for s in a.samples
        for f in s.score.fields.values()
        for e in f.explanations
    ]
    labels = {e.label for e in explanations}
    assert {"match", "omission", "misattribution", "hallucination"} <= labels
    for e in explanations:
        assert e.reason in page.text
        assert e.text in page.text
    rows = {e.get("class") for e in page.all("tr")}
    assert {f"l-{label}" for label in labels} <= rows
    assert "ungrounded" in page.text
    assert "found at" in page.text  # a quote located in the article


def test_unknown_cost_is_not_zero(report: Report, page: Page) -> None:
    assert report.usage.cost_usd is None
    start = page.text.index("Usage and cost")
    usage = page.text[start : page.text.index("Errors", start)]
    assert "unknown" in usage and "$0" not in usage
    assert "cost unknown" in page.text  # the sample whose price was unknown


def test_raw_output_only_for_answers_that_could_not_be_used(report: Report, page: Page) -> None:
    shown = [e for e in page.all("pre")]
    unusable = [s.raw for a in report.articles for s in a.samples if s.output_status != "ok"]
    usable = [s.raw for a in report.articles for s in a.samples if s.output_status == "ok"]
    assert "Sorry, I cannot summarise this article." in unusable
    for raw in unusable:
        assert raw is None or raw in page.text
    for raw in usable:
        assert raw is not None and raw not in page.text
    # The command line, the scoring configuration, and the one unusable answer with text.
    assert len(shown) == 3
    assert "upstream overloaded" in page.text  # the failed call's error


def test_confidence_intervals_render_when_present(report: Report, page: Page) -> None:
    # Two articles are too few for an interval: the page says so rather than inventing one.
    assert all(f.f1_ci is None for f in report.fields.values())
    assert not [e for e in page.all("line") if e.get("class") == "whisker"]

    interval = Interval(low=0.25, high=0.75)
    fields = {
        name: agg.model_copy(update={"f1_ci": interval}) for name, agg in report.fields.items()
    }
    with_ci = parse(render_report_html(report.model_copy(update={"fields": fields})))
    assert "0.250–0.750 (95.0%)" in with_ci.text
    assert len([e for e in with_ci.all("line") if e.get("class") == "whisker"]) == len(fields)


def test_large_reports_fold_matches_then_drop_the_least_useful_details() -> None:
    report = replicate(sample_report(), 40)
    full = render_report_html(report)
    assert "Large report" not in full

    folded_budget = len(full.encode()) - 1
    folded = render_report_html(report, max_bytes=folded_budget)
    assert len(folded.encode()) <= folded_budget
    assert "Large report" in folded and "matched pair(s) not listed" in folded
    assert len(_details(parse(folded))) == 40

    tight_budget = len(render_report_html(report, max_bytes=1).encode()) + 20_000
    tight = render_report_html(report, max_bytes=tight_budget)
    assert len(tight.encode()) <= tight_budget
    kept = {int(anchor[1:]) for anchor in _details(parse(tight))}
    assert 0 < len(kept) < 40
    assert "Size limit" in tight
    # Problems first: no clean article (even positions) keeps its details while a failed one
    # (odd positions) loses them.
    failed_kept = {i for i in kept if i % 2}
    assert failed_kept == set(range(1, 40, 2)) or failed_kept == kept


def test_written_file_is_utf8_even_with_a_lone_surrogate(tmp_path: Path) -> None:
    report = build([GENEVA], [ok(GENEVA, 0, "no json here \ud800 at all")], samples=1)
    path = write_report_html(report, tmp_path / "report.html")
    text = path.read_bytes().decode("utf-8")
    assert "no json here \ufffd at all" in text
    assert not (tmp_path / "report.html.tmp").exists()
