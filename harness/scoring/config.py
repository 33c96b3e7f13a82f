"""Every threshold, weight and partial credit the scorer uses, in one documented model.

`ScoringConfig()` is the configuration reports record: a report carries the full config and
each article score carries its short id, so two numbers computed under different settings are
never silently compared.
"""

from __future__ import annotations

import hashlib
import json
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NameConfig(_Section):
    """How a name in a prediction is matched to a participant (participants, speakers, parties)."""

    fuzzy_cutoff: float = Field(
        default=0.85,
        ge=0,
        le=1,
        description=(
            "Least rapidfuzz token_sort_ratio (/100) between normalised names for a fuzzy match, "
            "tried only when no exact alias matches. token_sort, not token_set: token_set scores "
            "any subset of a name as 100."
        ),
    )
    surname_similarity: float = Field(
        default=1.0,
        ge=0,
        le=1,
        description=(
            "Similarity given to a single-word name ('Blinken', 'Mr Xi') that is the first or last "
            "word of exactly one gold person's name; an ambiguous one matches nothing."
        ),
    )


class ParticipantConfig(_Section):
    threshold: float = Field(
        default=0.85, ge=0, le=1, description="Least name similarity for a participant pair."
    )
    role_cutoff: float = Field(
        default=0.9,
        ge=0,
        le=1,
        description=(
            "Least token_sort_ratio (/100) for a role or affiliation to count as right. Stricter "
            "than names on purpose; an affiliation also counts when both sides name the same "
            "gold participant."
        ),
    )


class ContentConfig(_Section):
    """Lexical similarity of two statements (claims, red-line positions, date events)."""

    polarity_guard: bool = Field(
        default=True,
        description=(
            "Reject a pair when one side negates (not, never, no, refuse, deny, oppose...) content "
            "the other states plainly. Not applied to pairs an LLM judge decided."
        ),
    )
    negation_scope: int = Field(
        default=1,
        ge=1,
        le=10,
        description=(
            "Content words after a negation cue, within its clause, that it negates. One: wider "
            "scopes reject paraphrases ('no substitute for face-to-face talks')."
        ),
    )


class DateConfig(_Section):
    event_threshold: float = Field(
        default=0.3,
        ge=0,
        le=1,
        description="Least event similarity (content Dice) for a gold and a predicted date "
        "to pair.",
    )
    coarser_credit: float = Field(
        default=0.5,
        ge=0,
        le=1,
        description="Credit for a predicted date coarser than gold but consistent (2024-04 for "
        "2024-04-26).",
    )
    finer_credit: float = Field(
        default=0.0,
        ge=0,
        le=1,
        description="Credit for a predicted date finer than gold but consistent (2023-11-15 "
        "for 'last November'): precision the article does not give is invented, so none by "
        "default (shared/AUDIT-METHOD.md); the pair is kept and flagged.",
    )
    value_tie_break: float = Field(
        default=0.05,
        ge=0,
        le=0.5,
        description=(
            "Weight of the date credit when ranking candidate pairs, so that among events of "
            "similar wording the pair whose dates agree is preferred. Never creates a pair."
        ),
    )


class ClaimConfig(_Section):
    content_threshold: float = Field(
        default=0.4,
        ge=0,
        le=1,
        description="Least content similarity (Dice over content-word stems) for two claims.",
    )
    judge_candidate_threshold: float = Field(
        default=0.15,
        ge=0,
        le=1,
        description=(
            "With an LLM judge, the pairs sent to it (in both orders) are those with the same "
            "speaker (red lines: party and issue) and those at least this similar lexically; "
            "its verdict replaces the lexical decision (similarity 1.0 or 0.0)."
        ),
    )
    quote_similarity: float = Field(
        default=0.9,
        ge=0,
        le=1,
        description=(
            "Content similarity of two claims by the same speaker that carry the same quote "
            "(harness.scoring.quotes), when word overlap gives less; 0 turns quote evidence off."
        ),
    )
    quote_min_words: int = Field(
        default=3, ge=1, description="Quotes shorter than this are no evidence (single words)."
    )
    quote_min_overlap: float = Field(
        default=0.8,
        ge=0,
        le=1,
        description="Share of the shorter quote's words that must be in the other.",
    )


class RedLineConfig(_Section):
    issue_threshold: float = Field(
        default=0.5,
        ge=0,
        le=1,
        description=(
            "Least issue similarity (overlap coefficient of content-word stems: 'Taiwan' is "
            "contained in 'arms sales to Taiwan')."
        ),
    )
    position_threshold: float = Field(
        default=0.4,
        ge=0,
        le=1,
        description="Least position similarity; compared like claim content (polarity guard, "
        "judge).",
    )
    wrong_position_credit: float = Field(
        default=0.5,
        ge=0,
        le=1,
        description=(
            "Credit when party and issue match but the position does not. A matching position "
            "earns credit + (1 - credit) * position similarity."
        ),
    )
    position_carries_issue: float = Field(
        default=0.6,
        ge=0,
        le=1,
        description=(
            "Position similarity at which two red lines of one party are the same line even "
            "when their issues are worded differently (a measure against the right it "
            "concerns, 'Irish land border' against 'Border on the island of Ireland'); 1 turns "
            "it off. The same quote (claims' quote settings) counts likewise."
        ),
    )


class GroundingConfig(_Section):
    near_verbatim_cutoff: float = Field(
        default=0.9,
        ge=0,
        le=1,
        description=(
            "Least rapidfuzz partial_ratio alignment (/100) for a quote or name absent verbatim "
            "to count as found near-verbatim; the span is recorded."
        ),
    )
    content_support: float = Field(
        default=0.5,
        ge=0,
        le=1,
        description=(
            "Least share of an unquoted statement's content-word stems that must occur in the "
            "article for it to count as supported."
        ),
    )


FieldName = str
BUILTIN_FIELDS: tuple[FieldName, ...] = ("participants", "dates", "claims", "red_lines")


class OverallConfig(_Section):
    metric: Literal["f1", "soft_f1"] = Field(
        default="f1",
        description=(
            "Per-field number the overall score averages. Hard F1 by default: lexical similarity "
            "under-rates faithful paraphrase, so soft F1 is reported beside it, not instead."
        ),
    )
    weights: dict[FieldName, float] = Field(
        default_factory=lambda: dict.fromkeys(BUILTIN_FIELDS, 1.0),
        description="Weight of each field in the overall score (weighted mean); default equal.",
    )

    @model_validator(mode="after")
    def _positive_weights(self) -> OverallConfig:
        if not self.weights or any(w < 0 for w in self.weights.values()):
            raise ValueError("overall.weights must be non-empty and non-negative")
        if sum(self.weights.values()) <= 0:
            raise ValueError("overall.weights must not all be zero")
        return self


class ScoringConfig(_Section):
    """All scoring settings. The defaults are evalsum's documented scoring; reports record them."""

    version: Literal[1] = 1
    names: NameConfig = Field(default_factory=NameConfig)
    participants: ParticipantConfig = Field(default_factory=ParticipantConfig)
    content: ContentConfig = Field(default_factory=ContentConfig)
    dates: DateConfig = Field(default_factory=DateConfig)
    claims: ClaimConfig = Field(default_factory=ClaimConfig)
    red_lines: RedLineConfig = Field(default_factory=RedLineConfig)
    grounding: GroundingConfig = Field(default_factory=GroundingConfig)
    overall: OverallConfig = Field(default_factory=OverallConfig)

    def config_id(self) -> str:
        """A short, stable fingerprint of these settings, stored in every article score."""
        # sort_keys: the same weights given in another order are the same settings.
        payload = json.dumps(self.model_dump(mode="json"), sort_keys=True).encode()
        return hashlib.sha256(payload).hexdigest()[:12]


__all__ = [
    "BUILTIN_FIELDS",
    "ClaimConfig",
    "ContentConfig",
    "DateConfig",
    "GroundingConfig",
    "NameConfig",
    "OverallConfig",
    "ParticipantConfig",
    "RedLineConfig",
    "ScoringConfig",
]
