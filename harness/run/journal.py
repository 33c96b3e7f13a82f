"""The run journal: one JSON line per finished call, flushed as it happens.

It is what makes a run resumable after Ctrl-C or kill -9: whatever reached the journal is
never asked again. A line cut off by a crash is repaired (dropped) on the next open.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from pydantic import ValidationError

from harness.errors import InputError
from harness.run.records import CallRecord

JOURNAL_FILE = "journal.jsonl"


def _good_prefix_length(data: bytes) -> tuple[int, int]:
    """(bytes of complete, parseable lines, number of bad lines dropped at the end)."""
    end = data.rfind(b"\n") + 1
    dropped = 1 if end < len(data) else 0
    return end, dropped


def read_journal(path: Path) -> Iterator[CallRecord]:
    """Every complete record. Lines that do not parse raise, naming the line."""
    if not path.exists():
        return
    with path.open("rb") as fh:
        for number, line in enumerate(fh, 1):
            if not line.endswith(b"\n"):
                return  # a torn last line: repaired by Journal.open, ignored by readers
            if not line.strip():
                continue
            try:
                yield CallRecord.model_validate_json(line)
            except ValidationError as exc:
                raise InputError(
                    f"{path}:{number}: not a journal record ({exc.errors()[0]['msg']})",
                    hint="the journal is written by evalsum; restore it or start a new run",
                ) from None


class Journal:
    """Append-only writer; each record is flushed to the OS before the call is counted done."""

    def __init__(self, path: Path, handle: IO[bytes], repaired: int) -> None:
        self.path = path
        self._fh = handle
        self.repaired = repaired

    @classmethod
    def open(cls, path: Path) -> Journal:
        repaired = 0
        if path.exists():
            data = path.read_bytes()
            keep, repaired = _good_prefix_length(data)
            if repaired:
                with path.open("r+b") as fh:
                    fh.truncate(keep)
        return cls(path, path.open("ab"), repaired)

    def append(self, record: CallRecord) -> None:
        line = record.model_dump_json().encode() + b"\n"
        self._fh.write(line)
        # flush() hands the line to the OS, which keeps it through a kill -9 of this process.
        self._fh.flush()

    def sync(self) -> None:
        self._fh.flush()
        os.fsync(self._fh.fileno())

    def close(self) -> None:
        if not self._fh.closed:
            self.sync()
            self._fh.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def latest_records(path: Path) -> dict[tuple[str, int], CallRecord]:
    """The last record per (article, sample): a retry in a resumed run supersedes a failure."""
    latest: dict[tuple[str, int], CallRecord] = {}
    for record in read_journal(path):
        latest[record.key] = record
    return latest


__all__ = ["JOURNAL_FILE", "Journal", "latest_records", "read_journal"]
