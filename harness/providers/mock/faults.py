"""Fault injection for any mock: errors, malformed answers, latency.

Every draw is seeded by (seed, request key, attempt), so a run with faults is reproducible,
and a retry (a new attempt) gets a fresh draw, which is what lets the retry loop recover.
Errors are described here and raised by the litellm module as the real litellm exception
classes, so they take exactly the classification path a provider's errors take.
"""

from __future__ import annotations

from harness.providers.base import BackendCall, Fault, FaultKind, MockOptions
from harness.providers.mock.seeding import seeded_rng

ERROR_KINDS: tuple[FaultKind, ...] = ("rate_limit", "timeout", "server")
# Integer seconds, as HTTP has it; long enough to be seen honoured, short for a mock run.
MOCK_RETRY_AFTER_S = 1.0
NON_JSON_ANSWER = "I'm sorry, but I can't produce a JSON summary of this article."


def injected_fault(options: MockOptions, call: BackendCall, key: str) -> Fault | None:
    """The error this attempt fails with, if any."""
    if options.error_rate <= 0:
        return None
    rng = seeded_rng("error", call.request.seed, key, call.attempt)
    if rng.random() >= options.error_rate:
        return None
    kind = rng.choice(ERROR_KINDS)
    where = f"mock fault on attempt {call.attempt}"
    if kind == "rate_limit":
        return Fault(kind, f"{where}: rate limit reached", retry_after_s=MOCK_RETRY_AFTER_S)
    if kind == "timeout":
        return Fault(kind, f"{where}: request timed out")
    return Fault(kind, f"{where}: internal server error")


def malformed(
    options: MockOptions, call: BackendCall, key: str, text: str
) -> tuple[str, str] | None:
    """(text, finish_reason) of a malformed answer for this attempt, if any: either prose
    instead of JSON, or the JSON cut off as if max_tokens had been reached."""
    if options.malformed_rate <= 0:
        return None
    rng = seeded_rng("malformed", call.request.seed, key, call.attempt)
    if rng.random() >= options.malformed_rate:
        return None
    if rng.random() < 0.5 or len(text) < 2:
        return NON_JSON_ANSWER, "stop"
    return text[: rng.randrange(1, len(text))], "length"


__all__ = ["ERROR_KINDS", "MOCK_RETRY_AFTER_S", "NON_JSON_ANSWER", "injected_fault", "malformed"]
