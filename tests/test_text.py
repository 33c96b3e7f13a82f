"""normalize_typography gives what NFKC, str.translate and a whitespace regex gave."""

from __future__ import annotations

import random
import re
import unicodedata

import pytest

from harness.text import _REPLACEMENTS, _TYPOGRAPHY, normalize_typography
from tests.conftest import GOLD

_WHITESPACE = re.compile(r"\s+")
MAPPED = [chr(code) for code in _TYPOGRAPHY]
SPACES = [chr(c) for c in range(0x3000 + 1) if chr(c).isspace()]


def reference(text: str) -> str:
    """normalize_typography as first written."""
    text = unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHY)
    return _WHITESPACE.sub(" ", text).strip()


def test_no_replacement_contains_a_mapped_character() -> None:
    # What makes replacing one character after another the same as translating at once.
    assert all(char not in out for char, _ in _REPLACEMENTS for _, out in _REPLACEMENTS)
    assert {char for char, _ in _REPLACEMENTS} == set(MAPPED)


@pytest.mark.parametrize("char", MAPPED + SPACES, ids=lambda c: f"U+{ord(c):04X}")
def test_every_mapped_and_space_character(char: str) -> None:
    for text in (
        char,
        f"a{char}b",
        f" {char} ",
        f"\u00e9{char}\u00fc",
        f"x{char}{char}\n",
        "`" + char,
    ):
        assert normalize_typography(text) == reference(text), repr(text)


def test_the_gold_articles() -> None:
    for path in sorted(GOLD.glob("*/article.txt")):
        text = path.read_text(encoding="utf-8")
        assert normalize_typography(text) == reference(text)


def test_random_strings() -> None:
    rng = random.Random(20261122)
    # Characters NFKC changes (some into mapped characters or spaces), combining marks.
    nfkc = [chr(c) for c in range(0x80, 0x3400) if unicodedata.normalize("NFKC", chr(c)) != chr(c)]
    combining = [chr(c) for c in range(0x300, 0x370)]
    pools = [MAPPED, SPACES, nfkc, combining, [chr(c) for c in range(128)], list("ab \u00e9\u4e2d")]
    for _ in range(5000):
        length = rng.choice([1, 2, 3, 8, 30, 120])
        text = "".join(rng.choice(rng.choice(pools)) for _ in range(length))
        assert normalize_typography(text) == reference(text), repr(text)
