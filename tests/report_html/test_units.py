"""The pieces under the page: chart geometry and the pairing of gold and predicted items."""

from __future__ import annotations

import pytest

from harness.report.html.svg import Series, bar_chart
from harness.report.html.view import side_by_side
from harness.scoring.models import FieldScore, ItemExplanation, Label


def test_bars_are_proportional_and_missing_values_marked() -> None:
    chart = bar_chart("t", ["a", "b", "c"], [Series("s", [1.0, 0.5, None])])
    full, half = chart.bars
    assert full.y == chart.top and full.height == pytest.approx(chart.bottom - chart.top)
    assert half.height == pytest.approx(full.height / 2, abs=0.1)
    assert [text for _, text in chart.missing] == ["n/a"]
    assert [b.label for b in chart.bars] == ["1.00", "0.50"]


def test_out_of_range_values_are_clamped_and_whiskers_placed() -> None:
    chart = bar_chart("t", ["a"], [Series("s", [1.7], intervals=[(0.5, 1.0)])])
    (bar,) = chart.bars
    assert bar.y == chart.top
    assert bar.whisker is not None and bar.whisker[0] < bar.whisker[1]


def test_series_must_cover_every_category() -> None:
    with pytest.raises(ValueError, match="2 values for 3 categories"):
        bar_chart("t", ["a", "b", "c"], [Series("s", [1.0, 0.5])])


def _item(side: str, index: int, partner: int | None, label: Label) -> ItemExplanation:
    return ItemExplanation.model_validate(
        {
            "side": side,
            "index": index,
            "text": f"{side}{index}",
            "partner": partner,
            "similarity": 1.0 if label == "match" else 0.0,
            "label": label,
            "reason": f"because {side}{index}",
        }
    )


def test_side_by_side_pairs_mutual_partners_and_lists_the_rest() -> None:
    score = FieldScore(
        field="claims",
        n_gold=3,
        n_pred=3,
        tp=1,
        soft_tp=1.0,
        precision=1 / 3,
        recall=1 / 3,
        f1=1 / 3,
        soft_precision=1 / 3,
        soft_recall=1 / 3,
        soft_f1=1 / 3,
        explanations=[
            _item("gold", 0, 1, "match"),
            _item("gold", 1, 0, "misattribution"),  # pred 0 went elsewhere: shown alone
            _item("gold", 2, None, "omission"),
            _item("pred", 0, 2, "misattribution"),
            _item("pred", 1, 0, "match"),
            _item("pred", 2, None, "hallucination"),
        ],
    )
    rows = side_by_side(score, ungrounded=frozenset({2}))
    shown = [(r.gold.index if r.gold else None, r.pred.index if r.pred else None) for r in rows]
    assert shown == [(0, 1), (1, None), (2, None), (None, 0), (None, 2)]
    assert rows[0].is_match and rows[0].labels == ["match"]
    assert rows[1].note == "compared with pred #0"
    assert rows[3].note == "compared with gold #2"
    assert rows[4].ungrounded and not rows[0].ungrounded
