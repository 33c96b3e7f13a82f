"""report.html: one self-contained page per run, rendered from report.json's Report.

The page must stay usable at 10,000 articles: the summary and the article table come first and
cost a few hundred bytes per article; the per-article details (closed <details> elements) get
what is left of the size budget. When every item will not fit, matched pairs are folded into a
count (every miss stays, with its reason); if even that will not fit, the details of the
best-scoring articles without problems are left out, and the page says so. report.json always
has everything.

The page is built in one pass over the articles (`ReportPage`): rows, counts, field names and
every article's detail section at the levels that could be needed, keeping sections only within
the size limit (so at most twice the limit in memory, whatever the number of articles). A run
feeds it each article as it is scored, so it never reads its articles back for the page; a
report loaded from report.json is fed the same way (a large one parses each article again as it
is read). An article is read a second time only when its section turns out to be needed at a
level the pass did not render.
"""

from __future__ import annotations

import datetime as dt
import gc
import heapq
import json
import os
import shlex
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from markupsafe import Markup

from harness.gcpause import collector_paused
from harness.report.html.assets import encodable, render_page
from harness.report.html.fragment import article_html
from harness.report.html.safejson import finite, script_json
from harness.report.html.svg import BarChart, Series, bar_chart
from harness.report.html.view import (
    DETAIL_LEVELS,
    ArticleRow,
    DetailLevel,
    article_row,
    field_means,
    status_rank,
)
from harness.report.models import ArticleResult, FieldResult, Report
from harness.scoring.models import LABELS, GroundingAggregate

REPORT_HTML_FILE = "report.html"
_TEMPLATE = "report.html.j2"
# The limit for a 10,000-article run, in bytes as written to disk.
MAX_BYTES = 25_000_000


@dataclass(frozen=True)
class _FieldRow:
    name: str
    aggregate: FieldResult
    grounding: GroundingAggregate | None


def _chart(field_rows: Sequence[_FieldRow]) -> BarChart:
    names = [f.name for f in field_rows]
    hard = Series(
        name="F1 (micro)",
        values=[finite(f.aggregate.micro.f1) for f in field_rows],
        # The bootstrap interval, where the report has one (enough articles), as a whisker.
        intervals=[
            (ci.low, ci.high) if (ci := f.aggregate.f1_ci) is not None else None for f in field_rows
        ],
    )
    soft = Series(
        name="soft F1 (micro)", values=[finite(f.aggregate.micro.soft_f1) for f in field_rows]
    )
    return bar_chart("F1 per field", names, [hard, soft])


def _parameters(parameters: dict[str, Any]) -> list[tuple[str, str]]:
    # Nested values (the mock options) print as compact JSON rather than Python reprs.
    def show(value: Any) -> str:
        if isinstance(value, str):
            return value
        return json.dumps(value, ensure_ascii=False, default=str)

    return [(key, show(value)) for key, value in parameters.items()]


def _sort_keys(rows: Sequence[ArticleRow], n_fields: int) -> Markup:
    # Article table columns: id, title, overall, one per field, spread, status. The numeric
    # ones sort by exact values from this block; the text ones by what the cell shows.
    numeric = list(range(n_fields + 2))
    columns = [None, None, *numeric, None]
    return script_json({"columns": columns, "rows": [r.sort_keys() for r in rows]})


def _duration(start: dt.datetime, end: dt.datetime) -> str:
    seconds = max(0.0, (end - start).total_seconds())
    minutes, sec = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02d}m {sec:02d}s" if hours else f"{minutes}m {sec:02d}s"


# Room for the notes a reduced page adds above the table.
_NOTES = 2_000
# Where the details go in a rendered page: they are spliced in as bytes, so that the page is
# never rendered with (or held as one string of) up to 25 MB of details. It cannot occur in
# data, which is escaped ("<" becomes "&lt;"), nor in the package's templates and assets.
_SLOT = "<!--evalsum:article-details-->"

# An article's place in the reading order: worst status first, then lowest overall score.
_Rank = tuple[int, float, int]


def _linking(rows: Sequence[ArticleRow], detailed: Iterable[int]) -> dict[str, Any]:
    """Which table rows and error entries link to a detail section (only those that exist)."""
    anchors: dict[str, str] = {}
    present: set[str] = set()
    for i in sorted(detailed):
        present.add(rows[i].anchor)
        anchors.setdefault(rows[i].article_id, rows[i].anchor)
    return {"detailed": present, "anchors": anchors}


def _rank(i: int, row: ArticleRow) -> _Rank:
    return (-status_rank(row.status), row.overall if row.overall is not None else -1.0, i)


def _priority(rows: Sequence[ArticleRow]) -> list[int]:
    """Article positions, most worth reading first: worst status, then lowest overall score."""
    return sorted(range(len(rows)), key=lambda i: _rank(i, rows[i]))


def _fragment(row: ArticleRow, article: ArticleResult, level: DetailLevel) -> bytes:
    """One article's detail section, as the UTF-8 bytes the page will hold.

    `_article.html.j2` is the section's reference: `fragment.article_html` renders it byte for
    byte the same, several times faster (tests/report_html/test_fragment.py checks), so the
    template itself is neither loaded nor run here.
    """
    # Escaped as the template's autoescape does: safe to place in the page as is.
    html = article_html(row, article, level)
    try:
        return html.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate from model output: rare, so no regex pass first
        return encodable(html).encode("utf-8")


class _LevelParts:
    """Articles' detail sections at one level: every size, and the sections themselves within
    `cap` bytes, which bounds memory however many articles the report has.

    A level other than the leanest is used for every article or not at all, so once its sizes
    pass the cap it is out and nothing of it is kept. The leanest level is used for as many
    articles as fit, in reading order; past the cap, the section of the article last in that
    order goes: every article before it, kept, already takes more than any page's budget.
    """

    def __init__(self, level: DetailLevel, cap: int, *, partial: bool) -> None:
        self.level = level
        self.cap = cap
        self.partial = partial
        self.sizes: dict[int, int] = {}
        self.total = 0
        self.held: dict[int, bytes] = {}
        self._held_bytes = 0
        self._last: list[tuple[_Rank, int]] = []  # held sections, by _Rank negated

    @property
    def possible(self) -> bool:
        return self.partial or self.total <= self.cap

    def likely(self, n: int) -> bool:
        """Whether all n articles would fit the cap, projected from the sizes so far (with a
        tenth of the cap to spare for the rest of the page: the table, the summary)."""
        return self.total * n * 10 <= self.cap * len(self.sizes) * 9

    def add(self, i: int, rank: _Rank, part: bytes) -> None:
        self.sizes[i] = len(part)
        self.total += len(part)
        if not self.possible:
            self.release()
            return
        self.held[i] = part
        self._held_bytes += len(part)
        if not self.partial:
            return
        status, overall, _ = rank
        heapq.heappush(self._last, ((-status, -overall, -i), i))
        while self._held_bytes > self.cap:
            _, last = heapq.heappop(self._last)
            self._held_bytes -= len(self.held.pop(last))

    def release(self) -> None:
        self.held.clear()
        self._last.clear()
        self._held_bytes = 0


def _details(
    articles: Sequence[ArticleResult],
    rows: Sequence[ArticleRow],
    levels: Sequence[_LevelParts],
    budget: int,
) -> tuple[dict[int, bytes], DetailLevel]:
    """Article detail sections (by position) at the richest level that fits `budget` bytes.

    When even the leanest level does not fit every article, the ones left out are the
    best-scoring articles without problems. An article the first pass did not render at a
    level now needed is read once more, and rendered then at every leaner level too, so that
    no article is read a third time.
    """

    def render(i: int, article: ArticleResult, parts: _LevelParts) -> None:
        parts.add(i, _rank(i, rows[i]), _fragment(rows[i], article, parts.level))

    leanest = levels[-1]
    for k, parts in enumerate(levels):
        for i in range(len(rows)):
            if not parts.possible:
                break
            if i not in parts.sizes:
                article = articles[i]
                for lean in levels[k:]:
                    if lean.possible and i not in lean.sizes:
                        render(i, article, lean)
        if parts is leanest:
            break
        # Every section or none (no articles: no section to leave out).
        if parts.possible and (not rows or parts.total <= budget):
            return parts.held, parts.level
        parts.release()

    # The leanest level, for as many articles as fit, in reading order.
    kept: dict[int, bytes] = {}
    size = 0
    for i in _priority(rows):
        size += leanest.sizes[i]
        if size > budget:
            break
        part = leanest.held.get(i)
        if part is None:
            # Let go only when ranks have no order (a NaN score), so that the sort's order was
            # not foreseen. Never for a report read back from report.json, which has no NaN.
            part = _fragment(rows[i], articles[i], leanest.level)
        kept[i] = part
    leanest.release()
    return kept, leanest.level


def _page(
    template_context: dict[str, Any],
    rows: Sequence[ArticleRow],
    detailed: Iterable[int],
    level: DetailLevel,
    omitted: int,
) -> tuple[str, str]:
    """The page around its details: the text before and after where they go."""
    page = render_page(
        _TEMPLATE,
        js=("base.js", "report.js"),
        **template_context,
        **_linking(rows, detailed),
        details=[Markup(_SLOT)],
        level=level,
        omitted=omitted,
    )
    head, slot, tail = page.partition(_SLOT)
    assert slot and _SLOT not in tail  # see _SLOT
    return head, tail


@contextmanager
def _collector_spared() -> Iterator[None]:
    """Keep the cyclic garbage collector off the process's existing objects for a while.

    Each article read back from report.json is thousands of short-lived objects; enough of
    them outlive a young collection to set off a full one every hundred articles or so, and a
    full collection walks every object in the process (in `evalsum run`: litellm, the corpus),
    up to a third of a second each. Frozen objects are skipped; they are thawed afterwards.
    A caller that froze objects of its own keeps them frozen: then this does nothing.
    """
    if not gc.isenabled() or gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


class ReportPage:
    """report.html, built as the articles come: `add` each article in report order, exactly
    once, then `write` (or render) the page once the report is finished.

    Each `add` renders the article's table row and its detail sections at the levels that
    could be needed (see `_LevelParts`), keeping sections only within `max_bytes`; nothing
    else of the article is kept, so memory does not grow with the articles beyond their rows.
    `write` needs the finished report for the summary, the field names and order, and, rarely,
    to read an article again (`report.articles[i]`) whose details turn out to be needed at a
    level that `add` did not render.

    Garbage collection: `add` pauses it for the article's own short-lived objects only (see
    `collector_paused`), so a run's objects are never frozen and age as they would; `write`
    spares the process's objects from full collections while it works (see
    `_collector_spared`), and so do `render_report_html` and `write_report_html` over their
    whole pass, which parses a large report's articles again.
    """

    def __init__(self, n_articles: int, metric: str, *, max_bytes: int = MAX_BYTES) -> None:
        self.n_articles = n_articles  # for projecting sizes: which levels to render in `add`
        self.metric = metric
        self.max_bytes = max_bytes
        leanest = len(DETAIL_LEVELS) - 1
        self._levels = [
            _LevelParts(lv, max_bytes, partial=k == leanest) for k, lv in enumerate(DETAIL_LEVELS)
        ]
        self._rows: list[ArticleRow] = []
        self._means: list[dict[str, float | None]] = []
        self._fields: dict[str, None] = {}  # ordered set: field names in order first met
        self._samples = 0
        self._problem_outputs = 0
        self._done = False

    def add(self, article: ArticleResult) -> None:
        """The next article in report order. Details are rendered at the richest level still
        possible, and at leaner ones too while the richer one, projected from the sizes so far,
        would not fit anyway: rendering a section now costs less than reading its article again
        later."""
        if self._done:
            raise RuntimeError("the page is already written")
        with collector_paused():
            self._add(article)

    def _add(self, article: ArticleResult) -> None:
        i = len(self._rows)
        row = article_row(i, article, (), self.metric)  # field means: once all are known
        self._rows.append(row)
        self._means.append(means := field_means(article, self.metric))
        for name in means:
            self._fields.setdefault(name)
        self._samples += len(article.samples)
        self._problem_outputs += sum(
            s.status == "ok" and s.output_status not in (None, "ok", "repaired")
            for s in article.samples
        )
        for parts in self._levels:
            if parts.possible:
                parts.add(i, _rank(i, row), _fragment(row, article, parts.level))
                if parts.likely(self.n_articles):
                    break

    def write(self, report: Report, path: Path) -> Path:
        """Write the page atomically (a reader never sees half a file); returns `path`.

        `report` is the finished report whose articles were added; its `articles` are read
        only for the second reads described above."""
        pieces = self._pieces(report)
        tmp = path.with_name(path.name + ".tmp")
        with tmp.open("wb") as out:
            out.writelines(pieces)
        os.replace(tmp, path)
        return path

    def _pieces(self, report: Report) -> list[bytes]:
        """The page as UTF-8 pieces to concatenate; the page can be made only once."""
        if self._done:
            raise RuntimeError("the page is already written")
        if len(report.articles) != len(self._rows):
            raise ValueError(
                f"the report has {len(report.articles)} articles; {len(self._rows)} were added"
            )
        if report.run.scoring.overall.metric != self.metric:
            raise ValueError("the report's metric is not the page's")
        self._done = True
        try:
            with _collector_spared():
                return self._render(report)
        finally:
            self._rows, self._means = [], []
            for parts in self._levels:
                parts.release()

    def _render(self, report: Report) -> list[bytes]:
        metric, max_bytes = self.metric, self.max_bytes
        # The report's fields first, then any other an article names (as the table shows them).
        fields = list({**dict.fromkeys(report.fields), **self._fields})
        rows = [
            replace(row, fields=tuple(means.get(f) for f in fields))
            for row, means in zip(self._rows, self._means, strict=True)
        ]
        field_rows = [
            _FieldRow(name, agg, report.grounding.get(name)) for name, agg in report.fields.items()
        ]
        context: dict[str, Any] = {
            "report": report,
            "metric": metric,
            "fields": fields,
            "rows": rows,
            "field_rows": field_rows,
            "chart": _chart(field_rows),
            "labels": LABELS,
            "samples": self._samples,
            "problem_outputs": self._problem_outputs,
            "statuses": sorted({r.status for r in rows}),
            "duration": _duration(report.run.started_at, report.run.finished_at),
            "command_line": shlex.join(report.run.command_line),
            "parameters": _parameters(report.run.parameters),
            "scoring_json": report.run.scoring.model_dump_json(indent=2),
            "keys_json": _sort_keys(rows, len(fields)),
            "max_mb": f"{max_bytes / 1e6:.3g}",
        }

        # First the page without details (but with every link it could have), to learn what
        # the summary and the table cost; the details get the rest of the budget.
        everything = range(len(rows))
        head, tail = _page(context, rows, everything, DETAIL_LEVELS[0], 0)
        frame = len(head.encode("utf-8")) + len(tail.encode("utf-8"))
        budget = max_bytes - frame - _NOTES
        parts, level = _details(report.articles, rows, self._levels, budget)
        if level != DETAIL_LEVELS[0] or len(parts) < len(rows):
            # A reduced page: its notes, and links only to the details it has.
            head, tail = _page(context, rows, parts, level, len(rows) - len(parts))
        return [head.encode("utf-8"), *(parts[i] for i in sorted(parts)), tail.encode("utf-8")]


def _fed(report: Report, max_bytes: int) -> ReportPage:
    """A page fed every article of `report` (call within `_collector_spared`)."""
    page = ReportPage(len(report.articles), report.run.scoring.overall.metric, max_bytes=max_bytes)
    for article in report.articles:
        page.add(article)
    return page


def render_report_html(report: Report, *, max_bytes: int = MAX_BYTES) -> str:
    """The report page as a string of HTML. Reads `report.articles` once (a second time, for
    some articles, only when their details are needed at a level not rendered at first).

    The details never take the page past `max_bytes` (as UTF-8); only the summary and the
    article table could, at some 300 bytes per article, i.e. beyond about 80,000 articles.
    """
    with _collector_spared():
        return b"".join(_fed(report, max_bytes)._pieces(report)).decode("utf-8")


def write_report_html(report: Report, path: Path, *, max_bytes: int = MAX_BYTES) -> Path:
    """Write the page atomically (a reader never sees half a file); returns `path`."""
    with _collector_spared():
        return _fed(report, max_bytes).write(report, path)


__all__ = [
    "MAX_BYTES",
    "REPORT_HTML_FILE",
    "ReportPage",
    "render_report_html",
    "write_report_html",
]
