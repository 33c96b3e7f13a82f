"""One interface and registry for field scorers; the built-ins go through it too."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from harness.scoring import (
    FieldScore,
    FieldScorer,
    Registry,
    all_scorers,
    builtin_registry,
    get,
    score_article,
)
from harness.scoring.claims import ClaimScorer
from harness.scoring.context import ArticleContext
from harness.scoring.models import ItemGrounding
from harness.summary import Claim
from tests.scoring.articles import PUBLISHED, TEXT, gold_summary, score


class QuotedClaims:
    """A second view of an existing attribute: only the claims that carry a quote."""

    name = "quoted_claims"
    source = "claims"

    def __init__(self) -> None:
        self._claims = ClaimScorer()

    def ground(self, items: Sequence[Claim], ctx: ArticleContext) -> list[ItemGrounding]:
        return self._claims.ground([c for c in items if c.quote], ctx)

    def score(
        self, gold: Sequence[Claim], pred: Sequence[Claim], ctx: ArticleContext
    ) -> FieldScore:
        result = self._claims.score([c for c in gold if c.quote], [c for c in pred if c.quote], ctx)
        return result.model_copy(update={"field": self.name})


def test_the_builtins_are_registered_in_report_order() -> None:
    assert builtin_registry().names() == ["participants", "dates", "claims", "red_lines"]
    assert get("claims").name == "claims"
    assert [s.name for s in all_scorers()] == builtin_registry().names()
    assert all(isinstance(s, FieldScorer) for s in builtin_registry())


def test_adding_a_field_is_one_registration() -> None:
    registry = builtin_registry()
    registry.register(QuotedClaims())
    gold = gold_summary()
    result = score_article(
        gold, gold, article_id="x", text=TEXT, published=PUBLISHED, registry=registry
    )
    quoted = result.fields["quoted_claims"]
    assert quoted.n_gold == sum(1 for c in gold.claims if c.quote) == quoted.tp
    assert "quoted_claims" in result.grounding
    assert result.overall == 1.0  # not weighted in the default overall


def test_registering_a_field_twice_needs_replace() -> None:
    registry = Registry()
    registry.register(QuotedClaims())
    with pytest.raises(ValueError, match="already registered"):
        registry.register(QuotedClaims())
    registry.register(QuotedClaims(), replace=True)
    assert len(registry) == 1


def test_a_non_scorer_is_refused() -> None:
    with pytest.raises(TypeError, match="FieldScorer"):
        Registry().register(object())  # type: ignore[arg-type]


def test_an_unknown_field_is_a_clear_error() -> None:
    with pytest.raises(KeyError, match="no scorer for field 'topics'"):
        builtin_registry().get("topics")


def test_the_default_registry_is_what_score_article_uses() -> None:
    assert set(score(gold_summary()).fields) == set(builtin_registry().names())
