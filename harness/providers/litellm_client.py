"""The one module that imports litellm, always lazily.

Importing litellm takes seconds and, left to its defaults, fetches a price list from the
network; `evalsum --help`, cache hits and config errors must not pay for that. Everything
litellm-specific lives here: configuring it offline, calling it, reading cost and capability
data, turning its exceptions into ProviderError, and the CustomLLM that serves in-process
backends (the mocks).

Facts about litellm 1.106 this module relies on (verified against the installed version):
- `litellm.completion_cost`/`cost_per_token` raise for unmapped models; we record None.
- `max_retries` goes to the OpenAI SDK client; other providers ignore it. We always pass 0
  and retry ourselves, because litellm's own retries also retry non-retryable errors.
- A connection refused surfaces as InternalServerError (500); a body that is not JSON too.
  Only the exception chain (`__cause__`/`__context__`) tells them apart from a real 500.
- Vendor response headers (Retry-After) are on `exc.litellm_response_headers`; the
  exception's own `response.headers` is rebuilt empty.
- An exception raised inside a CustomLLM handler reaches the caller wrapped in
  APIConnectionError, with the original in its chain.
- An OpenAI-style 401 whose body has type "invalid_request_error" is raised as
  BadRequestError with status_code 401: status codes 401/403/429 outrank the class here.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import functools
import gc
import json
import os
import re
import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from harness import process
from harness.providers.base import Backend, BackendCall, BackendReply, Fault, Route
from harness.providers.errors import ErrorKind, ModelConfigError, ProviderError, parse_retry_after
from harness.providers.request import ChatMessage, CompletionRequest, CompletionResult

# Where a run's calls carry their in-process backend through litellm to our CustomLLM.
_METADATA_KEY = "evalsum_dispatch"
# litellm's own timeout normally fires first; this only catches a provider that ignores it.
_TIMEOUT_GRACE = 1.25
_TIMEOUT_SLACK_S = 5.0


@functools.cache
def load_litellm() -> ModuleType:
    """Import and configure litellm once: offline, quiet, no retries of its own."""
    # Must be set before the import: litellm loads its price map at import time.
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    # Otherwise litellm appends a "file a bug" URL to some exception messages.
    os.environ.setdefault("LITELLM_DISABLE_BUG_REPORT_LINK", "True")
    import litellm

    # Raised by pydantic the first time litellm builds certain response types; it is about
    # litellm's own TypedDicts and would otherwise reach the user's terminal once per run.
    warnings.filterwarnings(
        "ignore",
        message=r"Item '\w+' on TypedDict class '\w+' is using the `ReadOnly`",
        category=UserWarning,
    )

    # Tokenizers for non-OpenAI models would come from the Hugging Face hub; the bundled
    # tiktoken encodings are close enough for --dry-run estimates.
    litellm.disable_hf_tokenizer_download = True
    litellm.suppress_debug_info = True
    # Older releases phoned home unless told not to; 1.106 has no such attribute.
    if "telemetry" in vars(litellm):
        litellm.telemetry = False
    if process.owns_process:
        # Move every object now alive out of the cyclic collector's reach. litellm's import
        # leaves about a million long-lived objects that each full collection would walk
        # again: at 1,000 articles, 9 full collections cost 1.5 s of CPU; frozen, 0.5 s.
        # Frozen objects are still freed by reference counting; only cycles among them are
        # never collected, which is why a library user's process is left alone.
        gc.freeze()
    return litellm


# --- capability and configuration look-ups --------------------------------------------------


def provider_of(model: str) -> str | None:
    """litellm's provider for `model`, or None when litellm does not know it."""
    litellm = load_litellm()
    try:
        return str(litellm.get_llm_provider(model=model)[1])
    except Exception:
        return None


def missing_keys(model: str, api_base: str | None) -> list[str]:
    """Environment variables litellm says `model` needs and that are not set."""
    litellm = load_litellm()
    info = litellm.validate_environment(model=model, api_base=api_base)
    missing = [str(k) for k in info.get("missing_keys") or []]
    try:
        default_base = litellm.get_llm_provider(model=model, api_base=api_base)[3]
    except Exception:
        default_base = None
    if api_base or default_base:
        # e.g. ollama: OLLAMA_API_BASE is "missing" but litellm has a default for it.
        missing = [k for k in missing if not k.endswith(("_API_BASE", "_BASE_URL"))]
    return missing


def _prepare(route: Route) -> ModuleType:
    """litellm, with whatever the route needs registered."""
    litellm = load_litellm()
    if route.custom_provider:
        _ensure_custom_provider(route.litellm_model.split("/", 1)[0])
    if route.model_info is not None:
        _register_model(route.litellm_model, route.model_info)
    return litellm


@functools.cache
def _register_model_once(model: str, info_json: str) -> None:
    load_litellm().register_model({model: json.loads(info_json)})


def _register_model(model: str, info: Mapping[str, Any]) -> None:
    full = dict(info)
    if "input_cost_per_token" in full:
        # litellm defaults these to 0 anyway, but warns about it on every registration.
        full.setdefault("cache_creation_input_token_cost", 0.0)
        full.setdefault("cache_read_input_token_cost", 0.0)
    _register_model_once(model, json.dumps(full, sort_keys=True))


def supports_response_schema(route: Route) -> bool:
    litellm = _prepare(route)
    try:
        return bool(litellm.supports_response_schema(model=route.litellm_model))
    except Exception:
        return False


def count_prompt_tokens(route: Route, messages: Sequence[ChatMessage]) -> int:
    """Prompt tokens as litellm counts them, offline (litellm bundles tiktoken encodings)."""
    litellm = _prepare(route)
    dumped = [m.model_dump() for m in messages]
    return int(litellm.token_counter(model=route.litellm_model, messages=dumped))


def token_cost(route: Route, prompt_tokens: int, completion_tokens: int) -> float | None:
    """USD for that many tokens, or None when litellm has no price for the model."""
    litellm = _prepare(route)
    try:
        prompt_usd, completion_usd = litellm.cost_per_token(
            model=route.litellm_model,
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
        )
    except Exception:
        return None
    return float(prompt_usd) + float(completion_usd)


# --- the call ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Dispatch:
    backend: Backend
    request: CompletionRequest
    attempt: int


def _max_tokens(route: Route, requested: int | None) -> int | None:
    cap = route.max_tokens_cap
    if cap is None:
        return requested
    return cap if requested is None else min(requested, cap)


def _call_kwargs(
    route: Route, request: CompletionRequest, *, send_schema: bool, attempt: int
) -> dict[str, Any]:
    kwargs: dict[str, Any] = {
        "model": route.litellm_model,
        "messages": [m.model_dump() for m in request.messages],
        "timeout": request.timeout_s,
        # Both off: max_retries is the OpenAI SDK's, num_retries litellm's own wrapper's.
        "max_retries": 0,
        "num_retries": 0,
        # e.g. `seed` for Anthropic: best effort, not a reason to fail the call.
        "drop_params": True,
    }
    optional = {
        "api_base": route.api_base,
        "api_key": route.api_key,
        "temperature": request.temperature,
        "seed": request.seed,
        "max_tokens": _max_tokens(route, request.max_tokens),
    }
    kwargs.update({k: v for k, v in optional.items() if v is not None})
    if send_schema and request.response_schema is not None:
        schema = request.response_schema
        if route.schema_transform is not None:
            schema = route.schema_transform(copy.deepcopy(schema))
        kwargs["response_format"] = {
            "type": "json_schema",
            "json_schema": {"name": "summary", "schema": schema, "strict": False},
        }
    if route.backend is not None:
        kwargs["metadata"] = {_METADATA_KEY: _Dispatch(route.backend, request, attempt)}
    return kwargs


async def acomplete(
    route: Route, request: CompletionRequest, *, send_schema: bool, attempt: int = 1
) -> CompletionResult:
    """One attempt; any failure is raised as a classified ProviderError."""
    async with route.call_slots or contextlib.nullcontext():
        return await _acomplete(route, request, send_schema=send_schema, attempt=attempt)


async def _acomplete(
    route: Route, request: CompletionRequest, *, send_schema: bool, attempt: int
) -> CompletionResult:
    litellm = _prepare(route)
    kwargs = _call_kwargs(route, request, send_schema=send_schema, attempt=attempt)
    started = time.perf_counter()
    quiet = _without_success_logging()
    try:
        async with asyncio.timeout(request.timeout_s * _TIMEOUT_GRACE + _TIMEOUT_SLACK_S):
            response = await litellm.acompletion(**kwargs)
    except TimeoutError:
        raise ProviderError(
            "timeout", f"{request.model}: no answer within {request.timeout_s:g}s"
        ) from None
    except Exception as exc:
        # `from None`: the litellm exception's text is not scrubbed; keep it off tracebacks.
        raise classify(exc, request, route) from None
    finally:
        quiet()
    latency = time.perf_counter() - started
    return _result(litellm, response, route, request, latency)


def _without_success_logging() -> Callable[[], None]:
    """Tell litellm not to queue its success logging for this call; returns the undo.

    evalsum registers no litellm callbacks, yet litellm queues an async success handler per
    call on its global logging worker, each holding the call's prompt and response (some
    40 KB) until the worker gets to it; during a long run the queue stays at about a third of
    the calls made (3,700 items, 13-19 MB per 1,000 calls at 10,000 articles). litellm's own
    switch for its internal sub-calls suppresses exactly that ("async logging and billing").
    It is private: if a release moves it, calls go on as before, with the queue.
    """
    try:
        from litellm._internal_context import is_internal_call
    except ImportError:
        return lambda: None
    token = is_internal_call.set(True)
    return lambda: is_internal_call.reset(token)


def _result(
    litellm: ModuleType, response: Any, route: Route, request: CompletionRequest, latency: float
) -> CompletionResult:
    choices = getattr(response, "choices", None) or []
    if not choices:
        raise ProviderError("malformed_response", f"{request.model}: the response has no choices")
    choice = choices[0]
    message = getattr(choice, "message", None)
    text = getattr(message, "content", None) or ""
    usage = getattr(response, "usage", None)
    try:
        cost: float | None = float(
            litellm.completion_cost(completion_response=response, model=route.litellm_model)
        )
    except Exception:
        cost = None  # unknown price: recorded as null, never as 0
    return CompletionResult(
        text=text,
        finish_reason=getattr(choice, "finish_reason", None),
        prompt_tokens=getattr(usage, "prompt_tokens", None),
        completion_tokens=getattr(usage, "completion_tokens", None),
        cost_usd=cost,
        latency_s=latency,
        provider_model=str(getattr(response, "model", None) or route.litellm_model),
    )


# --- exceptions -------------------------------------------------------------------------------

_PREFIXES = re.compile(r"^\s*(?:litellm\.\w+:|\w+Error:|\w+Exception\s+-)\s*")
_PHRASES: dict[ErrorKind, str] = {
    "rate_limit": "rate limited",
    "timeout": "timed out",
    "server": "server error",
    "connection": "cannot connect",
    "malformed_response": "response is not valid JSON",
    "bad_request": "bad request",
    "context_window": "prompt exceeds the context window",
    "content_filter": "blocked by the provider's content filter",
    "auth": "authentication failed",
    "not_found": "not found",
    "budget": "budget exceeded",
    "config": "misconfigured",
    "unknown": "failed",
}


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and all(current is not s for s in seen):
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def _detail(exc: BaseException) -> str:
    text = str(getattr(exc, "message", None) or exc)
    previous = None
    while previous != text:
        previous, text = text, _PREFIXES.sub("", text, count=1)
    return text


def _headers(exc: BaseException) -> dict[str, str]:
    """Response headers wherever litellm left them (see the module docstring)."""
    merged: dict[str, str] = {}
    response = getattr(exc, "response", None)
    for source in (
        getattr(response, "headers", None),
        getattr(exc, "litellm_response_headers", None),
        getattr(exc, "headers", None),
    ):
        if source is not None and hasattr(source, "items"):  # dict or httpx.Headers
            merged.update({str(k).lower(): str(v) for k, v in source.items()})
    return merged


def _is_network_error(exc: BaseException) -> bool:
    # httpx/openai/aiohttp connection errors, and the OSError underneath them all.
    names = {cls.__name__ for cls in type(exc).__mro__}
    return isinstance(exc, OSError) or bool(
        names
        & {
            "ConnectError",
            "ConnectTimeout",
            "RemoteProtocolError",
            "ClientConnectorError",
            "ServerDisconnectedError",
            "NetworkError",
        }
    )


def _kind(litellm: ModuleType, exc: BaseException, chain: list[BaseException]) -> ErrorKind:
    ex = litellm.exceptions
    status = getattr(exc, "status_code", None)
    status = status if isinstance(status, int) else None
    # Subclasses of BadRequestError that say more than their status does.
    classes: tuple[tuple[type[BaseException], ErrorKind], ...] = (
        (ex.BudgetExceededError, "budget"),
        (ex.ContextWindowExceededError, "context_window"),
        (ex.ContentPolicyViolationError, "content_filter"),
        (ex.LiteLLMUnknownProvider, "config"),
    )
    for cls, kind in classes:
        if isinstance(exc, cls):
            return kind
    # litellm files an OpenAI-style 401 whose body says "invalid_request_error" under
    # BadRequestError (keeping status 401), so these statuses outrank the class.
    if status in (401, 403):
        return "auth"
    if status == 429:
        return "rate_limit"
    classes = (
        (ex.RateLimitError, "rate_limit"),
        (ex.Timeout, "timeout"),
        (ex.AuthenticationError, "auth"),
        (ex.PermissionDeniedError, "auth"),
        (ex.NotFoundError, "not_found"),
        (ex.APIResponseValidationError, "malformed_response"),
        (ex.BadRequestError, "bad_request"),
        (ex.UnprocessableEntityError, "bad_request"),
    )
    for cls, kind in classes:
        if isinstance(exc, cls):
            return kind
    # A 500 from litellm may really be a body that is not JSON, or no connection at all.
    if any(isinstance(e, json.JSONDecodeError) for e in chain):
        return "malformed_response"
    if any(_is_network_error(e) for e in chain[1:]):
        return "connection"
    if isinstance(exc, ex.APIConnectionError):
        # litellm also wraps plain bugs (ours or its own) in APIConnectionError; retrying
        # those would only hide them.
        return "unknown"
    if status is None:
        return "unknown"
    if status == 408:
        return "timeout"
    if status >= 500:
        return "server"
    if status == 404:
        return "not_found"
    return "bad_request" if 400 <= status < 500 else "unknown"


def classify(exc: BaseException, request: CompletionRequest, route: Route) -> ProviderError:
    """A ProviderError for anything litellm raised."""
    chain = _chain(exc)
    for inner in chain:
        if isinstance(inner, ProviderError):
            return inner  # raised by our own backend: already classified
    litellm = load_litellm()
    kind = _kind(litellm, exc, chain)
    status = getattr(exc, "status_code", None)
    status = status if isinstance(status, int) else None
    if kind in ("connection", "timeout") or isinstance(exc, litellm.exceptions.APIConnectionError):
        # litellm stamps 500 on failures that never got an HTTP answer (a refused
        # connection): no status is recorded rather than an invented one.
        status = None
    retry_after = parse_retry_after(_headers(exc)) if kind in ("rate_limit", "server") else None
    what = _PHRASES[kind]
    if kind == "timeout":
        what = f"timed out after {request.timeout_s:g}s"
    elif kind == "connection" and route.api_base:
        what = f"cannot connect to {_without_userinfo(route.api_base)}"
    where = f" (HTTP {status})" if status and kind not in ("timeout", "connection") else ""
    article = f" [article {request.article_id}]" if request.article_id else ""
    message = f"{request.model}{article}: {what}{where}: {_detail(exc)}"
    if route.api_key:
        message = message.replace(route.api_key, "***")
    return ProviderError(
        kind,
        message,
        status_code=status,
        retry_after_s=retry_after,
        cause=f"{type(exc).__module__}.{type(exc).__name__}",
    )


def _without_userinfo(url: str) -> str:
    return re.sub(r"//[^/@]*@", "//", url)


# --- the CustomLLM for in-process backends --------------------------------------------------


@functools.cache
def _ensure_custom_provider(prefix: str) -> None:
    litellm = load_litellm()
    if not any(item["provider"] == prefix for item in litellm.custom_provider_map):
        litellm.custom_provider_map.append({"provider": prefix, "custom_handler": _dispatcher()})
    # litellm adds custom prefixes to its provider list only inside a call; do it now so
    # capability look-ups (supports_response_schema) know the prefix before the first call.
    litellm.utils.custom_llm_setup()


@functools.cache
def _dispatcher() -> Any:
    litellm = load_litellm()

    def unpack(kwargs: Mapping[str, Any]) -> tuple[Backend, BackendCall, float]:
        metadata = (kwargs.get("litellm_params") or {}).get("metadata") or {}
        dispatch = metadata.get(_METADATA_KEY)
        if not isinstance(dispatch, _Dispatch):
            raise ModelConfigError(
                f"model '{kwargs.get('model')}' is served in-process and can only be called "
                "through harness.providers.open_model"
            )
        optional = kwargs.get("optional_params") or {}
        call = BackendCall(
            request=dispatch.request,
            attempt=dispatch.attempt,
            messages=tuple(kwargs.get("messages") or ()),
            response_format=optional.get("response_format"),
        )
        timeout = kwargs.get("timeout")
        limit = float(timeout) if isinstance(timeout, int | float) else dispatch.request.timeout_s
        return dispatch.backend, call, limit

    def finish(model: str, reply: BackendReply, limit: float) -> Any:
        fault = reply.fault
        if fault is None and reply.latency_s > limit:
            raise litellm.Timeout(
                message=f"no answer within {limit:g}s", model=model, llm_provider="custom"
            )
        if fault is not None:
            raise _fault_exception(litellm, fault, model)
        return litellm.ModelResponse(
            model=model,
            choices=[
                {
                    "index": 0,
                    "finish_reason": reply.finish_reason,
                    "message": {"role": "assistant", "content": reply.text},
                }
            ],
            usage={
                "prompt_tokens": reply.prompt_tokens,
                "completion_tokens": reply.completion_tokens,
                "total_tokens": reply.prompt_tokens + reply.completion_tokens,
            },
        )

    class EvalsumDispatcher(litellm.CustomLLM):  # type: ignore[misc,name-defined]
        """Hands each call to the backend that travels in its metadata; sleeps its latency."""

        def completion(self, *args: Any, **kwargs: Any) -> Any:
            backend, call, limit = unpack(kwargs)
            reply = backend.reply(call)
            if reply.latency_s > 0:
                time.sleep(min(reply.latency_s, limit))
            return finish(call.request.model, reply, limit)

        async def acompletion(self, *args: Any, **kwargs: Any) -> Any:
            backend, call, limit = unpack(kwargs)
            reply = backend.reply(call)
            if reply.latency_s > 0:
                await asyncio.sleep(min(reply.latency_s, limit))
            return finish(call.request.model, reply, limit)

    return EvalsumDispatcher()


def _fault_exception(litellm: ModuleType, fault: Fault, model: str) -> Exception:
    """The exception a real provider would raise, so faults take the real classification path."""
    error: Exception
    if fault.kind == "rate_limit":
        headers = {}
        if fault.retry_after_s is not None:
            headers["retry-after"] = f"{fault.retry_after_s:g}"
        error = litellm.RateLimitError(
            message=fault.message, llm_provider="custom", model=model, headers=headers
        )
    elif fault.kind == "timeout":
        error = litellm.Timeout(message=fault.message, model=model, llm_provider="custom")
    else:
        error = litellm.InternalServerError(
            message=fault.message, llm_provider="custom", model=model
        )
    return error


__all__ = [
    "acomplete",
    "classify",
    "count_prompt_tokens",
    "load_litellm",
    "missing_keys",
    "provider_of",
    "supports_response_schema",
    "token_cost",
]
