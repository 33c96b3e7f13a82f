"""Lexical similarity of two statements, with a guard against opposite polarity.

Similarity is the Dice coefficient (token F1) over content-word stems, each stem weighted by
how rare it is in the article (`StemWeights`): symmetric, in [0, 1], cheap enough for every
pair, and explainable. Lexical overlap
cannot tell "X will attend" from "X will not attend", so a pair is rejected when one side negates
content the two share and the other does not (the polarity guard). An LLM judge, when given,
replaces both for the pairs it is asked about.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

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
    lexical = np.zeros(shape)
    sim = np.zeros(shape)
    judged = np.zeros(shape, dtype=bool)
    conflict: list[list[frozenset[str]]] = [[frozenset()] * shape[1] for _ in range(shape[0])]
    # `dice` per pair, with each statement's own weight summed once rather than once per pair.
    pred_totals = [weights.total(p.stems) for p in pred]
    for i, g in enumerate(gold):
        gold_total = weights.total(g.stems)
        for j, p in enumerate(pred):
            shared = g.stems & p.stems
            total = gold_total + pred_totals[j]
            lex = 2 * weights.total(shared) / total if shared and total else 0.0
            lexical[i, j] = lex
            if judge is not None:
                asked = judge_pairs is not None and judge_pairs[i, j]
                if asked or (lex >= judge_candidate_threshold and lex > 0):
                    judged[i, j] = True
                    sim[i, j] = 1.0 if judge_both_orders(judge, texts[0][i], texts[1][j]) else 0.0
                continue
            if polarity_guard and lex > 0:
                clash = polarity_conflict(g, p)
                if clash:
                    conflict[i][j] = clash
                    continue
            sim[i, j] = lex
    return ContentMatrix(sim=sim, lexical=lexical, conflict=conflict, judged=judged)


__all__ = [
    "ContentMatrix",
    "compare_statements",
    "dice",
    "overlap",
    "polarity_conflict",
    "support",
]
