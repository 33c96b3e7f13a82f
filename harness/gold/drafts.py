"""The mark of a model-drafted summary that no person has reviewed yet.

`evalsum gold draft` writes a model's summary to `summary.json` and this mark beside it; the
annotator corrects every item, then deletes the mark. Until then `evalsum validate` refuses
the article, so a draft cannot pass for gold.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pydantic import BaseModel, Field

from harness.gold.problems import Problem

DRAFT_FILE = "DRAFT"


class DraftMark(BaseModel):
    model: str = Field(description="The model that drafted summary.json.")
    prompt: str
    made_at: dt.datetime
    output_status: str
    warnings: list[str] = []


def draft_problem(folder: Path) -> Problem | None:
    mark = folder / DRAFT_FILE
    if not mark.exists():
        return None
    return Problem(
        file=str(folder / "summary.json"),
        path="",
        message=f"a model's draft that no one has reviewed ({mark} is there): correct every "
        f"item by the guidelines, then delete {DRAFT_FILE}",
    )


__all__ = ["DRAFT_FILE", "DraftMark", "draft_problem"]
