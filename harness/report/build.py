"""Building report.json from a run's journal: parse, score, aggregate, summarise usage.

The report is derived data: `evalsum report RUN_DIR` rebuilds it from the journal at any time
(after a gold fix or a scorer change) without calling a model.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import os
import statistics
from collections.abc import Iterable, Sequence
from pathlib import Path

from harness.gold import Corpus
from harness.judge import JudgeStats, LLMJudge
from harness.output import parse_output
from harness.redact import redact_argv, without_credentials
from harness.report.models import (
    MIN_ARTICLES_FOR_INTERVAL,
    ArticleResult,
    ErrorEntry,
    FieldResult,
    Interval,
    Percentiles,
    Report,
    RunInfo,
    SampleResult,
    Spread,
    UsageSummary,
)
from harness.run.journal import JOURNAL_FILE, latest_records
from harness.run.records import CallRecord
from harness.run.rundir import RunSpec
from harness.scoring import Aggregator, ScoringConfig, score_article
from harness.scoring.judge import CachingJudge, ClaimJudge

REPORT_FILE = "report.json"


def spread(values: Sequence[float | None]) -> Spread:
    known = [v for v in values if v is not None]
    if not known:
        return Spread(n=len(values), mean=None, std=None, min=None, max=None)
    return Spread(
        n=len(values),
        mean=statistics.fmean(known),
        # One sample says nothing about spread: null, not a reassuring 0.
        std=statistics.pstdev(known) if len(known) > 1 else None,
        min=min(known),
        max=max(known),
    )


def percentiles(values: Iterable[float]) -> Percentiles:
    ordered = sorted(values)
    if not ordered:
        return Percentiles(p50=None, p90=None, p99=None, max=None)

    def pick(q: float) -> float:
        # Nearest-rank: a reported latency is one that really happened.
        return ordered[max(0, math.ceil(q * len(ordered)) - 1)]

    return Percentiles(p50=pick(0.5), p90=pick(0.9), p99=pick(0.99), max=ordered[-1])


def f1_interval(
    per_article: list[tuple[float, int, int]], resamples: int = 2000, seed: int = 0
) -> Interval | None:
    """Bootstrap interval of pooled F1 from per-article (tp, n_gold, n_pred)."""
    if len(per_article) < MIN_ARTICLES_FOR_INTERVAL:
        return None
    import numpy as np

    counts = np.asarray(per_article, dtype=float)
    draws = np.random.default_rng(seed).integers(0, len(counts), (resamples, len(counts)))
    sums = counts[draws].sum(axis=1)
    den = sums[:, 1] + sums[:, 2]
    f1 = np.where(den > 0, 2 * sums[:, 0] / np.where(den > 0, den, 1), 1.0)
    low, high = np.percentile(f1, [2.5, 97.5])
    return Interval(low=float(low), high=float(high))


def run_info(
    spec: RunSpec,
    finished_at: dt.datetime,
    complete: bool,
    scoring: ScoringConfig,
    judge: JudgeStats | None = None,
) -> RunInfo:
    config = spec.config
    parameters = config.model_dump(
        mode="json", exclude={"model", "api_base", "prompt", "gold", "out", "mock", "record"}
    )
    if config.model.startswith("mock/"):
        parameters["mock"] = config.mock.model_dump(mode="json")
    return RunInfo(
        run_id=spec.run_id,
        status="complete" if complete else "incomplete",
        model=config.model,
        api_base=without_credentials(config.api_base),
        prompt=spec.prompt,
        parameters=parameters,
        gold=spec.gold,
        seed=config.seed,
        evalsum_version=spec.evalsum_version,
        litellm_version=spec.litellm_version,
        python_version=spec.python_version,
        command_line=redact_argv(spec.command_line),
        started_at=spec.started_at,
        finished_at=finished_at,
        scoring=scoring,
        scoring_config_id=scoring.config_id(),
        judge=judge,
    )


def sample_result(
    record: CallRecord | None,
    sample: int,
    *,
    article,
    scoring: ScoringConfig,
    judge: ClaimJudge | None,
) -> SampleResult:
    parsed = None
    if record is not None and record.status == "ok":
        parsed = parse_output(
            record.raw,
            truncated=record.finish_reason == "length",
            published=article.meta.published,
        )
    prediction = parsed.summary if parsed is not None else None
    score = score_article(
        article.summary,
        prediction,
        article_id=article.id,
        text=article.text,
        published=article.meta.published,
        config=scoring,
        judge=judge,
    )
    if record is None:
        return SampleResult(
            sample=sample, status="missing", output_status=None, prediction=None, score=score
        )
    return SampleResult(
        sample=sample,
        status=record.status,
        output_status=parsed.status if parsed else None,
        finish_reason=record.finish_reason,
        prediction=prediction,
        parse_errors=parsed.errors if parsed else [],
        parse_warnings=parsed.warnings if parsed else [],
        error=record.error,
        usage=record.usage,
        attempts=record.attempts,
        retries=record.retries,
        cached=record.cached,
        prompt_sha256=record.prompt_sha256,
        score=score,
        raw=record.raw,
    )


def build_report(
    spec: RunSpec,
    corpus: Corpus,
    records: dict[tuple[str, int], CallRecord],
    *,
    finished_at: dt.datetime,
    scoring: ScoringConfig | None = None,
    judge: ClaimJudge | None = None,
    judge_stats: JudgeStats | None = None,
) -> Report:
    scoring = scoring or ScoringConfig()
    samples = spec.config.samples
    totals = Aggregator(scoring)
    per_sample = [Aggregator(scoring) for _ in range(samples)]
    articles: list[ArticleResult] = []
    errors: list[ErrorEntry] = []
    latencies: list[float] = []
    prompt_tokens = completion_tokens = retries = 0
    cost: float | None = 0.0
    counts = {"ok": 0, "cached": 0, "failed": 0, "skipped": 0}
    # field -> per-article pooled (tp, n_gold, n_pred), for the intervals.
    pooled: dict[str, list[tuple[float, int, int]]] = {}

    for article in corpus.articles:
        results = []
        for k in range(samples):
            record = records.get((article.id, k))
            result = sample_result(record, k, article=article, scoring=scoring, judge=judge)
            results.append(result)
            totals.add(result.score)
            per_sample[k].add(result.score)
            if record is None:
                counts["skipped"] += 1
                errors.append(
                    ErrorEntry(
                        article_id=article.id,
                        sample=k,
                        kind="missing",
                        message="no answer: never called (an interrupted run: resume "
                        "it) or no prediction file",
                    )
                )
                continue
            retries += record.retries
            if record.status == "ok":
                counts["ok"] += 1
                counts["cached"] += record.cached
                prompt_tokens += record.usage.prompt_tokens or 0
                completion_tokens += record.usage.completion_tokens or 0
                if not record.cached:
                    if record.usage.latency_s is not None:
                        latencies.append(record.usage.latency_s)
                    if cost is not None:
                        cost = (
                            None if record.usage.cost_usd is None else cost + record.usage.cost_usd
                        )
            else:
                counts[record.status] += 1
                error = record.error
                errors.append(
                    ErrorEntry(
                        article_id=article.id,
                        sample=k,
                        kind=error.kind if error else "unknown",
                        message=error.message if error else "no error recorded",
                        status_code=error.status_code if error else None,
                        attempts=record.attempts,
                    )
                )
        for name in results[0].score.fields if results else ():
            fs = [r.score.fields[name] for r in results]
            pooled.setdefault(name, []).append(
                (sum(f.tp for f in fs), sum(f.n_gold for f in fs), sum(f.n_pred for f in fs))
            )
        articles.append(
            ArticleResult(
                article_id=article.id,
                title=article.meta.title,
                published=article.meta.published,
                overall=spread([r.score.overall for r in results]),
                samples=results,
            )
        )

    corpus_score = totals.result()
    complete = counts["failed"] == 0 and counts["skipped"] == 0
    return Report(
        run=run_info(spec, finished_at, complete, scoring, judge_stats),
        fields={
            name: FieldResult(**agg.model_dump(), f1_ci=f1_interval(pooled.get(name, [])))
            for name, agg in corpus_score.fields.items()
        },
        overall=corpus_score.overall,
        overall_spread=spread([agg.result().overall.micro for agg in per_sample]),
        grounding=corpus_score.grounding,
        articles=articles,
        errors=errors,
        usage=UsageSummary(
            calls=counts["ok"],
            cached_calls=counts["cached"],
            failed_calls=counts["failed"],
            skipped_calls=counts["skipped"],
            retries=retries,
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
            cost_usd=cost,
            latency_s=percentiles(latencies),
        ),
    )


def save_report(report: Report, path: Path) -> None:
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(report.model_dump_json(indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def write_report(
    folder: Path,
    spec: RunSpec,
    corpus: Corpus,
    *,
    finished_at: dt.datetime,
    scoring: ScoringConfig | None = None,
) -> Report:
    """Score the journal and write report.json; the run's --judge, if any, judges claims."""
    records = latest_records(folder / JOURNAL_FILE)
    config = spec.config
    with contextlib.ExitStack() as stack:
        judge = stats = None
        if config.judge:
            llm = stack.enter_context(
                LLMJudge(
                    config.judge,
                    cache_dir=config.cache_dir if config.cache else None,
                    timeout_s=config.timeout_s,
                    retries=config.retries,
                )
            )
            judge, stats = CachingJudge(llm), llm.stats
        report = build_report(
            spec,
            corpus,
            records,
            finished_at=finished_at,
            scoring=scoring,
            judge=judge,
            judge_stats=stats,
        )
    save_report(report, folder / REPORT_FILE)
    from harness.report.html import REPORT_HTML_FILE, write_report_html

    write_report_html(report, folder / REPORT_HTML_FILE)
    return report


def rebuild_report(
    folder: Path, gold: Path | None = None, judge: str | None = None
) -> tuple[Report, list[str]]:
    """Re-score a run from its journal with today's gold and scorer; no model is called.

    Returns the report and warnings (e.g. the gold changed since the run).
    """
    from harness.gold import load_corpus
    from harness.run.rundir import read_spec

    spec = read_spec(folder)
    if judge is not None:
        spec = spec.model_copy(update={"config": spec.config.model_copy(update={"judge": judge})})
    gold_dir = gold or spec.config.gold
    corpus = load_corpus(gold_dir, spec.article_ids)
    warnings = []
    if corpus.sha256 != spec.gold.sha256:
        warnings.append(
            f"gold in {gold_dir} differs from the run's (sha256 {spec.gold.sha256[:12]} -> "
            f"{corpus.sha256[:12]}); the report records the new gold"
        )
        spec = spec.model_copy(
            update={
                "gold": spec.gold.model_copy(
                    update={"path": str(gold_dir), "sha256": corpus.sha256}
                )
            }
        )
    report = write_report(folder, spec, corpus, finished_at=dt.datetime.now(dt.UTC))
    return report, warnings


__all__ = ["REPORT_FILE", "build_report", "rebuild_report", "save_report", "write_report"]
