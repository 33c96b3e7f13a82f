"""Who is who: one name matcher for participants, claim speakers and red-line parties.

A surface form ("Mr Xi", "US secretary of state Antony Blinken", "the Chinese president") is
normalised (NFKC and typography, case, punctuation, honorifics and leading titles), then matched
against the article's gold participants: exactly against a name or alias, else, for a single
word, as the surname of exactly one gold person, else fuzzily with token_sort_ratio (token_set
would score any subset of a name as 100).
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz, process

from harness.scoring.config import NameConfig
from harness.scoring.tokens import canonical_words, word_set
from harness.summary import Participant
from harness.text import normalize_typography

How = Literal["exact", "surname", "fuzzy", "ambiguous", "none"]

# Words that introduce a name rather than being part of it. Stripped only from the front, and
# only when a name remains after them: "the Chinese president" stays whole (it is itself an
# alias), "Chinese president Xi Jinping" becomes "xi jinping".
_TITLE_WORDS = word_set(
    """
    mr mrs ms miss mx dr prof professor sir dame lord lady madam madame mister
    president vice premier chancellor minister secretary ambassador senator sen rep
    representative congressman congresswoman governor mayor general gen admiral colonel
    king queen prince princess emperor sheikh emir pope chairman chairwoman chairperson
    leader spokesperson spokesman spokeswoman envoy director commissioner councillor
    counsellor counselor chief deputy diplomat official
    """
)
_TITLE_PHRASES = (
    ("secretary", "of", "state"),
    ("secretary", "of", "defense"),
    ("secretary", "of", "defence"),
    ("minister", "of", "foreign", "affairs"),
    ("head", "of", "state"),
    ("head", "of", "government"),
)
# A title followed by one of these describes an office, not a person: "President of China".
_CONNECTORS = frozenset({"of", "for", "to", "at", "in", "on", "and"})
_MAX_PREFIX = 6  # descriptors before a name are short; a longer run is probably not a prefix
_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "sir", "dame", "mister"})
_PUNCT = re.compile(r"[^\w\s]")
# Look-behinds after the first character, so that each pattern opens with something the
# regex engine can skip ahead to (the same matches as "(?<=\w)'s?\b" and "\b(?:[A-Za-z]\.){2,}").
_POSSESSIVE = re.compile(r"'(?<=\w')s?\b")
_APPOSITION = re.compile(r"\s*[,(].*$")
_DOTTED_ACRONYM = re.compile(r"[A-Za-z](?<!\w[A-Za-z])\.(?:[A-Za-z]\.)+")
# The same acronyms without their first letter: the pattern opens with the first dot, which
# the regex engine finds far faster than every letter. Removing the dots of this part leaves
# the same text as removing those of the whole acronym.
_ACRONYM_DOTS = re.compile(r"\.(?<=[A-Za-z]\.)(?<!\w[A-Za-z]\.)(?:[A-Za-z]\.)+")


def _undot(match: re.Match[str]) -> str:
    return match.group(0).replace(".", "")


@dataclass(frozen=True, slots=True)
class NameForm:
    surface: str
    words: tuple[str, ...]  # the name as written, case-folded, without honorifics and titles
    full: str  # match key: honorifics gone, country names and demonyms in one form
    core: str  # match key: `full` without leading titles and descriptors, when a name remains
    tokens: tuple[str, ...]  # words of `core`


def _strip_titles(tokens: list[str]) -> list[str]:
    """Drop a leading descriptor run that ends in a title, if a name follows it."""
    cut = 0
    i = 0
    while i < min(len(tokens), _MAX_PREFIX):
        phrase = next((p for p in _TITLE_PHRASES if tuple(tokens[i : i + len(p)]) == p), None)
        end = i + len(phrase) if phrase else i + 1 if tokens[i] in _TITLE_WORDS else None
        if end is not None and end < len(tokens) and tokens[end] not in _CONNECTORS:
            cut = end
        i = end if end is not None else i + 1
    return tokens[cut:]


def name_words(text: str) -> list[str]:
    """Case-folded words without punctuation or possessives; "U.S." is one word, "us"."""
    text = _ACRONYM_DOTS.sub(_undot, text) if "." in text else text
    text = _POSSESSIVE.sub("", text.casefold())
    return _PUNCT.sub(" ", text).split()


@functools.lru_cache(maxsize=1 << 14)  # pure; the same names recur across articles and samples
def normalise_name(surface: str) -> NameForm:
    text = normalize_typography(surface)
    text = _APPOSITION.sub("", text) or text  # "Wang Yi, China's top diplomat" -> "Wang Yi"
    raw = name_words(text)
    while len(raw) > 1 and (raw[0] == "the" or raw[0] in _HONORIFICS):
        raw = raw[1:]
    raw_core = _strip_titles(raw)
    full = canonical_words(raw)
    core = _strip_titles(full)
    return NameForm(
        surface=surface,
        words=tuple(raw_core),
        full=" ".join(full),
        core=" ".join(core),
        tokens=tuple(core),
    )


@dataclass(frozen=True, slots=True)
class NameMatch:
    index: int | None  # gold participant, or None
    score: float
    how: How
    gold_form: str | None = None  # the gold name or alias it matched

    @property
    def matched(self) -> bool:
        return self.how in ("exact", "surname", "fuzzy")

    def describe(self, surface: str) -> str:
        if self.how == "exact":
            return f"'{surface}' is '{self.gold_form}'"
        if self.how == "surname":
            return f"'{surface}' is the unambiguous surname of '{self.gold_form}'"
        if self.how == "fuzzy":
            return f"'{surface}' ~ '{self.gold_form}' ({self.score:.2f})"
        if self.how == "ambiguous":
            return f"'{surface}' is ambiguous among the gold participants"
        return f"'{surface}' matches no gold participant"


_NO_MATCH = NameMatch(None, 0.0, "none")
# A country's (or body's) unnamed people speaking for it: what precedes names the speaker.
_COLLECTIVE = re.compile(
    r"(?:the\s+)?(.+?)\s+(?:officials|authorities|government|administration|diplomats|"
    r"negotiators|sources|spokespeople)",
    re.IGNORECASE,
)


class NameMatcher:
    """Matches surface names against one article's gold participants; build once per article."""

    def __init__(self, participants: Sequence[Participant], config: NameConfig):
        self.config = config
        self.participants = list(participants)
        self._exact: dict[str, set[int]] = defaultdict(set)
        self._single: dict[str, set[int]] = defaultdict(set)  # one-word forms: "china", "xi"
        self._surname: dict[str, set[int]] = defaultdict(set)  # first/last word of a person
        self._fuzzy_keys: list[str] = []  # multi-word forms, for fuzzy matching
        self._fuzzy_owner: list[int] = []
        self._surface_of: dict[tuple[int, str], str] = {}
        self._surname_of: dict[tuple[int, str], str] = {}
        self._cache: dict[str, dict[int, NameMatch]] = {}
        self._resolved: dict[str, NameMatch] = {}  # a speaker or party recurs
        for index, p in enumerate(self.participants):
            for surface in (p.name, *p.aliases):
                form = normalise_name(surface)
                for key in {form.full, form.core} - {""}:
                    self._exact[key].add(index)
                    self._surface_of.setdefault((index, key), surface)
                    if " " in key:
                        self._fuzzy_keys.append(key)
                        self._fuzzy_owner.append(index)
                if len(form.tokens) == 1:
                    self._single[form.tokens[0]].add(index)
                elif p.kind == "person" and form.tokens:
                    # Name order varies (Xi Jinping, Antony Blinken): either end may be the surname.
                    for word in (form.tokens[0], form.tokens[-1]):
                        self._surname[word].add(index)
                        self._surname_of.setdefault((index, word), surface)

    def candidates(self, surface: str) -> dict[int, NameMatch]:
        """Every gold participant `surface` may name, with its score; empty if ambiguous."""
        cached = self._cache.get(surface)
        if cached is None:
            cached = self._cache[surface] = self._candidates(normalise_name(surface))
        return cached

    def _candidates(self, form: NameForm) -> dict[int, NameMatch]:
        if not form.core:
            return {}
        if len(form.tokens) == 1:
            word = form.tokens[0]
            exact, hits = self._single_word_hits(word)
            if len(hits) > 1:
                return {}  # a surname shared by two participants names neither
            if hits:
                (index,) = hits
                if exact:
                    return {index: NameMatch(index, 1.0, "exact", self._surface_of[(index, word)])}
                score = self.config.surname_similarity
                return {index: NameMatch(index, score, "surname", self._surname_of[(index, word)])}
            return self._fuzzy(word, [(k, i) for k, ids in self._single.items() for i in ids])
        hits = self._exact.get(form.full, set()) | self._exact.get(form.core, set())
        if hits:
            return {
                i: NameMatch(i, 1.0, "exact", self._gold_surface(i, form.full, form.core))
                for i in hits
            }
        best: dict[int, NameMatch] = {}
        for key in {form.full, form.core}:
            choices = zip(self._fuzzy_keys, self._fuzzy_owner, strict=True)
            for i, match in self._fuzzy(key, choices).items():
                if match.score > best.get(i, _NO_MATCH).score:
                    best[i] = match
        return best

    def _single_word_hits(self, word: str) -> tuple[bool, set[int]]:
        """Participants a one-word name may mean: those with it as a whole name or alias ("Mr
        Lin" declared as Lin Ho's alias), else the persons with it as first or last name."""
        exact = self._single.get(word, set())
        if exact:
            return True, exact
        return False, self._surname.get(word, set())

    def _gold_surface(self, index: int, *keys: str) -> str:
        return next(self._surface_of[(index, k)] for k in keys if (index, k) in self._surface_of)

    def _fuzzy(self, key: str, choices: Iterable[tuple[str, int]]) -> dict[int, NameMatch]:
        pairs = list(choices)
        if not pairs:
            return {}
        found = process.extract(
            key,
            [k for k, _ in pairs],
            scorer=fuzz.token_sort_ratio,
            score_cutoff=self.config.fuzzy_cutoff * 100,
            limit=None,
        )
        best: dict[int, NameMatch] = {}
        for choice, score, position in found:
            index = pairs[position][1]
            if score / 100 > best.get(index, _NO_MATCH).score:
                gold_form = self._surface_of[(index, choice)]
                best[index] = NameMatch(index, score / 100, "fuzzy", gold_form)
        return best

    def resolve(self, surface: str) -> NameMatch:
        """The one gold participant `surface` names, if exactly one is best."""
        resolved = self._resolved.get(surface)
        if resolved is None:
            resolved = self._resolved[surface] = self._resolve(surface)
        return resolved

    def _resolve(self, surface: str) -> NameMatch:
        found = self.candidates(surface)
        if not found:
            # "US officials", "Brazilian officials": gold gives unnamed officials' statements
            # to their country (gold/README.md), so the group names the country it serves.
            group = _COLLECTIVE.fullmatch(surface.strip())
            if group is not None:
                return self._resolve(group.group(1))
            form = normalise_name(surface)
            if len(form.tokens) == 1 and len(self._single_word_hits(form.tokens[0])[1]) > 1:
                return NameMatch(None, 0.0, "ambiguous")
            return _NO_MATCH
        top = max(m.score for m in found.values())
        best = [m for m in found.values() if m.score == top]
        return best[0] if len(best) == 1 else NameMatch(None, 0.0, "ambiguous")

    def same_entity(self, gold_surface: str, pred_surface: str) -> NameMatch:
        """Whether two surface forms name the same party (a speaker, a red-line party).

        Both are resolved against the gold participants; when the gold one is not a listed
        participant, the two are compared directly by the same rules.
        """
        pred = self.resolve(pred_surface)
        if pred.how == "ambiguous":
            return pred
        gold = self.resolve(gold_surface)
        if gold.index is not None and pred.index is not None:
            return pred if gold.index == pred.index else _NO_MATCH
        if gold.index is not None:
            return _NO_MATCH  # the gold party is a participant the prediction does not name
        return compare_names(gold_surface, pred_surface, self.config)


def compare_names(gold_surface: str, pred_surface: str, config: NameConfig) -> NameMatch:
    """Match two surface forms directly, as if the gold one were the only participant."""
    kind = "person" if " " in normalise_name(gold_surface).core else "organisation"
    single = NameMatcher([Participant(name=gold_surface, kind=kind)], config)
    return single.resolve(pred_surface)


__all__ = [
    "NameForm",
    "NameMatch",
    "NameMatcher",
    "compare_names",
    "name_words",
    "normalise_name",
]
