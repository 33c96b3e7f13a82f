"""What every field scorer shares: turning an alignment and its explanations into a FieldScore."""

from __future__ import annotations

from collections.abc import Sequence

from harness.scoring.context import ArticleContext
from harness.scoring.metrics import prf
from harness.scoring.models import FieldScore, ItemExplanation, Label, Ratio, Side


def field_score(
    name: str,
    n_gold: int,
    n_pred: int,
    credits: Sequence[float],
    explanations: list[ItemExplanation],
    extra: dict[str, Ratio] | None = None,
) -> FieldScore:
    """`credits` holds one similarity per credited pair: each counts 1 hard and itself soft."""
    tp = len(credits)
    soft_tp = float(sum(credits))
    metrics = prf(tp, soft_tp, n_gold, n_pred)
    explanations.sort(key=_explanation_order)
    return FieldScore._trusted(
        {
            "field": name,
            "n_gold": n_gold,
            "n_pred": n_pred,
            "tp": tp,
            "soft_tp": round(soft_tp, 6),
            **metrics.__dict__,
            "extra": extra or {},
            "explanations": explanations,
        }
    )


def _explanation_order(e: ItemExplanation) -> tuple[bool, int]:
    return (e.side != "gold", e.index)


def unmatched_pred(ctx: ArticleContext, field: str, index: int) -> tuple[Label, str]:
    """A predicted item gold does not contain: invented (hallucination) or merely extra."""
    grounded = ctx.grounded(field, index)
    if grounded is None:
        return "spurious", "not in gold (article text not given: grounding not checked)"
    if grounded:
        return "spurious", "not in gold, but supported by the article"
    return "hallucination", "not in gold, and not supported by the article"


def explanation(
    side: Side,
    index: int,
    text: str,
    label: Label,
    reason: str,
    *,
    partner: int | None = None,
    similarity: float = 0.0,
    components: dict[str, float] | None = None,
) -> ItemExplanation:
    return ItemExplanation._trusted(
        {
            "side": side,
            "index": int(index),
            "text": text,
            "partner": None if partner is None else int(partner),
            "similarity": _round6(similarity),
            "label": label,
            "reason": reason,
            "components": {k: _round6(v) for k, v in components.items()} if components else {},
        }
    )


def _round6(value: float) -> float:
    """round(value, 6) as a float, as validation stored it.

    A similarity or component may be a NumPy scalar (rounded by NumPy's own rule, then made a
    float by validation); 0 and 1, the commonest, are their own rounding.
    """
    if value == 0.0 or value == 1.0:
        return float(value)
    return float(round(value, 6))


def paired_explanations(
    i: int,
    gold_text: str,
    j: int,
    pred_text: str,
    label: Label,
    reason: str,
    *,
    similarity: float = 0.0,
    components: dict[str, float] | None = None,
) -> list[ItemExplanation]:
    """The two explanations of one gold-prediction pair: same label and reason, each pointing
    at its partner, so either side of the report tells the same story."""
    i, j = int(i), int(j)
    similarity = _round6(similarity)
    rounded = {k: _round6(v) for k, v in components.items()} if components else {}
    return [
        ItemExplanation._trusted(
            {
                "side": "gold",
                "index": i,
                "text": gold_text,
                "partner": j,
                "similarity": similarity,
                "label": label,
                "reason": reason,
                "components": rounded,
            }
        ),
        ItemExplanation._trusted(
            {
                "side": "pred",
                "index": j,
                "text": pred_text,
                "partner": i,
                "similarity": similarity,
                "label": label,
                "reason": reason,
                "components": dict(rounded),  # each record its own, as validation made them
            }
        ),
    ]


__all__ = ["explanation", "field_score", "paired_explanations", "unmatched_pred"]
