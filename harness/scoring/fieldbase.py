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
    explanations.sort(key=lambda e: (e.side != "gold", e.index))
    return FieldScore(
        field=name,
        n_gold=n_gold,
        n_pred=n_pred,
        tp=tp,
        soft_tp=round(soft_tp, 6),
        **metrics.model_dump(),
        extra=extra or {},
        explanations=explanations,
    )


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
    return ItemExplanation(
        side=side,
        index=index,
        text=text,
        partner=partner,
        similarity=round(similarity, 6),
        label=label,
        reason=reason,
        components={k: round(v, 6) for k, v in (components or {}).items()},
    )


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
    return [
        explanation(
            "gold",
            i,
            gold_text,
            label,
            reason,
            partner=j,
            similarity=similarity,
            components=components,
        ),
        explanation(
            "pred",
            j,
            pred_text,
            label,
            reason,
            partner=i,
            similarity=similarity,
            components=components,
        ),
    ]


__all__ = ["explanation", "field_score", "paired_explanations", "unmatched_pred"]
