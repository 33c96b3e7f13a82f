"""Retrying transient failures: exponential backoff with full jitter, honouring Retry-After.

litellm's own retries are off (they retry 400s and 401s too); this loop retries only what
ProviderError marks retryable. Sleep and randomness are injected so tests run instantly and
deterministically.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from harness.providers.errors import ProviderError
from harness.providers.request import CompletionRequest, CompletionResult


class RetryPolicy(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    max_retries: int = Field(default=4, ge=0, description="Retries after the first attempt.")
    base_delay_s: float = Field(default=1.0, ge=0)
    max_delay_s: float = Field(
        default=60.0, ge=0, description="Caps both the backoff and a server's Retry-After."
    )


@dataclass(frozen=True)
class RetryEvent:
    """Told to `on_retry` before each wait: which attempt failed, why, how long we wait."""

    attempt: int
    error: ProviderError
    delay_s: float


Attempt = Callable[[CompletionRequest, int], Awaitable[CompletionResult]]
Sleep = Callable[[float], Awaitable[object]]
OnRetry = Callable[[RetryEvent], None]


def retry_delay(
    policy: RetryPolicy, retry_number: int, error: ProviderError, rng: random.Random
) -> float:
    """Seconds before retry number `retry_number` (1 for the first retry).

    Full jitter (uniform in [0, base * 2^(n-1)]) spreads concurrent callers; a server's
    Retry-After is a floor, because retrying sooner only earns another 429.
    """
    ceiling = min(policy.max_delay_s, policy.base_delay_s * 2 ** (retry_number - 1))
    delay = rng.uniform(0.0, ceiling)
    if error.retry_after_s is not None:
        delay = max(delay, error.retry_after_s)
    return min(delay, policy.max_delay_s)


async def run_with_retries(
    attempt: Attempt,
    request: CompletionRequest,
    policy: RetryPolicy,
    on_retry: OnRetry | None = None,
    *,
    sleep: Sleep | None = None,
    rng: random.Random | None = None,
) -> tuple[CompletionResult, int]:
    """The result and how many attempts it took; the last ProviderError once out of retries
    (its `attempts` says how many were made)."""
    sleep = sleep if sleep is not None else asyncio.sleep
    rng = rng if rng is not None else random.Random()
    number = 1
    while True:
        try:
            return await attempt(request, number), number
        except ProviderError as error:
            error.attempts = number
            if not error.retryable or number > policy.max_retries:
                raise
            delay = retry_delay(policy, number, error, rng)
            if on_retry is not None:
                on_retry(RetryEvent(attempt=number, error=error, delay_s=delay))
            await sleep(delay)
            number += 1


__all__ = [
    "Attempt",
    "OnRetry",
    "RetryEvent",
    "RetryPolicy",
    "Sleep",
    "retry_delay",
    "run_with_retries",
]
