"""Lexical similarity of two statements, with a guard against opposite polarity.

Similarity is the Dice coefficient (token F1) over content-word stems, each stem weighted by
how rare it is in the article (`StemWeights`): symmetric, in [0, 1], cheap enough for every
pair, and explainable. Lexical overlap
cannot tell "X will attend" from "X will not attend", so a pair is rejected when one side negates
content the two share and the other does not (the polarity guard). An LLM judge, when given,
replaces both for the pairs it is asked about.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import repeat

import numpy as np

from harness.scoring.judge import ClaimJudge, judge_both_orders
from harness.scoring.tokens import UNIFORM, Analysis, StemWeights


def dice(a: Analysis, b: Analysis, weights: StemWeights = UNIFORM) -> float:
    """Weighted token F1 over content stems; statements without content words are not similar."""
    total = weights.total(a.stems) + weights.total(b.stems)
    return 2 * weights.total(a.stems & b.stems) / total if total else 0.0


def overlap(a: Analysis, b: Analysis) -> float:
    """Overlap coefficient: how much of the shorter one the longer one contains."""
    smaller = min(len(a.stems), len(b.stems))
    return len(a.stems & b.stems) / smaller if smaller else 0.0


def polarity_conflict(a: Analysis, b: Analysis) -> frozenset[str]:
    """Shared content one side negates and the other does not; empty when polarity agrees.

    Whole-statement parity decides whether the two disagree at all (so "no room to compromise"
    and "refuses to compromise" agree); the negated words must then be shared content, so a
    negation elsewhere in a longer statement ("a no-limits partnership") does not reject it.
    """
    if a.negations % 2 == b.negations % 2:
        return frozenset()
    return (a.negated | b.negated) & a.stems & b.stems


def support(a: Analysis, article_stems: frozenset[str]) -> float:
    """Share of a statement's content stems found anywhere in the article."""
    return len(a.stems & article_stems) / len(a.stems) if a.stems else 1.0


@dataclass(frozen=True)
class ContentMatrix:
    """Gold x predicted comparison of statements, with what decided each cell."""

    sim: np.ndarray  # final similarity: lexical, 0 where the guard rejected, judge verdict if any
    lexical: np.ndarray  # Dice before the guard
    conflict: list[list[frozenset[str]]]  # polarity conflict per cell (empty: none)
    judged: np.ndarray  # bool: the judge decided this cell
    quoted: np.ndarray | None = None  # bool: the two carry the same quote (set by the field)

    def with_quotes(self, quoted: np.ndarray, similarity: float) -> ContentMatrix:
        """Cells whose items share a quote get at least `similarity`, unless the judge
        decided them or the polarity guard found one side negating the other: a claim that
        says the opposite of the quote it carries is a reversal, not the same claim."""
        conflicted = np.array(
            [[bool(cell) for cell in row] for row in self.conflict], dtype=bool
        ).reshape(self.sim.shape)
        lifted = quoted & ~self.judged & ~conflicted
        sim = np.where(lifted, np.maximum(self.sim, similarity), self.sim)
        return dataclasses.replace(self, sim=sim, quoted=lifted)


def compare_statements(
    gold: Sequence[Analysis],
    pred: Sequence[Analysis],
    texts: tuple[Sequence[str], Sequence[str]],
    *,
    polarity_guard: bool,
    weights: StemWeights = UNIFORM,
    judge: ClaimJudge | None = None,
    judge_candidate_threshold: float = 0.0,
    judge_pairs: np.ndarray | None = None,
) -> ContentMatrix:
    """Compare every gold statement with every predicted one.

    `texts` are the raw statements, which the judge (not the lexical measure) reads. The judge
    is asked about pairs at least `judge_candidate_threshold` similar lexically, and about every
    pair `judge_pairs` marks (e.g. same speaker), however different their words.
    """
    shape = (len(gold), len(pred))
    conflict: list[list[frozenset[str]]] = [[frozenset()] * shape[1] for _ in range(shape[0])]
    if not shape[0] or not shape[1]:
        return ContentMatrix(
            sim=np.zeros(shape), lexical=np.zeros(shape), conflict=conflict,
            judged=np.zeros(shape, dtype=bool),
        )  # fmt: skip
    # `dice` per pair, with each statement's own weight summed once rather than once per pair,
    # and pairs that share no stem left at 0 without summing. The sums add the same weights in
    # the same order as `weights.total` (a set's own order), so each is the same float.
    if type(weights) is StemWeights:
        table_get, default = weights.table.get, weights.default

        def total(stems: frozenset[str]) -> float:
            return sum(map(table_get, stems, repeat(default)))
    else:
        table_get, default, total = None, 0.0, weights.total
    pred_stems = [p.stems for p in pred]
    pred_totals = [total(p) for p in pred_stems]
    # `polarity_conflict` is empty when the two agree in parity: asked only when they differ.
    pred_parity = [p.negations % 2 for p in pred]
    lexical_rows: list[list[float]] = []
    sim_rows: list[list[float]] = []
    judged_rows: list[list[bool]] = []
    for i, g in enumerate(gold):
        gold_stems = g.stems
        gold_total = total(gold_stems)
        lexical_row = [0.0] * shape[1]
        sim_row = [0.0] * shape[1]
        judged_row = [False] * shape[1]
        lexical_rows.append(lexical_row)
        sim_rows.append(sim_row)
        judged_rows.append(judged_row)
        # Only a pair sharing a stem has a lexical similarity above 0.
        sharing = [j for j, p in enumerate(pred_stems) if not gold_stems.isdisjoint(p)]
        if judge is not None:
            for j in sharing:
                both = gold_total + pred_totals[j]
                lexical_row[j] = 2 * total(gold_stems & pred_stems[j]) / both if both else 0.0
            for j, lex in enumerate(lexical_row):
                asked = judge_pairs is not None and judge_pairs[i, j]
                if asked or (lex >= judge_candidate_threshold and lex > 0):
                    judged_row[j] = True
                    sim_row[j] = 1.0 if judge_both_orders(judge, texts[0][i], texts[1][j]) else 0.0
            continue
        parity = g.negations % 2
        for j in sharing:
            both = gold_total + pred_totals[j]
            if not both:
                lex = 0.0
            elif table_get is not None:
                lex = 2 * sum(map(table_get, gold_stems & pred_stems[j], repeat(default))) / both
            else:
                lex = 2 * total(gold_stems & pred_stems[j]) / both
            lexical_row[j] = lex
            if polarity_guard and lex > 0 and pred_parity[j] != parity:
                clash = polarity_conflict(g, pred[j])
                if clash:
                    conflict[i][j] = clash
                    continue
            sim_row[j] = lex
    return ContentMatrix(
        sim=np.array(sim_rows, dtype=float),
        lexical=np.array(lexical_rows, dtype=float),
        conflict=conflict,
        judged=np.array(judged_rows, dtype=bool),
    )


__all__ = [
    "ContentMatrix",
    "compare_statements",
    "dice",
    "overlap",
    "polarity_conflict",
    "support",
]
