"""The article detail section in plain Python (fragment.py) is byte for byte the reference
template, `_article.html.j2` over `view.article_view`, at every detail level: over the test
reports (hostile ones included), a real mock run, and copies with every kind of oddity a
report can hold (attack strings and lone surrogates in any string, NaN and None numbers,
failed, skipped and missing samples, no gold, no prediction, runaway raw output)."""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from markupsafe import escape as markup_escape
from pydantic import BaseModel

from harness.report.html import render as render_module
from harness.report.html.assets import encodable, environment
from harness.report.html.fragment import _escape_py, article_html, escape
from harness.report.html.view import DETAIL_LEVELS, RAW_LIMIT, ArticleRow, article_row, article_view
from harness.report.load import load_report
from harness.report.models import ArticleResult, Report
from tests.report_html.factory import (
    PAYLOAD,
    corpus_report,
    hostile_report,
    mock_runs,
    sample_report,
)
from tests.support.articles import GENEVA, SUMMIT

# Strings a report can carry anywhere: markup, entities, quotes, a lone surrogate, nothing.
ODD = (PAYLOAD, "a\ud800b<&>\"'", "\udfff", "", "x_y z&amp;", "“q”—<b>", "nan", "match")
# Fields that may be null in a report, or in a hand-edited one.
NULLABLE = frozenset(
    {
        "status_code",
        "finish_reason",
        "output_status",
        "matched",
        "value",
        "cost_usd",
        "latency_s",
        "prompt_tokens",
        "completion_tokens",
        "error",
        "partner",
        "raw",
        "prediction",
    }
)


def _reference(row: ArticleRow, article: ArticleResult, level: str) -> bytes:
    template = environment().get_template("_article.html.j2")
    html = template.render(v=article_view(row, article, level), level=level)  # type: ignore[arg-type]
    return encodable(html).encode("utf-8")


def _odd(value: Any, rnd: random.Random) -> Any:
    """`value` with some of its strings, numbers and flags changed in place (models, lists and
    dicts) or replaced (the return value)."""
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            old = getattr(value, name)
            new = None if name in NULLABLE and rnd.random() < 0.05 else _odd(old, rnd)
            if new is not old:
                object.__setattr__(value, name, new)
        return value
    if isinstance(value, list):
        value[:] = [_odd(v, rnd) for v in value]
        return value
    if isinstance(value, dict):
        for key in value:
            value[key] = _odd(value[key], rnd)
        return value
    if isinstance(value, bool):
        return not value if rnd.random() < 0.1 else value
    if isinstance(value, float):
        r = rnd.random()
        return math.nan if r < 0.1 else math.inf if r < 0.13 else -0.0 if r < 0.15 else value
    if isinstance(value, str) and rnd.random() < 0.3:
        return rnd.choice(ODD) + value[: rnd.randrange(40)] + rnd.choice(ODD)
    return value


def _odd_copies(report: Report, seed: int) -> Iterator[ArticleResult]:
    rnd = random.Random(seed)
    for article in report.articles:
        article = _odd(article.model_copy(deep=True), rnd)
        for sample in article.samples:
            r = rnd.random()
            if r < 0.15:
                raw = (PAYLOAD + "\ud800") * (RAW_LIMIT // len(PAYLOAD) + 3)
                object.__setattr__(sample, "raw", raw)
            elif r < 0.25:
                object.__setattr__(sample, "status", rnd.choice(["skipped", "missing"]))
            elif r < 0.35:
                object.__setattr__(sample, "prediction", None)
        yield article


def _assert_same(report: Report, articles: Iterator[ArticleResult] | None = None) -> int:
    metric = report.run.scoring.overall.metric
    compared = 0
    for i, article in enumerate(report.articles if articles is None else articles):
        row = article_row(i, article, (), metric)
        for level in DETAIL_LEVELS:
            expected = _reference(row, article, level)
            assert render_module._fragment(row, article, level) == expected, (i, level)
            compared += 1
    return compared


@pytest.mark.parametrize("make", [sample_report, hostile_report], ids=["sample", "hostile"])
def test_the_same_bytes_as_the_template(make: Any) -> None:
    assert _assert_same(make()) == 2 * len(DETAIL_LEVELS)


def test_the_same_bytes_over_a_corpus() -> None:
    report = corpus_report([GENEVA, SUMMIT], samples=3)
    assert _assert_same(report)


@pytest.mark.parametrize("seed", range(12))
def test_the_same_bytes_with_odd_values(seed: int) -> None:
    """Attack strings, lone surrogates, NaN, None, every status: as the template has them."""
    base = hostile_report() if seed % 2 else sample_report()
    assert _assert_same(base, _odd_copies(base, seed))


def test_the_same_bytes_over_mock_runs(tmp_path: Path) -> None:
    for folder in mock_runs(tmp_path):
        report = load_report(folder)
        assert _assert_same(report)
        assert _assert_same(report, _odd_copies(report, 7))


def test_lone_surrogates_become_replacement_characters() -> None:
    report = hostile_report()
    article = report.articles[0].model_copy(update={"title": "a\ud800b"})
    row = article_row(0, article, (), report.run.scoring.overall.metric)
    part = render_module._fragment(row, article, "full")
    assert "a\ufffdb".encode() in part
    assert "a\ud800b" in article_html(row, article, "full")  # replaced only on encoding


@pytest.mark.parametrize("text", [*ODD, "&&<<>>\"\"''", "plain", "\u2028"])
def test_escaping_is_markupsafes(text: str) -> None:
    assert escape(text) == _escape_py(text) == str(markup_escape(text))
    assert type(escape(text)) is str
