"""Is a predicted item supported by the article text, whatever gold says?

This is the hallucination measure, and it needs no gold. The checks:
- quote: occurs verbatim once quotes, dashes and whitespace are normalised, else near-verbatim
  (rapidfuzz partial_ratio alignment at least `near_verbatim_cutoff`), span recorded. A quote
  with an elision ("...") is checked piece by piece;
- name: the name (or an alias) occurs as whole words, in any common written form ("U.S." for
  "United States", with titles stripped), else near-verbatim;
- content: an unquoted statement's content-word stems occur in the article (share at least
  `content_support`): a weak, lexical test that catches invented topics, not subtle distortion;
- date_value: the date is one the article can mean (an explicit date, or a relative one resolved
  against the publication date), or coarser than one; a finer one invents a day;
- date_text: the date as written is in the article, like a quote.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from rapidfuzz import fuzz

from harness.scoring.content import support
from harness.scoring.context import ArticleContext
from harness.scoring.models import CheckKind, FieldGrounding, GroundingCheck, ItemGrounding
from harness.scoring.names import normalise_name
from harness.text import normalize_typography, strip_outer_quotes

_ELISION = re.compile(r"\s*(?:\[\.\.\.\]|\.\.\.)\s*")  # "…" is "..." after NFKC
# Fuzzy search of a short string in a long text finds something near almost anything.
_MIN_FUZZY_CHARS = 12
_MIN_FUZZY_NAME_CHARS = 6


def _find_text(needle: str, ctx: ArticleContext, min_fuzzy: int) -> tuple[float, tuple[int, int]]:
    """Score (1.0 verbatim, else fuzzy /100, 0 if neither) and span of `needle` in the article."""
    at = ctx.norm_text.find(needle)
    if at >= 0:
        return 1.0, (at, at + len(needle))
    if len(needle) < min_fuzzy:
        return 0.0, (0, 0)
    cutoff = ctx.config.grounding.near_verbatim_cutoff * 100
    found = fuzz.partial_ratio_alignment(needle.lower(), ctx.fold_text, score_cutoff=cutoff)
    if found is None:
        return 0.0, (0, 0)
    return found.score / 100, (found.dest_start, found.dest_end)


def _check(
    kind: CheckKind,
    target: str,
    ok: bool,
    score: float,
    spans: list[tuple[int, int]] | None = None,
    matched: str | None = None,
) -> GroundingCheck:
    """A check from values of the fields' own types (see `_Result._trusted`)."""
    return GroundingCheck._trusted(
        {
            "kind": kind,
            "target": target,
            "ok": bool(ok),
            "score": float(score),
            "spans": [] if spans is None else spans,
            "matched": matched,
        }
    )


def check_quote(quote: str, ctx: ArticleContext, kind: CheckKind = "quote") -> GroundingCheck:
    needle = strip_outer_quotes(normalize_typography(quote))
    pieces = [p for p in _ELISION.split(needle) if p.strip(" .,;:")]
    if not pieces:
        return _check(kind, quote, False, 0.0)
    scores, spans = [], []
    for piece in pieces:
        score, span = _find_text(piece, ctx, _MIN_FUZZY_CHARS)
        scores.append(score)
        if score:
            spans.append(span)
    ok = all(scores)
    matched = " ... ".join(ctx.norm_text[s:e] for s, e in spans) if ok else None
    return _check(kind, quote, ok, min(scores), spans if ok else [], matched)


def _name_pattern(words: Sequence[str]) -> str:
    """The words as whole words, any punctuation or spacing between them.

    The same matches as `(?<!\\w)w1[\\W_]+w2...(?!\\w)`, with the "no word character before"
    test moved after the first letter (`\\w[\\s\\S]` behind: the word's first letter, which
    is never a newline, and the character before it), so that the pattern opens with a
    letter and the regex engine can skip ahead to where that letter occurs: twice as fast.
    """
    first = words[0]
    head = re.escape(first[0]) + r"(?<!\w[\s\S])" + re.escape(first[1:])
    return head + "".join(r"[\W_]+" + re.escape(w) for w in words[1:]) + r"(?!\w)"


@functools.lru_cache(maxsize=1 << 12)
def _lower_name_regex(words: tuple[str, ...]) -> re.Pattern[str]:
    """`_name_pattern(words)` for case-sensitive search, with the look-behind after the whole
    first word (it then checks the character before that word): the same matches, and the
    pattern opens with the whole word, which the regex engine skips ahead to."""
    first = words[0]
    head = re.escape(first) + rf"(?<!\w[\s\S]{{{len(first)}}})"
    return re.compile(head + "".join(r"[\W_]+" + re.escape(w) for w in words[1:]) + r"(?!\w)")


def _find_name(words: tuple[str, ...], ctx: ArticleContext) -> tuple[tuple[int, int], str] | None:
    """Span and text of the name's first whole-word occurrence; searched once per article."""
    names_found = ctx.names_found
    if words in names_found:
        return names_found[words]
    if ctx.ascii_text and all(w.isascii() for w in words):
        # ASCII text and name (the usual case): a case-insensitive search of the text is a
        # case-sensitive one of its lower case (name words are case-folded), which the regex
        # engine runs far faster; and a name whose first word is not even a substring of it
        # cannot occur. Non-ASCII is left to IGNORECASE (it equates "ı" with "i").
        fold = ctx.fold_text
        found = _lower_name_regex(words).search(fold) if words[0] in fold else None
        result = (found.span(), ctx.norm_text[found.start() : found.end()]) if found else None
    else:
        found = re.search(_name_pattern(words), ctx.norm_text, re.IGNORECASE)
        result = (found.span(), found.group(0)) if found else None
    names_found[words] = result
    return result


def check_name(surface: str, ctx: ArticleContext) -> GroundingCheck:
    found = ctx.name_checks.get(surface)
    if found is None:
        found = ctx.name_checks[surface] = _check_name(surface, ctx)
    ok, score, span, matched = found
    return _check("name", surface, ok, score, [span] if span is not None else [], matched)


def _check_name(
    surface: str, ctx: ArticleContext
) -> tuple[bool, float, tuple[int, int] | None, str | None]:
    """ok, score, span and matched text of a name check (a name recurs: one per article)."""
    form = normalise_name(surface)
    if not form.words:
        return False, 0.0, None, None
    found = _find_name(form.words, ctx)
    if found:
        span, matched = found
        return True, 1.0, span, matched
    for key in (form.core, form.full):
        if key and f" {key} " in ctx.name_text:  # another written form: "US" for "United States"
            return True, 1.0, None, key
    score, span = _find_text(" ".join(form.words), ctx, _MIN_FUZZY_NAME_CHARS)
    if score > 0:
        return True, score, span, ctx.norm_text[span[0] : span[1]]
    return False, score, None, None


def check_content(text: str, ctx: ArticleContext) -> GroundingCheck:
    share = support(ctx.analysis(text), ctx.article_stems)
    ok = share >= ctx.config.grounding.content_support
    return _check("content", text, ok, round(share, 4))


def check_date_value(value: str, ctx: ArticleContext) -> GroundingCheck:
    dates = ctx.article_dates
    exact = value in dates
    coarser = exact or any(d.startswith(value + "-") for d in dates)
    matched = value if exact else next((d for d in ctx.sorted_dates if d.startswith(value)), None)
    return _check("date_value", value, coarser, 1.0 if coarser else 0.0, None, matched)


def item(
    index: int, text: str, checks: Sequence[GroundingCheck], *, any_of: bool = False
) -> ItemGrounding:
    """An item is grounded when all its checks pass (`any_of`: when one does, e.g. aliases)."""
    grounded = any(c.ok for c in checks) if any_of else all(c.ok for c in checks)
    return ItemGrounding._trusted(
        {"index": int(index), "text": text, "grounded": grounded, "checks": list(checks)}
    )


def summarise(items: Sequence[ItemGrounding]) -> FieldGrounding:
    ungrounded = sum(not i.grounded for i in items)
    return FieldGrounding._trusted(
        {
            "n_items": len(items),
            "n_ungrounded": ungrounded,
            "rate": ungrounded / len(items) if items else 0.0,
            "items": list(items),
        }
    )


__all__ = [
    "check_content",
    "check_date_value",
    "check_name",
    "check_quote",
    "item",
    "summarise",
]
