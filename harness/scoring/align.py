"""One-to-one alignment of gold and predicted items: similarity matrix -> Hungarian -> threshold."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from harness.scoring.lsap import linear_sum_assignment


@dataclass(frozen=True)
class Alignment:
    pairs: list[tuple[int, int, float]]  # (gold index, pred index, similarity), by gold index
    gold_partner: list[int | None]
    pred_partner: list[int | None]

    @property
    def soft(self) -> float:
        return float(sum(s for _, _, s in self.pairs))


def align(sim: np.ndarray, threshold: float, rank: np.ndarray | None = None) -> Alignment:
    """Pair gold rows with predicted columns one to one, maximising total similarity.

    Cells under `threshold` are zeroed *before* the assignment, so a partner is never spent on
    a pair that will be dropped; pairs of zero are then dropped. `rank` (default: `sim`) is what
    the assignment maximises, for fields that break ties on something the credit does not count
    (dates prefer, among similar events, the pair whose dates agree); it is zeroed where `sim` is.
    """
    n_gold, n_pred = sim.shape
    gold_partner: list[int | None] = [None] * n_gold
    pred_partner: list[int | None] = [None] * n_pred
    if n_gold == 0 or n_pred == 0:
        return Alignment([], gold_partner, pred_partner)
    keep = sim >= threshold
    if threshold <= 0:
        keep &= sim > 0
    weights = np.where(keep, sim if rank is None else rank, 0.0)
    if not weights.any():
        return Alignment([], gold_partner, pred_partner)
    # Not `from scipy.optimize import ...`: that costs ~0.5 s and 50 MB (see lsap.py).
    rows, cols = linear_sum_assignment()(weights, maximize=True)
    pairs = []
    for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
        if keep[i, j]:
            pairs.append((i, j, float(sim[i, j])))
            gold_partner[i] = j
            pred_partner[j] = i
    return Alignment(pairs, gold_partner, pred_partner)


__all__ = ["Alignment", "align"]
