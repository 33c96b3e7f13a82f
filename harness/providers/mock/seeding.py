"""Seeded randomness for the mocks: the same inputs give the same draws in every process."""

from __future__ import annotations

import hashlib
import random


def seeded_rng(*parts: object) -> random.Random:
    """An RNG determined by `parts` alone (never by Python's per-process hash seed)."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def approx_tokens(text: str) -> int:
    """Roughly four characters a token: enough for usage to be plausible and non-zero."""
    return max(1, len(text) // 4)


__all__ = ["approx_tokens", "seeded_rng"]
