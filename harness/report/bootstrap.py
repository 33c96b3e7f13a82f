"""Bootstrap over articles with pooled counts: the uncertainty of a corpus-level F1.

Whole articles are drawn with replacement and their (tp, n_gold, n_pred) counts pooled, so a
resample is scored exactly like the corpus. Draws are made in chunks and applied as article
multiplicities, so memory stays small at any corpus size (10,000 articles included).
"""

from __future__ import annotations

import numpy as np

CONFIDENCE = 0.95
_CHUNK = 64


def pooled_f1(tp: np.ndarray, n_gold: np.ndarray, n_pred: np.ndarray) -> np.ndarray:
    """F1 = 2 tp / (n_gold + n_pred), and 1 when both sides are empty (evalsum's rule)."""
    den = n_gold + n_pred
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, 2 * tp / np.where(den > 0, den, 1), 1.0)


def resampled_sums(counts: np.ndarray, resamples: int, seed: int) -> np.ndarray:
    """counts (..., n_articles, 3) -> (resamples, ..., 3): the pooled counts of each resample.

    Every leading index (field, side) sees the same draws, which keeps comparisons paired.
    """
    n = counts.shape[-2]
    rng = np.random.default_rng(seed)
    out = np.empty((resamples, *counts.shape[:-2], counts.shape[-1]))
    for start in range(0, resamples, _CHUNK):
        size = min(_CHUNK, resamples - start)
        draws = rng.integers(0, n, size=(size, n))
        weights = np.zeros((size, n))
        np.add.at(weights, (np.repeat(np.arange(size), n), draws.ravel()), 1.0)
        out[start : start + size] = np.einsum("rn,...nk->r...k", weights, counts)
    return out


def f1_samples(sums: np.ndarray) -> np.ndarray:
    """(..., 3) pooled counts -> (...) F1."""
    return pooled_f1(sums[..., 0], sums[..., 1], sums[..., 2])


def percentile_interval(values: np.ndarray) -> tuple[float, float]:
    tail = (1 - CONFIDENCE) / 2 * 100
    low, high = np.percentile(values, [tail, 100 - tail])
    return float(low), float(high)


__all__ = ["CONFIDENCE", "f1_samples", "percentile_interval", "pooled_f1", "resampled_sums"]
