"""A claim wrapped in "it is not the case that ..." says the opposite and must not match."""

from __future__ import annotations

import pytest

from harness.scoring import score_article
from harness.summary import Claim, Participant, Summary

TEXT = "Mr Xi said the earth is big enough for China and the US to develop and prosper."
XI = Participant(name="Xi Jinping", aliases=["Mr Xi"], kind="person")


def claims(text: str) -> Summary:
    return Summary(participants=[XI], claims=[Claim(speaker="Xi Jinping", claim=text)])


GOLD = claims("The earth is big enough for China and the US to develop and prosper.")


@pytest.mark.parametrize(
    "negated",
    [
        "it is not the case that the earth is big enough for China and the US to develop and "
        "prosper.",
        "It is not true that the earth is big enough for China and the US to develop and prosper.",
        "It's not the case that the earth is big enough for China and the US to develop.",
    ],
)
def test_sentential_negation_loses_the_match(negated: str) -> None:
    score = score_article(GOLD, claims(negated), article_id="x", text=TEXT)
    assert score.fields["claims"].tp == 0


def test_the_same_claim_still_matches() -> None:
    score = score_article(GOLD, GOLD, article_id="x", text=TEXT)
    assert score.fields["claims"].tp == 1
