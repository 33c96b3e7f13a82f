"""`evalsum run` as a library: plan, execute, journal, then score and report.

from harness.run import RunConfig, start_run
result = start_run(RunConfig(model="mock/oracle"))
print(result.folder, result.overall)
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import gc
import platform
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from harness import __version__, process, schemas
from harness.errors import InputError
from harness.gold.store import GoldStore
from harness.prompts import PromptTemplate, load_prompt
from harness.providers import (
    BUILTIN_PROVIDERS,
    CassetteRecorder,
    ModelClient,
    ModelConfigError,
    Provider,
    ProviderContext,
    ProviderError,
    RetryPolicy,
    call_limits,
    check_model,
    default_registry,
    estimate_prompt,
    open_model,
    supports_response_schema,
)
from harness.redact import redact_argv, without_credentials
from harness.run.cache import CachedResponse, ResponseCache
from harness.run.config import RunConfig
from harness.run.executor import Budget, CallOutcome, ExecutionStats, execute
from harness.run.journal import JOURNAL_FILE, Journal, latest_records
from harness.run.plan import Task, plan_tasks
from harness.run.progress import Progress
from harness.run.records import CallError, CallRecord
from harness.run.rundir import (
    EffectiveParameters,
    GoldInfo,
    PromptInfo,
    RunLock,
    RunSpec,
    create_run_dir,
    new_run_id,
    read_spec,
    write_spec,
)

if TYPE_CHECKING:
    from harness.report.build import ReportWriter
    from harness.report.models import Report
    from harness.report.problems import UnusableAnswers

RESPONSE_SCHEMA = "summary.schema.json"
# Settings a resumed run may change: they affect how calls are made, never what is asked.
RESUMABLE_OVERRIDES = (
    "api_base",  # credentials in it are never recorded, so a resume may have to give it again
    "concurrency",
    "timeout_s",
    "retries",
    "retry_base_delay_s",
    "retry_max_delay_s",
    "max_cost_usd",
    "cache",
    "cache_dir",
    # Where the inputs are, e.g. when resuming from another folder: their content may not
    # change (the sha256 checks in resume_run refuse a different gold corpus or prompt).
    "gold",
    "prompt",
    "prompts_dir",
)


class RunInterrupted(Exception):
    """Ctrl-C during a run: what finished is in the journal; the folder can be resumed."""

    def __init__(self, folder: Path, done: int) -> None:
        super().__init__(f"interrupted; {done} call(s) kept in {folder}")
        self.folder = folder
        self.done = done


@dataclass
class RunResult:
    folder: Path
    tasks: int
    ok_calls: int
    failed_calls: int
    skipped_calls: int
    cached_calls: int
    provider_calls: int
    budget_exhausted: bool
    spent_usd: float
    overall: float | None
    repaired_journal_lines: int = 0
    scores_reused: int = 0
    provider_attempts: int = 0  # requests sent this session, retries included
    report: Report | None = field(default=None, repr=False)
    unusable: UnusableAnswers | None = field(default=None, repr=False)

    def summary_text(self) -> str:
        """What `evalsum run` prints before the run folder (see harness.report.terminal)."""
        from harness.report.terminal import render_run

        return render_run(self)


def _litellm_version() -> str | None:
    try:
        return version("litellm")
    except PackageNotFoundError:
        return None


def _own_provider(config: RunConfig) -> Provider | None:
    """evalsum's own provider of the model (mock/, local/), or None. Only these are asked
    about fingerprints, gold and limits: resolving a litellm model could import litellm, which
    a fully cached run must not do."""
    if config.model.partition("/")[0] not in BUILTIN_PROVIDERS:
        return None
    return default_registry().resolve(config.model)


def provider_fingerprint(config: RunConfig) -> dict[str, Any]:
    """What, besides the request, changes a provider's answers (part of the cache key)."""
    provider = _own_provider(config)
    if provider is None:
        return {}
    return provider.fingerprint(config.model, ProviderContext(mock=config.mock))


def effective_parameters(config: RunConfig) -> EffectiveParameters:
    """What the provider will really use of what the run asks for."""
    cap_tokens = cap_calls = None
    if _own_provider(config) is not None:
        cap_tokens, cap_calls = call_limits(config.model, config.api_base)
    max_tokens, concurrency, notes = config.max_tokens, config.concurrency, []
    if cap_tokens is not None and (max_tokens is None or max_tokens > cap_tokens):
        notes.append(
            f"max_tokens: {max_tokens} asked for, {cap_tokens} used "
            f"({config.model} answers at most {cap_tokens} tokens)"
        )
        max_tokens = cap_tokens
    if cap_calls is not None and concurrency > cap_calls:
        notes.append(
            f"concurrency: {concurrency} asked for, {cap_calls} used "
            f"({config.model} answers {cap_calls} call(s) at a time)"
        )
        concurrency = cap_calls
    return EffectiveParameters(max_tokens=max_tokens, concurrency=concurrency, notes=notes)


def answers_from_gold(config: RunConfig) -> bool:
    """Whether the model answers from gold (a mock): then each cache key holds the gold."""
    provider = _own_provider(config)
    return provider is not None and provider.answers_from_gold(config.model)


def _open_cache(config: RunConfig) -> ResponseCache | None:
    if not config.cache:
        return None
    try:
        return ResponseCache(config.cache_dir)
    except OSError as exc:
        raise InputError(
            f"cannot open the response cache in {config.cache_dir}: {exc}",
            hint="pass --cache-dir with a writable folder, or --no-cache",
        ) from None


def decide_send_schema(
    config: RunConfig, cache: ResponseCache | None, *, calls: bool = True
) -> bool:
    """Whether to send the schema as response_format (else it goes into the prompt)."""
    if cache is not None:
        known = cache.supports_schema(config.model, config.api_base)
        if known is not None:
            return known
    check_model(config.model, config.api_base, mock=config.mock, calls=calls)
    value = supports_response_schema(config.model, config.api_base)
    if cache is not None:
        cache.remember_supports_schema(config.model, config.api_base, value)
    return value


@dataclass
class Prepared:
    corpus: GoldStore
    template: PromptTemplate
    tasks: list[Task]


def prepare(config: RunConfig, cache: ResponseCache | None, *, calls: bool = True) -> Prepared:
    """`calls=False` for a dry run: the model must exist, but no credentials are needed."""
    # Read on demand: planning reads every article once (so broken gold is found before any
    # call), and the calls and the scoring read it again if it has left the store's cache.
    corpus = GoldStore.open(config.gold, config.articles)
    if not corpus.ids:
        raise InputError(
            f"the gold folder {config.gold.resolve()} has no articles "
            "(add one with evalsum gold new, or pass --gold DIR)"
        )
    template = load_prompt(config.prompt, config.prompts_dir)
    if config.judge:
        # A judge that cannot be called must fail before any call.
        check_model(config.judge, calls=calls)
    send_schema = decide_send_schema(config, cache, calls=calls)
    tasks = plan_tasks(
        corpus,
        template,
        config,
        schema=schemas.load(RESPONSE_SCHEMA),
        send_schema=send_schema,
        provider_fingerprint=provider_fingerprint(config),
        answers_from_gold=answers_from_gold(config),
    )
    return Prepared(corpus, template, tasks)


def make_caller(client: ModelClient, policy: RetryPolicy, recorder: CassetteRecorder | None) -> Any:
    async def call(task: Task) -> CallOutcome:
        try:
            result, attempts = await client.complete_with_retries(task.request, policy)
        except ProviderError as exc:
            return CallOutcome(
                response=None,
                attempts=exc.attempts or 1,
                error=CallError(
                    kind=exc.kind,
                    message=exc.message,
                    retryable=exc.retryable,
                    status_code=exc.status_code,
                ),
            )
        if recorder is not None:
            recorder.record(task.request, result)
        return CallOutcome(
            response=CachedResponse(
                text=result.text,
                finish_reason=result.finish_reason,
                prompt_tokens=result.prompt_tokens,
                completion_tokens=result.completion_tokens,
                cost_usd=result.cost_usd,
                latency_s=result.latency_s,
            ),
            attempts=attempts,
        )

    return call


class _BackgroundScoring:
    """Scores finished articles between calls: one article, then a turn for the event loop, so
    answers arriving meanwhile are handled promptly and the calls keep their pace."""

    def __init__(self, writer: ReportWriter) -> None:
        self.writer = writer
        self._wake = asyncio.Event()
        self._stopping = False

    def notify(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        while not self._stopping:
            await self._wake.wait()
            self._wake.clear()
            while not self._stopping and self.writer.score_ready(limit=1):
                await asyncio.sleep(0)

    def stop(self) -> None:
        # What is left is scored by the writer's finish, outside the event loop.
        self._stopping = True
        self._wake.set()


async def _execute_async(
    todo: Sequence[Task],
    config: RunConfig,
    corpus: GoldStore,
    journal: Journal,
    cache: ResponseCache | None,
    budget: Budget,
    on_record: Callable[[CallRecord], None],
    scoring: _BackgroundScoring,
) -> ExecutionStats:
    background = asyncio.create_task(scoring.run())
    try:
        return await _calls(todo, config, corpus, journal, cache, budget, on_record)
    finally:
        scoring.stop()
        await background


async def _calls(
    todo: Sequence[Task],
    config: RunConfig,
    corpus: GoldStore,
    journal: Journal,
    cache: ResponseCache | None,
    budget: Budget,
    on_record: Callable[[CallRecord], None],
) -> ExecutionStats:
    common = dict(
        cache=cache,
        journal=journal,
        concurrency=config.concurrency,
        budget=budget,
        model=config.model,
        on_record=on_record,
    )
    if cache is not None and all(cache.contains(t.key) for t in todo):
        # Served wholly from the cache: no provider is opened, litellm is never imported.
        return await execute(todo, call=None, **common)  # type: ignore[arg-type]
    policy = RetryPolicy(
        max_retries=config.retries,
        base_delay_s=config.retry_base_delay_s,
        max_delay_s=config.retry_max_delay_s,
    )
    with contextlib.ExitStack() as stack:
        recorder = stack.enter_context(CassetteRecorder(config.record)) if config.record else None
        client = stack.enter_context(
            open_model(config.model, api_base=config.api_base, corpus=corpus, mock=config.mock)
        )
        caller = make_caller(client, policy, recorder)
        return await execute(todo, call=caller, **common)  # type: ignore[arg-type]


def _execute(
    folder: Path,
    spec: RunSpec,
    config: RunConfig,
    prepared: Prepared,
    todo: Sequence[Task],
    cache: ResponseCache | None,
) -> RunResult:
    """Make the calls, scoring each article as soon as its answers are in (the report
    writer works while the run waits on the model), then write the report."""
    from harness.report.build import ReportWriter  # scoring's imports: only for a run

    if process.owns_process:
        # What is alive now (imports, planned tasks, loaded gold) lives as long as the run:
        # out of the cyclic collector's way (see load_litellm, which does the same).
        gc.freeze()
    budget = Budget(cap_usd=config.max_cost_usd)
    writer = ReportWriter(folder, spec, prepared.corpus, expected=[t.ref for t in todo])
    scoring = _BackgroundScoring(writer)
    try:
        with Journal.open(folder / JOURNAL_FILE) as journal, Progress(len(todo)) as progress:

            def on_record(record: CallRecord) -> None:
                progress.update(record)
                writer.add_record(record)
                scoring.notify()

            try:
                stats = asyncio.run(
                    _execute_async(
                        todo, config, prepared.corpus, journal, cache, budget, on_record, scoring
                    )
                )
            except KeyboardInterrupt:
                raise RunInterrupted(folder, progress.done + progress.failed) from None
            repaired = journal.repaired
        report = writer.finish(dt.datetime.now(dt.UTC))
    finally:
        writer.close()  # after an error: no half-written report is left behind
    usage = report.usage
    return RunResult(
        folder=folder,
        tasks=len(prepared.tasks),
        ok_calls=usage.calls,
        failed_calls=usage.failed_calls,
        skipped_calls=usage.skipped_calls,
        cached_calls=stats.cached,
        provider_calls=stats.calls,
        budget_exhausted=budget.exhausted,
        spent_usd=budget.spent_usd,
        overall=report.overall_score,
        repaired_journal_lines=repaired,
        scores_reused=writer.scores_reused,
        provider_attempts=stats.attempts,
        report=report,
        unusable=writer.unusable,
    )


def announce(folder: Path) -> None:
    """Say where the run writes before the first call, so a crash still leaves a known folder."""
    print(f"run folder: {folder}", file=sys.stderr, flush=True)


def start_run(config: RunConfig, *, command_line: Sequence[str] = ()) -> RunResult:
    cache = _open_cache(config)
    try:
        prepared = prepare(config, cache)
        run_id = new_run_id(config.model, config.prompt)
        folder = create_run_dir(config.out, run_id)
        spec = RunSpec(
            run_id=run_id,
            config=config.model_copy(update={"api_base": without_credentials(config.api_base)}),
            prompt=PromptInfo(
                name=prepared.template.name,
                path=str(prepared.template.path),
                sha256=prepared.template.sha256,
            ),
            gold=GoldInfo(
                path=str(config.gold),
                sha256=prepared.corpus.sha256,
                articles=len(prepared.corpus),
            ),
            article_ids=list(prepared.corpus.ids),
            evalsum_version=__version__,
            litellm_version=_litellm_version(),
            python_version=platform.python_version(),
            command_line=redact_argv(command_line),
            started_at=dt.datetime.now(dt.UTC),
            effective=effective_parameters(config),
        )
        with RunLock(folder):
            write_spec(folder, spec)
            announce(folder)
            return _execute(folder, spec, config, prepared, prepared.tasks, cache)
    finally:
        if cache is not None:
            cache.close()


def resume_run(
    folder: Path,
    *,
    command_line: Sequence[str] = (),
    overrides: dict[str, Any] | None = None,
) -> RunResult:
    """Finish a run: only tasks without a successful journal record are called."""
    spec = read_spec(folder)
    changes = {k: v for k, v in (overrides or {}).items() if k in RESUMABLE_OVERRIDES}
    config = spec.config.model_copy(update=changes)
    with RunLock(folder):
        cache = _open_cache(config)
        try:
            prepared = prepare(config.model_copy(update={"articles": spec.article_ids}), cache)
            if prepared.corpus.sha256 != spec.gold.sha256:
                raise InputError(
                    f"the gold corpus in {config.gold.resolve()} changed since this run started "
                    f"(sha256 {spec.gold.sha256[:12]} -> {prepared.corpus.sha256[:12]})",
                    hint="resuming would mix answers to different gold; start a new run",
                )
            if prepared.template.sha256 != spec.prompt.sha256:
                found = prepared.template.path
                raise InputError(
                    f"the prompt {spec.prompt.path} changed since this run started "
                    f"(found {found.resolve()}: sha256 {spec.prompt.sha256[:12]} -> "
                    f"{prepared.template.sha256[:12]})",
                    hint="resuming would mix answers to different prompts; start a new run",
                )
            with Journal.open(folder / JOURNAL_FILE) as journal:  # repairs a torn last line
                repaired_before = journal.repaired
            done = {k for k, r in latest_records(folder / JOURNAL_FILE).items() if r.status == "ok"}
            todo = [t for t in prepared.tasks if t.ref not in done]
            recorded = config.model_copy(update={"api_base": without_credentials(config.api_base)})
            # The report describes this session's settings (--concurrency, --retries ... may
            # have been changed on resume), as run.json does; gold and prompt have the same
            # content (checked above) but may have been found elsewhere: record where now.
            spec = spec.model_copy(
                update={
                    "config": recorded,
                    "effective": effective_parameters(config),
                    "gold": spec.gold.model_copy(update={"path": str(config.gold)}),
                    "prompt": spec.prompt.model_copy(update={"path": str(prepared.template.path)}),
                }
            )
            write_spec(folder, spec)
            announce(folder)
            result = _execute(folder, spec, config, prepared, todo, cache)
            result.repaired_journal_lines += repaired_before
            return result
        finally:
            if cache is not None:
                cache.close()


@dataclass
class DryRunEstimate:
    model: str
    calls: int
    cached: int
    prompt_tokens: int
    cost_usd: float | None
    max_cost_usd: float | None
    # What a real run would still need (a missing API key): said, not raised, since a dry
    # run calls nothing.
    notes: tuple[str, ...] = ()

    def render(self) -> str:
        def money(value: float | None) -> str:
            return "unknown (no price for this model)" if value is None else f"${value:.4f}"

        return (
            f"dry run for {self.model}: {self.calls} call(s) "
            f"({self.cached} already cached, not counted below)\n"
            f"prompt tokens: {self.prompt_tokens}\n"
            f"estimated cost of prompts: {money(self.cost_usd)}\n"
            f"upper bound with max-tokens answers: {money(self.max_cost_usd)}"
        ) + "".join(f"\nnote: {note}" for note in self.notes)


def _unmet_for_calls(config: RunConfig) -> tuple[str, ...]:
    notes = []
    for model, api_base in ((config.model, config.api_base), (config.judge, None)):
        if model is None:
            continue
        try:
            check_model(model, api_base, mock=config.mock)
        except ModelConfigError as exc:
            notes.append(f"a real run would stop here: {exc.message}")
    return tuple(notes)


def dry_run_estimate(config: RunConfig) -> DryRunEstimate:
    cache = _open_cache(config)
    try:
        prepared = prepare(config, cache, calls=False)
        todo = [t for t in prepared.tasks if cache is None or cache.get(t.key) is None]
        tokens, cost, max_cost = 0, 0.0, 0.0
        cost_known = max_known = True
        for task in todo:
            estimate = estimate_prompt(task.request)
            tokens += estimate.prompt_tokens
            if estimate.cost_usd is None:
                cost_known = False
            else:
                cost += estimate.cost_usd
            if estimate.max_cost_usd is None:
                max_known = False
            else:
                max_cost += estimate.max_cost_usd
        return DryRunEstimate(
            model=config.model,
            calls=len(todo),
            cached=len(prepared.tasks) - len(todo),
            prompt_tokens=tokens,
            cost_usd=cost if cost_known else None,
            max_cost_usd=max_cost if max_known else None,
            notes=_unmet_for_calls(config),
        )
    finally:
        if cache is not None:
            cache.close()


__all__ = [
    "DryRunEstimate",
    "RunInterrupted",
    "RunResult",
    "dry_run_estimate",
    "resume_run",
    "start_run",
]
