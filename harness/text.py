"""Text normalisation shared by gold validation, grounding and scoring.

Articles and model outputs disagree on typography (curly vs straight quotes, en dashes vs
hyphens, non-breaking spaces, line breaks inside a quote); a verbatim check must not fail on
those, and must not forgive anything else.
"""

from __future__ import annotations

import unicodedata

_TYPOGRAPHY = str.maketrans(
    {
        "\u2018": "'",  # left single quotation mark
        "\u2019": "'",  # right single quotation mark / apostrophe
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u00b4": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",  # en dash
        "\u2014": "-",  # em dash
        "\u2015": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\u2026": "...",
    }
)
# The same mapping as (character, replacement) pairs. No replacement contains a mapped
# character, so replacing them one after another is the same as translating at once.
_REPLACEMENTS = tuple((chr(code), out) for code, out in _TYPOGRAPHY.items())


# Mapped characters that NFKC itself turns into ASCII (no-break and thin spaces, the ellipsis).
# NFKC depends only on each character's compatibility decomposition, so writing these as
# theirs first changes nothing, and lets a text whose only such characters are these pass
# NFKC's quick check instead of being normalised in full.
_DECOMPOSED_FIRST = tuple(
    (char, plain)
    for char, _ in _REPLACEMENTS
    if (plain := unicodedata.normalize("NFKD", char)) != char and plain.isascii()
)


def normalize_typography(text: str) -> str:
    """NFKC, straight quotes and hyphens, one space for any run of whitespace."""
    if not text.isascii():
        for char, plain in _DECOMPOSED_FIRST:
            if char in text:
                text = text.replace(char, plain)
    text = unicodedata.normalize("NFKC", text)
    # As `text.translate(_TYPOGRAPHY)`, which costs ~50 ns per character: a text holds few
    # of these characters, and looking for one that is absent is a fast scan (none at all in
    # ASCII text but the backtick).
    if text.isascii():
        if "`" in text:
            text = text.replace("`", "'")
    else:
        for char, replacement in _REPLACEMENTS:
            if char in text:
                text = text.replace(char, replacement)
    # As `re.sub(r"\s+", " ", text).strip()`: str.split, str.strip and re's \s all take
    # exactly the characters str.isspace accepts as whitespace.
    return " ".join(text.split())


def strip_outer_quotes(text: str) -> str:
    """A quote copied with its quotation marks still counts as the quote."""
    text = text.strip()
    while len(text) >= 2 and text[0] in "\"'" and text[-1] in "\"'":
        text = text[1:-1].strip()
    return text


def occurs_verbatim(quote: str, text: str) -> bool:
    """Whether `quote` occurs in `text` once typography and whitespace are normalised."""
    needle = strip_outer_quotes(normalize_typography(quote))
    return bool(needle) and needle in normalize_typography(text)


__all__ = ["normalize_typography", "occurs_verbatim", "strip_outer_quotes"]
