"""What goes into a model call and what comes out of it, as plain pydantic records."""

from __future__ import annotations

import hashlib
import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Role = Literal["system", "user", "assistant"]


class ChatMessage(BaseModel):
    # from_attributes: the run's own prompt Message (same two fields) is accepted as is.
    model_config = ConfigDict(frozen=True, extra="forbid", from_attributes=True)

    role: Role
    content: str


class CompletionRequest(BaseModel):
    """One call for one article and sample, fully rendered."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    model: str = Field(min_length=1, description="'provider/name', e.g. 'openai/gpt-4o-mini'.")
    messages: tuple[ChatMessage, ...] = Field(min_length=1)
    api_base: str | None = None
    temperature: float | None = Field(default=0.0, ge=0, le=2)
    seed: int | None = None
    max_tokens: int | None = Field(default=None, ge=1)
    timeout_s: float = Field(default=120.0, gt=0)
    response_schema: dict[str, Any] | None = Field(
        default=None,
        description="JSON Schema of the answer; sent as response_format when the model "
        "supports structured output.",
    )
    sample_index: int = Field(default=0, ge=0)
    article_id: str | None = Field(
        default=None, description="For messages only: which article a failure was about."
    )


class CompletionResult(BaseModel):
    """The model's raw answer with its accounting."""

    model_config = ConfigDict(frozen=True)

    text: str
    finish_reason: str | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    # None means the price is unknown, which is not the same as free.
    cost_usd: float | None = None
    latency_s: float
    provider_model: str = Field(description="The model name the provider reported.")


class PromptEstimate(BaseModel):
    """What --dry-run can know without calling: prompt size and its price."""

    model_config = ConfigDict(frozen=True)

    prompt_tokens: int
    cost_usd: float | None = Field(description="Price of the prompt tokens; None if unknown.")
    max_cost_usd: float | None = Field(
        description="Prompt plus max_tokens of completion; None if unknown or unbounded."
    )


def request_key(request: CompletionRequest) -> str:
    """A digest of what determines the answer, independent of which model is asked.

    Model, api_base, timeout and article_id are left out on purpose, so a cassette recorded
    with one model replays under mock/replay, and a longer timeout is not a new request.
    """
    parts = {
        "messages": [m.model_dump() for m in request.messages],
        "temperature": request.temperature,
        "seed": request.seed,
        "max_tokens": request.max_tokens,
        "response_schema": request.response_schema,
        "sample_index": request.sample_index,
    }
    payload = json.dumps(parts, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


__all__ = [
    "ChatMessage",
    "CompletionRequest",
    "CompletionResult",
    "PromptEstimate",
    "Role",
    "request_key",
]
