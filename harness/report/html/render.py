"""report.html: one self-contained page per run, rendered from report.json's Report.

The page must stay usable at 10,000 articles: the summary and the article table come first and
cost a few hundred bytes per article; the per-article details (closed <details> elements) get
what is left of the size budget. When every item will not fit, matched pairs are folded into a
count (every miss stays, with its reason); if even that will not fit, the details of the
best-scoring articles without problems are left out, and the page says so. report.json always
has everything.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shlex
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup

from harness.report.html.assets import encodable, environment, render_page
from harness.report.html.safejson import finite, script_json
from harness.report.html.svg import BarChart, Series, bar_chart
from harness.report.html.view import (
    DETAIL_LEVELS,
    ArticleRow,
    DetailLevel,
    article_row,
    article_view,
    report_fields,
    status_rank,
)
from harness.report.models import FieldResult, Report
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


def _linking(rows: Sequence[ArticleRow], detailed: Iterable[int]) -> dict[str, Any]:
    """Which table rows and error entries link to a detail section (only those that exist)."""
    anchors: dict[str, str] = {}
    present: set[str] = set()
    for i in sorted(detailed):
        present.add(rows[i].anchor)
        anchors.setdefault(rows[i].article_id, rows[i].anchor)
    return {"detailed": present, "anchors": anchors}


def _priority(rows: Sequence[ArticleRow]) -> list[int]:
    """Article positions, most worth reading first: worst status, then lowest overall score."""
    return sorted(
        range(len(rows)),
        key=lambda i: (
            -status_rank(rows[i].status),
            rows[i].overall if rows[i].overall is not None else -1.0,
            i,
        ),
    )


def _details(
    report: Report, rows: Sequence[ArticleRow], budget: int
) -> tuple[dict[int, Markup], DetailLevel]:
    """Article detail sections (by position) at the richest level that fits `budget` bytes.

    Sections are rendered in priority order, so when even the leanest level does not fit every
    article, the ones left out are the best-scoring articles without problems.
    """
    template = environment().get_template("_article.html.j2")
    order = _priority(rows)
    parts: dict[int, Markup] = {}
    level: DetailLevel = DETAIL_LEVELS[0]
    for level in DETAIL_LEVELS:
        parts, size = {}, 0
        for i in order:
            view = article_view(rows[i], report.articles[i], level)
            # Markup: the fragment comes out of an autoescaping template, so it is already safe.
            part = Markup(encodable(template.render(v=view, level=level)))
            size += len(part.encode("utf-8"))
            if size > budget:
                break
            parts[i] = part
        else:
            return parts, level
    return parts, level  # the leanest level, for as many articles as fit


def render_report_html(report: Report, *, max_bytes: int = MAX_BYTES) -> str:
    """The report page as a string of HTML.

    The details never take the page past `max_bytes` (as UTF-8); only the summary and the
    article table could, at some 300 bytes per article, i.e. beyond about 80,000 articles.
    """
    metric = report.run.scoring.overall.metric
    fields = report_fields(report)
    rows = [article_row(i, a, fields, metric) for i, a in enumerate(report.articles)]
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
        "samples": sum(len(a.samples) for a in report.articles),
        "problem_outputs": sum(
            1
            for a in report.articles
            for s in a.samples
            if s.status == "ok" and s.output_status not in (None, "ok", "repaired")
        ),
        "statuses": sorted({r.status for r in rows}),
        "duration": _duration(report.run.started_at, report.run.finished_at),
        "command_line": shlex.join(report.run.command_line),
        "parameters": _parameters(report.run.parameters),
        "scoring_json": report.run.scoring.model_dump_json(indent=2),
        "keys_json": _sort_keys(rows, len(fields)),
        "max_mb": f"{max_bytes / 1e6:.3g}",
    }
    js = ("base.js", "report.js")

    # First the page without details (but with every link it could have), to learn what the
    # summary and the table cost; the details get the rest of the budget.
    frame = render_page(
        _TEMPLATE,
        js=js,
        **context,
        **_linking(rows, range(len(rows))),
        details=[],
        level="full",
        omitted=0,
    )
    budget = max_bytes - len(frame.encode("utf-8")) - _NOTES
    parts, level = _details(report, rows, budget)
    return render_page(
        _TEMPLATE,
        js=js,
        **context,
        **_linking(rows, parts),
        details=[parts[i] for i in sorted(parts)],
        level=level,
        omitted=len(rows) - len(parts),
    )


def write_report_html(report: Report, path: Path, *, max_bytes: int = MAX_BYTES) -> Path:
    """Write the page atomically (a reader never sees half a file); returns `path`."""
    html = render_report_html(report, max_bytes=max_bytes)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(html.encode("utf-8"))
    os.replace(tmp, path)
    return path


__all__ = ["MAX_BYTES", "REPORT_HTML_FILE", "render_report_html", "write_report_html"]
