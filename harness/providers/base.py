"""The contract between the registry, a provider and the one litellm module.

A provider turns a model string into a `Route`: the litellm model name to call, where, and
with what. Every call then goes through litellm the same way, so built-in and third-party
providers share one path: retries, error classification, usage and cost.

A provider whose answers are computed in-process (the mocks) sets `Route.backend`; litellm
then dispatches the call to it through litellm's custom-provider mechanism, so even a mock
call exercises litellm's request handling and exception mapping.
"""

from __future__ import annotations

import asyncio
import contextlib
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

from harness.providers.request import CompletionRequest
from harness.summary import ArticleMeta, Summary


class GoldArticleLike(Protocol):
    """What the mocks need of a gold article (harness.gold.GoldArticle fits)."""

    @property
    def meta(self) -> ArticleMeta: ...

    @property
    def text(self) -> str: ...

    @property
    def summary(self) -> Summary: ...


class MockOptions(BaseModel):
    """Knobs of the mock providers (real providers ignore them)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    latency_ms: float = Field(default=0.0, ge=0)
    error_rate: float = Field(default=0.0, ge=0, le=1)
    malformed_rate: float = Field(default=0.0, ge=0, le=1)
    noise_rate: float = Field(default=0.3, ge=0, le=1)
    cassette: Path | None = Field(default=None, description="What mock/replay replays.")


@dataclass(frozen=True)
class ProviderContext:
    """What a provider may need from the run when it is opened."""

    corpus: Sequence[GoldArticleLike] = ()
    mock: MockOptions = field(default_factory=MockOptions)
    # False for a dry run: nothing will be called, so credentials are not required.
    calls: bool = True


FaultKind = Literal["rate_limit", "timeout", "server"]


@dataclass(frozen=True)
class Fault:
    """A failure a backend wants raised, as the real litellm exception of that kind."""

    kind: FaultKind
    message: str
    retry_after_s: float | None = None


@dataclass(frozen=True)
class BackendCall:
    """One call as an in-process backend sees it."""

    request: CompletionRequest
    attempt: int
    # What litellm actually handed over, so a backend answers from what was sent.
    messages: tuple[Mapping[str, Any], ...]
    response_format: Mapping[str, Any] | None


@dataclass(frozen=True)
class BackendReply:
    text: str = ""
    finish_reason: str = "stop"
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_s: float = 0.0
    fault: Fault | None = None


class Backend(Protocol):
    """Computes answers in-process. Pure: sleeping and raising are the caller's job, so the
    same backend serves litellm's sync and async paths."""

    def reply(self, call: BackendCall) -> BackendReply: ...


@dataclass(frozen=True)
class Route:
    """How one model is called through litellm."""

    litellm_model: str
    api_base: str | None = None
    # A placeholder for servers that need none; real keys stay in the environment for litellm.
    api_key: str | None = field(default=None, repr=False)
    # Registered with litellm.register_model before first use: prices, supports_response_schema.
    model_info: Mapping[str, Any] | None = None
    # True: litellm hands calls under this prefix to our CustomLLM, which passes them to
    # `backend` (set by Provider.open; a route from Provider.route may have none yet).
    custom_provider: bool = False
    backend: Backend | None = None
    # False when no key can be needed (a local server, an in-process backend).
    needs_keys: bool = True
    # What a small local model needs to finish (see harness.providers.local): requests for
    # more tokens than this, or for no limit, are sent this; and the JSON Schema sent as
    # response_format is rewritten, e.g. with maxItems bounds. Any answer the rewritten schema
    # allows must still be valid under the original.
    max_tokens_cap: int | None = None
    schema_transform: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    # A server that answers only so many calls at once: Provider.open sets `call_slots` to
    # that many, and the other calls wait there, before their timeout starts, rather than in
    # the server's queue.
    max_concurrent_calls: int | None = None
    call_slots: asyncio.Semaphore | None = field(default=None, compare=False)


class Provider(ABC):
    """A family of models addressed by one prefix ('mock/...', 'local/...').

    `check` and `route` must be cheap and free of side effects (they serve --dry-run and
    config checks); `open` may start things (a server) and must stop them on exit.
    """

    def accepts(self, model: str) -> bool:
        """Only asked of the fallback provider: whether it can call a model at all."""
        return True

    def check(self, model: str, api_base: str | None, context: ProviderContext) -> None:  # noqa: B027
        """Raise ModelConfigError when the model cannot be called as configured."""

    def fingerprint(self, model: str, context: ProviderContext) -> dict[str, Any]:
        """What besides the request changes this provider's answers (its settings); part of
        the response-cache key, so changed settings never serve stale answers."""
        return {}

    def answers_from_gold(self, model: str) -> bool:
        """Whether the model's answers are made from the gold summary (a mock), so that each
        answer's cache key must hold its gold article's digest: an edited gold claim must
        not be answered from the old one."""
        return False

    @abstractmethod
    def route(self, model: str, api_base: str | None, context: ProviderContext) -> Route:
        """The route, without starting anything."""

    @contextlib.contextmanager
    def open(self, model: str, api_base: str | None, context: ProviderContext) -> Iterator[Route]:
        """The route for a run; override to start and stop what the model needs."""
        yield self.route(model, api_base, context)


__all__ = [
    "Backend",
    "BackendCall",
    "BackendReply",
    "Fault",
    "FaultKind",
    "GoldArticleLike",
    "MockOptions",
    "Provider",
    "ProviderContext",
    "Route",
]
