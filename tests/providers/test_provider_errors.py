"""ProviderError messages are one scrubbed line; Retry-After is read in both its forms."""

from __future__ import annotations

import pytest

from harness.errors import InputError
from harness.providers import ModelConfigError, ProviderError, scrub_secrets
from harness.providers.errors import RETRYABLE_KINDS, one_line, parse_retry_after
from tests.support.network import guard_loopback


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    guard_loopback(monkeypatch)


def test_scrub_removes_secret_env_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACME_API_KEY", "acme-live-0123456789")
    monkeypatch.setenv("HF_TOKEN", "plain-token-value")
    text = "sent acme-live-0123456789 and plain-token-value to the server"
    assert scrub_secrets(text) == "sent *** and *** to the server"


@pytest.mark.parametrize(
    "secret",
    [
        "sk-proj-abcdefghijklmnop1234",
        "sk-ant-api03-abcdefghijklmnopqrst",
        "AIzaSyA1234567890abcdefghijklmnop",
        "Bearer abc.def.ghi-jkl",
        "api_key=abcdef123456789",
    ],
)
def test_scrub_removes_key_shaped_words(secret: str) -> None:
    assert secret not in scrub_secrets(f"error: {secret} was rejected")


def test_scrub_keeps_ordinary_text() -> None:
    text = "model 'openai/gpt-4o-mini' rate limited (HTTP 429); request key 3f2a9c"
    assert scrub_secrets(text) == text


def test_message_is_one_bounded_line_without_traceback() -> None:
    raw = "boom\n  detail one\nTraceback (most recent call last):\n  File x.py\n"
    assert one_line(raw) == "boom detail one"
    assert len(one_line("x" * 5000)) == 400


def test_provider_error_scrubs_and_defaults_retryable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-secret-value-123")
    error = ProviderError("rate_limit", "429 for key sk-test-secret-value-123\nmore")
    assert error.message == "429 for key *** more"
    assert str(error) == error.message
    assert error.retryable
    assert not ProviderError("auth", "no").retryable
    assert ProviderError("unknown", "x", retryable=True).retryable


def test_retryable_kinds_are_the_transient_ones() -> None:
    assert {
        "rate_limit",
        "timeout",
        "server",
        "connection",
        "malformed_response",
    } == RETRYABLE_KINDS


def test_model_config_error_is_a_clean_input_error() -> None:
    error = ModelConfigError("model 'x/y' needs X_API_KEY in the environment", hint="export it")
    assert isinstance(error, InputError) and isinstance(error, ProviderError)
    assert error.kind == "config" and not error.retryable
    assert str(error) == "model 'x/y' needs X_API_KEY in the environment\n  hint: export it"


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Retry-After": "7"}, 7.0),
        ({"retry-after": "1.5"}, 1.5),
        ({"retry-after-ms": "250", "retry-after": "9"}, 0.25),
        ({"Retry-After": "Wed, 21 Oct 2015 07:28:30 GMT"}, 30.0),
        ({"Retry-After": "Wed, 21 Oct 2015 07:27:00 GMT"}, 0.0),  # in the past: no wait
        ({"Retry-After": "soon"}, None),
        ({}, None),
        (None, None),
    ],
)
def test_parse_retry_after(headers: dict[str, str] | None, expected: float | None) -> None:
    now = 1445412480.0  # Wed, 21 Oct 2015 07:28:00 GMT
    assert parse_retry_after(headers, now=lambda: now) == expected
