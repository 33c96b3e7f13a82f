"""Score one article, and pool article scores into a corpus score.

`score_article` is called per article (per sample) as results arrive; `Aggregator` (or
`aggregate`) pools them in one pass, keeping only running sums, so a corpus of any size streams.

The overall score of an article is the weighted mean of its fields' configured metric (hard F1
by default, equal weights). Over a corpus: micro pools the counts of every article per field
(then takes the weighted mean of the fields' micro metric); macro is the mean of per-article
scores.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable

from harness.gcpause import collector_paused
from harness.scoring.config import ScoringConfig
from harness.scoring.context import ArticleContext
from harness.scoring.grounding import summarise
from harness.scoring.judge import ClaimJudge
from harness.scoring.metrics import prf
from harness.scoring.models import (
    PRF,
    ArticleScore,
    CorpusScore,
    Counts,
    ExtraAggregate,
    FieldAggregate,
    FieldGrounding,
    FieldScore,
    GroundingAggregate,
    OverallAggregate,
)
from harness.scoring.registry import Registry, default_registry, source
from harness.summary import Summary

_PRF_FIELDS = tuple(PRF.model_fields)


def score_article(
    gold: Summary | None,
    pred: Summary | None,
    *,
    article_id: str,
    text: str | None = None,
    published: dt.date | None = None,
    config: ScoringConfig | None = None,
    judge: ClaimJudge | None = None,
    registry: Registry | None = None,
) -> ArticleScore:
    """Score a prediction against gold, field by field, and check it against the article.

    - gold None (an article without gold): only grounding, no field scores, overall null;
    - pred None (no output, or output that did not parse): every gold item is an omission and
      every field scores 0, even a field gold leaves empty: a failure earns nothing;
    - text None: no grounding, and an unmatched predicted item is "spurious" (not checked).
    `published` resolves relative dates in the article for date grounding.
    """
    # Scoring allocates tens of thousands of short-lived objects, nearly all freed by reference
    # counting as soon as they are dropped. With the cyclic collector on, they trigger a
    # collection about once per article (and a full one, over everything the process holds,
    # now and then): some 10 % of the time, for no garbage. Off while scoring, it later finds
    # only what the score keeps. Results do not depend on it.
    with collector_paused():
        return _score_article(gold, pred, article_id, text, published, config, judge, registry)


def _score_article(
    gold: Summary | None,
    pred: Summary | None,
    article_id: str,
    text: str | None,
    published: dt.date | None,
    config: ScoringConfig | None,
    judge: ClaimJudge | None,
    registry: Registry | None,
) -> ArticleScore:
    config = config or ScoringConfig()
    registry = registry or default_registry()
    ctx = ArticleContext(
        article_id=article_id,
        config=config,
        gold=gold,
        text=text,
        published=published,
        judge=judge,
    )
    grounding: dict[str, FieldGrounding] = {}
    if text is not None and pred is not None:
        for scorer in registry:
            items = scorer.ground(getattr(pred, source(scorer)), ctx)
            ctx.pred_grounding[scorer.name] = items
            grounding[scorer.name] = summarise(items)

    fields: dict[str, FieldScore] = {}
    if gold is not None:
        for scorer in registry:
            gold_items = getattr(gold, source(scorer))
            if pred is None:
                fields[scorer.name] = _failed(scorer.score(gold_items, [], ctx))
            else:
                fields[scorer.name] = scorer.score(gold_items, getattr(pred, source(scorer)), ctx)
    return ArticleScore._trusted(
        {
            "version": 1,
            "article_id": article_id,
            "config_id": cached_config_id(config),
            "gold_available": gold is not None,
            "prediction_missing": pred is None,
            "fields": fields,
            "overall": overall(fields, config) if gold is not None else None,
            "grounding": grounding,
        }
    )


_CONFIG_IDS: dict[int, tuple[ScoringConfig, str]] = {}


def cached_config_id(config: ScoringConfig) -> str:
    """`config.config_id()`, computed once per settings object (frozen: its id cannot change)."""
    found = _CONFIG_IDS.get(id(config))
    if found is None or found[0] is not config:
        if len(_CONFIG_IDS) >= 64:
            _CONFIG_IDS.clear()
        found = _CONFIG_IDS[id(config)] = (config, config.config_id())
    return found[1]


def _failed(score: FieldScore) -> FieldScore:
    zero = dict.fromkeys(_PRF_FIELDS, 0.0)
    return score.model_copy(update=zero)


def overall(fields: dict[str, FieldScore], config: ScoringConfig) -> float | None:
    """Weighted mean of the configured metric over the weighted fields that were scored."""
    metric = config.overall.metric
    weighted = [
        (w, getattr(fields[n], metric)) for n, w in config.overall.weights.items() if n in fields
    ]
    total = sum(w for w, _ in weighted)
    return sum(w * v for w, v in weighted) / total if total else None


class _FieldTotals:
    def __init__(self) -> None:
        self.n_articles = 0
        self.counts = Counts()
        self.macro = dict.fromkeys(_PRF_FIELDS, 0.0)
        self.extra_num: dict[str, float] = defaultdict(float)
        self.extra_den: dict[str, float] = defaultdict(float)
        self.extra_empty: dict[str, float | None] = {}
        self.extra_sum: dict[str, float] = defaultdict(float)
        self.extra_n: dict[str, int] = defaultdict(int)
        self.labels: Counter[str] = Counter()

    def add(self, score: FieldScore) -> None:
        self.n_articles += 1
        c = self.counts
        c.n_gold += score.n_gold
        c.n_pred += score.n_pred
        c.tp += score.tp
        c.soft_tp += score.soft_tp
        for name in _PRF_FIELDS:
            self.macro[name] += getattr(score, name)
        for name, ratio in score.extra.items():
            self.extra_num[name] += ratio.num
            self.extra_den[name] += ratio.den
            if ratio.den == 0:
                self.extra_empty[name] = ratio.value
            if ratio.value is not None:
                self.extra_sum[name] += ratio.value
                self.extra_n[name] += 1
        self.labels.update(e.label for e in score.explanations)

    def result(self) -> FieldAggregate:
        c = self.counts
        extra = {}
        for name in self.extra_num:
            den = self.extra_den[name]
            micro = self.extra_num[name] / den if den else self.extra_empty.get(name)
            n = self.extra_n[name]
            extra[name] = ExtraAggregate(micro=micro, macro=self.extra_sum[name] / n if n else None)
        n = self.n_articles
        return FieldAggregate(
            n_articles=n,
            counts=c.model_copy(update={"soft_tp": round(c.soft_tp, 6)}),
            micro=prf(c.tp, c.soft_tp, c.n_gold, c.n_pred),
            macro=PRF(**{k: v / n for k, v in self.macro.items()}) if n else prf(0, 0, 0, 0),
            extra=extra,
            labels=dict(sorted(self.labels.items())),
        )


class Aggregator:
    """Pools article scores one at a time; `result()` may be called at any point."""

    def __init__(self, config: ScoringConfig | None = None):
        self.config = config or ScoringConfig()
        self.config_id = self.config.config_id()
        self._fields: dict[str, _FieldTotals] = {}
        self._grounding: dict[str, list[float]] = {}  # items, ungrounded, rate sum, articles
        self.n_articles = 0
        self.n_scored = 0
        self.n_missing = 0
        self._overall_sum = 0.0
        self._overall_n = 0

    def add(self, score: ArticleScore) -> None:
        if score.config_id != self.config_id:
            raise ValueError(
                f"article {score.article_id!r} was scored with config {score.config_id}, "
                f"not {self.config_id}: scores under different settings do not pool"
            )
        self.n_articles += 1
        self.n_missing += score.prediction_missing
        if score.gold_available:
            self.n_scored += 1
        for name, field in score.fields.items():
            self._fields.setdefault(name, _FieldTotals()).add(field)
        if score.overall is not None:
            self._overall_sum += score.overall
            self._overall_n += 1
        for name, g in score.grounding.items():
            totals = self._grounding.setdefault(name, [0, 0, 0.0, 0])
            totals[0] += g.n_items
            totals[1] += g.n_ungrounded
            if g.n_items:
                totals[2] += g.rate
                totals[3] += 1

    def result(self) -> CorpusScore:
        fields = {name: totals.result() for name, totals in self._fields.items()}
        metric = self.config.overall.metric
        weighted = [
            (w, getattr(fields[n].micro, metric))
            for n, w in self.config.overall.weights.items()
            if n in fields
        ]
        total = sum(w for w, _ in weighted)
        grounding = {
            name: GroundingAggregate(
                n_items=int(items),
                n_ungrounded=int(bad),
                rate=bad / items if items else 0.0,
                macro_rate=rates / n if n else None,
            )
            for name, (items, bad, rates, n) in self._grounding.items()
        }
        return CorpusScore(
            config=self.config,
            config_id=self.config_id,
            n_articles=self.n_articles,
            n_scored=self.n_scored,
            n_missing_predictions=self.n_missing,
            fields=fields,
            overall=OverallAggregate(
                micro=sum(w * v for w, v in weighted) / total if total else None,
                macro=self._overall_sum / self._overall_n if self._overall_n else None,
            ),
            grounding=grounding,
        )


def aggregate(scores: Iterable[ArticleScore], config: ScoringConfig | None = None) -> CorpusScore:
    """Pool article scores (any iterable, consumed once) into a corpus score."""
    aggregator = Aggregator(config)
    for score in scores:
        aggregator.add(score)
    return aggregator.result()


__all__ = ["Aggregator", "aggregate", "overall", "score_article"]
