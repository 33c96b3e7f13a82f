"""Cassettes: what `--record FILE` writes and mock/replay answers from.

A cassette is JSONL, one `CassetteRecord` per call, keyed by `request_key` (which leaves the
model out), so answers recorded from any model, real ones included, replay under mock/replay.
Records are appended and flushed one by one, so an interrupted run keeps what it paid for.
Nothing secret is in a record by construction (no key, no api_base), and each line is still
scrubbed of secret environment values before it is written.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from types import TracebackType
from typing import IO, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from harness.providers.errors import ModelConfigError, scrub_secrets
from harness.providers.request import CompletionRequest, CompletionResult, request_key


class CassetteRecord(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    version: Literal[1] = 1
    key: str
    article_id: str | None = None
    sample_index: int = 0
    model: str  # what answered when recording; replay ignores it
    text: str
    finish_reason: str | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None


def record_for(request: CompletionRequest, result: CompletionResult) -> CassetteRecord:
    return CassetteRecord(
        key=request_key(request),
        article_id=request.article_id,
        sample_index=request.sample_index,
        model=request.model,
        text=result.text,
        finish_reason=result.finish_reason,
        prompt_tokens=result.prompt_tokens,
        completion_tokens=result.completion_tokens,
    )


class CassetteRecorder:
    """Appends one record per successful call; use as a context manager."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._file: IO[str] | None = None
        self._lock = threading.Lock()  # calls may finish on several threads in the sync path

    def __enter__(self) -> CassetteRecorder:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._file = self.path.open("a", encoding="utf-8")
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def record(self, request: CompletionRequest, result: CompletionResult) -> None:
        if self._file is None:
            raise RuntimeError("CassetteRecorder.record outside its `with` block")
        line = scrub_secrets(record_for(request, result).model_dump_json()) + "\n"
        with self._lock:
            self._file.write(line)
            self._file.flush()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


def load_cassette(path: Path | str) -> dict[str, CassetteRecord]:
    """Records by request key (a later record of the same request wins).

    A last line without its newline is what an interrupted write leaves: it is skipped.
    Any other bad line is an error naming the file and line.
    """
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ModelConfigError(
            f"cassette not found: {path.resolve()} (pass --cassette FILE)",
            hint="record one with `evalsum run --record FILE`",
        ) from None
    records: dict[str, CassetteRecord] = {}
    lines = raw.split("\n")
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = CassetteRecord.model_validate_json(line)
        except (ValidationError, json.JSONDecodeError) as exc:
            if number == len(lines):  # no newline after it: a torn final write
                continue
            first = exc.errors()[0]["msg"] if isinstance(exc, ValidationError) else str(exc)
            raise ModelConfigError(f"{path}:{number}: not a cassette record: {first}") from None
        records[record.key] = record
    return records


__all__ = ["CassetteRecord", "CassetteRecorder", "load_cassette", "record_for"]
