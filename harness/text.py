"""Text normalisation shared by gold validation, grounding and scoring.

Articles and model outputs disagree on typography (curly vs straight quotes, en dashes vs
hyphens, non-breaking spaces, line breaks inside a quote); a verbatim check must not fail on
those, and must not forgive anything else.
"""

from __future__ import annotations

import re
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
_WHITESPACE = re.compile(r"\s+")


def normalize_typography(text: str) -> str:
    """NFKC, straight quotes and hyphens, one space for any run of whitespace."""
    text = unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHY)
    return _WHITESPACE.sub(" ", text).strip()


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
