"""The registry, config checks and --dry-run estimates; third-party providers use the same
path as the built-ins (including a start/stop lifecycle like the coming local/ provider)."""

from __future__ import annotations

import ast
import contextlib
import dataclasses
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import harness.providers
from harness.providers import (
    BackendCall,
    BackendReply,
    ModelConfigError,
    Provider,
    ProviderContext,
    ProviderRegistry,
    Route,
    check_model,
    default_registry,
    estimate_prompt,
    open_model,
    supports_response_schema,
)
from harness.providers.litellm_provider import LOCAL_PLACEHOLDER_KEY, LitellmProvider
from harness.providers.mock import MockProvider
from tests.support.fake_openai import FakeOpenAI
from tests.support.network import guard_loopback
from tests.support.requests import make_request, run

PACKAGE = Path(harness.providers.__file__).parent


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    guard_loopback(monkeypatch)


def test_importing_the_package_does_not_import_litellm() -> None:
    code = "import sys, harness.providers; assert 'litellm' not in sys.modules, 'imported'"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=PACKAGE.parents[1])


def test_only_litellm_client_imports_litellm_and_only_inside_functions() -> None:
    importers = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            if any(n == "litellm" or n.startswith("litellm.") for n in names):
                importers.append(path.name)
                assert node not in tree.body, f"{path.name} imports litellm at module level"
    assert set(importers) == {"litellm_client.py"}


def test_prefixes_pick_providers() -> None:
    registry = default_registry()
    assert isinstance(registry.resolve("mock/oracle"), MockProvider)
    assert isinstance(registry.resolve("openai/gpt-4o-mini"), LitellmProvider)
    assert isinstance(registry.resolve("ollama/llama3"), LitellmProvider)
    assert registry.prefixes() == ("local", "mock")


def test_unknown_provider_message() -> None:
    with pytest.raises(ModelConfigError) as caught:
        check_model("foo/bar")
    assert str(caught.value) == (
        "unknown provider 'foo' in model 'foo/bar'; expected one of openai/, anthropic/, "
        "gemini/, ollama/, mistral/, openrouter/, ... (any litellm provider) "
        "or local/... or mock/..."
    )
    with pytest.raises(ModelConfigError, match="model 'llama3' has no provider prefix"):
        check_model("llama3")
    with pytest.raises(ModelConfigError, match="unknown mock model 'mock/orakel'"):
        check_model("mock/orakel")


def test_missing_key_message() -> None:
    with pytest.raises(ModelConfigError) as caught:
        check_model("openai/gpt-4o-mini")
    assert (
        caught.value.message == "model 'openai/gpt-4o-mini' needs OPENAI_API_KEY in the environment"
    )


def test_keys_present_or_not_needed(monkeypatch: pytest.MonkeyPatch) -> None:
    check_model("openai/my-llama", "http://127.0.0.1:8080/v1")  # a local server needs no key
    check_model("ollama/llama3")  # litellm has a default api_base for ollama
    check_model("mock/noisy")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-0000000000000000")
    check_model("openai/gpt-4o-mini")


def test_response_schema_support_comes_from_litellm_model_data() -> None:
    assert supports_response_schema("mock/oracle")
    assert supports_response_schema("openai/gpt-4o-mini")
    assert not supports_response_schema("openai/my-llama", "http://127.0.0.1:8080/v1")


def test_estimate_prompt_offline() -> None:
    mock = estimate_prompt(make_request("mock/oracle"))
    assert mock.prompt_tokens > 50 and mock.cost_usd == 0.0 and mock.max_cost_usd == 0.0
    priced = estimate_prompt(make_request("openai/gpt-4o-mini"))
    # Each model counts with its own tokenizer (litellm's choice, which moves between
    # releases): what a user relies on is a plausible count, not an exact one.
    words = sum(len(m.content.split()) for m in make_request("mock/oracle").messages)
    for estimate in (mock, priced):
        assert words / 2 < estimate.prompt_tokens < words * 3
    assert abs(priced.prompt_tokens - mock.prompt_tokens) <= 0.2 * mock.prompt_tokens
    assert priced.cost_usd is not None and priced.max_cost_usd is not None
    assert 0 < priced.cost_usd < priced.max_cost_usd
    unknown = estimate_prompt(make_request("openai/my-llama", max_tokens=None))
    assert (unknown.cost_usd, unknown.max_cost_usd) == (None, None)


class ServerProvider(Provider):
    """What a `local/` provider looks like: starts a server, rewrites the model to it."""

    def __init__(self) -> None:
        self.servers: list[FakeOpenAI] = []

    def route(self, model: str, api_base: str | None, context: ProviderContext) -> Route:
        alias = model.partition("/")[2]
        return Route(
            litellm_model=f"openai/{alias}",
            api_base=api_base,
            api_key=LOCAL_PLACEHOLDER_KEY,
            model_info={
                "litellm_provider": "openai",
                "mode": "chat",
                "input_cost_per_token": 0.0,
                "output_cost_per_token": 0.0,
                "supports_response_schema": True,
            },
            needs_keys=False,
        )

    @contextlib.contextmanager
    def open(self, model: str, api_base: str | None, context: ProviderContext) -> Iterator[Route]:
        with FakeOpenAI() as server:
            self.servers.append(server)
            yield self.route(model, server.base_url, context)


def test_a_provider_with_a_lifecycle_plugs_in_with_one_registration() -> None:
    provider = ServerProvider()
    registry = default_registry()
    registry.register("fakelocal", provider)
    with open_model("fakelocal/tiny-llama-q4", registry=registry) as client:
        result = run(client.complete(make_request("fakelocal/tiny-llama-q4")))
        (server,) = provider.servers
        assert server.requests[0]["model"] == "tiny-llama-q4"
        assert server.requests[0]["response_format"]["type"] == "json_schema"
    assert result.cost_usd == 0.0
    with pytest.raises(OSError):  # stopped with the block
        run(_connect(server.base_url))


async def _connect(base_url: str) -> None:
    import asyncio
    from urllib.parse import urlsplit

    parts = urlsplit(base_url)
    _, writer = await asyncio.open_connection(parts.hostname, parts.port)
    writer.close()


@dataclasses.dataclass
class SpyBackend:
    calls: list[BackendCall] = dataclasses.field(default_factory=list)

    def reply(self, call: BackendCall) -> BackendReply:
        self.calls.append(call)
        return BackendReply(text='{"spy": true}', prompt_tokens=3, completion_tokens=2)


class SpyProvider(Provider):
    def __init__(self, backend: SpyBackend) -> None:
        self.backend = backend

    def route(self, model: str, api_base: str | None, context: ProviderContext) -> Route:
        info: dict[str, Any] = {
            "litellm_provider": "spy",
            "mode": "chat",
            "input_cost_per_token": 0.0,
            "output_cost_per_token": 0.0,
            "supports_response_schema": True,
        }
        return Route(
            litellm_model=model,
            model_info=info,
            custom_provider=True,
            backend=self.backend,
            needs_keys=False,
        )


def test_an_in_process_backend_gets_the_call_as_litellm_sent_it() -> None:
    backend = SpyBackend()
    registry = ProviderRegistry({"spy": SpyProvider(backend)})
    request = make_request("spy/model", response_schema={"type": "object", "title": "S"})
    with open_model("spy/model", registry=registry) as client:
        result = run(client.complete(request, attempt=3))
    assert result.text == '{"spy": true}'
    (call,) = backend.calls
    assert call.attempt == 3 and call.request == request
    assert [m["role"] for m in call.messages] == ["system", "user"]
    assert call.response_format == {
        "type": "json_schema",
        "json_schema": {
            "name": "summary",
            "schema": {"type": "object", "title": "S"},
            "strict": False,
        },
    }


def test_gold_mocks_need_the_corpus() -> None:
    with (
        pytest.raises(ModelConfigError, match="answers from the gold corpus"),
        open_model("mock/oracle"),
    ):
        pass


def test_request_for_another_model_is_refused() -> None:
    registry = ProviderRegistry({"spy": SpyProvider(SpyBackend())})
    with open_model("spy/model", registry=registry) as client, pytest.raises(ValueError):
        run(client.complete(make_request("spy/other")))


def test_registry_rejects_bad_prefixes() -> None:
    with pytest.raises(ValueError):
        ProviderRegistry().register("a/b", LitellmProvider())
