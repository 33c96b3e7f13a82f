"""The run's entry points: open a model, call it, check it, estimate a prompt.

    with open_model("openai/gpt-4o-mini", corpus=corpus.articles) as client:
        result, attempts = await client.complete_with_retries(request, RetryPolicy())

`open_model` resolves the model through the registry, checks its configuration and keeps
whatever the provider started (a local server) alive until the block ends. `check_model`,
`supports_response_schema` and `estimate_prompt` start nothing, for config checks and
--dry-run.
"""

from __future__ import annotations

import contextlib
import dataclasses
import random
from collections.abc import Iterator, Sequence

from harness.providers import litellm_client
from harness.providers.base import GoldArticleLike, MockOptions, ProviderContext, Route
from harness.providers.registry import ProviderRegistry, default_registry
from harness.providers.request import CompletionRequest, CompletionResult, PromptEstimate
from harness.providers.retry import OnRetry, RetryPolicy, Sleep, run_with_retries


class ModelClient:
    """One opened model. Safe to share between concurrent tasks."""

    def __init__(self, model: str, route: Route) -> None:
        self.model = model
        self.route = route
        self._supports_schema: bool | None = None

    @property
    def api_base(self) -> str | None:
        return self.route.api_base

    @property
    def supports_response_schema(self) -> bool:
        if self._supports_schema is None:
            self._supports_schema = litellm_client.supports_response_schema(self.route)
        return self._supports_schema

    async def complete(self, request: CompletionRequest, *, attempt: int = 1) -> CompletionResult:
        """One attempt (its number seeds the mocks' fault injection); raises ProviderError."""
        if request.model != self.model:
            raise ValueError(f"request for model {request.model!r} sent to {self.model!r}")
        send_schema = request.response_schema is not None and self.supports_response_schema
        return await litellm_client.acomplete(
            self.route, request, send_schema=send_schema, attempt=attempt
        )

    async def complete_with_retries(
        self,
        request: CompletionRequest,
        policy: RetryPolicy,
        on_retry: OnRetry | None = None,
        *,
        sleep: Sleep | None = None,
        rng: random.Random | None = None,
    ) -> tuple[CompletionResult, int]:
        """The result and the number of attempts; the last ProviderError when out of retries."""

        async def attempt(req: CompletionRequest, number: int) -> CompletionResult:
            return await self.complete(req, attempt=number)

        return await run_with_retries(attempt, request, policy, on_retry, sleep=sleep, rng=rng)

    def estimate_prompt(self, request: CompletionRequest) -> PromptEstimate:
        return _estimate(self.route, request)


def _context(corpus: Sequence[GoldArticleLike], mock: MockOptions | None) -> ProviderContext:
    # A Sequence is kept as given: a GoldStore reads articles on demand and must not be
    # turned into a tuple of every article.
    articles = corpus if isinstance(corpus, Sequence) else tuple(corpus)
    return ProviderContext(corpus=articles, mock=mock or MockOptions())


@contextlib.contextmanager
def open_model(
    model: str,
    *,
    api_base: str | None = None,
    corpus: Sequence[GoldArticleLike] = (),
    mock: MockOptions | None = None,
    registry: ProviderRegistry | None = None,
) -> Iterator[ModelClient]:
    """A client for `model`; ModelConfigError (before any call) if it cannot be called."""
    context = _context(corpus, mock)
    provider = (registry or default_registry()).resolve(model)
    provider.check(model, api_base, context)
    with provider.open(model, api_base, context) as route:
        yield ModelClient(model, route)


def _static_route(
    model: str, api_base: str | None, mock: MockOptions | None, registry: ProviderRegistry | None
) -> Route:
    context = _context((), mock)
    return (registry or default_registry()).resolve(model).route(model, api_base, context)


def call_limits(
    model: str, api_base: str | None = None, *, registry: ProviderRegistry | None = None
) -> tuple[int | None, int | None]:
    """(the most tokens an answer may have, the most calls in flight) that the provider
    imposes whatever the run asks for; None where it imposes nothing."""
    route = _static_route(model, api_base, None, registry)
    return route.max_tokens_cap, route.max_concurrent_calls


def check_model(
    model: str,
    api_base: str | None = None,
    *,
    mock: MockOptions | None = None,
    registry: ProviderRegistry | None = None,
    calls: bool = True,
) -> None:
    """Raise ModelConfigError if `model` cannot be called (unknown provider, missing key...).

    `calls=False` (a dry run) checks everything but the credentials a call would need."""
    context = dataclasses.replace(_context((), mock), calls=calls)
    (registry or default_registry()).resolve(model).check(model, api_base, context)


def supports_response_schema(
    model: str, api_base: str | None = None, *, registry: ProviderRegistry | None = None
) -> bool:
    """Whether the model takes a JSON Schema response_format (litellm's model data)."""
    return litellm_client.supports_response_schema(_static_route(model, api_base, None, registry))


def _estimate(route: Route, request: CompletionRequest) -> PromptEstimate:
    tokens = litellm_client.count_prompt_tokens(route, request.messages)
    cost = litellm_client.token_cost(route, tokens, 0)
    max_cost = None
    if request.max_tokens is not None:
        max_cost = litellm_client.token_cost(route, tokens, request.max_tokens)
    return PromptEstimate(prompt_tokens=tokens, cost_usd=cost, max_cost_usd=max_cost)


def estimate_prompt(
    request: CompletionRequest, *, registry: ProviderRegistry | None = None
) -> PromptEstimate:
    """Prompt tokens and their price for --dry-run; no network, nothing started."""
    return _estimate(_static_route(request.model, request.api_base, None, registry), request)


__all__ = [
    "ModelClient",
    "call_limits",
    "check_model",
    "estimate_prompt",
    "open_model",
    "supports_response_schema",
]
