"""report.html built as a run scores its articles (`ReportPage`), never read back for the page.

A run's page must be byte for byte the page of its report.json as `evalsum report`-style
rendering makes it, whether the run kept its articles in memory or not, and the run must not
parse its articles from report.json again to make it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.gold import load_corpus
from harness.providers.base import MockOptions
from harness.report.build import REPORT_FILE, StoredArticles, write_report
from harness.report.html import MAX_BYTES, REPORT_HTML_FILE, render_report_html
from harness.report.html import render as render_module
from harness.report.html.render import ReportPage
from harness.report.load import load_report
from harness.report.models import ArticleResult, Report
from harness.run import RunConfig, start_run
from harness.run.rundir import read_spec
from tests.conftest import GOLD, REPO
from tests.report_html.factory import sample_report
from tests.report_html.test_single_pass import _counted, _details, _mixed


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


class _Reads:
    """Counts StoredArticles reads (by iteration or by index) while installed."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.iterated = 0
        self.indexed = 0
        iterate, index = StoredArticles.__iter__, StoredArticles.__getitem__

        def spy_iter(articles: StoredArticles) -> Iterator[ArticleResult]:
            self.iterated += 1
            return iterate(articles)

        def spy_getitem(articles: StoredArticles, i):  # type: ignore[no-untyped-def]
            self.indexed += 1
            return index(articles, i)

        monkeypatch.setattr(StoredArticles, "__iter__", spy_iter)
        monkeypatch.setattr(StoredArticles, "__getitem__", spy_getitem)


def _run(tmp_path: Path) -> Path:
    config = RunConfig(
        model="mock/noisy",
        out=tmp_path / "reports",
        samples=2,
        retries=0,
        cache=False,
        # Failed calls and unusable answers too: every kind of detail section.
        mock=MockOptions(error_rate=0.3, malformed_rate=0.3),
    )
    return start_run(config).folder


@pytest.mark.usefixtures("in_repo")
@pytest.mark.parametrize("kept", [True, False], ids=["kept-in-memory", "read-back"])
def test_a_runs_page_is_its_report_jsons_page_and_reads_no_article_back(
    tmp_path: Path, kept: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not kept:
        monkeypatch.setattr("harness.report.build.IN_MEMORY_SAMPLES", 0)
    reads = _Reads(monkeypatch)
    folder = _run(tmp_path)
    written = (folder / REPORT_HTML_FILE).read_bytes()
    assert written == render_report_html(load_report(folder / REPORT_FILE)).encode()
    assert not list(folder.glob("*.tmp"))

    # The report's writer alone (as `evalsum report` rebuilds it): the page fits, so finish
    # reads no article back from report.json, and writes the same page again.
    reads.iterated = reads.indexed = 0
    spec = read_spec(folder)
    corpus = load_corpus(GOLD, spec.article_ids)
    finished = load_report(folder / REPORT_FILE).run.finished_at
    report = write_report(folder, spec, corpus, finished_at=finished)
    assert isinstance(report.articles, StoredArticles) is not kept
    assert (reads.iterated, reads.indexed) == (0, 0)
    assert (folder / REPORT_HTML_FILE).read_bytes() == written


def _fed(report: Report, max_bytes: int) -> ReportPage:
    page = ReportPage(len(report.articles), report.run.scoring.overall.metric, max_bytes=max_bytes)
    for article in report.articles:
        page.add(article)
    return page


@pytest.mark.parametrize("fraction", [1.01, 0.7, 0.25, 0.06, 0.0])
def test_a_page_fed_as_a_run_goes_reads_only_the_articles_it_must_render_again(
    tmp_path: Path, fraction: float
) -> None:
    report = _mixed(60)
    max_bytes = int(len(render_report_html(report, max_bytes=10**12).encode()) * fraction)
    page = _fed(report, max_bytes)
    # Only write() sees the report; its articles are read again only for sections needed at
    # a level the page did not render as they came.
    counted, articles = _counted(report)
    path = page.write(counted, tmp_path / REPORT_HTML_FILE)
    html = path.read_text(encoding="utf-8")
    assert html == render_report_html(report, max_bytes=max_bytes)
    assert articles.iterations == 0
    assert set(articles.reads.values()) <= {1}
    if fraction > 1:
        assert not articles.reads and _details(html) == list(range(60))
    assert not list(tmp_path.glob("*.tmp"))


def test_field_names_come_from_the_report_first_then_from_the_articles() -> None:
    report = sample_report()
    names = list(report.fields)
    assert len(names) > 2
    # The report names some fields, in an order of its own; the articles name one more.
    fields = {name: report.fields[name] for name in reversed(names[1:])}
    odd = report.model_copy(update={"fields": fields})
    header = [*reversed(names[1:]), names[0]]

    def table_header(html: str) -> list[str]:
        # The article table's header: id, title, overall, the fields, spread, status.
        start = html.index("<th>Article</th><th>Title</th><th>Overall</th>")
        row = html[start : html.index("</tr>", start)]
        return row.removeprefix("<th>").removesuffix("</th>").split("</th><th>")[3:-2]

    assert table_header(render_report_html(odd)) == header
    page = _fed(odd, 10**9)
    assert table_header(b"".join(page._pieces(odd)).decode()) == header


def test_the_collector_is_paused_per_article_and_spared_only_in_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing is frozen while a run's articles come (the run's objects age as they would);
    collection pauses only while one article is rendered, and resumes after."""
    report = _mixed(12)
    seen: dict[str, list[tuple[bool, int]]] = {"add": [], "write": []}
    fragment, details = render_module._fragment, render_module._details
    phase = "add"

    def spy_fragment(*args, **kwargs):  # type: ignore[no-untyped-def]
        seen[phase].append((gc.isenabled(), gc.get_freeze_count()))
        return fragment(*args, **kwargs)

    def spy_details(*args, **kwargs):  # type: ignore[no-untyped-def]
        seen["write"].append((gc.isenabled(), gc.get_freeze_count()))
        return details(*args, **kwargs)

    monkeypatch.setattr(render_module, "_fragment", spy_fragment)
    monkeypatch.setattr(render_module, "_details", spy_details)
    assert gc.isenabled() and gc.get_freeze_count() == 0
    page = ReportPage(len(report.articles), report.run.scoring.overall.metric)
    for article in report.articles:
        page.add(article)
        assert gc.isenabled() and gc.get_freeze_count() == 0
    assert seen["add"] and set(seen["add"]) == {(False, 0)}
    phase = "write"
    page.write(report, tmp_path / REPORT_HTML_FILE)
    assert seen["write"] and all(enabled and frozen for enabled, frozen in seen["write"])
    assert gc.isenabled() and gc.get_freeze_count() == 0

    # A caller's own choice stands: with collection off, the page leaves it off.
    gc.disable()
    try:
        _fed(report, MAX_BYTES).write(report, tmp_path / REPORT_HTML_FILE)
        assert not gc.isenabled() and gc.get_freeze_count() == 0
    finally:
        gc.enable()


def test_a_page_is_made_once_from_the_articles_it_was_fed(tmp_path: Path) -> None:
    report = sample_report()
    page = _fed(report, 10**9)
    fewer = report.model_copy(update={"articles": report.articles[:1]})
    with pytest.raises(ValueError, match="articles"):
        page.write(fewer, tmp_path / REPORT_HTML_FILE)
    page = _fed(report, 10**9)
    page.write(report, tmp_path / REPORT_HTML_FILE)
    with pytest.raises(RuntimeError):
        page.add(report.articles[0])
    with pytest.raises(RuntimeError):
        page.write(report, tmp_path / REPORT_HTML_FILE)
