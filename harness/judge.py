"""The LLM judge behind `--judge MODEL`: does a predicted claim state the gold claim's
proposition? Asked through the same provider layer as runs, at temperature 0, and cached.

The scorer asks both argument orders and counts a match only when both say yes
(harness.scoring.judge.judge_both_orders); each order is one cached call here.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
from pathlib import Path
from types import TracebackType

from pydantic import BaseModel

from harness.providers import (
    ChatMessage,
    CompletionRequest,
    ModelClient,
    ProviderError,
    RetryPolicy,
    open_model,
)
from harness.run.cache import CachedResponse, ResponseCache
from harness.run.plan import cache_key

JUDGE_SYSTEM = "You compare two statements from news summaries. Answer with one word: yes or no."
JUDGE_USER = (
    "Do these two statements state the same proposition (the same claim about the world, "
    "whatever the wording)? A statement and its negation are not the same.\n\n"
    "Statement A: {a}\nStatement B: {b}\n\nAnswer yes or no."
)
JUDGE_PROMPT_SHA256 = hashlib.sha256((JUDGE_SYSTEM + "\0" + JUDGE_USER).encode()).hexdigest()


class JudgeStats(BaseModel):
    model: str
    prompt_sha256: str = JUDGE_PROMPT_SHA256
    calls: int = 0
    cached: int = 0
    errors: int = 0
    last_error: str | None = None


def _one_line(text: str) -> str:
    return " ".join(text.split())


def parse_verdict(text: str) -> bool:
    """'Yes.', 'yes, they do', '**Yes**' -> True; anything else is not a match."""
    first = text.strip().lstrip("*_\"' ").lower()
    return first.startswith("yes")


class LLMJudge:
    """A ClaimJudge backed by a model. Use as a context manager; the model is opened (and
    litellm imported) only at the first verdict the cache does not hold."""

    def __init__(
        self,
        model: str,
        *,
        api_base: str | None = None,
        cache_dir: Path | None = None,
        timeout_s: float = 60.0,
        retries: int = 4,
    ) -> None:
        self.model = model
        self.api_base = api_base
        self.timeout_s = timeout_s
        self.policy = RetryPolicy(max_retries=retries)
        self.stats = JudgeStats(model=model)
        self._cache = ResponseCache(cache_dir) if cache_dir is not None else None
        self._stack = contextlib.ExitStack()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._client: ModelClient | None = None

    def __enter__(self) -> LLMJudge:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stack.close()
        if self._loop is not None:
            self._loop.close()
        if self._cache is not None:
            self._cache.close()

    def _request(self, a: str, b: str) -> CompletionRequest:
        return CompletionRequest(
            model=self.model,
            messages=(
                ChatMessage(role="system", content=JUDGE_SYSTEM),
                ChatMessage(role="user", content=JUDGE_USER.format(a=_one_line(a), b=_one_line(b))),
            ),
            api_base=self.api_base,
            temperature=0.0,
            seed=0,
            max_tokens=5,
            timeout_s=self.timeout_s,
        )

    def _open(self) -> tuple[ModelClient, asyncio.AbstractEventLoop]:
        if self._client is None or self._loop is None:
            self._client = self._stack.enter_context(open_model(self.model, api_base=self.api_base))
            # Scoring is synchronous; one private loop serves every verdict.
            self._loop = asyncio.new_event_loop()
        return self._client, self._loop

    def same_proposition(self, a: str, b: str) -> bool:
        request = self._request(a, b)
        key = cache_key(request, {"judge": JUDGE_PROMPT_SHA256})
        hit = self._cache.get(key) if self._cache is not None else None
        if hit is not None:
            self.stats.cached += 1
            return parse_verdict(hit.text)
        client, loop = self._open()
        self.stats.calls += 1
        try:
            result, _ = loop.run_until_complete(client.complete_with_retries(request, self.policy))
        except ProviderError as exc:
            # A judge that cannot answer finds no match; the report counts the errors.
            self.stats.errors += 1
            self.stats.last_error = exc.message
            return False
        if self._cache is not None:
            self._cache.put(key, self.model, CachedResponse(text=result.text))
        return parse_verdict(result.text)


__all__ = ["JUDGE_PROMPT_SHA256", "JudgeStats", "LLMJudge", "parse_verdict"]
