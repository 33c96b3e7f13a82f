"""Classified provider failures, and the scrubbing that keeps secrets out of their messages.

A failed call is data in evalsum (it is journaled and reported), so every failure becomes one
`ProviderError` with a kind the run can act on (retry or not) and a one-line message that is
safe to write to disk: no API key, no traceback, no multi-line provider dump.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import os
import re
import time
from collections.abc import Callable, Mapping
from typing import Literal, get_args

from harness.errors import InputError

ErrorKind = Literal[
    "rate_limit",
    "timeout",
    "server",
    "connection",
    "malformed_response",
    "bad_request",
    "context_window",
    "content_filter",
    "auth",
    "not_found",
    "budget",
    "config",
    "unknown",
]
ERROR_KINDS: tuple[ErrorKind, ...] = get_args(ErrorKind)

# Transient by nature: the same request may well succeed a moment later. A body that is not
# JSON is usually a gateway hiccup, so it is retried too; every 4xx is the caller's fault.
RETRYABLE_KINDS: frozenset[ErrorKind] = frozenset(
    {"rate_limit", "timeout", "server", "connection", "malformed_response"}
)

MAX_MESSAGE_CHARS = 400
_SECRET_ENV_SUFFIXES = ("_KEY", "_TOKEN", "_SECRET", "_PASSWORD")
# Shapes of the keys providers issue, for secrets that did not come from our environment.
_KEY_SHAPES = re.compile(
    r"sk-(?:ant-|proj-|or-)?[A-Za-z0-9_\-]{12,}"
    r"|AIza[0-9A-Za-z_\-]{20,}"
    r"|hf_[A-Za-z0-9]{16,}"
    r"|gsk_[A-Za-z0-9]{16,}"
    r"|xai-[A-Za-z0-9]{16,}"
    r"|(?i:bearer)\s+[A-Za-z0-9._~+/=\-]{8,}"
    r"|(?i:api[_-]?key)[\"'\s:=]+[A-Za-z0-9._\-]{8,}"
)
_TRACEBACK = "Traceback (most recent call last)"
REDACTED = "***"


def _secret_env_values() -> list[str]:
    values = [
        value
        for name, value in os.environ.items()
        if name.upper().endswith(_SECRET_ENV_SUFFIXES) and len(value) >= 6
    ]
    # Longest first, so a key that contains another is replaced whole.
    return sorted(values, key=len, reverse=True)


def scrub_secrets(text: str, extra: tuple[str, ...] = ()) -> str:
    """`text` without `extra`, the values of *_KEY/*_TOKEN/*_SECRET env vars, or key-like words."""
    for secret in (*extra, *_secret_env_values()):
        if secret:
            text = text.replace(secret, REDACTED)
    return _KEY_SHAPES.sub(REDACTED, text)


def one_line(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """A message fit for a journal line: no traceback, one line, bounded length."""
    text = text.split(_TRACEBACK, 1)[0]
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def parse_retry_after(
    headers: Mapping[str, str] | None, now: Callable[[], float] = time.time
) -> float | None:
    """Seconds to wait per Retry-After (seconds or HTTP date) or retry-after-ms; else None."""
    if not headers:
        return None
    lowered = {str(k).lower(): str(v) for k, v in headers.items()}
    if (ms := lowered.get("retry-after-ms")) is not None:
        try:
            return max(0.0, float(ms) / 1000)
        except ValueError:
            pass
    value = lowered.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:  # RFC 7231 dates are GMT; a naive one means the same
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, when.timestamp() - now())


class ProviderError(Exception):
    """One classified failure of a model call. `message` is one scrubbed line."""

    def __init__(
        self,
        kind: ErrorKind,
        message: str,
        *,
        retryable: bool | None = None,
        status_code: int | None = None,
        retry_after_s: float | None = None,
        cause: str | None = None,
    ) -> None:
        self.kind: ErrorKind = kind
        self.message = one_line(scrub_secrets(message))
        self.retryable = kind in RETRYABLE_KINDS if retryable is None else retryable
        self.status_code = status_code
        self.retry_after_s = retry_after_s
        # The name of the exception class it came from, for debugging without its text.
        self.cause = cause
        # Set by the retry loop: how many calls were made before giving up.
        self.attempts = 1
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"ProviderError(kind={self.kind!r}, message={self.message!r})"


class ModelConfigError(ProviderError, InputError):
    """The model cannot be called as configured (unknown provider, missing key, bad option).

    Raised before any call, so it is also an InputError: the CLI prints it as one clean line.
    """

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        ProviderError.__init__(self, "config", message, retryable=False)
        self.hint = hint

    def __str__(self) -> str:
        return InputError.__str__(self)


__all__ = [
    "ERROR_KINDS",
    "RETRYABLE_KINDS",
    "ErrorKind",
    "ModelConfigError",
    "ProviderError",
    "one_line",
    "parse_retry_after",
    "scrub_secrets",
]
