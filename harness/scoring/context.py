"""Everything about one article that scoring reuses, computed once per article."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

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
    # Grounding's searches for names, which recur (a speaker in every claim): name words ->
    # (span, text) of their first whole-word occurrence in norm_text, or None.
    names_found: dict[tuple[str, ...], tuple[tuple[int, int], str] | None] = field(
        default_factory=dict, repr=False
    )

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
        return normalize_typography(self.text or "")

    @cached_property
    def fold_text(self) -> str:
        return _fold(self.norm_text)

    @cached_property
    def name_text(self) -> str:
        """The article as name words (space-padded), for finding a name in any written form."""
        return f" {' '.join(canonical_words(name_words(self.norm_text)))} "

    @cached_property
    def _lexicon(self) -> tuple[frozenset[str], StemWeights]:
        if not self.text:
            return frozenset(), UNIFORM
        return article_lexicon(self.norm_text, normalised=True)

    @cached_property
    def article_stems(self) -> frozenset[str]:
        return self._lexicon[0]

    @cached_property
    def article_dates(self) -> frozenset[str]:
        """Every date the article can mean, at its own granularity, plus the publication date."""
        found = find_dates(self.norm_text, self.published, normalised=True)
        values = {v for date in found for v in date.values}
        if self.published is not None:
            values.add(self.published.isoformat())
        return frozenset(values)

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


__all__ = ["ArticleContext"]
