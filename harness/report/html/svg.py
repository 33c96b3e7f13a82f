"""Geometry for the hand-written SVG bar chart: numbers here, markup in the `bar_chart` macro.

Keeping the arithmetic in Python makes it testable and keeps the template a plain listing of
shapes. Values are scores in [0, 1]; a grouped chart (one bar per series and category) serves
the run report (hard and soft F1) and a comparison page (one series per run) alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

Interval = tuple[float, float]


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]
    # Optional confidence intervals, drawn as whiskers; None where there is none.
    intervals: Sequence[Interval | None] | None = None


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: int
    label: str
    title: str
    whisker: tuple[float, float] | None  # (y of the upper end, y of the lower end)


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class Category:
    x: float
    label: str


@dataclass(frozen=True)
class LegendEntry:
    x: float
    series: int
    name: str


@dataclass(frozen=True)
class BarChart:
    title: str
    width: int
    height: int
    left: float
    top: float
    right: float
    bottom: float
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    categories: tuple[Category, ...]
    legend: tuple[LegendEntry, ...]
    # Where "no value" markers go: one per missing bar, as (x centre, text).
    missing: tuple[tuple[float, str], ...]


def _clamp(value: float) -> float:
    return min(1.0, max(0.0, value))


def bar_chart(
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    width: int = 680,
    height: int = 260,
) -> BarChart:
    """Lay out a grouped bar chart of scores; every series has one value per category."""
    for s in series:
        if len(s.values) != len(categories):
            raise ValueError(
                f"series {s.name!r} has {len(s.values)} values for {len(categories)} categories"
            )
    left, top, right, bottom = 40.0, 44.0, width - 10.0, height - 28.0
    plot_h = bottom - top
    group_w = (right - left) / max(1, len(categories))
    bar_w = group_w * 0.8 / max(1, len(series))

    def y_of(value: float) -> float:
        return round(bottom - _clamp(value) * plot_h, 1)

    bars: list[Bar] = []
    missing: list[tuple[float, str]] = []
    for c, category in enumerate(categories):
        for s_index, s in enumerate(series):
            x = left + c * group_w + group_w * 0.1 + s_index * bar_w
            value = s.values[c]
            if value is None:
                missing.append((round(x + bar_w / 2, 1), "n/a"))
                continue
            interval = s.intervals[c] if s.intervals is not None else None
            whisker = (y_of(interval[1]), y_of(interval[0])) if interval is not None else None
            y = y_of(value)
            bars.append(
                Bar(
                    x=round(x, 1),
                    y=y,
                    width=round(bar_w - 2, 1),
                    height=round(bottom - y, 1),
                    series=s_index,
                    label=f"{value:.2f}",
                    title=f"{category} · {s.name}: {value:.3f}",
                    whisker=whisker,
                )
            )
    ticks = tuple(Tick(y=y_of(v), label=f"{v:.2f}") for v in (0.0, 0.25, 0.5, 0.75, 1.0))
    cats = tuple(
        Category(x=round(left + (c + 0.5) * group_w, 1), label=name)
        for c, name in enumerate(categories)
    )
    legend = tuple(
        LegendEntry(x=left + i * 150.0, series=i, name=s.name) for i, s in enumerate(series)
    )
    return BarChart(
        title=title,
        width=width,
        height=height,
        left=left,
        top=top,
        right=right,
        bottom=bottom,
        bars=tuple(bars),
        ticks=ticks,
        categories=cats,
        legend=legend,
        missing=tuple(missing),
    )


__all__ = ["Bar", "BarChart", "Category", "Interval", "LegendEntry", "Series", "Tick", "bar_chart"]
