"""How far two independent annotators agree, measured with evalsum's own scorer.

A double-annotated article keeps, beside its gold `summary.json`:
- `second.json`: the second annotation, made from the article and the guidelines only, and
  never edited afterwards;
- `first.json`: the first annotation as it was before adjudication (absent when adjudication
  changed nothing, then `summary.json` is the first annotation).

Agreement per field is the second annotation scored as a prediction against the other, pooled
over the double-annotated articles (micro F1, as the report pools a model's answers):
- before adjudication: second against first;
- after adjudication: second against the adjudicated gold (`summary.json`).

Two careful people reading the same article agree this well, so a model is not expected to
score above it: reports show it beside each field's score as its ceiling.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from harness.gold.corpus import GoldArticle
from harness.gold.problems import GoldError, Problem
from harness.summary import Summary

SECOND_FILE = "second.json"
FIRST_FILE = "first.json"
AGREEMENT_FILE = "AGREEMENT.md"


class FieldAgreement(BaseModel):
    n_first: int = Field(description="Items in the reference annotation.")
    n_second: int = Field(description="Items in the second annotation.")
    matched: int
    f1: float | None = Field(description="Pooled F1; null when both annotations are empty.")


class ArticleAgreement(BaseModel):
    article_id: str
    before: dict[str, FieldAgreement]
    after: dict[str, FieldAgreement]


class Agreement(BaseModel):
    """Inter-annotator agreement over the double-annotated articles of a corpus."""

    articles: list[ArticleAgreement]
    before: dict[str, FieldAgreement] = Field(description="Pooled, before adjudication.")
    after: dict[str, FieldAgreement] = Field(description="Pooled, after adjudication.")

    @property
    def ceiling(self) -> dict[str, float | None]:
        """Per field, the agreement a model's score is read against (after adjudication)."""
        return {name: field.f1 for name, field in self.after.items()}


def _read_summary(path: Path) -> Summary:
    try:
        return Summary.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, ValidationError) as exc:
        reason = str(exc).splitlines()[0]
        raise GoldError([Problem(file=str(path), path="", message=f"unusable: {reason}")]) from None


def _f1(n_ref: int, n_other: int, matched: int) -> float | None:
    if n_ref == 0 and n_other == 0:
        return None
    return 2 * matched / (n_ref + n_other)


def _pool(per_article: Iterable[dict[str, FieldAgreement]]) -> dict[str, FieldAgreement]:
    totals: dict[str, list[int]] = {}
    for fields in per_article:
        for name, field in fields.items():
            counts = totals.setdefault(name, [0, 0, 0])
            counts[0] += field.n_first
            counts[1] += field.n_second
            counts[2] += field.matched
    return {
        name: FieldAgreement(n_first=a, n_second=b, matched=m, f1=_f1(a, b, m))
        for name, (a, b, m) in totals.items()
    }


def _agree(reference: Summary, second: Summary, article: GoldArticle) -> dict[str, FieldAgreement]:
    from harness.scoring import score_article  # the scorer is heavy; validate never needs it

    score = score_article(
        reference,
        second,
        article_id=article.id,
        text=article.text,
        published=article.meta.published,
    )
    return {
        name: FieldAgreement(
            n_first=field.n_gold, n_second=field.n_pred, matched=field.tp, f1=field.f1
        )
        for name, field in score.fields.items()
    }


def double_annotated(root: Path, ids: Sequence[str]) -> list[str]:
    """The ids among `ids` whose folder holds a second annotation."""
    return [i for i in ids if (root / i / SECOND_FILE).is_file()]


def measure(root: Path, articles: Iterable[GoldArticle]) -> Agreement | None:
    """Agreement over those of `articles` that are double-annotated; None if none is."""
    results = []
    for article in articles:
        folder = root / article.id
        if not (folder / SECOND_FILE).is_file():
            continue
        second = _read_summary(folder / SECOND_FILE)
        first_path = folder / FIRST_FILE
        first = _read_summary(first_path) if first_path.is_file() else article.summary
        results.append(
            ArticleAgreement(
                article_id=article.id,
                before=_agree(first, second, article),
                after=_agree(article.summary, second, article),
            )
        )
    if not results:
        return None
    return Agreement(
        articles=results,
        before=_pool(r.before for r in results),
        after=_pool(r.after for r in results),
    )


def _cell(field: FieldAgreement) -> str:
    return "n/a" if field.f1 is None else f"{field.f1:.3f}"


def render_markdown(agreement: Agreement, corpus_size: int) -> str:
    """gold/AGREEMENT.md: generated by `evalsum gold agreement`, never edited by hand."""
    names = list(agreement.after)
    lines = [
        "# Inter-annotator agreement",
        "",
        "Generated by `evalsum gold agreement`; do not edit by hand.",
        "",
        f"{len(agreement.articles)} of the corpus's {corpus_size} articles are annotated twice, "
        "independently (`second.json`: made from the article and the guidelines only). "
        "Agreement is the second annotation scored by evalsum as a prediction against the "
        "other, per field, pooled over these articles (micro F1): before adjudication against "
        "the first annotation as made (`first.json`, or `summary.json` where adjudication "
        "changed nothing), after adjudication against the gold (`summary.json`). A model is "
        "not expected to score above the agreement of two careful readers: reports show it "
        "beside each field as its ceiling.",
        "",
        "| field | before adjudication | after adjudication | items (gold / second) |",
        "| --- | --- | --- | --- |",
    ]
    for name in names:
        before, after = agreement.before[name], agreement.after[name]
        lines.append(
            f"| {name} | {_cell(before)} | {_cell(after)} | {after.n_first} / {after.n_second} |"
        )
    lines += ["", "## Per article (F1 before → after)", ""]
    lines.append("| article | " + " | ".join(names) + " |")
    lines.append("| --- |" + " --- |" * len(names))
    for article in agreement.articles:
        cells = [f"{_cell(article.before[n])} → {_cell(article.after[n])}" for n in names]
        lines.append(f"| {article.article_id} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


__all__ = [
    "AGREEMENT_FILE",
    "FIRST_FILE",
    "SECOND_FILE",
    "Agreement",
    "ArticleAgreement",
    "FieldAgreement",
    "double_annotated",
    "measure",
    "render_markdown",
]
