"""Dates: paired by what happened (event similarity), then credited by the date value.

Value credit at the gold granularity: the same value earns 1; a coarser but consistent one
(gold 2024-04-26, predicted 2024-04) earns `coarser_credit`; a finer but consistent one
(gold 2024-04, predicted 2024-04-26) earns `finer_credit` and is flagged, since the article
did not say the day; any other value earns 0: the event was found but dated wrongly
(temporal_error), and the pair is not credited.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from harness.scoring.align import align
from harness.scoring.config import DateConfig
from harness.scoring.content import compare_statements
from harness.scoring.context import ArticleContext
from harness.scoring.fieldbase import explanation, field_score, paired_explanations, unmatched_pred
from harness.scoring.grounding import check_content, check_date_value, check_quote, item
from harness.scoring.metrics import f1_ratio
from harness.scoring.models import FieldScore, ItemExplanation, ItemGrounding, Label
from harness.summary import DateMention


def value_credit(gold: str, pred: str, config: DateConfig) -> tuple[float, str]:
    """Credit for `pred` as the date of an event gold dates `gold`, and how it compares."""
    if pred == gold:
        return 1.0, "exact"
    if gold.startswith(pred + "-"):
        return config.coarser_credit, "coarser"
    if pred.startswith(gold + "-"):
        return config.finer_credit, "finer"
    return 0.0, "wrong"


def _text(d: DateMention) -> str:
    return f"{d.event} ({d.date})"


class DateScorer:
    name = "dates"

    def ground(self, items: Sequence[DateMention], ctx: ArticleContext) -> list[ItemGrounding]:
        out = []
        for j, d in enumerate(items):
            checks = [check_date_value(d.date, ctx), check_content(d.event, ctx)]
            if d.text:
                checks.append(check_quote(d.text, ctx, kind="date_text"))
            out.append(item(j, _text(d), checks))
        return out

    def score(
        self, gold: Sequence[DateMention], pred: Sequence[DateMention], ctx: ArticleContext
    ) -> FieldScore:
        config = ctx.config.dates
        events = compare_statements(
            [ctx.analysis(d.event) for d in gold],
            [ctx.analysis(d.event) for d in pred],
            ([d.event for d in gold], [d.event for d in pred]),
            polarity_guard=ctx.config.content.polarity_guard,
            weights=ctx.stem_weights,
        )
        credit = np.zeros((len(gold), len(pred)))
        kind: dict[tuple[int, int], str] = {}
        for i, g in enumerate(gold):
            for j, p in enumerate(pred):
                credit[i, j], kind[(i, j)] = value_credit(g.date, p.date, config)
        # Pairs form on the event alone; the date only breaks ties between similar events.
        rank = events.sim + config.value_tie_break * credit
        alignment = align(events.sim, config.event_threshold, rank=rank)

        explanations: list[ItemExplanation] = []
        credits: list[float] = []
        for i, j, event_sim in alignment.pairs:
            g, p = gold[i], pred[j]
            c, how = credit[i, j], kind[(i, j)]
            components = {"event": event_sim, "value": c}
            label: Label
            if how == "exact":
                label, reason = "match", f"same event ({event_sim:.2f}), same date {g.date}"
            elif how == "wrong":
                label, reason = "temporal_error", f"same event ({event_sim:.2f}), dated {p.date}"
                reason += f" instead of {g.date}"
            else:
                label, reason = "granularity", f"same event ({event_sim:.2f}), date {p.date} is"
                reason += f" {how} than {g.date}: credit {c:g}"
            if c > 0:
                credits.append(float(c))
            explanations += paired_explanations(
                i, _text(g), j, _text(p), label, reason, similarity=c, components=components
            )
        for i, g in enumerate(gold):
            if alignment.gold_partner[i] is None:
                explanations.append(
                    explanation("gold", i, _text(g), "omission", "no predicted date for this event")
                )
        for j, p in enumerate(pred):
            if alignment.pred_partner[j] is None:
                label, reason = unmatched_pred(ctx, self.name, j)
                explanations.append(explanation("pred", j, _text(p), label, reason))
        extra = {"event_f1": f1_ratio(len(alignment.pairs), len(gold), len(pred))}
        return field_score(self.name, len(gold), len(pred), credits, explanations, extra)


__all__ = ["DateScorer", "value_credit"]
