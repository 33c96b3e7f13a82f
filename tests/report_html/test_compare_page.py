"""compare.html: the page of `evalsum compare`, built from two real mock runs.

The runs go through `start_run` over the repository's gold (mock/oracle, and mock/noisy at
noise rate 0.9), so the comparison carries real regressions. The page is read back with
html.parser, the way test_structure.py and test_escaping.py read report.html, and loaded in
headless Chromium where it is installed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from harness.cli.main import cli
from harness.report.compare import CompareReport, RunRef, compare_reports
from harness.report.compare_io import COMPARE_HTML, COMPARE_JSON
from harness.report.html.assets import num, page_assets
from harness.report.html.compare import (
    article_deltas,
    render_compare_html,
    report_link,
    signed,
    write_compare_html,
)
from harness.report.load import load_report
from harness.report.models import Report
from tests.conftest import GOLD, REPO
from tests.report_html.browser import Browser, missing_browser
from tests.report_html.factory import (
    PAYLOAD,
    PAYLOADS,
    hostile_comparison,
    mock_runs,
    replicate,
)
from tests.report_html.page import Page, parse
from tests.report_html.test_escaping import OUR_TAGS, URL_ATTRIBUTES

Runs = tuple[Path, Path]
Reports = tuple[Report, Report]

needs_browser = pytest.mark.skipif(missing_browser() is not None, reason=str(missing_browser()))


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runs]:
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(REPO)  # gold/ and prompts/ are found relative to the working directory
        mp.setenv("LITELLM_LOCAL_MODEL_COST_MAP", "True")
        mp.setenv("EVALSUM_GOLD", str(GOLD))  # module scope: before the autouse fixture
        yield mock_runs(tmp_path_factory.mktemp("runs"))


@pytest.fixture(scope="module")
def reports(runs: Runs) -> Reports:
    return load_report(runs[0]), load_report(runs[1])


@pytest.fixture(scope="module")
def result(runs: Runs, reports: Reports) -> CompareReport:
    return compare_reports(*reports, a_path=str(runs[0]), b_path=str(runs[1]))


@pytest.fixture(scope="module")
def compare_file(
    tmp_path_factory: pytest.TempPathFactory, result: CompareReport, reports: Reports
) -> Path:
    folder = tmp_path_factory.mktemp("compare")
    return write_compare_html(result, folder / COMPARE_HTML, *reports)


@pytest.fixture(scope="module")
def cmp_html(compare_file: Path) -> str:
    return compare_file.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def cmp_page(cmp_html: str) -> Page:
    return parse(cmp_html)


@pytest.fixture(scope="module")
def hostile(reports: Reports) -> tuple[CompareReport, Report, Report]:
    return hostile_comparison(*reports)


@pytest.fixture(scope="module")
def hostile_html(hostile: tuple[CompareReport, Report, Report]) -> str:
    result, a, b = hostile
    # Links that report_link would never make: the page drops them.
    return render_compare_html(result, a, b, report_links=(PAYLOAD, "javascript:alert(1)"))


def _rows(page: Page, attribute: str) -> list[str]:
    return [e.get(attribute) or "" for e in page.all("tr") if e.get(attribute) is not None]


# Structure


def test_the_comparison_is_real(result: CompareReport) -> None:
    # The page tests below rely on a comparison with regressions in it.
    assert result.descriptive_only and result.paired_articles == 2
    assert result.regression and all(f.regressed_articles for f in result.fields)
    assert result.warnings == []


def test_every_field_has_a_row_and_so_does_overall(result: CompareReport, cmp_page: Page) -> None:
    assert _rows(cmp_page, "data-field") == [f.field for f in result.fields]
    assert any(e.get("id") == "overall-row" for e in cmp_page.all("tr"))
    regressed = [e for e in cmp_page.all("details") if e.get("class") == "regressed"]
    assert [e.get("data-field") for e in regressed] == [f.field for f in result.fields]


def test_each_field_row_shows_its_one_verdict_and_the_gate(
    result: CompareReport, cmp_html: str
) -> None:
    for f in result.fields:
        row = re.search(rf'<tr data-field="{f.field}">(.*?)</tr>', cmp_html, re.S)
        assert row is not None
        cell = re.search(r'<td class="verdict">(.*?)</td>', row.group(1), re.S)
        assert cell is not None and re.sub(r"<[^>]+>", "", cell.group(1)) == f.verdict
        assert "regression</b>" not in row.group(1)
    gate = re.search(r'<div class="card" id="gate">(.*?)</div>', cmp_html, re.S)
    assert gate is not None
    text = re.sub(r"<[^>]+>", "", gate.group(1))
    gated = [f for f in result.fields if f.regression]
    assert text.startswith(f"{len(gated)}field(s) --fail-on-regression acts on")
    for f in gated:
        assert f"{f.field} ({f.verdict})" in text
    assert result.gate_rule in cmp_html


def test_chart_is_inline_svg_with_a_bar_per_run_and_field(
    result: CompareReport, cmp_page: Page
) -> None:
    (svg,) = cmp_page.all("svg")
    assert svg.get("class") == "chart" and svg.get("role") == "img"
    bars = [e for e in cmp_page.all("rect") if e.get("class") in {"s0", "s1"}]
    # A and B for every field and for overall, plus the two legend swatches.
    assert len(bars) == 2 * (len(result.fields) + 1) + 2
    assert f"A: {result.a.model}" in cmp_page.text and f"B: {result.b.model}" in cmp_page.text


def test_no_network_reference_anywhere(cmp_html: str, cmp_page: Page) -> None:
    for element in cmp_page.elements:
        for name, value in element.attrs:
            if name in URL_ATTRIBUTES:
                assert value is not None and not re.match(r"\s*(https?:)?//", value), value
    assert cmp_page.all("img") == [] and cmp_page.all("iframe") == []
    (style,) = cmp_page.all("style")
    assert "@import" not in style.text and "url(" not in style.text
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", cmp_html, re.IGNORECASE)
    assert not re.search(r"url\(\s*['\"]?\s*(https?:)?//", cmp_html, re.IGNORECASE)


def test_numbers_read_with_javascript_off(
    result: CompareReport, reports: Reports, cmp_page: Page
) -> None:
    # No script runs here: the parser sees what a browser with JavaScript off shows.
    text = cmp_page.text
    for f in result.fields:
        for value in (num(f.a.f1), num(f.b.f1), signed(f.delta_f1)):
            assert value in text
        assert f"{f.wins} / {f.ties} / {f.losses}" in text
        assert f.ci is not None and f"[{signed(f.ci.low)}, {signed(f.ci.high)}]" in text
    o = result.overall
    assert num(o.a) in text and num(o.b) in text and signed(o.delta) in text
    assert result.note in text and "descriptive only" in text
    for ref in (result.a, result.b):
        for value in (ref.model, ref.prompt, ref.prompt_sha256, ref.gold_sha256, ref.path):
            assert value in text
    for report in reports:
        for article in report.articles:
            assert article.article_id in text and article.title in text
            assert num(article.overall.mean) in text
    (controls,) = [e for e in cmp_page.elements if e.get("class") == "controls"]
    assert ("hidden", None) in controls.attrs


def test_article_rows_come_worst_first_with_matching_sort_keys(
    result: CompareReport, reports: Reports, cmp_page: Page
) -> None:
    rows = article_deltas(result, *reports)
    assert {r.article_id for r in rows} == {a.article_id for a in reports[0].articles}
    deltas = [r.delta for r in rows if r.delta is not None]
    assert len(deltas) == len(rows) and all(d < 0 for d in deltas)
    assert deltas == sorted(deltas)
    assert _rows(cmp_page, "data-change") == ["worse"] * len(rows)
    keys = json.loads(cmp_page.by_id("article-keys").text)
    assert keys["columns"] == [None, None, *range(3 + len(result.fields)), None]
    assert [k[2] for k in keys["rows"]] == [round(d, 4) for d in deltas]
    # Each row says where the comparison found a regression, field by field.
    for r in rows:
        expected = [f.field for f in result.fields if r.article_id in f.regressed_articles]
        assert list(r.regressed) == expected


def test_regressed_articles_link_to_their_rows(result: CompareReport, cmp_page: Page) -> None:
    row_ids = {e.get("id") for e in cmp_page.all("tr") if e.get("data-change")}
    links = [
        e.get("href") for e in cmp_page.all("a") if re.fullmatch(r"#r\d+", e.get("href") or "")
    ]
    assert len(links) == sum(len(f.regressed_articles) for f in result.fields)
    assert {link[1:] for link in links} <= row_ids


def test_run_reports_are_linked_relatively(runs: Runs, compare_file: Path, cmp_page: Page) -> None:
    # start_run writes report.html beside report.json; the page links there, per article too.
    hrefs = [e.get("href") or "" for e in cmp_page.all("a")]
    pages = [h for h in hrefs if h.endswith("report.html")]
    assert len(pages) == 2
    for href, run in zip(pages, runs, strict=True):
        assert href.startswith("../")
        assert (compare_file.parent / href).resolve() == (run / "report.html").resolve()
    per_article = [h for h in hrefs if re.search(r"report\.html#a\d+$", h)]
    assert len(per_article) == 2 * 2  # two articles, A and B


def test_a_hostile_folder_name_stays_a_relative_link(tmp_path: Path) -> None:
    folder = tmp_path / "javascript:alert(1)"
    folder.mkdir()
    (folder / "report.html").write_text("")
    ref = RunRef(
        path=str(folder),
        run_id="x",
        model="m",
        prompt="p",
        prompt_sha256="0",
        gold_sha256="0",
        overall=None,
    )
    # From a page beside the folder, the relative path would begin "javascript:".
    assert report_link(ref, tmp_path / COMPARE_HTML) == "./javascript%3Aalert%281%29/report.html"
    assert report_link(ref.model_copy(update={"path": str(tmp_path)}), tmp_path / "x.html") is None


def test_without_the_reports_the_page_still_lists_regressions(result: CompareReport) -> None:
    page = parse(render_compare_html(result))
    assert _rows(page, "data-change") == []
    assert "needs the two reports" in page.text
    for f in result.fields:
        for article_id in f.regressed_articles:
            assert article_id in page.text
    assert len(page.all("script")) == 1  # no data block without a table


def test_warnings_and_unpaired_units_are_prominent(reports: Reports, runs: Runs) -> None:
    a, b = reports
    b = b.model_copy(deep=True)
    b.run.gold.sha256 = "f" * 64
    b.articles = b.articles[:1]
    result = compare_reports(a, b, a_path=str(runs[0]), b_path=str(runs[1]))
    page = parse(render_compare_html(result, a, b))
    warnings = page.text[: page.text.index("Micro F1 per field")]  # above the fields chart
    assert any("different gold" in w for w in result.warnings)
    for w in result.warnings:
        assert w in warnings
    assert f"{len(result.warnings)} warning(s)" in warnings  # in the page header as well
    assert "differs" in warnings  # the gold row of the runs table
    only_a = result.unpaired["only_a"]
    assert only_a and all(unit in page.text for unit in only_a)
    assert _rows(page, "data-change").count("only A") == 1


def test_signed_differences() -> None:
    assert [signed(x) for x in (0.1234, -0.1234, 0.0, -0.0001, None, float("nan"))] == [
        "+0.123",
        "−0.123",
        "0.000",
        "0.000",
        "—",
        "—",
    ]


# Escaping


def test_payloads_are_shown_as_text(hostile_html: str) -> None:
    page = parse(hostile_html)
    for payload in PAYLOADS:
        assert payload in page.text, payload
    # Models, prompts, run ids, paths, gold, scoring, warnings, article ids and titles.
    assert page.text.count(PAYLOADS[0]) >= 20


def test_no_element_or_attribute_comes_from_a_payload(hostile_html: str) -> None:
    page = parse(hostile_html)
    tags = {e.tag for e in page.elements}
    assert tags <= OUR_TAGS, tags - OUR_TAGS
    for element in page.elements:
        for name, value in element.attrs:
            assert not name.startswith("on"), (element.tag, name, value)
            if name in URL_ATTRIBUTES and value is not None:
                scheme = re.sub(r"[\x00-\x20]", "", value).lower()
                assert not scheme.startswith(("javascript:", "vbscript:", "data:text")), value
    assert len(page.all("svg")) == 1
    # Every link is in the page, or to a run's report.html (none here: those links were bad).
    assert all((e.get("href") or "").startswith("#") for e in page.all("a"))


def test_only_the_pages_own_scripts_exist(hostile_html: str) -> None:
    page = parse(hostile_html)
    data, code = page.all("script")
    assert data.attrs == [("type", "application/json"), ("id", "article-keys")]
    assert code.attrs == []
    assert code.text == str(page_assets(js=("base.js", "compare.js")).js)
    assert "<" not in data.text
    json.loads(data.text)


# The command


def test_evalsum_compare_writes_json_and_html(
    runs: Runs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    out = tmp_path / "cmp"
    outcome = CliRunner().invoke(cli, ["compare", str(runs[0]), str(runs[1]), "--out", str(out)])
    assert outcome.exit_code == 0, outcome.output
    result = CompareReport.model_validate_json((out / COMPARE_JSON).read_text())
    page = parse((out / COMPARE_HTML).read_text(encoding="utf-8"))
    assert _rows(page, "data-field") == [f.field for f in result.fields]
    assert len(_rows(page, "data-change")) == 2  # the per-article table, from the reports
    assert signed(result.overall.delta) in page.text
    assert not list(out.glob("*.tmp"))


# Scale


@pytest.mark.slow
def test_ten_thousand_articles_stay_small(reports: Reports) -> None:
    n = 10_000
    a, b = (replicate(r, n) for r in reports)
    result = compare_reports(a, b, resamples=100)
    html = render_compare_html(result, a, b)
    size = len(html.encode("utf-8"))
    print(f"compare.html, {n:,} articles: {size / 1e6:.2f} MB")
    assert size < 10_000_000
    assert html.count('<tr id="r') == n


# In a browser


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    if missing_browser() is not None:
        pytest.skip(str(missing_browser()))
    with Browser(tmp_path_factory.mktemp("chromium-profile")) as session:
        yield session


@needs_browser
def test_page_renders_sorts_and_filters_in_chromium(
    browser: Browser, reports: Reports, runs: Runs, tmp_path: Path
) -> None:
    a, b = (replicate(r, 30) for r in reports)
    result = compare_reports(a, b, a_path=str(runs[0]), b_path=str(runs[1]))
    path = write_compare_html(result, tmp_path / COMPARE_HTML, a, b)
    browser.get(path.resolve().as_uri())
    assert browser.run("return document.documentElement.dataset.js") == "ready"
    rendered = browser.run(
        """
        const chart = document.querySelector("svg.chart").getBoundingClientRect();
        return {
          chart: [chart.width, chart.height],
          rows: document.querySelectorAll("#article-table tbody tr").length,
          controls: !document.querySelector(".controls").hidden,
          count: document.getElementById("article-count").textContent,
        };
        """
    )
    assert rendered["chart"][0] > 300 and rendered["chart"][1] > 100
    assert rendered["rows"] == 30 and rendered["controls"] is True
    assert rendered["count"] == "30 of 30 articles shown"
    assert browser.console() == []
    shot = browser.screenshot(tmp_path / "compare.png")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    print(f"screenshot: {shot}")

    # Sort by B's score, descending (two clicks), then filter to one article.
    order = browser.run(
        """
        const button = document.querySelector("#article-table thead th:nth-child(4) button");
        button.click();
        button.click();
        return Array.from(document.querySelectorAll("#article-table tbody tr"),
                          (tr) => tr.cells[0].firstChild.textContent.trim());
        """
    )
    scores = {x.article_id: x.overall.mean for x in b.articles}
    assert [scores[i] for i in order] == sorted(scores.values(), reverse=True)
    shown = browser.run(
        """
        const search = document.getElementById("article-search");
        search.value = "art-00004";
        search.dispatchEvent(new Event("input"));
        const change = document.getElementById("article-change");
        const visible = () => Array.from(document.querySelectorAll("#article-table tbody tr"))
          .filter((tr) => !tr.hidden).length;
        const one = visible();
        search.value = "";
        change.value = "better";
        change.dispatchEvent(new Event("change"));
        return [one, visible(), document.getElementById("article-count").textContent];
        """
    )
    assert shown == [1, 0, "0 of 30 articles shown"]
    assert browser.console() == []


@needs_browser
def test_hostile_page_runs_nothing_injected(
    browser: Browser, hostile_html: str, tmp_path: Path
) -> None:
    path = tmp_path / COMPARE_HTML
    path.write_text(hostile_html, encoding="utf-8")
    browser.get(path.resolve().as_uri())
    found = browser.run(
        """
        return {
          scripts: document.scripts.length,
          foreign: document.querySelectorAll("img, iframe, textarea, object, embed").length,
          svgs: document.querySelectorAll("svg").length,
          ready: document.documentElement.dataset.js,
        };
        """
    )
    assert found == {"scripts": 2, "foreign": 0, "svgs": 1, "ready": "ready"}
    assert browser.console() == []
