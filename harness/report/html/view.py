"""What the templates show, derived from a Report without recomputing any score.

The report already explains every number (labels, reasons, similarities, grounding checks);
this module only arranges it: gold and predicted items paired into side-by-side rows, a status
per article, and the article table's values. Templates stay free of logic beyond loops.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from harness.report.html.safejson import finite
from harness.report.models import ArticleResult, SampleResult
from harness.scoring.models import (
    FieldGrounding,
    FieldScore,
    GroundingCheck,
    ItemExplanation,
    ItemGrounding,
    Label,
)

# "full" shows every item; "misses" folds matched pairs into a count so that very large reports
# stay within their size budget. Both keep every miss with its reason.
DetailLevel = Literal["full", "misses"]
DETAIL_LEVELS: tuple[DetailLevel, ...] = ("full", "misses")

# A runaway answer can be megabytes; the page shows its start and report.json keeps all of it.
RAW_LIMIT = 20_000

# Worst last: an article's status is its worst sample's.
_SEVERITY = (
    "ok",
    "repaired",
    "incomplete",
    "no gold",
    "truncated",
    "invalid",
    "unparseable",
    "empty",
    "skipped",
    "missing",
    "failed",
)
_RAW_WORTHY = frozenset({"incomplete", "truncated", "invalid", "unparseable", "empty", "failed"})


def sample_status(sample: SampleResult) -> str:
    """One word for what happened to a sample: the call's fate, else the answer's."""
    if sample.status != "ok":
        return sample.status
    if sample.output_status is not None and sample.output_status != "ok":
        return sample.output_status
    if not sample.score.gold_available:
        return "no gold"
    return "ok"


def status_rank(status: str) -> int:
    """Higher is worse; an unknown status counts as the worst."""
    try:
        return _SEVERITY.index(status)
    except ValueError:
        return len(_SEVERITY)


def _worst(statuses: Iterable[str]) -> str:
    return max(statuses, key=status_rank, default="missing")


@dataclass(frozen=True)
class ArticleRow:
    """One line of the article table (and the sort keys handed to the page's script)."""

    anchor: str
    article_id: str
    title: str
    overall: float | None
    spread: float | None
    spread_range: str
    fields: tuple[float | None, ...]
    status: str
    status_note: str

    def sort_keys(self) -> list[float | None]:
        """The numeric columns' values (overall, fields, spread), for sorting in the page."""
        values = (self.overall, *self.fields, self.spread)
        # Four decimals order the rows as well as seventeen do, at a third of the bytes.
        return [None if (v := finite(x)) is None else round(v, 4) for x in values]


def _mean(values: Sequence[float]) -> float | None:
    return statistics.fmean(values) if values else None


def field_means(article: ArticleResult, metric: str) -> dict[str, float | None]:
    """Each field's mean `metric` over the article's samples that score it, fields in the order
    the samples first name them (a field no sample scores has no entry: its mean is None)."""
    values: dict[str, list[float]] = {}
    for sample in article.samples:
        for name, score in sample.score.fields.items():
            values.setdefault(name, []).append(getattr(score, metric))
    return {name: _mean(v) for name, v in values.items()}


def article_row(
    index: int, article: ArticleResult, fields: Sequence[str], metric: str
) -> ArticleRow:
    """The table row; with no `fields`, a row for the article's details, which show no field
    means (the report page learns the field names only after reading every article)."""
    statuses = [sample_status(s) for s in article.samples]
    status = _worst(statuses)
    bad = sum(s != "ok" for s in statuses)
    note = f"{bad}/{len(statuses)}" if status != "ok" and len(statuses) > 1 else ""
    means = field_means(article, metric) if fields else {}
    spread = article.overall
    known = spread.mean is not None and spread.n > 1
    return ArticleRow(
        anchor=anchor(index),
        article_id=article.article_id,
        title=article.title,
        overall=spread.mean,
        spread=spread.std if known else None,
        spread_range=f"{spread.min:.3f}–{spread.max:.3f}" if known else "",
        fields=tuple(means.get(f) for f in fields),
        status=status,
        status_note=note,
    )


def anchor(index: int) -> str:
    # Positional, never the article id: ids are data, and an id attribute needs no escaping
    # worries (or uniqueness checks) when it is built from a number.
    return f"a{index}"


@dataclass(frozen=True)
class Row:
    """One line of a side-by-side table: a gold item, a predicted item, or a pair of them."""

    gold: ItemExplanation | None
    pred: ItemExplanation | None
    ungrounded: bool

    @property
    def main(self) -> ItemExplanation:
        item = self.gold or self.pred
        assert item is not None  # a Row always holds at least one side (built below)
        return item

    @property
    def labels(self) -> list[Label]:
        return list(dict.fromkeys(e.label for e in (self.gold, self.pred) if e is not None))

    @property
    def reasons(self) -> list[str]:
        return list(dict.fromkeys(e.reason for e in (self.gold, self.pred) if e is not None))

    @property
    def is_match(self) -> bool:
        return self.labels == ["match"]

    @property
    def note(self) -> str:
        """Where a lone item's partner went, when it names one (misattribution, tie-breaks)."""
        item = self.main
        if (self.gold is not None and self.pred is not None) or item.partner is None:
            return ""
        other = "pred" if item.side == "gold" else "gold"
        return f"compared with {other} #{item.partner}"


def side_by_side(score: FieldScore, ungrounded: frozenset[int] = frozenset()) -> list[Row]:
    """Gold items in order, each beside the prediction it was paired with; then lone predictions."""
    gold = sorted((e for e in score.explanations if e.side == "gold"), key=lambda e: e.index)
    preds = {e.index: e for e in score.explanations if e.side == "pred"}
    rows: list[Row] = []
    used: set[int] = set()
    for g in gold:
        p = preds.get(g.partner) if g.partner is not None else None
        # Pair only when both sides agree, so no predicted item is shown twice.
        if p is not None and p.partner == g.index and p.index not in used:
            used.add(p.index)
            rows.append(Row(gold=g, pred=p, ungrounded=p.index in ungrounded))
        else:
            rows.append(Row(gold=g, pred=None, ungrounded=False))
    for index in sorted(set(preds) - used):
        rows.append(Row(gold=None, pred=preds[index], ungrounded=index in ungrounded))
    return rows


@dataclass(frozen=True)
class QuoteCheck:
    item: int
    check: GroundingCheck


@dataclass(frozen=True)
class FieldView:
    name: str
    score: FieldScore
    rows: list[Row]
    hidden_matches: int
    grounding: FieldGrounding | None
    ungrounded: list[ItemGrounding]
    quotes: list[QuoteCheck]


def field_view(
    name: str, score: FieldScore, grounding: FieldGrounding | None, level: DetailLevel
) -> FieldView:
    items = grounding.items if grounding is not None else []
    ungrounded = [i for i in items if not i.grounded]
    rows = side_by_side(score, frozenset(i.index for i in ungrounded))
    quotes = [QuoteCheck(i.index, c) for i in items for c in i.checks if c.kind == "quote"]
    hidden = 0
    if level == "misses":
        kept = [r for r in rows if not r.is_match or r.ungrounded]
        hidden = len(rows) - len(kept)
        rows = kept
        quotes = [q for q in quotes if not q.check.ok]
    return FieldView(name, score, rows, hidden, grounding, ungrounded, quotes)


@dataclass(frozen=True)
class SampleView:
    result: SampleResult
    status: str
    fields: list[FieldView]
    raw: str | None
    raw_cut: int  # characters of the raw answer not shown


def sample_view(sample: SampleResult, level: DetailLevel) -> SampleView:
    status = sample_status(sample)
    fields = [
        field_view(name, score, sample.score.grounding.get(name), level)
        for name, score in sample.score.fields.items()
    ]
    raw = sample.raw if status in _RAW_WORTHY or sample.prediction is None else None
    cut = 0
    if raw is not None and len(raw) > RAW_LIMIT:
        cut = len(raw) - RAW_LIMIT
        raw = raw[:RAW_LIMIT]
    return SampleView(sample, status, fields, raw, cut)


@dataclass(frozen=True)
class ArticleView:
    row: ArticleRow
    article: ArticleResult
    samples: list[SampleView]


def article_view(row: ArticleRow, article: ArticleResult, level: DetailLevel) -> ArticleView:
    return ArticleView(row, article, [sample_view(s, level) for s in article.samples])


__all__ = [
    "DETAIL_LEVELS",
    "RAW_LIMIT",
    "ArticleRow",
    "ArticleView",
    "DetailLevel",
    "FieldView",
    "QuoteCheck",
    "Row",
    "SampleView",
    "article_row",
    "article_view",
    "field_means",
    "sample_status",
    "side_by_side",
    "status_rank",
]
