"""Planning a run: one task per (article, sample), with its rendered request and cache key.

Everything that can be wrong with the inputs is found here, before any call is made. A task
keeps its cache key, not its rendered prompt (some 20 KB per article): the prompt is rendered
again, identically, when the call is made, so a large corpus's prompts are not all in memory.
Planned from a `GoldStore`, a task does not hold its article either: it is read again by id.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable, Iterable
from typing import Any

from harness.gold import GoldArticle, gold_digest
from harness.gold.store import GoldStore
from harness.prompts import Message, PromptTemplate, messages_sha256
from harness.providers import ChatMessage, CompletionRequest, request_key
from harness.run.config import RunConfig


class Task:
    """One call to make: `request` is the rendered request, or a function rendering it."""

    __slots__ = ("_request", "article_id", "key", "prompt_sha256", "sample")

    def __init__(
        self,
        article_id: str,
        sample: int,
        request: CompletionRequest | Callable[[], CompletionRequest],
        prompt_sha256: str,
        key: str,
    ) -> None:
        self.article_id = article_id
        self.sample = sample
        self._request = request
        self.prompt_sha256 = prompt_sha256
        self.key = key

    @property
    def request(self) -> CompletionRequest:
        request = self._request
        return request if isinstance(request, CompletionRequest) else request()

    @property
    def ref(self) -> tuple[str, int]:
        return (self.article_id, self.sample)

    def __repr__(self) -> str:
        return f"Task({self.article_id!r}, {self.sample}, key={self.key[:12]!r})"


def sample_seed(base_seed: int, sample: int) -> int:
    """Each sample gets its own seed so that K samples measure run-to-run variance."""
    return base_seed + sample


def cache_key(
    request: CompletionRequest,
    provider_fingerprint: dict[str, Any],
    gold_sha256: str | None = None,
) -> str:
    """The request's content plus who answers it: the same prompt to another model (or to a
    mock with other settings) is another answer. `gold_sha256` is the article's gold digest
    when the answer is made from gold (the mocks). Never includes an API key."""
    parts: dict[str, Any] = {
        "model": request.model,
        "api_base": request.api_base,
        "request": request_key(request),
        "provider": provider_fingerprint,
    }
    if gold_sha256 is not None:
        parts["gold"] = gold_sha256
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
    answers_from_gold: bool = False,
) -> list[Task]:
    tasks = []
    for article in articles:
        source: GoldArticle | Callable[[], GoldArticle] = (
            functools.partial(articles.get, article.id)
            if isinstance(articles, GoldStore)
            else article
        )
        render = _Renderer(source, article, template, config, schema, send_schema)
        messages = render.messages()
        digest = messages_sha256(messages)
        chat = _chat(messages)
        gold = gold_digest(article) if answers_from_gold else None
        for sample in range(config.samples):
            key = cache_key(render.request(sample, chat), provider_fingerprint, gold)
            tasks.append(
                Task(article.id, sample, functools.partial(render.request, sample), digest, key)
            )
    return tasks


def _chat(messages: list[Message]) -> tuple[ChatMessage, ...]:
    return tuple(ChatMessage(role=m.role, content=m.content) for m in messages)


class _Renderer:
    """One article's requests; rendering is deterministic, so a request rendered again at call
    time is the one whose key was planned."""

    __slots__ = ("_source", "article_id", "config", "schema", "send_schema", "template")

    def __init__(
        self,
        source: GoldArticle | Callable[[], GoldArticle],
        article: GoldArticle,
        template: PromptTemplate,
        config: RunConfig,
        schema: dict[str, Any],
        send_schema: bool,
    ) -> None:
        self._source = source
        self.article_id = article.id
        self.template = template
        self.config = config
        self.schema = schema
        self.send_schema = send_schema

    @property
    def article(self) -> GoldArticle:
        source = self._source
        return source if isinstance(source, GoldArticle) else source()

    def messages(self) -> list[Message]:
        article = self.article
        return self.template.render(
            article=article.text,
            published=article.meta.published,
            title=article.meta.title,
            schema=self.schema,
            schema_in_prompt=not self.send_schema,
        )

    def request(
        self, sample: int, chat: tuple[ChatMessage, ...] | None = None
    ) -> CompletionRequest:
        config = self.config
        return CompletionRequest(
            model=config.model,
            messages=chat if chat is not None else _chat(self.messages()),
            api_base=config.api_base,
            temperature=config.temperature,
            seed=sample_seed(config.seed, sample),
            max_tokens=config.max_tokens,
            timeout_s=config.timeout_s,
            response_schema=self.schema if self.send_schema else None,
            sample_index=sample,
            article_id=self.article_id,
        )


__all__ = ["Task", "cache_key", "plan_tasks", "sample_seed"]
