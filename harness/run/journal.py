"""The run journal: one JSON line per finished call, flushed as it happens.

It is what makes a run resumable after Ctrl-C or kill -9: whatever reached the journal is
never asked again. A line cut off by a crash is repaired (dropped) on the next open.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Mapping
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


# Every line starts with the record's key, in CallRecord's field order; anything else is parsed.
_KEY_PREFIX = re.compile(rb'\{"article_id":("(?:[^"\\]|\\.)*"),"sample":(\d+),')


def _line_key(line: bytes) -> tuple[str, int] | None:
    found = _KEY_PREFIX.match(line)
    if found is not None:
        return json.loads(found.group(1)), int(found.group(2))
    try:
        data = json.loads(line)
        return str(data["article_id"]), int(data["sample"])
    except (ValueError, KeyError, TypeError):
        return None


class JournalIndex(Mapping[tuple[str, int], CallRecord]):
    """`latest_records` without the records: where each key's last line is, read when asked.

    A large run's raw answers then need not all sit in memory while its report is built. Use
    as a context manager (it keeps the journal open); lines are validated as they are read.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._where: dict[tuple[str, int], tuple[int, int, int]] = {}  # offset, size, line
        self._fh: IO[bytes] | None = None
        self._end = 0  # bytes indexed: every complete line before this offset
        self._lines = 0
        self.refresh()

    def refresh(self) -> None:
        """Index the lines appended since the last look (the journal only ever grows)."""
        if self._fh is None:
            if not self.path.exists():
                return
            self._fh = self.path.open("rb")
        fh = self._fh
        fh.seek(self._end)
        offset, number = self._end, self._lines
        for line in fh:
            if not line.endswith(b"\n"):
                break  # a torn (or still being written) last line, as in read_journal
            number += 1
            if line.strip():
                key = _line_key(line)
                if key is None:
                    raise self._bad_line(number, "not JSON with article_id and sample")
                self._where[key] = (offset, len(line), number)
            offset += len(line)
        self._end, self._lines = offset, number

    def _bad_line(self, number: int, why: str) -> InputError:
        return InputError(
            f"{self.path}:{number}: not a journal record ({why})",
            hint="the journal is written by evalsum; restore it or start a new run",
        )

    def __getitem__(self, key: tuple[str, int]) -> CallRecord:
        offset, size, number = self._where[key]
        if self._fh is None or self._fh.closed:
            raise ValueError(f"{self.path}: the journal index is closed")
        self._fh.seek(offset)
        try:
            return CallRecord.model_validate_json(self._fh.read(size))
        except ValidationError as exc:
            raise self._bad_line(number, exc.errors()[0]["msg"]) from None

    def __iter__(self) -> Iterator[tuple[str, int]]:
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()

    def __enter__(self) -> JournalIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


__all__ = ["JOURNAL_FILE", "Journal", "JournalIndex", "latest_records", "read_journal"]
