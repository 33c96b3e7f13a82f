"""report.html in a real browser: headless Chromium loads it from a file:// URL.

The page must render with no console message at all (a script error, or a Content-Security-
Policy violation, would be one), its script must run, and the enhancements must work. Skipped
only where Chromium and its driver are not installed; CI installs both.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.report.html import write_report_html
from harness.report.models import Report
from tests.report_html.browser import Browser, missing_browser
from tests.report_html.factory import replicate

pytestmark = pytest.mark.skipif(missing_browser() is not None, reason=str(missing_browser()))

N_ARTICLES = 30


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    with Browser(tmp_path_factory.mktemp("chromium-profile")) as session:
        yield session


def _open(browser: Browser, report: Report, folder: Path, fragment: str = "") -> str:
    path = write_report_html(report, folder / "report.html")
    url = path.resolve().as_uri()
    browser.get(url + fragment)
    return url


def test_report_renders_without_console_messages(
    browser: Browser, report: Report, tmp_path: Path
) -> None:
    _open(browser, replicate(report, N_ARTICLES), tmp_path)
    assert browser.run("return document.documentElement.dataset.js") == "ready"
    assert browser.console() == []
    rendered = browser.run(
        """
        const chart = document.querySelector("svg.chart").getBoundingClientRect();
        return {
          chart: [chart.width, chart.height],
          rows: document.querySelectorAll("#article-table tbody tr").length,
          controls: !document.querySelector(".controls").hidden,
          headline: document.querySelector(".card b").textContent,
        };
        """
    )
    assert rendered["chart"][0] > 300 and rendered["chart"][1] > 100
    assert rendered["rows"] == N_ARTICLES
    assert rendered["controls"] is True
    assert rendered["headline"] == f"{report.overall.micro:.3f}"
    shot = browser.screenshot(tmp_path / "report.png")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    print(f"screenshot: {shot}")


def test_sorting_filtering_and_links_work(browser: Browser, report: Report, tmp_path: Path) -> None:
    big = replicate(report, N_ARTICLES)
    url = _open(browser, big, tmp_path)
    # Sort by overall, ascending: unknown scores would go last; here every article has one.
    order = browser.run(
        """
        document.querySelector("#article-table thead th:nth-child(3) button").click();
        return Array.from(document.querySelectorAll("#article-table tbody tr"),
                          (tr) => tr.cells[0].textContent);
        """
    )
    scores = {a.article_id: a.overall.mean for a in big.articles}
    assert [scores[i] for i in order] == sorted(scores[i] for i in order)

    shown = browser.run(
        """
        const search = document.getElementById("article-search");
        search.value = "art-00004";
        search.dispatchEvent(new Event("input"));
        return [
          Array.from(document.querySelectorAll("#article-table tbody tr"))
            .filter((tr) => !tr.hidden).length,
          document.getElementById("article-count").textContent,
        ];
        """
    )
    assert shown == [1, f"1 of {N_ARTICLES} articles shown"]

    # "Expand shown" opens only the filtered article; "hide matched items" hides match rows.
    state = browser.run(
        """
        document.querySelector("[data-open-all]").click();
        const toggle = document.getElementById("hide-matches");
        toggle.click();
        const match = document.querySelector("#a4 table.sbs tr.l-match");
        return {
          open: Array.from(document.querySelectorAll("details.art"), (d) => d.open)
            .filter(Boolean).length,
          matchShown: getComputedStyle(match).display !== "none",
        };
        """
    )
    assert state == {"open": 1, "matchShown": False}

    browser.get(url + "#a5")
    assert browser.run("return document.getElementById('a5').open") is True
    assert browser.console() == []


def test_hostile_report_runs_nothing_injected(
    browser: Browser, hostile: Report, tmp_path: Path
) -> None:
    # An injected alert() would leave a dialog open and make every later command fail.
    _open(browser, hostile, tmp_path)
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
