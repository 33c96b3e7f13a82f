"""The records scoring produces: every number with the items and reasons behind it.

These are what reports store and the HTML report renders; nothing downstream recomputes them.
Field order is part of the format.
"""

from __future__ import annotations

from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field

from harness.scoring.config import ScoringConfig

_setattr = object.__setattr__

Side = Literal["gold", "pred"]
Label = Literal[
    "match",  # paired and credited in full by the field's rules
    "partial",  # paired with reduced credit (a red line with the wrong position)
    "omission",  # gold item nothing in the prediction matches
    "hallucination",  # predicted item unmatched and not supported by the article
    "spurious",  # predicted item unmatched but supported by the article (just not in gold)
    "misattribution",  # content matches, speaker or party does not: not credited
    "temporal_error",  # date event matches, date value does not: not credited
    "granularity",  # date coarser or finer than gold: partial credit
]
LABELS: tuple[Label, ...] = (
    "match",
    "partial",
    "omission",
    "hallucination",
    "spurious",
    "misattribution",
    "temporal_error",
    "granularity",
)
CheckKind = Literal["name", "quote", "content", "date_value", "date_text"]


class _Result(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @classmethod
    def _trusted(cls, values: dict[str, Any]) -> Self:
        """An instance from values the scorer built itself, without validation.

        Scoring makes about 250 records per article from values that are already of the
        fields' exact types (Python `int`, `float`, `str`, `bool`, lists of records), so
        validating them again only costs time: this is `model_construct` without its per-field
        alias handling (which is slower than validation). `values` must hold every field, in
        field order, each of its declared type; `tests/scoring/test_speedups.py` checks that
        the records of real scores are what validation makes of them.
        """
        m = cls.__new__(cls)
        _setattr(m, "__dict__", values)
        _setattr(m, "__pydantic_fields_set__", set(values))
        _setattr(m, "__pydantic_extra__", None)
        _setattr(m, "__pydantic_private__", None)
        return m


class ItemExplanation(_Result):
    """Why one gold or predicted item scored what it did."""

    side: Side
    index: int = Field(description="Position of the item in its summary's list.")
    text: str = Field(description="The item in short, for people reading the report.")
    partner: int | None = Field(
        description="Index on the other side it was paired with (or, for misattribution and "
        "temporal_error, would have been); null when nothing came close."
    )
    similarity: float = Field(description="Credit the pair earns (soft); 0 for a miss.")
    label: Label
    reason: str
    components: dict[str, float] = Field(
        default_factory=dict,
        description="Part scores behind the similarity, e.g. {'content': 0.71, 'speaker': 1}.",
    )


class Ratio(_Result):
    """A field-specific metric kept as numerator/denominator so a corpus can pool it."""

    num: float
    den: float
    value: float | None = Field(description="num/den; when den is 0, the documented empty value.")


class FieldScore(_Result):
    field: str
    n_gold: int
    n_pred: int
    tp: int = Field(description="Pairs kept after alignment and threshold (hard credit).")
    soft_tp: float = Field(description="Sum of the kept pairs' similarities (soft credit).")
    precision: float
    recall: float
    f1: float
    soft_precision: float
    soft_recall: float
    soft_f1: float
    extra: dict[str, Ratio] = Field(
        default_factory=dict,
        description="Field-specific metrics: claims content_f1 and attribution_accuracy; "
        "participants role_accuracy, affiliation_accuracy, kind_accuracy.",
    )
    explanations: list[ItemExplanation] = Field(default_factory=list)


class GroundingCheck(_Result):
    kind: CheckKind
    target: str = Field(description="What was looked for in the article.")
    ok: bool
    score: float = Field(description="1 for a verbatim find, else the fuzzy score or support.")
    spans: list[tuple[int, int]] = Field(
        default_factory=list,
        description="Where it was found, as offsets into the typography-normalised article text.",
    )
    matched: str | None = Field(default=None, description="The article text that was found.")


class ItemGrounding(_Result):
    index: int
    text: str
    grounded: bool
    checks: list[GroundingCheck] = Field(default_factory=list)


class FieldGrounding(_Result):
    n_items: int
    n_ungrounded: int
    rate: float = Field(description="Ungrounded share of predicted items; 0 when there are none.")
    items: list[ItemGrounding] = Field(default_factory=list)


class ArticleScore(_Result):
    version: Literal[1] = 1
    article_id: str
    config_id: str = Field(description="ScoringConfig.config_id() of the settings used.")
    gold_available: bool
    prediction_missing: bool = Field(
        description="No usable prediction (absent or unparseable): every field scores 0."
    )
    fields: dict[str, FieldScore] = Field(
        default_factory=dict, description="Empty when there is no gold."
    )
    overall: float | None = Field(
        description="Weighted mean of the configured per-field metric; null without gold."
    )
    grounding: dict[str, FieldGrounding] = Field(
        default_factory=dict, description="Per field; empty when the article text was not given."
    )


class PRF(_Result):
    precision: float
    recall: float
    f1: float
    soft_precision: float
    soft_recall: float
    soft_f1: float


class Counts(_Result):
    n_gold: int = 0
    n_pred: int = 0
    tp: int = 0
    soft_tp: float = 0.0


class ExtraAggregate(_Result):
    micro: float | None = Field(description="Pooled numerators over pooled denominators.")
    macro: float | None = Field(description="Mean of the per-article values that are defined.")


class FieldAggregate(_Result):
    n_articles: int
    counts: Counts
    micro: PRF = Field(description="From the pooled counts.")
    macro: PRF = Field(description="Mean of per-article scores.")
    extra: dict[str, ExtraAggregate] = Field(default_factory=dict)
    labels: dict[str, int] = Field(
        default_factory=dict, description="How many items, gold and predicted, got each label."
    )


class GroundingAggregate(_Result):
    n_items: int
    n_ungrounded: int
    rate: float = Field(description="Pooled ungrounded rate (micro).")
    macro_rate: float | None = Field(
        description="Mean of per-article rates over articles with predicted items."
    )


class OverallAggregate(_Result):
    micro: float | None = Field(description="Weighted mean of the fields' micro metric.")
    macro: float | None = Field(description="Mean of the per-article overall scores.")


class CorpusScore(_Result):
    version: Literal[1] = 1
    config: ScoringConfig
    config_id: str
    n_articles: int = Field(description="Article scores seen, with or without gold.")
    n_scored: int = Field(description="Articles with gold, i.e. with field scores.")
    n_missing_predictions: int
    fields: dict[str, FieldAggregate] = Field(default_factory=dict)
    overall: OverallAggregate
    grounding: dict[str, GroundingAggregate] = Field(default_factory=dict)


__all__ = [
    "LABELS",
    "PRF",
    "ArticleScore",
    "CheckKind",
    "CorpusScore",
    "Counts",
    "ExtraAggregate",
    "FieldAggregate",
    "FieldGrounding",
    "FieldScore",
    "GroundingAggregate",
    "GroundingCheck",
    "ItemExplanation",
    "ItemGrounding",
    "Label",
    "OverallAggregate",
    "Ratio",
    "Side",
]
