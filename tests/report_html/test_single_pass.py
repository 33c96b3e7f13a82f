"""report.html reads each article once (twice at most) and keeps the page's choices.

A large run's articles are read back from report.json, parsed and validated on every read, so
the renderer must not walk them once per piece of the page. Whatever order it renders in, the
page must show what the plain rule gives: the richest detail level whose sections all fit the
budget, else the leanest level for the articles most worth reading (problems first, then the
lowest scores), as many as fit in that order.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator, Sequence
from functools import cache
from typing import overload

import pytest

from harness.gold import load_corpus
from harness.report.html import render_report_html
from harness.report.html.assets import encodable, environment
from harness.report.html.view import DETAIL_LEVELS, article_row, article_view, status_rank
from harness.report.models import ArticleResult, Report
from tests.conftest import GOLD
from tests.report_html.factory import corpus_report, replicate, sample_report
from tests.report_html.page import parse

_NOTES = 2_000  # render.py's room for the notes of a reduced page


class CountingArticles(Sequence[ArticleResult]):
    """A report's articles that count every time one is handed out, by iteration or index."""

    def __init__(self, articles: Sequence[ArticleResult]) -> None:
        self._articles = list(articles)
        self.iterations = 0
        self.reads: Counter[int] = Counter()

    def __len__(self) -> int:
        return len(self._articles)

    @overload
    def __getitem__(self, index: int) -> ArticleResult: ...
    @overload
    def __getitem__(self, index: slice) -> list[ArticleResult]: ...
    def __getitem__(self, index: int | slice) -> ArticleResult | list[ArticleResult]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        self.reads[range(len(self))[index]] += 1
        return self._articles[index]

    def __iter__(self) -> Iterator[ArticleResult]:
        self.iterations += 1
        for i, article in enumerate(self._articles):
            self.reads[i] += 1
            yield article


def _counted(report: Report) -> tuple[Report, CountingArticles]:
    articles = CountingArticles(report.articles)
    # As build.py hands out a large run's report: articles that are not a list.
    return Report.model_construct(**{**dict(report), "articles": articles}), articles


def _details(html: str) -> list[int]:
    page = parse(html)
    return [int((e.get("id") or "")[1:]) for e in page.all("details") if e.get("class") == "art"]


def _sizes(report: Report, level: str) -> list[int]:
    """Every article's detail section at `level`, in bytes, as the page holds it."""
    template = environment().get_template("_article.html.j2")
    metric = report.run.scoring.overall.metric
    return [
        len(encodable(template.render(v=article_view(row, a, level), level=level)).encode())  # type: ignore[arg-type]
        for row, a in ((article_row(i, a, (), metric), a) for i, a in enumerate(report.articles))
    ]


def _expected(report: Report, budget: int) -> tuple[str, list[int]]:
    """The plain rule, one level at a time: (level, articles with details, by position)."""
    metric = report.run.scoring.overall.metric
    rows = [article_row(i, a, (), metric) for i, a in enumerate(report.articles)]
    order = sorted(
        range(len(rows)),
        key=lambda i: (
            -status_rank(rows[i].status),
            rows[i].overall if rows[i].overall is not None else -1.0,
            i,
        ),
    )
    kept: list[int] = []
    for level in DETAIL_LEVELS:
        sizes, kept, total = _sizes(report, level), [], 0
        for i in order:
            total += sizes[i]
            if total > budget:
                break
            kept.append(i)
        else:
            return level, sorted(kept)
    return DETAIL_LEVELS[-1], sorted(kept)


@cache
def _mixed(n: int, *, nan: bool = False) -> Report:
    """n articles of varied size and status: a failed call and an unusable answer, then long
    gold articles answered twice (with spread); with `nan`, now and then an overall score that is
    NaN, which leaves the order of the articles to the sort's own steps (pydantic writes NaN
    to report.json as null, so only a report still in memory can have one)."""
    gold = corpus_report(load_corpus(GOLD).articles, samples=2).articles
    support = sample_report()
    # Short articles first: sizes projected from the first ones mislead, as they can in a run.
    pool = [*support.articles, *gold]
    articles = []
    for i in range(n):
        article = pool[i * len(pool) // n]
        update: dict[str, object] = {"article_id": f"art-{i:04d}"}
        if nan and i % 11 == 5:
            update["overall"] = article.overall.model_copy(update={"mean": math.nan})
        articles.append(article.model_copy(update=update))
    return support.model_copy(update={"articles": articles})


def test_a_page_that_fits_reads_each_article_once() -> None:
    report = replicate(sample_report(), 30)
    counted, articles = _counted(report)
    html = render_report_html(counted)
    assert articles.iterations == 1
    assert set(articles.reads.values()) == {1}
    assert html == render_report_html(report)
    assert _details(html) == list(range(30))


# Fractions of the whole page's size: everything fits; just short of it (the richest sections,
# all held, turn out not to fit); then tighter and tighter, until the leanest sections no
# longer fit all, and then none at all.
_FRACTIONS = (1.01, 1.0, 0.7, 0.4, 0.25, 0.12, 0.06, 0.0)


@pytest.mark.slow
@pytest.mark.parametrize("nan", [False, True])
def test_reduced_pages_read_each_article_at_most_twice_and_choose_as_before(nan: bool) -> None:
    report = _mixed(90, nan=nan)
    whole = len(render_report_html(report, max_bytes=10**12).encode())
    frame = whole - sum(_sizes(report, DETAIL_LEVELS[0]))
    most = 0
    for fraction in _FRACTIONS:
        max_bytes = int(whole * fraction)
        counted, articles = _counted(report)
        html = render_report_html(counted, max_bytes=max_bytes)
        assert articles.iterations == 1, fraction
        most = max(most, *articles.reads.values())
        if not nan:  # (with NaN, the order is unknown until sorted: sections let go are read again)
            assert most <= 2, fraction

        level, kept = _expected(report, max_bytes - frame - _NOTES)
        assert _details(html) == kept, fraction
        assert ("Large report" in html) == (level != DETAIL_LEVELS[0]), fraction
        assert ("Size limit" in html) == (len(kept) < len(report.articles)), fraction
        if kept:
            assert len(html.encode()) <= max_bytes, fraction
    assert most >= 2  # some budgets did need the second read


@pytest.mark.parametrize("fraction", [1.0, 0.5, 0.1])
def test_counting_does_not_change_the_page(fraction: float) -> None:
    report = _mixed(40, nan=True)
    max_bytes = int(len(render_report_html(report).encode()) * fraction)
    counted, _ = _counted(report)
    assert render_report_html(counted, max_bytes=max_bytes) == render_report_html(
        report, max_bytes=max_bytes
    )
