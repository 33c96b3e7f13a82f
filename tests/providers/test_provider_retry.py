"""The retry loop: only retryable kinds, full-jitter backoff, Retry-After as a floor."""

from __future__ import annotations

import random

import pytest

from harness.providers import (
    CompletionRequest,
    CompletionResult,
    ProviderError,
    RetryEvent,
    RetryPolicy,
    retry_delay,
    run_with_retries,
)
from tests.support.network import guard_loopback
from tests.support.requests import RecordedSleep, make_request, run


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    guard_loopback(monkeypatch)


OK = CompletionResult(text="{}", latency_s=0.01, provider_model="scripted")


class Scripted:
    """An attempt function that fails with the scripted errors, then succeeds."""

    def __init__(self, *errors: ProviderError) -> None:
        self.errors = list(errors)
        self.attempts: list[int] = []

    async def __call__(self, request: CompletionRequest, attempt: int) -> CompletionResult:
        self.attempts.append(attempt)
        if self.errors:
            raise self.errors.pop(0)
        return OK


def test_retries_transient_errors_with_full_jitter() -> None:
    attempt = Scripted(ProviderError("server", "500"), ProviderError("timeout", "slow"))
    sleep = RecordedSleep()
    policy = RetryPolicy(max_retries=3, base_delay_s=1.0, max_delay_s=30.0)
    result, attempts = run(
        run_with_retries(
            attempt, make_request("mock/oracle"), policy, sleep=sleep, rng=random.Random(7)
        )
    )
    assert (result, attempts) == (OK, 3)
    assert attempt.attempts == [1, 2, 3]
    expected_rng = random.Random(7)
    assert sleep.delays == [expected_rng.uniform(0, 1.0), expected_rng.uniform(0, 2.0)]


def test_retry_after_is_honoured_and_capped() -> None:
    attempt = Scripted(
        ProviderError("rate_limit", "429", retry_after_s=3.0),
        ProviderError("rate_limit", "429", retry_after_s=500.0),
    )
    sleep = RecordedSleep()
    policy = RetryPolicy(max_retries=5, base_delay_s=0.5, max_delay_s=20.0)
    _, attempts = run(
        run_with_retries(
            attempt, make_request("mock/oracle"), policy, sleep=sleep, rng=random.Random(1)
        )
    )
    assert attempts == 3
    assert sleep.delays == [3.0, 20.0]


@pytest.mark.parametrize("kind", ["bad_request", "auth", "context_window", "not_found"])
def test_non_retryable_errors_fail_at_once(kind: str) -> None:
    attempt = Scripted(ProviderError(kind, "no"))  # type: ignore[arg-type]
    sleep = RecordedSleep()
    with pytest.raises(ProviderError) as caught:
        run(run_with_retries(attempt, make_request("mock/oracle"), RetryPolicy(), sleep=sleep))
    assert caught.value.kind == kind and caught.value.attempts == 1
    assert sleep.delays == []


def test_gives_up_after_max_retries_and_reports_attempts() -> None:
    attempt = Scripted(*(ProviderError("server", f"500 #{i}") for i in range(10)))
    events: list[RetryEvent] = []
    with pytest.raises(ProviderError) as caught:
        run(
            run_with_retries(
                attempt,
                make_request("mock/oracle"),
                RetryPolicy(max_retries=2),
                events.append,
                sleep=RecordedSleep(),
                rng=random.Random(0),
            )
        )
    assert caught.value.message == "500 #2"
    assert caught.value.attempts == 3
    assert [e.attempt for e in events] == [1, 2]
    assert all(e.error.kind == "server" and e.delay_s >= 0 for e in events)


def test_delay_never_exceeds_the_cap() -> None:
    policy = RetryPolicy(base_delay_s=10.0, max_delay_s=15.0)
    rng = random.Random(3)
    error = ProviderError("server", "500")
    assert all(0 <= retry_delay(policy, n, error, rng) <= 15.0 for n in range(1, 20))
