"""Precision, recall and F1 with fixed empty-set rules.

- gold and prediction both empty: precision = recall = F1 = 1 (nothing to find, nothing invented);
- otherwise a ratio whose denominator is 0 is 0: an empty prediction against non-empty gold has
  precision 0, recall 0, F1 0; a non-empty prediction against empty gold likewise;
- F1 = 2 tp / (n_gold + n_pred), the harmonic mean of precision and recall when both exist;
- soft metrics are the same with soft_tp (the sum of the kept pairs' similarities) for tp.
"""

from __future__ import annotations

from harness.scoring.models import PRF, Ratio


def _ratio(num: float, den: float, n_gold: int, n_pred: int) -> float:
    if n_gold == 0 and n_pred == 0:
        return 1.0
    return num / den if den else 0.0


def prf(tp: float, soft_tp: float, n_gold: int, n_pred: int) -> PRF:
    # float(): the values validation would have made of them (tp / den is already a float).
    return PRF._trusted(
        {
            "precision": float(_ratio(tp, n_pred, n_gold, n_pred)),
            "recall": float(_ratio(tp, n_gold, n_gold, n_pred)),
            "f1": float(_ratio(2 * tp, n_gold + n_pred, n_gold, n_pred)),
            "soft_precision": float(_ratio(soft_tp, n_pred, n_gold, n_pred)),
            "soft_recall": float(_ratio(soft_tp, n_gold, n_gold, n_pred)),
            "soft_f1": float(_ratio(2 * soft_tp, n_gold + n_pred, n_gold, n_pred)),
        }
    )


def f1_ratio(tp: float, n_gold: int, n_pred: int) -> Ratio:
    """An F1 kept poolable: 2 tp over n_gold + n_pred, 1 when both sides are empty."""
    den = n_gold + n_pred
    return Ratio._trusted(
        {"num": float(2 * tp), "den": float(den), "value": 2 * tp / den if den else 1.0}
    )


def share(num: float, den: float) -> Ratio:
    """A share that is undefined (null) when there is nothing to count."""
    return Ratio._trusted(
        {"num": float(num), "den": float(den), "value": num / den if den else None}
    )


__all__ = ["f1_ratio", "prf", "share"]
