"""Quote evidence: two items that carry the same verbatim quote say the same thing.

A careful model paraphrases a claim in its own words, where word overlap with gold's wording
can fall far under the threshold ("there is enough room in the world for both" against "the
earth is big enough"), yet copies the article's quote. Quotes are verbatim by the prompt's
and the guidelines' rules, so a shared quote is strong evidence of the same statement: one
quote's words are (nearly) all inside the other's (a model may quote more, or less, of the
same passage, or change a word).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from harness.text import normalize_typography

_WORD = re.compile(r"\w+")


def quote_words(quote: str | None) -> frozenset[str]:
    if not quote:
        return frozenset()
    return frozenset(_WORD.findall(normalize_typography(quote).casefold()))


def quote_overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Share of the shorter quote's words found in the other (0 when either is empty)."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def shared_quotes(
    gold: Sequence[str | None],
    pred: Sequence[str | None],
    *,
    min_words: int,
    min_overlap: float,
) -> np.ndarray:
    """gold x pred: True where the two quotes are the same passage (the shorter has at least
    `min_words` words, at least `min_overlap` of them in the other)."""
    g = [quote_words(q) for q in gold]
    p = [quote_words(q) for q in pred]
    out = np.zeros((len(g), len(p)), dtype=bool)
    for i, a in enumerate(g):
        if len(a) < min_words:
            continue
        for j, b in enumerate(p):
            if len(b) >= min_words and quote_overlap(a, b) >= min_overlap:
                out[i, j] = True
    return out


__all__ = ["quote_overlap", "quote_words", "shared_quotes"]
