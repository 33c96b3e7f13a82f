"""The executor: bounded concurrency, cache first, errors never cached, budget respected."""

from __future__ import annotations

import asyncio
from pathlib import Path

from harness.providers import ChatMessage, CompletionRequest
from harness.run.cache import CachedResponse, ResponseCache
from harness.run.executor import Budget, CallOutcome, execute
from harness.run.journal import JOURNAL_FILE, Journal, latest_records
from harness.run.plan import Task
from harness.run.records import CallError


def tasks(n: int) -> list[Task]:
    out = []
    for i in range(n):
        request = CompletionRequest(
            model="mock/oracle", messages=(ChatMessage(role="user", content=f"article {i}"),)
        )
        out.append(Task(f"a{i}", 0, request, f"p{i}", f"key{i}"))
    return out


class Caller:
    def __init__(self, fail: set[str] = frozenset(), cost: float | None = 0.01) -> None:
        self.in_flight = self.peak = self.calls = 0
        self.fail = fail
        self.cost = cost

    async def __call__(self, task: Task) -> CallOutcome:
        self.calls += 1
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        await asyncio.sleep(0.01)
        self.in_flight -= 1
        if task.article_id in self.fail:
            return CallOutcome(None, 3, CallError(kind="server", message="boom", retryable=True))
        return CallOutcome(CachedResponse(text="{}", cost_usd=self.cost, latency_s=0.01), 1)


def run(tmp_path: Path, work: list[Task], caller: Caller | None, **kwargs) -> tuple:
    cache = kwargs.pop("cache", None)
    budget = kwargs.pop("budget", Budget(cap_usd=None))
    tmp_path.mkdir(parents=True, exist_ok=True)
    with Journal.open(tmp_path / JOURNAL_FILE) as journal:
        stats = asyncio.run(
            execute(
                work,
                call=caller,
                cache=cache,
                journal=journal,
                concurrency=kwargs.pop("concurrency", 4),
                budget=budget,
                model="mock/oracle",
            )
        )
    return stats, latest_records(tmp_path / JOURNAL_FILE)


def test_concurrency_is_bounded(tmp_path: Path) -> None:
    caller = Caller()
    stats, records = run(tmp_path, tasks(40), caller, concurrency=5)
    assert caller.peak == 5
    assert stats.done == 40 and len(records) == 40


def test_cache_first_and_errors_never_cached(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path / "cache")
    caller = Caller(fail={"a1"})
    stats, records = run(tmp_path / "one", tasks(3), caller, cache=cache)
    assert (stats.done, stats.failed, caller.calls) == (2, 1, 3)
    assert records[("a1", 0)].error is not None and records[("a1", 0)].attempts == 3
    second = Caller()
    stats, records = run(tmp_path / "two", tasks(3), second, cache=cache)
    assert second.calls == 1, "only the failed task is called again"
    assert stats.cached == 2
    assert all(r.status == "ok" for r in records.values())
    assert records[("a0", 0)].cached and records[("a0", 0)].usage.cost_usd == 0.0


def test_attempts_are_counted_apart_from_calls(tmp_path: Path) -> None:
    # A failing task took 3 requests (retries included), a good one 1: 2 calls, 4 attempts.
    caller = Caller(fail={"a1"})
    stats, _ = run(tmp_path, tasks(2), caller)
    assert (stats.calls, stats.attempts) == (2, 4)


def test_budget_stops_new_calls(tmp_path: Path) -> None:
    caller = Caller(cost=0.5)
    budget = Budget(cap_usd=1.0)
    stats, records = run(tmp_path, tasks(6), caller, concurrency=1, budget=budget)
    assert caller.calls == 2
    assert stats.skipped == 4
    assert budget.exhausted
    skipped = [r for r in records.values() if r.status == "skipped"]
    assert all(r.error and r.error.kind == "budget" for r in skipped)


def test_fully_cached_needs_no_caller(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path / "cache")
    for task in tasks(3):
        cache.put(task.key, "mock/oracle", CachedResponse(text="{}"))
    stats, _ = run(tmp_path, tasks(3), None, cache=cache)
    assert stats.cached == 3 and stats.calls == 0
