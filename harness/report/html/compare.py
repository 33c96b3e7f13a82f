"""compare.html: the page for `evalsum compare`, rendered from compare.json's CompareReport.

It shows what compare.json says (the two runs, warnings, per-field deltas with their intervals,
regressed articles) and recomputes nothing. Given the two Reports as well, it adds one table
row per article with each report's own per-article scores, so a 10,000-article comparison
stays a few megabytes: no item details here, those are in each run's report.html, which the
page links to when it sits next to the report it came from.
"""

from __future__ import annotations

import os
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup

from harness.report.compare import VERDICTS, CompareReport, RunRef
from harness.report.html.assets import num, render_page, when
from harness.report.html.render import REPORT_HTML_FILE
from harness.report.html.safejson import finite, script_json
from harness.report.html.svg import BarChart, Series, bar_chart
from harness.report.html.view import anchor, article_row
from harness.report.models import ArticleResult, Report

_TEMPLATE = "compare.html.j2"
_JS = ("base.js", "compare.js")
# Differences this small are rounding, as in compare.py.
_TIE = 1e-9
# Legend entries sit 150 px apart in the chart: longer model names would overlap.
_LEGEND_CHARS = 22
# Regressed-article lists this short are shown open; longer ones start closed.
_OPEN_LIST = 30


def signed(value: float | None, digits: int = 3) -> str:
    """A difference with its sign shown (a true minus sign, not a hyphen); no sign on zero."""
    if (value := finite(value)) is None:
        return "—"
    if round(value, digits) == 0:
        return f"{0:.{digits}f}"
    text = f"{value:+.{digits}f}"
    return "−" + text[1:] if text.startswith("-") else text


def _short(text: str, limit: int = _LEGEND_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class RunRow:
    """One line of the table of the two runs; `differs` marks a value that is not the same."""

    name: str
    a: str
    b: str
    differs: bool = False
    # Status class of the "differs" chip: a different gold invalidates the comparison.
    severity: str = "repaired"


@dataclass(frozen=True)
class ArticleDelta:
    """One line of the per-article table: each report's own scores for one article id."""

    anchor: str
    article_id: str
    title: str
    a: float | None
    b: float | None
    fields: tuple[float | None, ...]  # B minus A per field, the reports' metric
    regressed: tuple[str, ...]  # fields where compare.json lists this article as regressed
    change: str  # worse | better | same | only A | only B | unscored
    status_a: str | None  # the article's status in each report ("ok", "failed", ...)
    status_b: str | None
    href_a: str | None  # into each run's report.html, where the page has one
    href_b: str | None

    @property
    def delta(self) -> float | None:
        return None if self.a is None or self.b is None else self.b - self.a

    def sort_keys(self) -> list[float | None]:
        values = (self.a, self.b, self.delta, *self.fields)
        # Four decimals order the rows as well as seventeen do, at a third of the bytes.
        return [None if (v := finite(x)) is None else round(v, 4) for x in values]


def _change(a: float | None, b: float | None, in_a: bool, in_b: bool) -> str:
    if not in_b:
        return "only A"
    if not in_a:
        return "only B"
    if a is None or b is None:
        return "unscored"
    if b - a < -_TIE:
        return "worse"
    return "better" if b - a > _TIE else "same"


def _minus(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else b - a


def article_deltas(
    result: CompareReport,
    report_a: Report,
    report_b: Report,
    links: tuple[str | None, str | None] = (None, None),
) -> list[ArticleDelta]:
    """Every article of either report, the largest drop in overall score first.

    Scores are each report's per-article overall and per-field values (means over samples of
    the report's metric), as report.html shows them; compare.json's regressed lists (pooled
    hard F1 per article) are attached as they are.
    """
    fields = [f.field for f in result.fields]
    regressed: dict[str, list[str]] = {}
    for f in result.fields:
        for article_id in f.regressed_articles:
            regressed.setdefault(article_id, []).append(f.field)

    def index(report: Report) -> dict[str, tuple[int, ArticleResult]]:
        out: dict[str, tuple[int, ArticleResult]] = {}
        for i, article in enumerate(report.articles):
            out.setdefault(article.article_id, (i, article))
        return out

    side_a, side_b = index(report_a), index(report_b)
    metric_a = report_a.run.scoring.overall.metric
    metric_b = report_b.run.scoring.overall.metric
    ids = list(side_a) + [i for i in side_b if i not in side_a]
    rows = []
    for position, article_id in enumerate(ids):
        in_a, in_b = side_a.get(article_id), side_b.get(article_id)
        row_a = article_row(in_a[0], in_a[1], fields, metric_a) if in_a else None
        row_b = article_row(in_b[0], in_b[1], fields, metric_b) if in_b else None
        a = row_a.overall if row_a else None
        b = row_b.overall if row_b else None
        first = in_a or in_b
        title = first[1].title if first else ""
        rows.append(
            ArticleDelta(
                anchor=f"r{position}",
                article_id=article_id,
                title=title,
                a=a,
                b=b,
                fields=tuple(
                    _minus(row_a.fields[j] if row_a else None, row_b.fields[j] if row_b else None)
                    for j in range(len(fields))
                ),
                regressed=tuple(regressed.get(article_id, ())),
                change=_change(a, b, in_a is not None, in_b is not None),
                status_a=row_a.status if row_a else None,
                status_b=row_b.status if row_b else None,
                href_a=f"{links[0]}#{anchor(in_a[0])}" if links[0] and in_a else None,
                href_b=f"{links[1]}#{anchor(in_b[0])}" if links[1] and in_b else None,
            )
        )
    # Worst first, so the page reads usefully with JavaScript off; rows without a delta last.
    rows.sort(key=lambda r: (r.delta is None, r.delta if r.delta is not None else 0.0))
    return rows


def _chart(result: CompareReport) -> BarChart:
    names = [f.field for f in result.fields] + ["overall"]
    a = Series(
        name=_short(f"A: {result.a.model}"),
        values=[finite(f.a.f1) for f in result.fields] + [finite(result.overall.a)],
    )
    b = Series(
        name=_short(f"B: {result.b.model}"),
        values=[finite(f.b.f1) for f in result.fields] + [finite(result.overall.b)],
    )
    return bar_chart("Micro F1 per field, A and B", names, [a, b])


def _runs(result: CompareReport, report_a: Report | None, report_b: Report | None) -> list[RunRow]:
    a, b = result.a, result.b

    def row(name: str, x: str, y: str, severity: str = "repaired") -> RunRow:
        return RunRow(name, x, y, differs=x != y, severity=severity)

    rows = [
        RunRow("report", a.path, b.path),
        RunRow("run id", a.run_id, b.run_id),
        RunRow("model", a.model, b.model),
        row("prompt", a.prompt, b.prompt),
        row("prompt sha256", a.prompt_sha256, b.prompt_sha256),
        row("gold sha256", a.gold_sha256, b.gold_sha256, severity="failed"),
        RunRow("overall (the report's own)", num(a.overall), num(b.overall)),
    ]
    if report_a is not None and report_b is not None:
        ra, rb = report_a.run, report_b.run
        rows += [
            row("gold", ra.gold.path, rb.gold.path),
            row(
                "scoring",
                f"config {ra.scoring_config_id} · {ra.scoring.overall.metric}",
                f"config {rb.scoring_config_id} · {rb.scoring.overall.metric}",
                severity="failed",
            ),
            RunRow("articles", f"{len(report_a.articles):,}", f"{len(report_b.articles):,}"),
            RunRow("status", ra.status, rb.status),
            RunRow("finished", when(ra.finished_at), when(rb.finished_at)),
        ]
    return rows


def _sort_keys(rows: Sequence[ArticleDelta], n_fields: int) -> Markup:
    # Columns: article, title, A, B, delta, one per field, status. The numeric ones sort by
    # exact values from this block; the text ones by what the cell shows.
    numeric = list(range(n_fields + 3))
    return script_json(
        {"columns": [None, None, *numeric, None], "rows": [r.sort_keys() for r in rows]}
    )


def report_link(ref: RunRef, page: Path) -> str | None:
    """A relative link from `page` to the report.html beside the run's report, if there is one.

    The path is the user's; percent-encoding it (":" included) and starting it with "./" or
    "../" keeps it a relative path whatever it holds, never a URL with a scheme.
    """
    source = Path(ref.path)
    folder = source if source.is_dir() else source.parent
    target = folder / REPORT_HTML_FILE
    if not target.is_file():
        return None
    try:
        relative = os.path.relpath(target.resolve(), page.parent.resolve())
    except ValueError:  # another drive, on Windows
        return None
    href = urllib.parse.quote(Path(relative).as_posix(), safe="/")
    return href if href.startswith("../") else "./" + href


def _relative(href: str | None) -> str | None:
    return href if href is not None and href.startswith(("./", "../")) else None


def render_compare_html(
    result: CompareReport,
    report_a: Report | None = None,
    report_b: Report | None = None,
    *,
    report_links: tuple[str | None, str | None] = (None, None),
) -> str:
    """The comparison page as a string of HTML.

    `report_links` are hrefs (relative to the page) of each run's report.html; the per-article
    table links into them. Build them with `report_link`, which keeps them relative.
    """
    # Only relative paths, as report_link makes them: whatever else a caller passes is dropped,
    # so no href on this page can carry a scheme (javascript:, data:, http:).
    report_links = (_relative(report_links[0]), _relative(report_links[1]))
    fields = [f.field for f in result.fields]
    rows = (
        article_deltas(result, report_a, report_b, report_links)
        if report_a is not None and report_b is not None
        else []
    )
    anchors = {r.article_id: r.anchor for r in rows}
    unpaired = result.unpaired.get("only_a", []), result.unpaired.get("only_b", [])
    context: dict[str, Any] = {
        "result": result,
        "runs": _runs(result, report_a, report_b),
        "links": report_links,
        "chart": _chart(result),
        "fields": fields,
        "rows": rows,
        "anchors": anchors,
        "unpaired": unpaired,
        "gated": [f for f in result.fields if f.regression],
        "verdicts": VERDICTS,
        "changes": {c: sum(r.change == c for r in rows) for c in ("worse", "better", "same")},
        "keys_json": _sort_keys(rows, len(fields)),
        "signed": signed,
        "open_list": _OPEN_LIST,
    }
    return render_page(_TEMPLATE, js=_JS, **context)


def write_compare_html(
    result: CompareReport,
    path: Path,
    report_a: Report | None = None,
    report_b: Report | None = None,
) -> Path:
    """Write the page atomically (a reader never sees half a file); returns `path`.

    The runs' report.html pages are linked when they exist beside their reports.
    """
    links = (report_link(result.a, path), report_link(result.b, path))
    html = render_compare_html(result, report_a, report_b, report_links=links)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(html.encode("utf-8"))
    os.replace(tmp, path)
    return path


__all__ = [
    "ArticleDelta",
    "article_deltas",
    "render_compare_html",
    "report_link",
    "signed",
    "write_compare_html",
]
