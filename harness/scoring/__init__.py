"""Field-level scoring of a predicted summary against gold, with partial credit and reasons.

Typical use::

    from harness.scoring import Aggregator, ScoringConfig, score_article

    config = ScoringConfig()  # the documented defaults; reports record config and its id
    totals = Aggregator(config)
    for article, gold, pred in results:  # pred None when the output did not parse
        score = score_article(gold, pred, article_id=article.id, text=article.text,
                              published=article.meta.published, config=config)
        totals.add(score)  # and write `score` to the report
    corpus = totals.result()

Rules (details in each module's docstring, thresholds in `ScoringConfig`):

- Each field is a set: a gold x predicted similarity matrix, a one-to-one Hungarian alignment,
  pairs under the field's threshold dropped. Hard credit counts a kept pair 1, soft credit
  counts its similarity. Precision, recall and F1 follow; gold and prediction both empty score
  1, any other empty denominator scores 0 (`metrics`).
- Every gold and predicted item gets one explanation: its partner, similarity and label
  (match, partial, granularity are credited; omission, hallucination, spurious,
  misattribution, temporal_error are not). An unmatched predicted item is a hallucination when
  the article does not support it (grounding), else spurious.
- Overall: the weighted mean of the fields' hard F1 (config: metric and weights). Corpus:
  micro pools counts, macro averages articles. A missing prediction scores 0 on every field.
- Grounding, gold or not: quotes verbatim or near-verbatim, names present, dates the article can
  mean, content supported; the ungrounded rate per field is the hallucination measure.
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
