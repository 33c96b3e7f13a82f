"""One article's detail section of report.html, rendered in plain Python.

This is `templates/_article.html.j2` (with the `status` macro of `_macros.html.j2` and the
filters of `assets.py`) over `view.article_view(...)`, written out by hand: the page renders
one section per article, at up to every detail level, and the template spent most of its time
in Jinja's machinery (a generator step, an attribute lookup and an escape call per value).
The output is byte for byte the template's, which stays as the readable reference:
tests/report_html/test_fragment.py renders both over real and hostile reports at every level.

Escaping is the template's autoescape exactly: every string that can come from the model, the
gold, the run or a hand-edited report.json is escaped as `markupsafe.escape` escapes a str
(its C routine itself, minus the Markup wrapper, which was a third of the time); numbers go
through the same filters (`num`, `secs`, `usd`, `thousands`) and ints through `str`, as
Jinja prints them. Only values the report's models type as str are passed to `escape`.
A change to the template must be made here too (the test will say so).
"""

from __future__ import annotations

from operator import attrgetter

from harness.report.html.assets import num, secs, thousands, usd
from harness.report.html.view import (
    _RAW_WORTHY,
    RAW_LIMIT,
    ArticleRow,
    DetailLevel,
    sample_status,
)
from harness.report.models import ArticleResult, SampleResult
from harness.scoring.models import (
    LABELS,
    FieldGrounding,
    FieldScore,
    GroundingCheck,
    ItemExplanation,
    ItemGrounding,
)


def _escape_py(s: str, /) -> str:
    """`markupsafe.escape` of a str, as a plain str (markupsafe's pure-Python routine)."""
    return (
        s.replace("&", "&amp;")
        .replace(">", "&gt;")
        .replace("<", "&lt;")
        .replace("'", "&#39;")
        .replace('"', "&#34;")
    )


try:  # markupsafe's own C routine for a str, without the Markup wrapper
    from markupsafe._speedups import _escape_inner as escape
except ImportError:  # pragma: no cover - markupsafe without its C speedups, or before 3.0
    escape = _escape_py


_HEAD = (
    '<table class="sbs">\n<thead><tr><th>Gold</th><th>Prediction</th><th>Label</th>'
    "<th>Sim.</th><th>Reason</th></tr></thead>\n"
)


def _label_html(label: str) -> str:
    return f'<b class="lb l-{escape(label)}">{escape(label.replace("_", " "))}</b>'


# The label badges of the known labels, made once (any other string is escaped as it comes).
_LABEL_HTML = {label: _label_html(label) for label in LABELS}


def _status(name: str, note: str = "") -> str:
    """The `status` macro of _macros.html.j2 (with no `text`)."""
    tail = f" {escape(note)}" if note else ""
    return f'<b class="lb s-{escape(name.replace(" ", "-"))}">{escape(name)}{tail}</b>'


def _labels(g: ItemExplanation | None, p: ItemExplanation | None) -> str:
    """A row's label badges: each distinct label of its sides, gold's first."""
    known = _LABEL_HTML
    labels = [e.label for e in (g, p) if e is not None]
    if len(labels) == 2 and labels[0] == labels[1]:
        del labels[1]
    return "".join(known[x] if x in known else _label_html(x) for x in labels)


def _row(g: ItemExplanation | None, p: ItemExplanation | None, flagged: bool) -> str:
    """One line of the side-by-side table (`view.Row` as the template shows it)."""
    main = g if g is not None else p
    assert main is not None  # a row always holds at least one side
    if g is None or p is None or g.label == p.label:
        badge = _LABEL_HTML.get(main.label) or _label_html(main.label)
    else:
        badge = _labels(g, p)
    sim = main.similarity
    sim_text = "—" if sim is None else f"{sim:.2f}"  # num(sim, 2)
    if g is not None and p is not None:
        gr, pr = g.reason, p.reason
        text = '<span class="same">same</span>' if p.text == g.text else escape(p.text)
        flag = ' <b class="lb flag">ungrounded</b>' if flagged else ""
        return (
            f'<tr class="l-{escape(g.label)}"><td><i>{g.index}</i>{escape(g.text)}</td>'
            f"<td><i>{p.index}</i>{text}{flag}</td><td>{badge}</td><td>{sim_text}</td>"
            f"<td>{escape(gr if gr == pr else f'{gr}; {pr}')}</td></tr>\n"
        )
    note = ""
    if main.partner is not None:
        other = "pred" if main.side == "gold" else "gold"
        note = f' <span class="muted">(compared with {other} #{main.partner})</span>'
    if g is not None:
        cells = f"<td><i>{g.index}</i>{escape(g.text)}</td><td></td>"
    else:
        flag = ' <b class="lb flag">ungrounded</b>' if flagged else ""
        cells = f"<td></td><td><i>{main.index}</i>{escape(main.text)}{flag}</td>"
    return (
        f'<tr class="l-{escape(main.label)}">{cells}<td>{badge}</td><td>{sim_text}</td>'
        f"<td>{escape(main.reason)}{note}</td></tr>\n"
    )


_by_index = attrgetter("index")


def _field_rows(score: FieldScore, ungrounded: set[int], full: bool) -> tuple[list[str], int]:
    """A field's side-by-side lines (`view.side_by_side`: gold items in order, each beside the
    prediction it was paired with, then lone predictions) and, below "full", how many matched
    pairs were folded away (`view.field_view`)."""
    explanations = score.explanations
    gold = sorted([e for e in explanations if e.side == "gold"], key=_by_index)
    preds = {e.index: e for e in explanations if e.side == "pred"}
    lines: list[str] = []
    used: set[int] = set()
    hidden = 0
    for g in gold:
        partner = g.partner
        p = preds.get(partner) if partner is not None else None
        # Pair only when both sides agree, so no predicted item is shown twice.
        if p is not None and p.partner == g.index and p.index not in used:
            used.add(p.index)
            flagged = p.index in ungrounded
            if not full and not flagged and g.label == "match" and p.label == "match":
                hidden += 1
            else:
                lines.append(_row(g, p, flagged))
        elif not full and g.label == "match":
            hidden += 1
        else:
            lines.append(_row(g, None, False))
    for index in sorted(preds.keys() - used):
        p = preds[index]
        flagged = index in ungrounded
        if not full and not flagged and p.label == "match":
            hidden += 1
        else:
            lines.append(_row(None, p, flagged))
    return lines, hidden


def _field_table(
    out: list[str], name: str, sc: FieldScore, lines: list[str], hidden: int, full: bool
) -> None:
    """One field's <tbody> in the side-by-side table."""
    extra = ""
    if full and sc.extra:
        extra = "".join(
            f" · {escape(key.replace('_', ' '))} {num(ratio.value)}"
            for key, ratio in sc.extra.items()
        )
    out.append(
        f'<tbody><tr class="fh"><th colspan="5">{escape(name)} <span>· F1 {num(sc.f1)}'
        f" (P {num(sc.precision)}, R {num(sc.recall)}) · soft F1 {num(sc.soft_f1)}"
        f" · gold {sc.n_gold} · pred {sc.n_pred}{extra}</span></th></tr>\n"
    )
    out.extend(lines)
    if hidden:
        out.append(f'<tr class="fn"><td colspan="5">{hidden} matched pair(s) not listed</td></tr>')
    out.append("</tbody>\n")


_Checked = tuple[list[ItemGrounding], list[tuple[int, GroundingCheck]]]
_NONE_CHECKED: _Checked = ([], [])


def _checked(grounding: FieldGrounding | None, full: bool) -> _Checked:
    """A field's ungrounded predicted items, and its quote checks with their items' indexes
    (all of them, or below "full" only those not found), as `view.field_view` has them."""
    if grounding is None or not grounding.items:
        return _NONE_CHECKED
    items = grounding.items
    ungrounded = [i for i in items if not i.grounded]
    if full:
        quotes = [(i.index, c) for i in items for c in i.checks if c.kind == "quote"]
    else:
        quotes = [(i.index, c) for i in items for c in i.checks if not c.ok and c.kind == "quote"]
    return ungrounded, quotes


def _grounding(out: list[str], name: str, checked: _Checked) -> None:
    """A field's ungrounded predicted items and quote checks, when it has any."""
    ungrounded, quotes = checked
    if ungrounded:
        out.append(f'<p class="note">{escape(name)}: ungrounded predicted items</p>\n')
        out.append('<ul class="compact">')
        for item in ungrounded:
            misses = "; ".join(
                f"{escape(c.kind.replace('_', ' '))} “{escape(c.target)}” not found"
                f" (best {num(c.score, 2)})"
                for c in item.checks
                if not c.ok
            )
            out.append(f"<li><i>#{item.index}</i> {escape(item.text)}: {misses}</li>")
        out.append("</ul>\n")
    if quotes:
        out.append(f'<p class="note">{escape(name)}: quotes checked against the article</p>\n')
        out.append('<ul class="compact">')
        for index, c in quotes:
            target = c.target
            if c.ok:
                spans = "".join(f" at {a}–{b}" for a, b in c.spans)
                matched = c.matched
                seen = f" as “{escape(matched)}”" if matched and matched != target else ""
                result = f"found{spans}{seen} ({num(c.score, 2)})"
            else:
                result = f'<b class="lb flag">not found</b> (best {num(c.score, 2)})'
            out.append(f"<li><i>#{index}</i> “{escape(target)}” {result}</li>")
        out.append("</ul>\n")


def _sample(out: list[str], r: SampleResult, full: bool) -> None:
    status = sample_status(r)
    score = r.score
    usage = r.usage
    out.append(
        f'<section class="sample">\n<h4>Sample {r.sample} {_status(status)}'
        f' <span class="muted">overall {num(score.overall)}</span></h4>\n'
    )
    note = [f'<p class="note">call {escape(r.status)}']
    if r.output_status:
        note.append(f" · output {escape(r.output_status)}")
    if r.finish_reason:
        note.append(f" · finish {escape(r.finish_reason)}")
    note.append(
        f" · tokens {num(usage.prompt_tokens, 0)} + {num(usage.completion_tokens, 0)}"
        f" · latency {secs(usage.latency_s)} · cost {escape(usd(usage.cost_usd))}"
    )
    if r.cached:
        note.append(" · cached")
    if r.retries:
        note.append(f" · {r.retries} retries")
    note.append("</p>\n")
    out.append("".join(note))
    error = r.error
    if error:
        code = f" (HTTP {error.status_code})" if error.status_code is not None else ""
        out.append(
            f'<p class="err">Error {escape(error.kind)}{code}:'
            f" <code>{escape(error.message)}</code></p>\n"
        )
    if r.parse_errors:
        items = "".join(f"<li>{escape(e)}</li>" for e in r.parse_errors)
        out.append(f'<ul class="compact err">{items}</ul>\n')
    if r.parse_warnings:
        items = "".join(f"<li>{escape(w)}</li>" for w in r.parse_warnings)
        out.append(f'<ul class="compact note">{items}</ul>\n')
    raw = r.raw if status in _RAW_WORTHY or r.prediction is None else None
    if raw is not None:
        cut = ""
        if len(raw) > RAW_LIMIT:
            more = len(raw) - RAW_LIMIT
            raw = raw[:RAW_LIMIT]
            shown = thousands(len(raw))
            cut = f" (first {shown} characters; {thousands(more)} more in report.json)"
        out.append(f'<p class="note">Raw output{cut}:</p>\n<pre>{escape(raw)}</pre>\n')

    fields = score.fields
    grounding = score.grounding
    checked = [_checked(grounding.get(name), full) for name in fields]
    if not score.gold_available:
        out.append('<p class="note">No gold for this article: not scored.</p>\n')
    elif r.prediction is None and not full:
        n_gold = sum(sc.n_gold for sc in fields.values())
        out.append(
            '<p class="note">No usable prediction: every gold item counts as an omission'
            f" ({n_gold} items).</p>\n"
        )
    else:
        table: list[str] = []
        clean: list[tuple[str, FieldScore, int]] = []
        for (name, sc), (ungrounded, _) in zip(fields.items(), checked, strict=True):
            flagged = {i.index for i in ungrounded}
            rows, hidden = _field_rows(sc, flagged, full)
            if full or rows:
                _field_table(table, name, sc, rows, hidden, full)
            else:
                clean.append((name, sc, hidden))
        if table:
            out.append(_HEAD)
            out.extend(table)
            out.append("</table>\n")
        if clean:
            listed = ", ".join(
                f"{escape(name)} ({hidden} pairs, F1 {num(sc.f1)})" for name, sc, hidden in clean
            )
            out.append(f'<p class="note">Every item matched in {listed}.</p>')
    for name, field_checked in zip(fields, checked, strict=True):
        _grounding(out, name, field_checked)
    out.append("</section>\n")


def article_html(row: ArticleRow, article: ArticleResult, level: DetailLevel) -> str:
    """One article's <details> section at `level`: `_article.html.j2` over `article_view`."""
    full = level == "full"
    spread = f" · overall min–max {escape(row.spread_range)}" if row.spread_range else ""
    out = [
        f'<details class="art" id="{escape(row.anchor)}"><summary><b>{escape(row.article_id)}</b>'
        f' {escape(row.title)} <span class="muted">· overall {num(row.overall)}</span>'
        f" {_status(row.status, row.status_note)}</summary>\n"
        f'<div class="body">\n<p class="note">Published {article.published}'
        f" · {len(article.samples)} sample(s){spread}</p>\n"
    ]
    for sample in article.samples:
        _sample(out, sample, full)
    out.append("</div></details>")
    return "".join(out)


__all__ = ["article_html"]
