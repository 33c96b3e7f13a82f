"""Planning a run: one task per (article, sample), with its rendered request and cache key.

Everything that can be wrong with the inputs is found here, before any call is made.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from harness.gold import GoldArticle
from harness.prompts import PromptTemplate, messages_sha256
from harness.providers import ChatMessage, CompletionRequest, request_key
from harness.run.config import RunConfig


@dataclass(frozen=True, slots=True)
class Task:
    article_id: str
    sample: int
    request: CompletionRequest
    prompt_sha256: str
    key: str

    @property
    def ref(self) -> tuple[str, int]:
        return (self.article_id, self.sample)


def sample_seed(base_seed: int, sample: int) -> int:
    """Each sample gets its own seed so that K samples measure run-to-run variance."""
    return base_seed + sample


def cache_key(request: CompletionRequest, provider_fingerprint: dict[str, Any]) -> str:
    """The request's content plus who answers it: the same prompt to another model (or to a
    mock with other settings) is another answer. Never includes an API key."""
    parts = {
        "model": request.model,
        "api_base": request.api_base,
        "request": request_key(request),
        "provider": provider_fingerprint,
    }
    payload = json.dumps(parts, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def plan_tasks(
    articles: Iterable[GoldArticle],
    template: PromptTemplate,
    config: RunConfig,
    *,
    schema: dict[str, Any],
    send_schema: bool,
    provider_fingerprint: dict[str, Any],
) -> list[Task]:
    tasks = []
    for article in articles:
        messages = template.render(
            article=article.text,
            published=article.meta.published,
            title=article.meta.title,
            schema=schema,
            schema_in_prompt=not send_schema,
        )
        digest = messages_sha256(messages)
        chat = tuple(ChatMessage(role=m.role, content=m.content) for m in messages)
        for sample in range(config.samples):
            request = CompletionRequest(
                model=config.model,
                messages=chat,
                api_base=config.api_base,
                temperature=config.temperature,
                seed=sample_seed(config.seed, sample),
                max_tokens=config.max_tokens,
                timeout_s=config.timeout_s,
                response_schema=schema if send_schema else None,
                sample_index=sample,
                article_id=article.id,
            )
            key = cache_key(request, provider_fingerprint)
            tasks.append(Task(article.id, sample, request, digest, key))
    return tasks


__all__ = ["Task", "cache_key", "plan_tasks", "sample_seed"]
