"""Executing planned tasks: cache first, then the provider with bounded concurrency.

Every finished task is journaled at once, so an interruption loses at most the calls that
were in flight. A failure is a record like any other; the run goes on.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from harness.run.cache import CachedResponse, ResponseCache
from harness.run.journal import Journal
from harness.run.plan import Task
from harness.run.records import CallError, CallRecord, Usage


@dataclass
class CallOutcome:
    """What a provider call returned, in the run's own terms."""

    response: CachedResponse | None
    attempts: int
    error: CallError | None = None


Caller = Callable[[Task], Awaitable[CallOutcome]]
Listener = Callable[[CallRecord], None]


@dataclass
class Budget:
    """--max-cost: stop starting new calls once the spend reaches the cap."""

    cap_usd: float | None
    spent_usd: float = 0.0
    exhausted: bool = False

    def allows_new_call(self) -> bool:
        if self.cap_usd is not None and self.spent_usd >= self.cap_usd:
            self.exhausted = True
        return not self.exhausted

    def add(self, cost: float | None) -> None:
        if cost:
            self.spent_usd += cost


@dataclass
class ExecutionStats:
    done: int = 0
    failed: int = 0
    cached: int = 0
    skipped: int = 0
    calls: int = 0  # tasks sent to the provider
    attempts: int = 0  # requests sent for them, retries included


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _record(task: Task, **values: object) -> CallRecord:
    return CallRecord(
        article_id=task.article_id,
        sample=task.sample,
        request_sha256=task.key,
        prompt_sha256=task.prompt_sha256,
        finished_at=_now(),
        **values,  # type: ignore[arg-type]
    )


def record_from_response(
    task: Task, response: CachedResponse, attempts: int, cached: bool
) -> CallRecord:
    return _record(
        task,
        status="ok",
        raw=response.text,
        finish_reason=response.finish_reason,
        usage=Usage(
            prompt_tokens=response.prompt_tokens,
            completion_tokens=response.completion_tokens,
            cost_usd=0.0 if cached else response.cost_usd,
            # A cache hit took no model time; its original latency would distort percentiles.
            latency_s=None if cached else response.latency_s,
        ),
        attempts=attempts,
        retries=max(0, attempts - 1),
        cached=cached,
    )


async def execute(
    tasks: Sequence[Task],
    *,
    call: Caller | None,
    cache: ResponseCache | None,
    journal: Journal,
    concurrency: int,
    budget: Budget,
    model: str,
    on_record: Listener | None = None,
) -> ExecutionStats:
    """Run every task; `call` may be None when every task is known to be cached."""
    stats = ExecutionStats()
    queue: asyncio.Queue[Task] = asyncio.Queue()
    for task in tasks:
        queue.put_nowait(task)

    def finish(record: CallRecord) -> None:
        journal.append(record)
        if record.status == "ok":
            stats.done += 1
            stats.cached += record.cached
        elif record.status == "failed":
            stats.failed += 1
        else:
            stats.skipped += 1
        if on_record is not None:
            on_record(record)

    async def worker() -> None:
        while True:
            try:
                task = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            hit = cache.get(task.key) if cache is not None else None
            if hit is not None:
                finish(record_from_response(task, hit, attempts=0, cached=True))
                # A turn for the rest of the loop (the background scoring): a cached run
                # would otherwise never yield, and its answers would pile up unscored.
                await asyncio.sleep(0)
                continue
            if not budget.allows_new_call():
                finish(
                    _record(
                        task,
                        status="skipped",
                        error=CallError(
                            kind="budget",
                            message=f"not called: --max-cost {budget.cap_usd} USD reached",
                        ),
                    )
                )
                continue
            if call is None:  # pragma: no cover - guarded by the runner's planning
                raise RuntimeError("a task missed the cache but no provider was opened")
            stats.calls += 1
            outcome = await call(task)
            stats.attempts += outcome.attempts
            if outcome.response is not None:
                budget.add(outcome.response.cost_usd)
                if cache is not None:
                    cache.put(task.key, model, outcome.response)
                finish(record_from_response(task, outcome.response, outcome.attempts, False))
            else:
                finish(
                    _record(
                        task,
                        status="failed",
                        error=outcome.error,
                        attempts=outcome.attempts,
                        retries=max(0, outcome.attempts - 1),
                    )
                )

    workers = [asyncio.create_task(worker()) for _ in range(max(1, concurrency))]
    try:
        await asyncio.gather(*workers)
    finally:
        for w in workers:
            w.cancel()
    return stats


__all__ = ["Budget", "CallOutcome", "Caller", "ExecutionStats", "execute", "record_from_response"]
