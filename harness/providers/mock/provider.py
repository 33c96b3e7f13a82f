"""The 'mock' provider: mock/oracle, mock/noisy and mock/replay, served in-process.

The mocks are registered with litellm as a custom provider and called through
litellm.acompletion like any model, so a mock run exercises the same request building,
response parsing, exception mapping, usage and cost code as a real one.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
from collections.abc import Iterator
from typing import Any

from harness.providers.base import Provider, ProviderContext, Route
from harness.providers.errors import ModelConfigError
from harness.providers.mock.backends import (
    JudgeBackend,
    MockBackend,
    NoisyBackend,
    OracleBackend,
    ReplayBackend,
)

MOCK_MODELS = ("judge", "noisy", "oracle", "replay")
# The mocks whose answers are made from the gold summary of the article asked about.
GOLD_MOCKS = ("noisy", "oracle")

# What litellm is told about every mock: free (a known 0.0, not an unknown price) and able to
# take a JSON Schema response_format, so the run sends one exactly as to a real model.
MOCK_MODEL_INFO: dict[str, Any] = {
    "litellm_provider": "mock",
    "mode": "chat",
    "input_cost_per_token": 0.0,
    "output_cost_per_token": 0.0,
    "cache_creation_input_token_cost": 0.0,
    "cache_read_input_token_cost": 0.0,
    "max_input_tokens": 1_000_000,
    "max_output_tokens": 100_000,
    "max_tokens": 100_000,
    "supports_response_schema": True,
    "supports_system_messages": True,
}


def _name(model: str) -> str:
    return model.partition("/")[2]


class MockProvider(Provider):
    def check(self, model: str, api_base: str | None, context: ProviderContext) -> None:
        name = _name(model)
        if name not in MOCK_MODELS:
            expected = ", ".join(f"mock/{m}" for m in MOCK_MODELS)
            raise ModelConfigError(f"unknown mock model '{model}'; expected one of {expected}")
        if name == "replay":
            cassette = context.mock.cassette
            if cassette is None:
                raise ModelConfigError(
                    "mock/replay needs a cassette to replay",
                    hint="pass the file an earlier `evalsum run --record FILE` wrote",
                )
            if not cassette.is_file():
                raise ModelConfigError(
                    f"cassette not found: {cassette.resolve()} (pass --cassette FILE)"
                )

    def fingerprint(self, model: str, context: ProviderContext) -> dict[str, Any]:
        # Latency and transient errors never change a successful answer; the rest does,
        # including what the cassette holds (a re-recorded cassette at the same path).
        settings = context.mock.model_dump(mode="json", exclude={"latency_ms", "error_rate"})
        cassette = context.mock.cassette
        if _name(model) == "replay" and cassette is not None and cassette.is_file():
            settings["cassette_sha256"] = hashlib.sha256(cassette.read_bytes()).hexdigest()
        return settings

    def answers_from_gold(self, model: str) -> bool:
        return _name(model) in GOLD_MOCKS

    def route(self, model: str, api_base: str | None, context: ProviderContext) -> Route:
        return Route(
            litellm_model=model,
            model_info=MOCK_MODEL_INFO,
            custom_provider=True,
            needs_keys=False,
        )

    @contextlib.contextmanager
    def open(self, model: str, api_base: str | None, context: ProviderContext) -> Iterator[Route]:
        self.check(model, api_base, context)
        route = self.route(model, api_base, context)
        yield dataclasses.replace(route, backend=self._backend(model, context))

    def _backend(self, model: str, context: ProviderContext) -> MockBackend:
        name = _name(model)
        if name == "replay" and context.mock.cassette is not None:  # check() made sure
            return ReplayBackend(model, context.mock, context.mock.cassette)
        if name == "judge":
            return JudgeBackend(model, context.mock)
        if not context.corpus:
            raise ModelConfigError(f"{model} answers from the gold corpus, and none was given")
        articles = context.corpus
        if name == "oracle":
            return OracleBackend(model, context.mock, articles)
        return NoisyBackend(model, context.mock, articles)


__all__ = ["MOCK_MODELS", "MOCK_MODEL_INFO", "MockProvider"]
