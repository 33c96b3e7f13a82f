"""What a run writes per call: one journal line per finished (or failed) call."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict


class Usage(BaseModel):
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    # None means the price is unknown, which is not the same as free.
    cost_usd: float | None = None
    latency_s: float | None = None


class CallError(BaseModel):
    kind: str
    message: str
    retryable: bool = False
    status_code: int | None = None


CallStatus = Literal["ok", "failed", "skipped"]


class CallRecord(BaseModel):
    """One call of the model for one article and sample, as the journal keeps it."""

    model_config = ConfigDict(extra="ignore")

    article_id: str
    sample: int
    status: CallStatus
    request_sha256: str
    prompt_sha256: str
    raw: str | None = None
    finish_reason: str | None = None
    usage: Usage = Usage()
    attempts: int = 0
    retries: int = 0
    cached: bool = False
    error: CallError | None = None
    finished_at: dt.datetime

    @property
    def key(self) -> tuple[str, int]:
        return (self.article_id, self.sample)


__all__ = ["CallError", "CallRecord", "CallStatus", "Usage"]
