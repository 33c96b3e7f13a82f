"""The oracle on the real gold corpus: each gold summary scored against itself is perfect."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.gold import article_dirs, load_article
from harness.scoring import score_article

GOLD = Path(__file__).resolve().parents[2] / "gold"
ARTICLES = article_dirs(GOLD) if GOLD.is_dir() else []


@pytest.mark.skipif(not ARTICLES, reason="the gold corpus has no articles yet")
@pytest.mark.parametrize("folder", ARTICLES, ids=lambda p: p.name)
def test_gold_against_itself_scores_exactly_one(folder: Path) -> None:
    article = load_article(folder)
    result = score_article(
        article.summary,
        article.summary,
        article_id=article.id,
        text=article.text,
        published=article.meta.published,
    )
    for name, field in result.fields.items():
        scores = (field.precision, field.recall, field.f1, field.soft_precision,
                  field.soft_recall, field.soft_f1)  # fmt: skip
        assert scores == (1.0,) * 6, f"{name}: {field.explanations}"
    assert result.overall == 1.0
