"""Field-level scoring of a predicted summary against gold, with partial credit and reasons.

Typical use::

    from harness.scoring import Aggregator, ScoringConfig, score_article

    config = ScoringConfig()
    totals = Aggregator(config)
    for article in articles:
        score = score_article(gold, pred, article_id=article.id, text=article.text,
                              published=article.published, config=config)
        totals.add(score)  # and write `score` to the report
    corpus = totals.result()
"""

from harness.scoring.config import ScoringConfig
from harness.scoring.dateresolve import find_dates, resolve_date, resolve_summary_dates
from harness.scoring.judge import CachingJudge, ClaimJudge, MockJudge
from harness.scoring.models import (
    LABELS,
    PRF,
    ArticleScore,
    CorpusScore,
    FieldAggregate,
    FieldGrounding,
    FieldScore,
    GroundingAggregate,
    GroundingCheck,
    ItemExplanation,
    ItemGrounding,
    Label,
    Ratio,
)
from harness.scoring.names import NameMatcher, normalise_name
from harness.scoring.registry import (
    FieldScorer,
    Registry,
    all_scorers,
    builtin_registry,
    default_registry,
    get,
    register,
)
from harness.scoring.score import Aggregator, aggregate, score_article

__all__ = [
    "LABELS",
    "PRF",
    "Aggregator",
    "ArticleScore",
    "CachingJudge",
    "ClaimJudge",
    "CorpusScore",
    "FieldAggregate",
    "FieldGrounding",
    "FieldScore",
    "FieldScorer",
    "GroundingAggregate",
    "GroundingCheck",
    "ItemExplanation",
    "ItemGrounding",
    "Label",
    "MockJudge",
    "NameMatcher",
    "Ratio",
    "Registry",
    "ScoringConfig",
    "aggregate",
    "all_scorers",
    "builtin_registry",
    "default_registry",
    "find_dates",
    "get",
    "normalise_name",
    "register",
    "resolve_date",
    "resolve_summary_dates",
    "score_article",
]
