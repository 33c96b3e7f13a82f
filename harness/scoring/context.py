"""Everything about one article that scoring reuses, computed once per article.

What depends on the text alone (normalised text, content stems and weights, dates, name
searches) is kept per text (`ArticleText`), so the samples of one article share it.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from harness.scoring.config import ScoringConfig
from harness.scoring.dateresolve import find_dates
from harness.scoring.judge import ClaimJudge
from harness.scoring.models import ItemGrounding
from harness.scoring.names import NameMatch, NameMatcher, name_words
from harness.scoring.tokens import (
    UNIFORM,
    Analysis,
    StemWeights,
    analyse,
    article_lexicon,
    canonical_words,
)
from harness.summary import Participant, Summary
from harness.text import normalize_typography


def _fold(text: str) -> str:
    # Lower case without changing the length, so offsets found in the folded text hold in the
    # original (str.lower turns a few characters, such as "İ", into two).
    folded = text.lower()
    if len(folded) == len(text):
        return folded
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


class ArticleText:
    """What scoring derives from an article's text alone, computed once per text.

    Shared by every sample of the article (`text_analyses` keeps the last few texts): the
    samples of one article are scored one after another, against the same text.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        # Grounding's searches for names, which recur (a speaker in every claim): name words
        # -> (span, text) of their first whole-word occurrence in norm_text, or None.
        self.names_found: dict[tuple[str, ...], tuple[tuple[int, int], str] | None] = {}
        self._dates: dict[dt.date | None, frozenset[str]] = {}

    @cached_property
    def norm_text(self) -> str:
        return normalize_typography(self.text)

    @cached_property
    def ascii(self) -> bool:
        return self.norm_text.isascii()

    @cached_property
    def fold_text(self) -> str:
        return _fold(self.norm_text)

    @cached_property
    def name_text(self) -> str:
        return f" {' '.join(canonical_words(name_words(self.norm_text)))} "

    @cached_property
    def lexicon(self) -> tuple[frozenset[str], StemWeights]:
        if not self.text:
            return frozenset(), UNIFORM
        return article_lexicon(self.norm_text, normalised=True)

    def dates(self, published: dt.date | None) -> frozenset[str]:
        found = self._dates.get(published)
        if found is None:
            values = {
                v
                for date in find_dates(self.norm_text, published, normalised=True)
                for v in date.values
            }
            if published is not None:
                values.add(published.isoformat())
            found = self._dates[published] = frozenset(values)
        return found


_TEXTS: OrderedDict[str, ArticleText] = OrderedDict()
_TEXTS_KEPT = 8
_TEXTS_LOCK = threading.Lock()


def text_analyses(text: str) -> ArticleText:
    """The `ArticleText` of `text`, from the last few texts scored or made now."""
    with _TEXTS_LOCK:
        found = _TEXTS.get(text)
        if found is not None:
            _TEXTS.move_to_end(text)
            return found
        found = _TEXTS[text] = ArticleText(text)
        while len(_TEXTS) > _TEXTS_KEPT:
            _TEXTS.popitem(last=False)
        return found


@dataclass
class ArticleContext:
    """One article: its gold, its text, the settings, and caches shared by the field scorers."""

    article_id: str
    config: ScoringConfig
    gold: Summary | None = None
    text: str | None = None
    published: dt.date | None = None
    judge: ClaimJudge | None = None
    pred_grounding: dict[str, list[ItemGrounding]] = field(default_factory=dict)
    _analyses: dict[str, Analysis] = field(default_factory=dict, repr=False)
    _same: dict[tuple[str, str], NameMatch] = field(default_factory=dict, repr=False)
    # Name checks by surface form: (ok, score, span, matched), see grounding.check_name.
    name_checks: dict[str, tuple[bool, float, tuple[int, int] | None, str | None]] = field(
        default_factory=dict, repr=False
    )

    @cached_property
    def _text(self) -> ArticleText:
        return text_analyses(self.text or "")

    @property
    def names_found(self) -> dict[tuple[str, ...], tuple[tuple[int, int], str] | None]:
        return self._text.names_found

    @cached_property
    def names(self) -> NameMatcher:
        participants = self.gold.participants if self.gold is not None else []
        return NameMatcher(participants, self.config.names)

    def matcher_for(self, participants: Sequence[Participant]) -> NameMatcher:
        """The article's matcher, or a new one when scoring against other participants."""
        if self.gold is not None and list(participants) == self.gold.participants:
            return self.names
        return NameMatcher(participants, self.config.names)

    @cached_property
    def norm_text(self) -> str:
        """The article with typography normalised: what quotes are searched in; spans index it."""
        return self._text.norm_text

    @cached_property
    def ascii_text(self) -> bool:
        """Whether norm_text is ASCII (then fold_text is its lower case, char for char)."""
        return self._text.ascii

    @cached_property
    def fold_text(self) -> str:
        return self._text.fold_text

    @cached_property
    def name_text(self) -> str:
        """The article as name words (space-padded), for finding a name in any written form."""
        return self._text.name_text

    @cached_property
    def _lexicon(self) -> tuple[frozenset[str], StemWeights]:
        return self._text.lexicon

    @cached_property
    def article_stems(self) -> frozenset[str]:
        return self._lexicon[0]

    @cached_property
    def article_dates(self) -> frozenset[str]:
        """Every date the article can mean, at its own granularity, plus the publication date."""
        return self._text.dates(self.published)

    @cached_property
    def sorted_dates(self) -> list[str]:
        return sorted(self.article_dates)

    @cached_property
    def stem_weights(self) -> StemWeights:
        return self._lexicon[1]

    def analysis(self, text: str) -> Analysis:
        found = self._analyses.get(text)
        if found is None:
            found = self._analyses[text] = analyse(text, self.config.content.negation_scope)
        return found

    def same_entity(self, gold_surface: str, pred_surface: str) -> NameMatch:
        key = (gold_surface, pred_surface)
        found = self._same.get(key)
        if found is None:
            found = self._same[key] = self.names.same_entity(gold_surface, pred_surface)
        return found

    def grounded(self, field_name: str, index: int) -> bool | None:
        """Whether predicted item `index` of a field is grounded; None when not checked."""
        items = self.pred_grounding.get(field_name)
        if items is None or index >= len(items):
            return None
        return items[index].grounded


_JOINT = re.compile(r"\s*(?:,\s*and\s+|,\s*|\s+and\s+|\s*&\s*)")


def joint_parts(name: str) -> list[str]:
    """The speakers of a joint statement written as one ("Saudi Arabia, Iran and China");
    a single name gives one part."""
    parts = [p for p in _JOINT.split(name.strip()) if p]
    return parts if len(parts) > 1 else [name]


def joint_entity_matrix(ctx: ArticleContext, gold: list[str], pred: list[str]) -> np.ndarray:
    """Like `entity_matrix`, and a predicted "X and Y" also names X and Y when the whole
    names nobody in gold (gold records a joint statement once per speaker: such a claim is
    credited against one of the copies, and the others stay unmatched)."""
    matrix = entity_matrix(ctx, gold, pred)
    for j, name in enumerate(pred):
        parts = joint_parts(name)
        if len(parts) < 2 or matrix[:, j].any():
            continue
        for i, g in enumerate(gold):
            matrix[i, j] = any(ctx.same_entity(g, part).matched for part in parts)
    return matrix


def entity_matrix(ctx: ArticleContext, gold: list[str], pred: list[str]) -> np.ndarray:
    """Whether each gold surface names the same party as each predicted one (a bool matrix).

    `ctx.same_entity` once per distinct pair of names: speakers and parties recur.
    """
    if not gold or not pred:
        return np.zeros((len(gold), len(pred)), dtype=bool)
    gold_names = list(dict.fromkeys(gold))
    pred_names = list(dict.fromkeys(pred))
    distinct = np.array(
        [[ctx.same_entity(g, p).matched for p in pred_names] for g in gold_names], dtype=bool
    )
    if len(gold_names) == len(gold) and len(pred_names) == len(pred):
        return distinct
    gold_at = {g: k for k, g in enumerate(gold_names)}
    pred_at = {p: k for k, p in enumerate(pred_names)}
    return distinct.take([gold_at[g] for g in gold], 0).take([pred_at[p] for p in pred], 1)


__all__ = [
    "ArticleContext",
    "ArticleText",
    "entity_matrix",
    "joint_entity_matrix",
    "joint_parts",
    "text_analyses",
]
