"""report.json: the versioned record of one run, built from pydantic models.

Field order is part of the format. `schema_version` changes whenever a consumer would have to
change; `harness/schemas/report.schema.json` is the published schema.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from harness.judge import JudgeStats
from harness.output import OutputStatus
from harness.run.records import CallError, CallStatus, Usage
from harness.run.rundir import EffectiveParameters, GoldInfo, PromptInfo
from harness.scoring.config import ScoringConfig
from harness.scoring.models import (
    ArticleScore,
    FieldAggregate,
    GroundingAggregate,
    OverallAggregate,
)
from harness.summary import Summary

REPORT_SCHEMA_VERSION = 1
# Fewer articles than this give no useful interval (and no two-sided paired test can reach
# p < 0.05 with 5 or fewer), so reports leave the interval null.
MIN_ARTICLES_FOR_INTERVAL = 6


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RunInfo(_Model):
    run_id: str
    status: Literal["complete", "incomplete"] = Field(
        description="incomplete when a call failed or was skipped (budget); resume to finish."
    )
    model: str
    api_base: str | None = Field(description="Without credentials.")
    prompt: PromptInfo
    parameters: dict[str, Any] = Field(description="What the run asked for.")
    effective_parameters: EffectiveParameters | None = Field(
        default=None,
        description="What the provider really used where it bounds what was asked for "
        "(a local model's max_tokens and one call at a time); notes say what differs.",
    )
    gold: GoldInfo
    seed: int
    evalsum_version: str
    litellm_version: str | None
    python_version: str
    command_line: list[str]
    started_at: dt.datetime
    finished_at: dt.datetime
    scoring: ScoringConfig
    scoring_config_id: str
    judge: JudgeStats | None = Field(
        default=None, description="The LLM judge of claims (--judge), with its call counts."
    )


class SampleResult(_Model):
    sample: int
    status: CallStatus | Literal["missing"]
    output_status: OutputStatus | None = Field(
        description="What became of the raw answer; null when there was no answer."
    )
    finish_reason: str | None = None
    prediction: Summary | None = Field(description="The validated prediction that was scored.")
    parse_errors: list[str] = Field(default_factory=list)
    parse_warnings: list[str] = Field(default_factory=list)
    error: CallError | None = None
    usage: Usage = Usage()
    attempts: int = 0
    retries: int = 0
    cached: bool = False
    prompt_sha256: str | None = None
    score: ArticleScore
    raw: str | None = Field(default=None, description="The model's answer, byte for byte.")


class Spread(_Model):
    """How much K samples of one article (or of the corpus) disagree."""

    n: int
    mean: float | None
    std: float | None
    min: float | None
    max: float | None


class ArticleResult(_Model):
    article_id: str
    title: str
    published: dt.date
    overall: Spread = Field(description="The article's overall score over its samples.")
    samples: list[SampleResult]


class ErrorEntry(_Model):
    article_id: str
    sample: int
    kind: str
    message: str
    status_code: int | None = None
    attempts: int = 0


class Percentiles(_Model):
    p50: float | None
    p90: float | None
    p99: float | None
    max: float | None


class UsageSummary(_Model):
    calls: int = Field(description="Answers in this report, from the provider or the cache.")
    cached_calls: int
    failed_calls: int
    skipped_calls: int
    retries: int
    prompt_tokens: int
    completion_tokens: int
    cost_usd: float | None = Field(
        description="Spent on provider calls; null when any price was unknown."
    )
    latency_s: Percentiles = Field(description="Over answered calls that were not cached.")


class Interval(_Model):
    low: float
    high: float
    confidence: float = 0.95
    method: str = "bootstrap over articles, pooled counts recomputed"


class FieldResult(FieldAggregate):
    """A field's corpus scores, plus how far the micro F1 could move with other articles."""

    f1_ci: Interval | None = Field(
        default=None,
        description=f"95% bootstrap interval of micro F1; null below {MIN_ARTICLES_FOR_INTERVAL} "
        "articles, where no interval is meaningful.",
    )


class AnnotatorAgreement(_Model):
    """How well two independent annotators agree on the run's double-annotated articles
    (harness.gold.agreement): the ceiling a model's field scores are read against."""

    articles: list[str] = Field(description="The run's articles annotated twice.")
    fields: dict[str, float | None] = Field(
        description="Per field, the second annotation's micro F1 against the adjudicated gold."
    )


class Report(_Model):
    schema_version: Literal[1] = REPORT_SCHEMA_VERSION
    run: RunInfo
    fields: dict[str, FieldResult]
    overall: OverallAggregate
    overall_spread: Spread = Field(
        description="The corpus overall (micro) score per sample index, over the K samples."
    )
    grounding: dict[str, GroundingAggregate]
    articles: list[ArticleResult]
    errors: list[ErrorEntry]
    usage: UsageSummary
    agreement: AnnotatorAgreement | None = Field(
        default=None,
        description="Inter-annotator agreement on the run's double-annotated articles, when "
        "the corpus has any: a model is not expected to score above it.",
    )

    @property
    def overall_score(self) -> float | None:
        return self.overall.micro


__all__ = [
    "REPORT_SCHEMA_VERSION",
    "AnnotatorAgreement",
    "ArticleResult",
    "ErrorEntry",
    "FieldResult",
    "Interval",
    "Percentiles",
    "Report",
    "RunInfo",
    "SampleResult",
    "Spread",
    "UsageSummary",
]
