"""Human alignments of model answers to gold: the reference the scorer is checked against.

A meta-evaluation set is a folder with one sub-folder per gold article:

    meta-eval/
      <article-id>/
        <style>.json          an answer as a model gave it (careful, terse, weak, ...)
        <style>.align.json    a person's alignment of that answer to the article's gold

An alignment lists, per field, every predicted item once (by its index in the answer's list)
with the gold item a careful reader pairs it with, or null, and the credit the pair earns
(shared/AUDIT-METHOD.md: dates 1 exact, 0.5 coarser but consistent, 0 wrong or invented
precision; red lines 0.5 with a wrong position; otherwise 1). `twins` names other gold items
the reader would accept as the partner just as well (the per-speaker copies of one joint
statement). It is made by reading, before any scorer output is seen, and records the digests
of the answer and the gold it was made against, so that a later gold edit is noticed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from harness.errors import InputError
from harness.gold.corpus import SUMMARY_FILE, GoldArticle, load_article
from harness.gold.problems import GoldError
from harness.output import parse_output
from harness.summary import Summary

ALIGN_SUFFIX = ".align.json"
FIELDS = tuple(Summary.model_fields)


class Pair(BaseModel):
    model_config = ConfigDict(extra="forbid")

    pred: int = Field(ge=0, description="Index of the predicted item in the answer's list.")
    gold: int | None = Field(ge=0, description="Index of the gold item it corresponds to.")
    credit: float = Field(default=1.0, ge=0, le=1, description="What the pair earns.")
    twins: list[int] = Field(
        default_factory=list, description="Other gold items that are equally its partner."
    )
    label: str | None = Field(default=None, description="For an unmatched item, optional.")
    note: str | None = None


class Alignment(BaseModel):
    model_config = ConfigDict(extra="forbid")

    answer_sha256: str
    gold_sha256: str = Field(description="sha256 of the gold summary.json aligned against.")
    aligned_at: dt.datetime
    aligned_by: str
    fields: dict[str, list[Pair]]
    notes: list[str] = Field(default_factory=list)


class Case(BaseModel):
    """One answer with its alignment and its article."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    article: GoldArticle
    style: str
    answer: Summary
    alignment: Alignment
    gold_changed: bool = Field(description="Gold differs from what was aligned against.")


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _problem(path: Path, message: str) -> InputError:
    return InputError(f"{path}: {message}")


def _check_pairs(path: Path, alignment: Alignment, answer: Summary, gold: Summary) -> None:
    for field in FIELDS:
        pairs = alignment.fields.get(field)
        if pairs is None:
            raise _problem(path, f"$.fields.{field}: missing (list every predicted item once)")
        n_pred, n_gold = len(getattr(answer, field)), len(getattr(gold, field))
        preds = sorted(p.pred for p in pairs)
        if preds != list(range(n_pred)):
            raise _problem(
                path,
                f"$.fields.{field}: predicted indices {preds} must be each of 0..{n_pred - 1} "
                "exactly once",
            )
        golds = [p.gold for p in pairs if p.gold is not None]
        if len(golds) != len(set(golds)):
            raise _problem(path, f"$.fields.{field}: a gold item is paired twice (one to one)")
        for p in pairs:
            for g in [p.gold, *p.twins]:
                if g is not None and g >= n_gold:
                    raise _problem(
                        path, f"$.fields.{field}: gold index {g} out of range (gold has {n_gold})"
                    )
    extra = sorted(set(alignment.fields) - set(FIELDS))
    if extra:
        raise _problem(path, f"$.fields: unknown field(s) {', '.join(extra)}")


def load_case(answer_path: Path, article: GoldArticle, gold_file: Path) -> Case:
    align_path = answer_path.with_name(answer_path.stem + ALIGN_SUFFIX)
    if not align_path.is_file():
        raise _problem(answer_path, f"no alignment {align_path.name} beside the answer")
    raw = answer_path.read_text(encoding="utf-8")
    parsed = parse_output(raw, published=article.meta.published)
    if parsed.summary is None:
        raise _problem(answer_path, f"unusable answer ({parsed.status}): {parsed.errors[:2]}")
    try:
        alignment = Alignment.model_validate(json.loads(align_path.read_text(encoding="utf-8")))
    except (ValueError, ValidationError) as exc:
        raise _problem(align_path, str(exc).splitlines()[0]) from None
    if alignment.answer_sha256 != sha256_file(answer_path):
        raise _problem(align_path, "the answer changed since it was aligned: align it again")
    _check_pairs(align_path, alignment, parsed.summary, article.summary)
    return Case(
        article=article,
        style=answer_path.stem,
        answer=parsed.summary,
        alignment=alignment,
        gold_changed=alignment.gold_sha256 != sha256_file(gold_file),
    )


def load_set(set_dir: Path, gold_dir: Path) -> list[Case]:
    """Every aligned answer of the set, in article then style order."""
    if not set_dir.is_dir():
        raise InputError(f"meta-evaluation set not found: {set_dir.resolve()} (pass --set DIR)")
    cases = []
    for folder in sorted(p for p in set_dir.iterdir() if p.is_dir()):
        gold_folder = gold_dir / folder.name
        try:
            article = load_article(gold_folder)
        except GoldError as exc:
            raise InputError(f"{folder}: no usable gold article ({exc})") from None
        answers = sorted(p for p in folder.glob("*.json") if not p.name.endswith(ALIGN_SUFFIX))
        cases += [load_case(p, article, gold_folder / SUMMARY_FILE) for p in answers]
    if not cases:
        raise InputError(f"{set_dir.resolve()}: no aligned answers (<id>/<style>.json)")
    return cases


__all__ = [
    "ALIGN_SUFFIX",
    "FIELDS",
    "Alignment",
    "Case",
    "Pair",
    "load_case",
    "load_set",
    "sha256_file",
]
