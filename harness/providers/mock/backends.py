"""The answers of mock/oracle, mock/noisy and mock/replay, with fault injection around them."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Sequence
from pathlib import Path

from harness.providers.base import BackendCall, BackendReply, GoldArticleLike, MockOptions
from harness.providers.errors import ProviderError
from harness.providers.mock import faults
from harness.providers.mock.articles import ArticleIndex, last_user_message
from harness.providers.mock.cassette import CassetteRecord, load_cassette
from harness.providers.mock.perturb import perturb
from harness.providers.mock.seeding import approx_tokens
from harness.providers.request import request_key


class MockBackend(ABC):
    """Faults and latency around an answer; subclasses only say what the answer is."""

    def __init__(self, model: str, options: MockOptions) -> None:
        self.model = model
        self.options = options

    @abstractmethod
    def answer(self, call: BackendCall, key: str) -> BackendReply:
        """The correct (fault-free) reply; raise ProviderError for a request it cannot answer."""

    def reply(self, call: BackendCall) -> BackendReply:
        key = request_key(call.request)
        latency = self.options.latency_ms / 1000
        fault = faults.injected_fault(self.options, call, key)
        if fault is not None:
            return BackendReply(fault=fault, latency_s=latency)
        reply = self.answer(call, key)
        text, finish_reason = reply.text, reply.finish_reason
        broken = faults.malformed(self.options, call, key, text)
        if broken is not None:
            text, finish_reason = broken
        prompt = "".join(str(m.get("content") or "") for m in call.messages)
        return BackendReply(
            text=text,
            finish_reason=finish_reason,
            prompt_tokens=reply.prompt_tokens or approx_tokens(prompt),
            completion_tokens=reply.completion_tokens or approx_tokens(text),
            latency_s=latency,
        )


class GoldBackend(MockBackend):
    """Answers from the gold article the prompt contains."""

    def __init__(
        self, model: str, options: MockOptions, articles: Sequence[GoldArticleLike]
    ) -> None:
        super().__init__(model, options)
        self.index = ArticleIndex(articles)

    def article(self, call: BackendCall) -> GoldArticleLike:
        found = self.index.find(last_user_message(call.messages), call.request.article_id)
        if found is None:
            wanted = call.request.article_id
            hint = f" (request for article '{wanted}')" if wanted else ""
            raise ProviderError(
                "not_found",
                f"{self.model}: the prompt's last user message contains the text of none of "
                f"the {len(self.index)} gold articles{hint}",
                retryable=False,
            )
        return found


class OracleBackend(GoldBackend):
    def answer(self, call: BackendCall, key: str) -> BackendReply:
        return BackendReply(text=self.article(call).summary.model_dump_json())


class NoisyBackend(GoldBackend):
    def answer(self, call: BackendCall, key: str) -> BackendReply:
        article = self.article(call)
        request = call.request
        seed = request.seed if request.seed is not None else 0
        rate = self.options.noise_rate
        summary, _ = perturb(article.summary, rate, seed, article.meta.id, request.sample_index)
        return BackendReply(text=summary.model_dump_json())


class ReplayBackend(MockBackend):
    def __init__(self, model: str, options: MockOptions, cassette: Path) -> None:
        super().__init__(model, options)
        self.cassette = cassette
        self.records: dict[str, CassetteRecord] = load_cassette(cassette)

    def answer(self, call: BackendCall, key: str) -> BackendReply:
        record = self.records.get(key)
        if record is None:
            request = call.request
            article = f"article '{request.article_id}'" if request.article_id else "this request"
            raise ProviderError(
                "not_found",
                f"{self.model}: no recorded response for {article} sample {request.sample_index} "
                f"in cassette {self.cassette} (request key {key[:12]}); the prompt or "
                "parameters differ from the recorded run, or it was never recorded",
                retryable=False,
            )
        return BackendReply(
            text=record.text,
            finish_reason=record.finish_reason or "stop",
            prompt_tokens=record.prompt_tokens or 0,
            completion_tokens=record.completion_tokens or 0,
        )


_STATEMENT = re.compile(r"^Statement ([AB]): (.*)$", re.MULTILINE)
_WORD = re.compile(r"[a-z0-9]+")


class JudgeBackend(MockBackend):
    """Answers judge prompts ("Statement A: ... / Statement B: ...") by word overlap, so tests
    and offline CI can exercise `--judge` end to end. Deterministic; not a real judge."""

    threshold = 0.5

    def answer(self, call: BackendCall, key: str) -> BackendReply:
        found = dict(_STATEMENT.findall(last_user_message(call.messages)))
        if set(found) != {"A", "B"}:
            raise ProviderError(
                "bad_request",
                f"{self.model} answers judge prompts only (lines 'Statement A: ...' and "
                "'Statement B: ...')",
                retryable=False,
            )
        a, b = (set(_WORD.findall(found[k].lower())) for k in ("A", "B"))
        overlap = len(a & b) / len(a | b) if a | b else 1.0
        return BackendReply(text="yes" if overlap >= self.threshold else "no")


__all__ = [
    "GoldBackend",
    "JudgeBackend",
    "MockBackend",
    "NoisyBackend",
    "OracleBackend",
    "ReplayBackend",
]
