"""The real litellm HTTP path (`openai/NAME` + api_base) against a fake server on 127.0.0.1."""

from __future__ import annotations

import email.utils
import random
import socket
import time
from typing import Any

import pytest

from harness.providers import ProviderError, RetryEvent, RetryPolicy, open_model
from harness.providers.litellm_provider import LOCAL_PLACEHOLDER_KEY
from tests.support import fake_openai as fake
from tests.support.fake_openai import FakeOpenAI
from tests.support.network import guard_loopback
from tests.support.requests import RecordedSleep, make_request, run


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    guard_loopback(monkeypatch)


POLICY = RetryPolicy(max_retries=3, base_delay_s=0.5, max_delay_s=30.0)


def _error(server: FakeOpenAI, model: str = "openai/fake-model", **overrides: Any) -> ProviderError:
    request = make_request(model, api_base=server.base_url, **overrides)
    with (
        open_model(model, api_base=server.base_url) as client,
        pytest.raises(ProviderError) as caught,
    ):
        run(client.complete(request))
    return caught.value


def test_completion_returns_text_usage_and_unknown_cost(fake_openai: FakeOpenAI) -> None:
    fake_openai.push(fake.ok('{"claims": []}', prompt_tokens=120, completion_tokens=30))
    with open_model("openai/fake-model", api_base=fake_openai.base_url) as client:
        result = run(client.complete(make_request("openai/fake-model", temperature=0.2)))
    assert result.text == '{"claims": []}'
    assert (result.prompt_tokens, result.completion_tokens) == (120, 30)
    assert result.finish_reason == "stop"
    assert result.cost_usd is None  # litellm has no price for it: unknown, not free
    assert result.provider_model == "fake-model"
    assert result.latency_s > 0
    body = fake_openai.requests[0]
    assert body["model"] == "fake-model"
    assert (body["temperature"], body["seed"], body["max_tokens"]) == (0.2, 0, 512)
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    # litellm does not know the model supports structured output, so none is asked for.
    assert "response_format" not in body
    # A loopback server gets a placeholder key, never a real one.
    assert fake_openai.headers[0]["authorization"] == f"Bearer {LOCAL_PLACEHOLDER_KEY}"


def test_known_model_gets_response_format_and_a_price(
    fake_openai: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-real-key-must-stay-home-0000")
    schema = {"type": "object", "properties": {"claims": {"type": "array"}}}
    with open_model("openai/gpt-4o-mini", api_base=fake_openai.base_url) as client:
        assert client.supports_response_schema
        request = make_request("openai/gpt-4o-mini", response_schema=schema)
        result = run(client.complete(request))
    assert fake_openai.requests[0]["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "summary", "schema": schema, "strict": False},
    }
    assert result.cost_usd is not None and result.cost_usd > 0


def test_a_keyed_loopback_server_gets_the_users_key(monkeypatch: pytest.MonkeyPatch) -> None:
    # litellm's proxy with its master key, or vLLM started with --api-key, on 127.0.0.1.
    monkeypatch.setenv("OPENAI_API_KEY", "sk-proxy-master-key-1234")
    with FakeOpenAI(api_key="sk-proxy-master-key-1234") as server:
        with open_model("openai/my-model", api_base=server.base_url) as client:
            result = run(client.complete(make_request("openai/my-model")))
        assert result.text == fake.DEFAULT_TEXT
        assert server.headers[0]["authorization"] == "Bearer sk-proxy-master-key-1234"


def test_a_keyed_loopback_server_without_the_key_refuses_with_an_auth_error() -> None:
    with FakeOpenAI(api_key="sk-proxy-master-key-1234") as server:
        error = _error(server, "openai/my-model")
    assert error.kind == "auth" and not error.retryable
    assert server.headers[0]["authorization"] == f"Bearer {LOCAL_PLACEHOLDER_KEY}"


def test_rate_limit_is_retried_after_the_servers_delay(fake_openai: FakeOpenAI) -> None:
    in_30s = email.utils.formatdate(time.time() + 30, usegmt=True)
    fake_openai.push(fake.rate_limited("2"), fake.rate_limited(in_30s), fake.ok())
    sleep = RecordedSleep()
    events: list[RetryEvent] = []
    with open_model("openai/fake-model", api_base=fake_openai.base_url) as client:
        result, attempts = run(
            client.complete_with_retries(
                make_request("openai/fake-model"),
                POLICY,
                events.append,
                sleep=sleep,
                rng=random.Random(0),
            )
        )
    assert attempts == 3 and result.text == fake.DEFAULT_TEXT
    assert len(fake_openai.requests) == 3
    assert sleep.delays[0] == 2.0
    assert 28.0 <= sleep.delays[1] <= 30.0
    assert [e.error.kind for e in events] == ["rate_limit", "rate_limit"]
    assert events[0].error.status_code == 429 and events[0].error.retry_after_s == 2.0


def test_server_error_is_retried(fake_openai: FakeOpenAI) -> None:
    fake_openai.push(fake.server_error(), fake.server_error(), fake.ok())
    sleep = RecordedSleep()
    with open_model("openai/fake-model", api_base=fake_openai.base_url) as client:
        _, attempts = run(
            client.complete_with_retries(
                make_request("openai/fake-model"), POLICY, sleep=sleep, rng=random.Random(0)
            )
        )
    assert attempts == 3
    rng = random.Random(0)
    assert sleep.delays == [rng.uniform(0, 0.5), rng.uniform(0, 1.0)]


@pytest.mark.parametrize(
    ("reply", "kind", "status"),
    [
        (fake.bad_request(), "bad_request", 400),
        (fake.context_window(), "context_window", 400),
        (fake.unauthorized(), "auth", 401),
    ],
)
def test_client_errors_are_not_retried(
    fake_openai: FakeOpenAI, reply: fake.Reply, kind: str, status: int
) -> None:
    fake_openai.push(reply, fake.ok())
    sleep = RecordedSleep()
    request = make_request("openai/fake-model")
    with (
        open_model("openai/fake-model", api_base=fake_openai.base_url) as client,
        pytest.raises(ProviderError) as caught,
    ):
        run(client.complete_with_retries(request, POLICY, sleep=sleep))
    error = caught.value
    assert (error.kind, error.status_code, error.retryable, error.attempts) == (
        kind,
        status,
        False,
        1,
    )
    assert len(fake_openai.requests) == 1 and sleep.delays == []
    assert "\n" not in error.message and error.message.startswith("openai/fake-model [article")


def test_slow_answer_is_a_retryable_timeout(fake_openai: FakeOpenAI) -> None:
    fake_openai.push(fake.slow(5.0))
    started = time.monotonic()
    error = _error(fake_openai, timeout_s=0.3)
    assert time.monotonic() - started < 3.0
    assert (error.kind, error.retryable) == ("timeout", True)
    assert "timed out after 0.3s" in error.message


def test_non_json_body_is_a_malformed_response(fake_openai: FakeOpenAI) -> None:
    fake_openai.push(fake.non_json())
    error = _error(fake_openai)
    assert (error.kind, error.retryable) == ("malformed_response", True)


def test_connection_refused_is_a_connection_error() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = f"http://127.0.0.1:{port}/v1"
    with (
        open_model("openai/fake-model", api_base=base) as client,
        pytest.raises(ProviderError) as caught,
    ):
        run(client.complete(make_request("openai/fake-model", timeout_s=5.0)))
    assert (caught.value.kind, caught.value.retryable) == ("connection", True)
    assert f"cannot connect to {base}" in caught.value.message
    # No HTTP answer came back: no status is recorded (litellm's stand-in is 500).
    assert caught.value.status_code is None


def test_error_messages_never_carry_keys(
    fake_openai: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACME_API_KEY", "acme-secret-4242-4242")
    body = {
        "error": {
            "message": f"bad key acme-secret-4242-4242 and {LOCAL_PLACEHOLDER_KEY}",
            "type": "invalid_request_error",
        }
    }
    fake_openai.push(fake.Reply(401, body))
    error = _error(fake_openai)
    assert error.kind == "auth"
    assert "acme-secret" not in error.message and LOCAL_PLACEHOLDER_KEY not in error.message
