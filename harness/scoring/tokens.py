"""Words for lexical comparison: tokens, content-word stems and negation.

Built on `harness.text.normalize_typography`, so an apostrophe or a dash written either way
gives the same tokens. Deliberately small and rule-based: it must be fast (every pair of items
in every article) and every decision must be explainable in a report line.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from harness.text import normalize_typography

# Country abbreviations, matched case-sensitively *before* lower-casing so that the pronoun "us"
# never becomes the United States. Each maps to one token that is not an English word.
_PLACE_FORMS = {
    "usa": r"U\.S\.A\.?|U\.S\.?|USA|US|United States(?: of America)?|America",
    "uk": r"U\.K\.?|UK|United Kingdom|Great Britain|Britain",
    "eu": r"E\.U\.?|EU|European Union",
    "un": r"U\.N\.?|UN|United Nations",
    "china": r"P\.?R\.?C\.?",
}
# One pass for all of them: each form's alternative ends in a group named `<token>_<k>`.
# Every form opens with a letter, so "\b" before it is "no word character before"; that
# look-behind sits after the letter (it then checks the character before it), so that every
# alternative opens with a literal the regex engine can skip ahead to: five times faster.
_PLACES_RE = re.compile(
    "(?:"
    + "|".join(
        f"{form[0]}(?<!\\w[\\s\\S])(?P<{token}_{k}>{form[1:]})"
        for token, forms in _PLACE_FORMS.items()
        for k, form in enumerate(forms.split("|"))
    )
    + r")(?![A-Za-z])"
)
# Demonyms name the same party as the country ("Chinese aid" / "China's aid"): a generic table
# of common diplomatic actors, not knowledge of any one article.
DEMONYMS: dict[str, str] = {
    "american": "usa",
    "americans": "usa",
    "british": "uk",
    "chinese": "china",
    "russian": "russia",
    "russians": "russia",
    "ukrainian": "ukraine",
    "ukrainians": "ukraine",
    "taiwanese": "taiwan",
    "japanese": "japan",
    "korean": "korea",
    "indian": "india",
    "french": "france",
    "german": "germany",
    "european": "europe",
    "iranian": "iran",
    "israeli": "israel",
    "palestinian": "palestine",
    "turkish": "turkey",
    "saudi": "saudi",
    "syrian": "syria",
    "iraqi": "iraq",
    "afghan": "afghanistan",
    "pakistani": "pakistan",
    "italian": "italy",
    "spanish": "spain",
    "canadian": "canada",
    "australian": "australia",
    "brazilian": "brazil",
    "mexican": "mexico",
    "egyptian": "egypt",
    "polish": "poland",
    "vietnamese": "vietnam",
    "philippine": "philippines",
    "filipino": "philippines",
}

# The same places as word sequences, for text already split into lower-case words (names).
_PLACE_WORDS: dict[tuple[str, ...], str] = {
    ("united", "states", "of", "america"): "usa",
    ("united", "states"): "usa",
    ("us",): "usa",
    ("america",): "usa",
    ("united", "kingdom"): "uk",
    ("great", "britain"): "uk",
    ("britain",): "uk",
    ("european", "union"): "eu",
    ("united", "nations"): "un",
    ("prc",): "china",
}
_LONGEST_PLACE = max(len(k) for k in _PLACE_WORDS)
_PLACE_STARTS = frozenset(k[0] for k in _PLACE_WORDS)
# Every country word in its one canonical form.
PLACES: frozenset[str] = frozenset(DEMONYMS.values()) | frozenset(_PLACE_WORDS.values())


def canonical_words(tokens: list[str]) -> list[str]:
    """Lower-case name words with country names and demonyms in one form each."""
    demonym = DEMONYMS.get
    out: list[str] = []
    i = 0  # tokens before i are done
    # Runs of tokens that cannot open a place name are mapped in one go; at each token that
    # can, the longest place name starting there wins.
    for k in [k for k, token in enumerate(tokens) if token in _PLACE_STARTS]:
        if k < i:
            continue  # inside a place name already taken
        out += map(demonym, tokens[i:k], tokens[i:k])
        for size in range(min(_LONGEST_PLACE, len(tokens) - k), 0, -1):
            place = _PLACE_WORDS.get(tuple(tokens[k : k + size]))
            if place:
                out.append(place)
                i = k + size
                break
        else:
            out.append(demonym(tokens[k], tokens[k]))
            i = k + 1
    out += map(demonym, tokens[i:], tokens[i:])
    return out


def word_set(text: str) -> frozenset[str]:
    """A set of words written as one whitespace-separated block, for long word lists."""
    return frozenset(text.split())


STOPWORDS: frozenset[str] = word_set(
    """
    a an the and or but if then than so as of at by for from in into on onto to up down over
    under with within without about above below after before between through during against
    among out off again further once here there when where why how all any both each few more
    most other some such only own same too very just also even still yet ever
    i me my we our ours us you your yours he him his she her hers it its they them their theirs
    this that these those who whom whose which what whatever whoever
    am is are was were be been being have has had having do does did doing done
    will would shall should can could may might must ought
    not no nor never none neither nothing nobody nowhere cannot
    say says said saying tell tells told telling add adds added adding according stated
    mr mrs ms dr
    """
)
# Negation cues: the polarity guard looks at what follows them ("must stop arming" is "must not
# arm"). "no" and "not" are also stopwords; the verbs stay content words.
NEGATION_CUES: frozenset[str] = word_set(
    """
    not no never none neither nor nothing nobody nowhere cannot
    refuse refuses refused refusing reject rejects rejected rejecting
    deny denies denied denying oppose opposes opposed opposing
    stop stops stopped stopping cease ceases ceased ceasing halt halts halted halting
    """
)
# A negation stops at the end of its clause.
_CLAUSE_BREAK = re.compile(r"[.,;:!?()\"]|\b(?:but|while|whereas|although|though|because)\b")
_WORD = re.compile(r"[a-z0-9]+")
_CONTRAST = re.compile(r"\s+(?:rather than|instead of)\s+")
# "It is not the case that X" negates all of X, however long: one cue whose scope is the clause.
_WHOLE_NEGATION = re.compile(
    r"\b(?:it|this|that)(?: is|'s|was) (?:not|n't|never) (?:the case|true)(?: that)?\b"
    r"|\bit is false that\b"
)
WHOLE_NEGATION_CUE = "negatesall"
# "'s" after a word character; the look-behind sits after the apostrophe (it then checks
# the character before it), so that the pattern opens with a literal the engine can skip to.
_POSSESSIVE = re.compile(r"'(?<=\w')s?\b")
_IRREGULAR_NEGATIONS = (
    ("can't", "can not"),
    ("won't", "will not"),
    ("shan't", "shall not"),
    ("cannot", "can not"),
)
# Inflections only: derivational endings (-ation, -ment) merge words that mean different things
# ("relations" / "relationship") more often than they help.
_SUFFIXES = ("ingly", "ings", "ing", "edly", "ies", "ied", "ed", "es", "ly", "s")


# Irregular past forms common in news reports; the suffix rules cannot reach them.
_IRREGULAR = {
    "met": "meet", "held": "hold", "told": "tell", "said": "say", "went": "go", "gone": "go",
    "came": "come", "made": "make", "took": "take", "taken": "take", "gave": "give",
    "given": "give", "sent": "send", "left": "leave", "spoke": "speak", "spoken": "speak",
    "wrote": "write", "written": "write", "began": "begin", "begun": "begin", "won": "win",
    "lost": "lose", "sought": "seek", "brought": "bring", "fought": "fight", "thought": "think",
    "struck": "strike", "drew": "draw", "drawn": "draw", "chose": "choose", "chosen": "choose",
    "grew": "grow", "led": "lead", "built": "build", "paid": "pay", "sold": "sell",
    "bought": "buy", "kept": "keep", "broke": "break", "broken": "break", "rose": "rise",
    "fell": "fall", "fallen": "fall", "shot": "shoot", "ran": "run", "saw": "see", "seen": "see",
    "knew": "know", "known": "know", "became": "become", "stood": "stand", "froze": "freeze",
    "frozen": "freeze", "forbade": "forbid", "withdrew": "withdraw", "withdrawn": "withdraw",
    "undertook": "undertake", "overtook": "overtake", "hit": "hit", "set": "set", "put": "put",
}  # fmt: skip


@functools.lru_cache(maxsize=1 << 16)  # a pure function of one word; news vocabulary repeats
def stem(word: str) -> str:
    """A crude, symmetric stemmer: both sides of a comparison lose the same endings."""
    irregular = _IRREGULAR.get(word)
    if irregular is not None:
        word = irregular
    if word.isdigit() or len(word) <= 3:
        return word
    word = word.replace("ise", "ize").replace("our", "or") if len(word) > 4 else word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            if suffix in ("ies", "ied"):
                word += "y"
            break
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]  # "agree"/"agreed", "stabilize"/"stabilizing" meet at "agre", "stabiliz"
    return word


def _place_token(match: re.Match[str]) -> str:
    return f" {str(match.lastgroup).rpartition('_')[0]} "


def _prepare(text: str, *, normalised: bool = False) -> str:
    """Typography, country names, lower case and negative contractions, before tokenising."""
    if not normalised:
        text = normalize_typography(text)
    text = _PLACES_RE.sub(_place_token, text).lower()
    if "the case" in text or "true" in text or "it is false that" in text:  # else no match
        text = _WHOLE_NEGATION.sub(f" {WHOLE_NEGATION_CUE} ", text)
    for contraction, expansion in _IRREGULAR_NEGATIONS:
        text = text.replace(contraction, expansion)
    text = text.replace("n't", " not")  # "doesn't" -> "does not", after the irregular ones
    if "rather than" in text or "instead of" in text:  # a whole article rarely has either
        text = _CONTRAST.sub(" and not ", text)  # "partners rather than rivals": rivals negated
    return _POSSESSIVE.sub("", text)


def _tokens(prepared: str) -> list[str]:
    return [DEMONYMS.get(w, w) for w in _WORD.findall(prepared)]


def words(text: str) -> list[str]:
    """Lower-case word tokens after typography and country-name normalisation."""
    return _tokens(_prepare(text))


@dataclass(frozen=True, slots=True)
class Analysis:
    """A statement prepared once for every comparison it takes part in."""

    stems: frozenset[str]
    negations: int  # negation cues seen; odd means the statement as a whole is negative
    negated: frozenset[str]  # content stems that fall in the scope of a negation cue


@functools.lru_cache(maxsize=1 << 12)  # pure; gold statements recur in every sample
def analyse(text: str, negation_scope: int = 1) -> Analysis:
    """Content stems, and which of them a negation cue governs (the next few, in its clause)."""
    stems: set[str] = set()
    negated: set[str] = set()
    negations = 0
    content = _CONTENT_STEMS
    for clause in _CLAUSE_BREAK.split(_prepare(text)):
        found = _WORD.findall(clause)
        if NEGATION_CUES.isdisjoint(found) and WHOLE_NEGATION_CUE not in found:
            # No negation in the clause (no demonym is a cue, nor one's country): its content
            # stems alone, added in the same order (a set's order decides how a sum of its
            # weights rounds).
            stems.update(filter(None, map(content.__getitem__, found)))
            continue
        scope_left = 0
        for word in [DEMONYMS.get(w, w) for w in found]:  # `_tokens(clause)`
            if word == WHOLE_NEGATION_CUE:
                negations += 1
                scope_left = -1  # to the end of the clause
                continue
            if word in NEGATION_CUES:
                negations += 1
                scope_left = negation_scope
            if word in STOPWORDS:
                continue
            s = stem(word)
            stems.add(s)
            if scope_left and word not in NEGATION_CUES:
                negated.add(s)
                scope_left -= 1
    return Analysis(frozenset(stems), negations, frozenset(negated))


# Sentence breaks: `[.!?]+\s+|\n+`, written to open with a character class the regex engine
# can skip ahead to (the look-behinds tell which alternative the first character began):
# the same matches, ten times faster.
_SENTENCE = re.compile(r"[.!?\n](?:(?<=[.!?])[.!?]*\s+|(?<=\n)\n*)")


@dataclass(frozen=True)
class StemWeights:
    """How much a shared word says, within one article.

    Diplomatic news repeats its protagonists: two claims that share only "China" and "US" are
    not alike. A stem weighs log(1 + N / (1 + df)), where N is the article's sentence count and
    df the sentences using it (an inverse document frequency over the article's own sentences);
    a stem the article never uses weighs like its rarest word. Without an article every stem
    weighs 1 and weighted Dice is plain Dice.
    """

    table: Mapping[str, float] = field(default_factory=dict)
    default: float = 1.0

    def total(self, stems: Iterable[str]) -> float:
        return sum(self.table.get(s, self.default) for s in stems)

    @classmethod
    def from_text(cls, text: str) -> StemWeights:
        return article_lexicon(text)[1]


class _ContentStems(dict[str, str | None]):
    """A word (as `_WORD` finds it) -> its content stem, or None for a stopword; filled on use."""

    def __missing__(self, word: str) -> str | None:
        if len(self) >= _CONTENT_STEMS_KEPT:
            self.clear()
        token = DEMONYMS.get(word, word)
        found = self[word] = None if token in STOPWORDS else stem(token)
        return found


_CONTENT_STEMS = _ContentStems()
_CONTENT_STEMS_KEPT = 1 << 17  # words; emptied when larger (news vocabulary is smaller)


def article_lexicon(text: str, *, normalised: bool = False) -> tuple[frozenset[str], StemWeights]:
    """An article's content stems and their weights, in one pass over its sentences."""
    content = _CONTENT_STEMS
    seen: list[str] = []  # each sentence's stems, one after another
    n = 0
    for sentence in _SENTENCE.split(_prepare(text, normalised=normalised)):
        # The stems of `_tokens(sentence)` that are not stopwords, each distinct word once.
        stems = set(map(content.__getitem__, set(_WORD.findall(sentence))))
        stems.discard(None)
        if stems:
            n += 1
            seen += stems  # type: ignore[arg-type]
    if n == 0:
        return frozenset(), StemWeights()
    df = Counter(seen)  # sentences using each stem
    # A weight per distinct count, each computed as it always was.
    by_count = {count: math.log(1 + n / (1 + count)) for count in set(df.values())}
    table = dict(zip(df, map(by_count.__getitem__, df.values()), strict=True))
    return frozenset(df), StemWeights(table=table, default=math.log(1 + n / 2))


UNIFORM = StemWeights()

__all__ = [
    "DEMONYMS",
    "NEGATION_CUES",
    "PLACES",
    "STOPWORDS",
    "UNIFORM",
    "Analysis",
    "StemWeights",
    "analyse",
    "article_lexicon",
    "canonical_words",
    "stem",
    "word_set",
    "words",
]
