"""Building completion requests the way the run renders them."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

from harness.gold import GoldArticle
from harness.providers import CompletionRequest
from tests.support.articles import GENEVA, prompt_for

T = TypeVar("T")


def make_request(model: str, article: GoldArticle = GENEVA, **overrides: Any) -> CompletionRequest:
    fields: dict[str, Any] = {
        "model": model,
        "messages": [
            {"role": "system", "content": "You extract structured summaries as JSON."},
            {"role": "user", "content": prompt_for(article)},
        ],
        "seed": 0,
        "max_tokens": 512,
        "timeout_s": 10.0,
        "response_schema": {"type": "object"},
        "article_id": article.meta.id,
    }
    fields.update(overrides)
    return CompletionRequest.model_validate(fields)


def run(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion (the suite has no async test plugin)."""
    return asyncio.run(coro)


class RecordedSleep:
    """An injectable sleep that records delays instead of waiting them."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)


__all__ = ["RecordedSleep", "make_request", "run"]
