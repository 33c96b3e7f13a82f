"""A problem found in a gold file, reported as `file: json-path: what is wrong`."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel

from harness.errors import InputError


class Problem(BaseModel):
    file: str
    path: str  # a JSON path such as $.claims[3].quote, or "" for the file as a whole
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.path or '$'}: {self.message}"


class GoldError(InputError):
    """Gold that cannot be used; carries every problem found, not just the first."""

    def __init__(self, problems: Sequence[Problem], message: str | None = None) -> None:
        self.problems = list(problems)
        super().__init__(message or "\n".join(str(p) for p in self.problems) or "invalid gold")


def gold_not_found(root: Path) -> GoldError:
    """The error for a missing gold folder: its absolute path, since a relative one says nothing
    about which working directory it was looked up in, and the flag that changes it."""
    where = root.resolve()
    what = "is not a folder" if root.exists() else "not found"
    message = f"gold folder {what}: {where} (pass --gold DIR)"
    return GoldError([Problem(file=str(where), path="", message=f"gold folder {what}")], message)


def json_path(parts: Sequence[str | int]) -> str:
    """('claims', 3, 'quote') -> '$.claims[3].quote'"""
    out = "$"
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


__all__ = ["GoldError", "Problem", "gold_not_found", "json_path"]
