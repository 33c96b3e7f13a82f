"""evalsum's decisions against a person's, unit by unit (shared/AUDIT-METHOD.md, section 2).

Units are every predicted item, plus every gold item that neither side pairs. A unit agrees
when both pair it with the same gold item (or one of the reader's accepted twins), or when
neither pairs it; otherwise it is a missed match (the reader pairs, evalsum does not), a false
match (evalsum pairs, the reader does not) or a wrong partner. evalsum "pairs" an item when it
credits the pair (labels match, partial, granularity).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, Field

from harness.metaeval.alignment import FIELDS, Case
from harness.scoring import FieldScore, ScoringConfig, score_article

CREDITED = frozenset({"match", "partial", "granularity"})
# What counts as evalsum pairing an item: a credited pair, or a date paired with its event but
# not credited for its value (temporal_error), as the reader keeps such a pair at credit 0
# (AUDIT-METHOD: "wrong = 0"). A misattributed claim is not a pair: the reader leaves it.
PAIRED = CREDITED | {"temporal_error"}
Outcome = Literal["agree", "missed_match", "false_match", "wrong_partner", "wrong_label"]


class Disagreement(BaseModel):
    article_id: str
    style: str
    field: str
    outcome: Outcome
    pred: int | None
    human_gold: int | None
    evalsum_gold: int | None
    pred_text: str | None
    gold_text: str | None
    evalsum_label: str
    evalsum_reason: str


class FieldCheck(BaseModel):
    units: int = 0
    agree: int = 0
    missed_match: int = 0
    false_match: int = 0
    wrong_partner: int = 0
    wrong_label: int = 0
    human_credit: float = 0.0
    n_pred: int = 0
    n_gold: int = 0
    evalsum_tp: float = 0.0

    @property
    def agreement(self) -> float | None:
        return self.agree / self.units if self.units else None


def _f1(credit: float, n_pred: int, n_gold: int) -> float:
    if n_pred == 0 and n_gold == 0:
        return 1.0
    return 2 * credit / (n_pred + n_gold) if n_pred + n_gold else 0.0


class CaseCheck(BaseModel):
    article_id: str
    style: str
    gold_changed: bool
    fields: dict[str, FieldCheck]
    human_f1: dict[str, float]
    evalsum_f1: dict[str, float]
    human_overall: float
    evalsum_overall: float
    disagreements: list[Disagreement] = Field(default_factory=list)


def _text(items: Sequence[object], index: int | None) -> str | None:
    if index is None or index >= len(items):
        return None
    item = items[index]
    for attr in ("claim", "position", "event", "name"):
        value = getattr(item, attr, None)
        if value:
            speaker = getattr(item, "speaker", None) or getattr(item, "party", None)
            return f"{speaker}: {value}" if speaker and attr in ("claim", "position") else value
    return str(item)


def _outcome(human: int | None, twins: list[int], scorer: int | None) -> Outcome:
    accepted = {human, *twins} if human is not None else {None}
    if scorer in accepted:
        return "agree"
    if human is None:
        return "false_match"
    if scorer is None:
        return "missed_match"
    return "wrong_partner"


def _check_field(
    case: Case, name: str, result: FieldScore, found: list[Disagreement]
) -> FieldCheck:
    article = case.article
    pred_items, gold_items = getattr(case.answer, name), getattr(article.summary, name)
    # evalsum's partner of each predicted item (see PAIRED), else none.
    scorer = {
        e.index: (e.partner if e.label in PAIRED else None, e)
        for e in result.explanations
        if e.side == "pred"
    }
    check = FieldCheck(n_pred=len(pred_items), n_gold=len(gold_items), evalsum_tp=result.tp)
    human_paired: set[int] = set()
    scorer_paired: set[int] = set()
    for pair in case.alignment.fields[name]:
        partner, explanation = scorer[pair.pred]
        if pair.gold is not None:
            human_paired.add(pair.gold)
            check.human_credit += pair.credit
        if partner is not None:
            scorer_paired.add(partner)
        outcome = _outcome(pair.gold, pair.twins, partner)
        if outcome == "agree" and pair.gold is None and pair.label not in (None, explanation.label):
            outcome = "wrong_label"
        check.units += 1
        setattr(check, outcome, getattr(check, outcome) + 1)
        if outcome != "agree":
            shown = pair.gold if pair.gold is not None else partner
            found.append(
                Disagreement(
                    article_id=article.id,
                    style=case.style,
                    field=name,
                    outcome=outcome,
                    pred=pair.pred,
                    human_gold=pair.gold,
                    evalsum_gold=partner,
                    pred_text=_text(pred_items, pair.pred),
                    gold_text=_text(gold_items, shown),
                    evalsum_label=explanation.label,
                    evalsum_reason=explanation.reason,
                )
            )
    # Gold items neither side pairs agree: both call them omissions.
    both_left = len(set(range(len(gold_items))) - human_paired - scorer_paired)
    check.units += both_left
    check.agree += both_left
    return check


def check_case(case: Case, config: ScoringConfig | None = None) -> CaseCheck:
    article = case.article
    score = score_article(
        article.summary,
        case.answer,
        article_id=article.id,
        text=article.text,
        published=article.meta.published,
        config=config,
    )
    found: list[Disagreement] = []
    fields = {name: _check_field(case, name, score.fields[name], found) for name in FIELDS}
    human_f1 = {n: _f1(c.human_credit, c.n_pred, c.n_gold) for n, c in fields.items()}
    evalsum_f1 = {n: score.fields[n].f1 for n in FIELDS}
    return CaseCheck(
        article_id=article.id,
        style=case.style,
        gold_changed=case.gold_changed,
        fields=fields,
        human_f1=human_f1,
        evalsum_f1=evalsum_f1,
        human_overall=sum(human_f1.values()) / len(human_f1),
        evalsum_overall=sum(evalsum_f1.values()) / len(evalsum_f1),
        disagreements=found,
    )


__all__ = ["CREDITED", "PAIRED", "CaseCheck", "Disagreement", "FieldCheck", "check_case"]
