"""Building report.json from a run's journal: parse, score, aggregate, summarise usage.

The report is derived data: `evalsum report RUN_DIR` rebuilds it from the journal at any time
(after a gold fix or a scorer change) without calling a model.

`write_report` streams: each article is scored and written to disk as it comes, and the
journal's raw answers are read one at a time, so memory does not grow with the corpus (a
10,000-article report.json is hundreds of MB; an article's results take some 350 KB as
objects). The report it returns holds a small run's articles in memory and reads a large run's
back from report.json when they are used.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import os
import shutil
import statistics
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import overload

from harness.gold import Corpus, GoldArticle, gold_digest
from harness.gold.agreement import double_annotated
from harness.gold.agreement import measure as measure_agreement
from harness.judge import JudgeStats, LLMJudge
from harness.output import parse_output
from harness.redact import redact_argv, without_credentials
from harness.report.models import (
    MIN_ARTICLES_FOR_INTERVAL,
    AnnotatorAgreement,
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
from harness.report.problems import UnusableAnswers
from harness.report.score_cache import ScoreCache, ScoredAnswer, answer_key, open_score_cache
from harness.run.journal import JOURNAL_FILE, JournalIndex
from harness.run.records import CallRecord
from harness.run.rundir import RunSpec
from harness.scoring import Aggregator, ScoringConfig, score_article
from harness.scoring.judge import CachingJudge, ClaimJudge
from harness.scoring.score import cached_config_id

REPORT_FILE = "report.json"
# Up to this many article samples, the report returned keeps its articles in memory (at most
# some 200 MB); beyond it, they are read back from report.json when used.
IN_MEMORY_SAMPLES = 500
# Answers a ReportWriter keeps in memory while their articles wait to be scored (some 30 KB
# each); the others are read back from the journal.
FRESH_RECORDS = 256


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


def f1_intervals(
    per_article: Mapping[str, list[tuple[float, int, int]]], resamples: int = 2000, seed: int = 0
) -> dict[str, Interval | None]:
    """Bootstrap intervals of each field's pooled F1 from per-article (tp, n_gold, n_pred).

    Every field is resampled with the same draws of articles (as if each field were
    bootstrapped alone from the same seed), gathered once for all fields.
    """
    sizes = {len(rows) for rows in per_article.values()}
    if len(sizes) != 1 or (n := sizes.pop()) < MIN_ARTICLES_FOR_INTERVAL:
        return {name: f1_interval(rows, resamples, seed) for name, rows in per_article.items()}
    import numpy as np

    names = list(per_article)
    # articles x (fields x 3): one gather per block of resamples serves every field.
    counts = np.concatenate([np.asarray(per_article[f], dtype=float) for f in names], axis=1)
    sums = _resampled_sums(counts, n, resamples, seed)
    intervals: dict[str, Interval | None] = {}
    for k, name in enumerate(names):
        intervals[name] = _interval(sums[:, 3 * k : 3 * k + 3])
    return intervals


def _resampled_sums(counts, n: int, resamples: int, seed: int):  # type: ignore[no-untyped-def]
    import numpy as np

    rng = np.random.default_rng(seed)
    # In blocks of resamples: all at once is resamples x articles x columns floats (1.9 GB at
    # 10,000 articles and 12 columns); a block is at most some 24 MB. Successive draws continue
    # the same random stream, so the numbers do not depend on the block size.
    block = max(1, min(100, 3_000_000 // max(1, n * counts.shape[1])))
    return np.concatenate(
        [
            counts[rng.integers(0, n, (min(block, resamples - start), n))].sum(axis=1)
            for start in range(0, resamples, block)
        ]
    )


def _interval(sums) -> Interval:  # type: ignore[no-untyped-def]
    import numpy as np

    den = sums[:, 1] + sums[:, 2]
    f1 = np.where(den > 0, 2 * sums[:, 0] / np.where(den > 0, den, 1), 1.0)
    low, high = np.percentile(f1, [2.5, 97.5])
    return Interval(low=float(low), high=float(high))


def f1_interval(
    per_article: list[tuple[float, int, int]], resamples: int = 2000, seed: int = 0
) -> Interval | None:
    """Bootstrap interval of pooled F1 from per-article (tp, n_gold, n_pred)."""
    if len(per_article) < MIN_ARTICLES_FOR_INTERVAL:
        return None
    import numpy as np

    counts = np.asarray(per_article, dtype=float)
    return _interval(_resampled_sums(counts, len(counts), resamples, seed))


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
        effective_parameters=spec.effective,
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
    scores: ScoreCache | None = None,
    article_digest: str = "",
) -> SampleResult:
    ok = record is not None and record.status == "ok"
    raw = record.raw if ok else None  # type: ignore[union-attr]
    truncated = ok and record.finish_reason == "length"  # type: ignore[union-attr]
    key = None
    scored = None
    # Only answers are looked up: "already scored" must mean an answer was, and an absent one
    # scores as an empty prediction at no cost.
    if scores is not None and judge is None and ok:
        key = answer_key(cached_config_id(scoring), article_digest, raw, truncated)
        scored = scores.get(key)
    if scored is None:
        scored = _score_answer(raw if ok else None, ok, truncated, article, scoring, judge)
        if key is not None:
            scores.put(key, scored)  # type: ignore[union-attr]
    output_status, prediction, score = scored.output_status, scored.prediction, scored.score
    if record is None:
        return SampleResult(
            sample=sample, status="missing", output_status=None, prediction=None, score=score
        )
    return SampleResult(
        sample=sample,
        status=record.status,
        output_status=output_status,
        finish_reason=record.finish_reason,
        prediction=prediction,
        parse_errors=scored.parse_errors,
        parse_warnings=scored.parse_warnings,
        error=record.error,
        usage=record.usage,
        attempts=record.attempts,
        retries=record.retries,
        cached=record.cached,
        prompt_sha256=record.prompt_sha256,
        score=score,
        raw=record.raw,
    )


def _score_answer(
    raw: str | None,
    answered: bool,
    truncated: bool,
    article,
    scoring: ScoringConfig,
    judge: ClaimJudge | None,
) -> ScoredAnswer:
    parsed = None
    if answered:
        parsed = parse_output(raw, truncated=truncated, published=article.meta.published)
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
    return ScoredAnswer.model_construct(
        output_status=parsed.status if parsed else None,
        prediction=prediction,
        parse_errors=parsed.errors if parsed else [],
        parse_warnings=parsed.warnings if parsed else [],
        score=score,
    )


# The gold article as scoring sees it: a key part of the score cache.
article_digest = gold_digest


Records = Mapping[tuple[str, int], CallRecord]


class _ReportBuilder:
    """Scores articles one at a time; keeps running totals, never the articles themselves."""

    def __init__(
        self,
        spec: RunSpec,
        scoring: ScoringConfig,
        judge: ClaimJudge | None,
        scores: ScoreCache | None = None,
    ) -> None:
        self.spec = spec
        self.scoring = scoring
        self.judge = judge
        self.scores = scores
        self.samples = spec.config.samples
        self.totals = Aggregator(scoring)
        self.per_sample = [Aggregator(scoring) for _ in range(self.samples)]
        self.errors: list[ErrorEntry] = []
        self.latencies: list[float] = []
        self.prompt_tokens = self.completion_tokens = self.retries = 0
        self.cost: float | None = 0.0
        self.counts = {"ok": 0, "cached": 0, "failed": 0, "skipped": 0}
        self.unusable = UnusableAnswers()
        # field -> per-article pooled (tp, n_gold, n_pred), for the intervals.
        self.pooled: dict[str, list[tuple[float, int, int]]] = {}

    def add(self, article, records: Records) -> ArticleResult:
        counts = self.counts
        results = []
        scores = self.scores if self.judge is None else None
        digest = article_digest(article) if scores is not None else ""
        for k in range(self.samples):
            record = records.get((article.id, k))
            result = sample_result(
                record,
                k,
                article=article,
                scoring=self.scoring,
                judge=self.judge,
                scores=scores,
                article_digest=digest,
            )
            results.append(result)
            self.unusable.add(article.id, result)
            self.totals.add(result.score)
            self.per_sample[k].add(result.score)
            if record is None:
                counts["skipped"] += 1
                self.errors.append(
                    ErrorEntry(
                        article_id=article.id,
                        sample=k,
                        kind="missing",
                        message="no answer: never called (an interrupted run: resume "
                        "it) or no prediction file",
                    )
                )
                continue
            self.retries += record.retries
            if record.status == "ok":
                counts["ok"] += 1
                counts["cached"] += record.cached
                self.prompt_tokens += record.usage.prompt_tokens or 0
                self.completion_tokens += record.usage.completion_tokens or 0
                if not record.cached:
                    if record.usage.latency_s is not None:
                        self.latencies.append(record.usage.latency_s)
                    if self.cost is not None:
                        self.cost = (
                            None
                            if record.usage.cost_usd is None
                            else self.cost + record.usage.cost_usd
                        )
            else:
                counts[record.status] += 1
                error = record.error
                self.errors.append(
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
            self.pooled.setdefault(name, []).append(
                (sum(f.tp for f in fs), sum(f.n_gold for f in fs), sum(f.n_pred for f in fs))
            )
        return ArticleResult(
            article_id=article.id,
            title=article.meta.title,
            published=article.meta.published,
            overall=spread([r.score.overall for r in results]),
            samples=results,
        )

    def report(
        self,
        finished_at: dt.datetime,
        articles: list[ArticleResult],
        judge_stats: JudgeStats | None = None,
    ) -> Report:
        counts = self.counts
        corpus_score = self.totals.result()
        intervals = f1_intervals({name: self.pooled.get(name, []) for name in corpus_score.fields})
        complete = counts["failed"] == 0 and counts["skipped"] == 0
        return Report(
            run=run_info(self.spec, finished_at, complete, self.scoring, judge_stats),
            fields={
                name: FieldResult(**agg.model_dump(), f1_ci=intervals.get(name))
                for name, agg in corpus_score.fields.items()
            },
            overall=corpus_score.overall,
            overall_spread=spread([agg.result().overall.micro for agg in self.per_sample]),
            grounding=corpus_score.grounding,
            articles=articles,
            errors=self.errors,
            usage=UsageSummary(
                calls=counts["ok"],
                cached_calls=counts["cached"],
                failed_calls=counts["failed"],
                skipped_calls=counts["skipped"],
                retries=self.retries,
                prompt_tokens=self.prompt_tokens,
                completion_tokens=self.completion_tokens,
                cost_usd=self.cost,
                latency_s=percentiles(self.latencies),
            ),
        )


def build_report(
    spec: RunSpec,
    corpus: Corpus,
    records: Records,
    *,
    finished_at: dt.datetime,
    scoring: ScoringConfig | None = None,
    judge: ClaimJudge | None = None,
    judge_stats: JudgeStats | None = None,
) -> Report:
    """The whole report in memory (see `write_report` for a large corpus)."""
    builder = _ReportBuilder(spec, scoring or ScoringConfig(), judge)
    articles = [builder.add(article, records) for article in corpus.articles]
    return builder.report(finished_at, articles, judge_stats)


# report.json is `Report.model_dump_json(indent=1)`; with no articles, this is their place.
_NO_ARTICLES = b'\n "articles": [],\n'
_OPEN_ARTICLES = b'\n "articles": [\n'
_CLOSE_ARTICLES = b"\n ],\n"


class _ArticleSpill:
    """Article results written as they come, in the bytes report.json will hold them: each
    one as `Report.model_dump_json(indent=1)` nests it, two levels deep."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fh = path.open("wb")
        self.spans: list[tuple[int, int]] = []  # (offset, size) of each article
        self._size = 0

    def add(self, article: ArticleResult) -> None:
        # JSON strings escape their newlines, so every newline here is indentation.
        chunk = b"  " + article.__pydantic_serializer__.to_json(article, indent=1).replace(
            b"\n", b"\n  "
        )
        if self.spans:
            self._fh.write(b",\n")
            self._size += 2
        self._fh.write(chunk)
        self.spans.append((self._size, len(chunk)))
        self._size += len(chunk)

    def save(self, report: Report, path: Path) -> StoredArticles:
        """Write report.json: `report` (without articles) with the spilled articles in place."""
        self._fh.close()
        head, found, tail = report.model_dump_json(indent=1).encode().partition(_NO_ARTICLES)
        if not found or report.articles:
            raise ValueError("the report to save must have no articles of its own")
        tmp = path.with_suffix(".json.tmp")
        with tmp.open("wb") as out:
            out.write(head)
            if self.spans:
                out.write(_OPEN_ARTICLES)
                base = out.tell()
                with self.path.open("rb") as spilled:
                    shutil.copyfileobj(spilled, out, 1 << 20)
                out.write(_CLOSE_ARTICLES)
            else:
                base = 0
                out.write(_NO_ARTICLES)
            out.write(tail + b"\n")
        os.replace(tmp, path)
        return StoredArticles(path, [(base + offset, size) for offset, size in self.spans])

    def close(self) -> None:
        self._fh.close()
        self.path.unlink(missing_ok=True)

    def __enter__(self) -> _ArticleSpill:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class StoredArticles(Sequence[ArticleResult]):
    """A report's articles, read back from report.json one at a time when used."""

    def __init__(self, path: Path, spans: list[tuple[int, int]]) -> None:
        self.path = path
        self.spans = spans

    def __len__(self) -> int:
        return len(self.spans)

    @overload
    def __getitem__(self, index: int) -> ArticleResult: ...
    @overload
    def __getitem__(self, index: slice) -> list[ArticleResult]: ...
    def __getitem__(self, index: int | slice) -> ArticleResult | list[ArticleResult]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        offset, size = self.spans[index]
        with self.path.open("rb") as fh:
            fh.seek(offset)
            return ArticleResult.model_validate_json(fh.read(size))

    def __iter__(self) -> Iterator[ArticleResult]:
        with self.path.open("rb") as fh:
            for offset, size in self.spans:
                fh.seek(offset)
                yield ArticleResult.model_validate_json(fh.read(size))


def save_report(report: Report, path: Path) -> None:
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(report.model_dump_json(indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, path)


class ReportWriter:
    """Scores a run's articles while its calls are still being made, and writes its report.

    Feed it each journal record as it is written (`add_record`) and let it score what is ready
    (`score_ready`): an article is scored and written to the spill once it and every article
    before it in corpus order have their answers, so the report is the same whatever order the
    calls finish in, and the scoring fills the time the run spends waiting on the model.
    Records that are not fed in (earlier sessions of a resumed run, or a report rebuilt from
    the journal) are read from the journal.

    With a judge, scoring calls a model itself, which cannot happen inside the run's event
    loop: then every article is scored in `finish`, after the calls.
    """

    def __init__(
        self,
        folder: Path,
        spec: RunSpec,
        corpus: Corpus | Sequence[GoldArticle],
        *,
        scoring: ScoringConfig | None = None,
        expected: Iterable[tuple[str, int]] = (),
    ) -> None:
        self.folder = folder
        self.spec = spec
        self.scoring = scoring or ScoringConfig()
        self.articles: Sequence[GoldArticle] = getattr(corpus, "articles", corpus)
        # A GoldStore knows its ids without loading its articles.
        ids = getattr(self.articles, "ids", None)
        self._order: list[str] = list(ids) if ids is not None else [a.id for a in self.articles]
        self._stack = contextlib.ExitStack()
        # Lines already in the journal: earlier sessions' answers, read when their article is.
        self._earlier = self._stack.enter_context(JournalIndex(folder / JOURNAL_FILE))
        self._spill = self._stack.enter_context(
            _ArticleSpill(folder / f"{REPORT_FILE}.articles.tmp")
        )
        self._waiting: dict[str, set[int]] = {}
        for article_id, sample in expected:
            self._waiting.setdefault(article_id, set()).add(sample)
        # Records fed in and not yet scored. Beyond FRESH_RECORDS (scoring lags when calls
        # come back faster than articles are scored) they are left to the journal, read again
        # when their article is scored, so memory does not grow with the run.
        self._fresh: dict[tuple[str, int], CallRecord] = {}
        self._journal_only: set[tuple[str, int]] = set()
        self._next = 0
        self._judged = bool(spec.config.judge)
        scores = None
        if spec.config.cache and not spec.config.judge:
            scores = open_score_cache(spec.config.cache_dir)
            if scores is not None:
                self._stack.enter_context(scores)
        self._builder = _ReportBuilder(spec, self.scoring, None, scores)
        self._keep = len(self._order) * spec.config.samples <= IN_MEMORY_SAMPLES
        self._kept: list[ArticleResult] = []
        from harness.report.html.render import ReportPage

        self._page = ReportPage(len(self._order), self.scoring.overall.metric)

    @property
    def scores_reused(self) -> int:
        """Answers whose score came from the score cache."""
        scores = self._builder.scores
        return scores.hits if scores is not None else 0

    @property
    def unusable(self) -> UnusableAnswers:
        """Answers that came back but could not be used, by reason (so far)."""
        return self._builder.unusable

    @property
    def scored(self) -> int:
        """Articles scored and written so far."""
        return self._next

    def add_record(self, record: CallRecord) -> None:
        """A record just journaled; `score_ready` then scores whatever it completes."""
        if len(self._fresh) < FRESH_RECORDS:
            self._fresh[record.key] = record
        else:
            self._fresh.pop(record.key, None)  # an older record of the key must not win
            self._journal_only.add(record.key)
        waiting = self._waiting.get(record.article_id)
        if waiting is not None:
            waiting.discard(record.sample)

    def score_ready(self, limit: int | None = None) -> int:
        """Score up to `limit` articles whose answers, and all before them, are in; returns
        how many were scored. With a judge nothing is scored before `finish`."""
        if self._judged:
            return 0
        return self._advance(until_waiting=True, limit=limit)

    def _advance(self, *, until_waiting: bool, limit: int | None = None) -> int:
        order, waiting = self._order, self._waiting
        done = 0
        while self._next < len(order) and (limit is None or done < limit):
            article_id = order[self._next]
            if until_waiting and waiting.get(article_id):
                break
            self._score(self.articles[self._next])
            self._next += 1
            done += 1
        return done

    def _score(self, article: GoldArticle) -> None:
        records: dict[tuple[str, int], CallRecord] = {}
        for k in range(self.spec.config.samples):
            key = (article.id, k)
            record = self._fresh.pop(key, None)
            if record is None:
                if key in self._journal_only:
                    # Journaled this session but not kept: index the lines written since.
                    self._journal_only.discard(key)
                    self._earlier.refresh()
                record = self._earlier.get(key)
            if record is not None:
                records[key] = record
        result = self._builder.add(article, records)
        self._spill.add(result)
        self._page.add(result)
        if self._keep:
            self._kept.append(result)

    def finish(self, finished_at: dt.datetime) -> Report:
        """Score what is left, write report.json and report.html, and return the report.

        The report returned keeps its articles in memory up to `IN_MEMORY_SAMPLES` samples,
        else reads them back from report.json when they are used (see `StoredArticles`).
        """
        config = self.spec.config
        path = self.folder / REPORT_FILE
        with self._stack:
            stats = None
            if config.judge:
                llm = self._stack.enter_context(
                    LLMJudge(
                        config.judge,
                        cache_dir=config.cache_dir if config.cache else None,
                        timeout_s=config.timeout_s,
                        retries=config.retries,
                    )
                )
                self._builder.judge, stats = CachingJudge(llm), llm.stats
            self._advance(until_waiting=False)
            summary = self._builder.report(finished_at, [], stats)
            summary = summary.model_copy(update={"agreement": self._agreement()})
            stored = self._spill.save(summary, path)
        # Validation would read every article back; they were valid when written.
        articles = self._kept if self._keep else stored
        report = Report.model_construct(**{**dict(summary), "articles": articles})
        from harness.report.html import REPORT_HTML_FILE

        self._page.write(report, self.folder / REPORT_HTML_FILE)
        return report

    def _agreement(self) -> AnnotatorAgreement | None:
        root = Path(self.spec.config.gold)
        twice = set(double_annotated(root, self._order))
        if not twice:
            return None
        # A GoldStore reads an article by id; a plain sequence is searched.
        store = getattr(self.articles, "get", None)
        if callable(store):
            articles = [store(i) for i in self._order if i in twice]
        else:
            articles = [a for a in self.articles if a.id in twice]
        measured = measure_agreement(root, articles)
        if measured is None:
            return None
        return AnnotatorAgreement(
            articles=[a.article_id for a in measured.articles], fields=measured.ceiling
        )

    def close(self) -> None:
        """Give up (an interrupted run): the spill is removed, report.json is not written."""
        self._stack.close()

    def __enter__(self) -> ReportWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def write_report(
    folder: Path,
    spec: RunSpec,
    corpus: Corpus | Sequence[GoldArticle],
    *,
    finished_at: dt.datetime,
    scoring: ScoringConfig | None = None,
) -> Report:
    """Score the journal and write report.json and report.html; the run's --judge, if any,
    judges claims. Articles are scored and written one at a time (see `ReportWriter`)."""
    with ReportWriter(folder, spec, corpus, scoring=scoring) as writer:
        return writer.finish(finished_at)


def rebuild_report(
    folder: Path, gold: Path | None = None, judge: str | None = None
) -> tuple[Report, list[str]]:
    """Re-score a run from its journal with today's gold and scorer; no model is called.

    Returns the report and warnings (e.g. the gold changed since the run).
    """
    from harness.gold.store import GoldStore
    from harness.run.rundir import read_spec

    spec = read_spec(folder)
    if judge is not None:
        spec = spec.model_copy(update={"config": spec.config.model_copy(update={"judge": judge})})
    gold_dir = gold or spec.config.gold
    corpus = GoldStore.open(gold_dir, spec.article_ids)
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


__all__ = [
    "REPORT_FILE",
    "ReportWriter",
    "StoredArticles",
    "build_report",
    "rebuild_report",
    "save_report",
    "write_report",
]
