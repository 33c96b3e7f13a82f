"""The scorer check over a whole set: per field, per answer style, per article, with floors."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, Field

from harness.metaeval.alignment import FIELDS
from harness.metaeval.check import CaseCheck, Disagreement, FieldCheck


class Floors(BaseModel):
    """What the scorer must reach to be trusted on this set (issue-level targets)."""

    min_agreement: float = Field(default=0.97, description="Per field, decisions that agree.")
    max_f1_gap: float = Field(
        default=0.03, description="Per field and style, |human F1 - evalsum F1|."
    )
    style_order: bool = Field(
        default=True, description="Styles ranked by overall score as the reader ranks them."
    )


class FieldSummary(BaseModel):
    units: int
    agreement: float | None
    missed_match: int
    false_match: int
    wrong_partner: int
    wrong_label: int


class StyleField(BaseModel):
    human_f1: float
    evalsum_f1: float

    @property
    def gap(self) -> float:
        return abs(self.human_f1 - self.evalsum_f1)


class ArticleOrder(BaseModel):
    article_id: str
    human: list[str] = Field(description="Styles, best first, by the reader's overall score.")
    evalsum: list[str]
    human_overall: dict[str, float]
    evalsum_overall: dict[str, float]

    @property
    def same(self) -> bool:
        return self.human == self.evalsum


class ScorerCheck(BaseModel):
    cases: int
    fields: dict[str, FieldSummary]
    styles: dict[str, dict[str, StyleField]]
    orders: list[ArticleOrder]
    disagreements: list[Disagreement]
    gold_changed: list[str] = Field(description="Answers aligned against older gold.")
    floors: Floors
    failures: list[str] = Field(description="Every floor not met, in words.")

    @property
    def passed(self) -> bool:
        return not self.failures


def _pooled(checks: Sequence[FieldCheck], human: bool) -> float:
    n = sum(c.n_pred + c.n_gold for c in checks)
    credit = sum(c.human_credit if human else c.evalsum_tp for c in checks)
    return 1.0 if n == 0 else 2 * credit / n


def summarise(checks: Sequence[CaseCheck], floors: Floors | None = None) -> ScorerCheck:
    floors = floors or Floors()
    fields = {}
    for name in FIELDS:
        per = [c.fields[name] for c in checks]
        units = sum(f.units for f in per)
        fields[name] = FieldSummary(
            units=units,
            agreement=sum(f.agree for f in per) / units if units else None,
            missed_match=sum(f.missed_match for f in per),
            false_match=sum(f.false_match for f in per),
            wrong_partner=sum(f.wrong_partner for f in per),
            wrong_label=sum(f.wrong_label for f in per),
        )
    styles: dict[str, dict[str, StyleField]] = {}
    for style in sorted({c.style for c in checks}):
        mine = [c for c in checks if c.style == style]
        styles[style] = {
            name: StyleField(
                human_f1=_pooled([c.fields[name] for c in mine], human=True),
                evalsum_f1=_pooled([c.fields[name] for c in mine], human=False),
            )
            for name in FIELDS
        }
    orders = []
    for article_id in sorted({c.article_id for c in checks}):
        mine = [c for c in checks if c.article_id == article_id]
        human = {c.style: c.human_overall for c in mine}
        evalsum = {c.style: c.evalsum_overall for c in mine}
        orders.append(
            ArticleOrder(
                article_id=article_id,
                human=sorted(human, key=lambda s: -human[s]),
                evalsum=sorted(evalsum, key=lambda s: -evalsum[s]),
                human_overall=human,
                evalsum_overall=evalsum,
            )
        )
    failures = []
    for name, field in fields.items():
        if field.agreement is not None and field.agreement < floors.min_agreement:
            failures.append(
                f"{name}: {field.agreement:.1%} of decisions agree "
                f"(floor {floors.min_agreement:.0%})"
            )
    for style, per_field in styles.items():
        for name, pair in per_field.items():
            if pair.gap > floors.max_f1_gap:
                failures.append(
                    f"{style} {name}: human F1 {pair.human_f1:.3f} vs evalsum "
                    f"{pair.evalsum_f1:.3f} (gap {pair.gap:.3f} > {floors.max_f1_gap})"
                )
    if floors.style_order:
        for order in orders:
            if not order.same:
                failures.append(
                    f"{order.article_id}: evalsum ranks {' > '.join(order.evalsum)}, "
                    f"the reader {' > '.join(order.human)}"
                )
    return ScorerCheck(
        cases=len(checks),
        fields=fields,
        styles=styles,
        orders=orders,
        disagreements=[d for c in checks for d in c.disagreements],
        gold_changed=[f"{c.article_id}/{c.style}" for c in checks if c.gold_changed],
        floors=floors,
        failures=failures,
    )


def render_table(result: ScorerCheck) -> list[str]:
    lines = [f"{result.cases} aligned answer(s)", ""]
    header = f"{'field':<13}{'units':>7}{'agree':>8}{'missed':>8}{'false':>7}{'partner':>9}"
    lines += [header + f"{'label':>7}"]
    for name, f in result.fields.items():
        agree = "n/a" if f.agreement is None else f"{f.agreement:.1%}"
        lines.append(
            f"{name:<13}{f.units:>7}{agree:>8}{f.missed_match:>8}{f.false_match:>7}"
            f"{f.wrong_partner:>9}{f.wrong_label:>7}"
        )
    lines += ["", "F1, human vs evalsum (pooled over the style's answers):"]
    lines.append(f"{'style':<10}" + "".join(f"{n:>22}" for n in FIELDS))
    for style, per_field in result.styles.items():
        cells = "".join(
            f"{f'{p.human_f1:.3f} vs {p.evalsum_f1:.3f}':>22}" for p in per_field.values()
        )
        lines.append(f"{style:<10}{cells}")
    same = sum(o.same for o in result.orders)
    lines += ["", f"style order as the reader's on {same} of {len(result.orders)} article(s)"]
    if result.gold_changed:
        lines.append(f"aligned against older gold: {', '.join(result.gold_changed)}")
    lines.append(f"{len(result.disagreements)} disagreement(s) (listed in the JSON)")
    lines.append("floors: " + ("met" if result.passed else f"{len(result.failures)} not met"))
    lines += [f"  {f}" for f in result.failures]
    return lines


__all__ = ["ArticleOrder", "FieldSummary", "Floors", "ScorerCheck", "render_table", "summarise"]
