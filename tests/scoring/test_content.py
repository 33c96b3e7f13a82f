"""Lexical content similarity and its polarity guard."""

from __future__ import annotations

import pytest

from harness.scoring.content import dice, polarity_conflict
from harness.scoring.tokens import StemWeights, analyse, stem


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Norland will reopen its embassy", "Norland will not reopen its embassy"),
        ("Norland won't reopen its embassy", "Norland will reopen its embassy"),
        ("Veloria will join the sanctions", "Veloria refuses to join the sanctions"),
        ("Veloria did not reject the offer", "Veloria rejected the offer"),
        ("The Strait is negotiable", "The Strait is never negotiable"),
    ],
)
def test_opposite_polarity_is_caught(a: str, b: str) -> None:
    assert polarity_conflict(analyse(a), analyse(b))
    assert polarity_conflict(analyse(b), analyse(a))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("There is no room to compromise on the Strait", "Veloria refuses to compromise"),
        ("The two should be partners and not rivals", "They should be partners rather than rivals"),
        ("They built a no-limits partnership", "They built a partnership"),
        ("There is no substitute for face-to-face talks", "Face-to-face talks are needed"),
        ("Norland will reopen its embassy", "Norland plans to reopen its embassy"),
    ],
)
def test_same_polarity_passes(a: str, b: str) -> None:
    assert not polarity_conflict(analyse(a), analyse(b))


def test_dice_is_token_f1_over_content_stems() -> None:
    a = analyse("Norland reopens its embassy")
    b = analyse("the embassy of Norland reopened")
    assert dice(a, b) == 1.0  # stems and stopwords: same content
    assert dice(a, analyse("Castoria closes a port")) == 0.0
    assert dice(analyse("Xi met Blinken"), analyse("Blinken meets Xi")) == 1.0  # irregular verb


def test_words_the_article_repeats_weigh_less() -> None:
    article = ". ".join(["Veloria and Norland talked"] * 8 + ["a ceasefire was agreed"])
    weights = StemWeights.from_text(article)
    a = analyse("Veloria and Norland agree a ceasefire")
    b = analyse("Veloria and Norland fight on")
    c = analyse("a ceasefire between the two")
    assert dice(a, b, weights) < dice(a, b)  # sharing only the protagonists means less
    assert dice(a, c, weights) > dice(a, c)  # sharing the rare word means more


def test_stemming_is_symmetric_and_conservative() -> None:
    assert stem("stabilise") == stem("stabilize")
    assert stem("talks") == stem("talk") == stem("talking")
    assert stem("relations") != stem("relationship")


def test_a_shared_quote_is_evidence_of_the_same_claim() -> None:
    from harness.scoring import score_article
    from harness.summary import Claim, Participant, Summary

    people = [
        Participant(name="Xi Jinping", kind="person"),
        Participant(name="Joe Biden", kind="person"),
    ]
    quote = "the earth is big enough for China and the US to develop and prosper"
    gold = Summary(
        participants=people,
        claims=[
            Claim(
                speaker="Xi Jinping",
                claim="The earth is big enough for both to prosper.",
                quote=quote,
            )
        ],
    )

    def scored(speaker: str, q: str | None):
        pred = Summary(
            participants=people,
            claims=[
                Claim(
                    speaker=speaker,
                    claim="There is room in the world for both nations to grow.",
                    quote=q,
                )
            ],
        )
        return score_article(gold, pred, article_id="a").fields["claims"]

    # Word overlap alone misses the paraphrase; the quote it carries (here a longer stretch of
    # the same passage) makes it the same claim.
    assert scored("Xi Jinping", None).tp == 0
    paired = scored("Xi Jinping", "He said " + quote)
    assert paired.tp == 1
    assert "the same quote" in paired.explanations[0].reason
    # The same quote from another speaker is not evidence of the same claim by Xi.
    assert scored("Joe Biden", quote).tp == 0
    # A quote of one or two words is no evidence.
    assert scored("Xi Jinping", "big enough").tp == 0


def test_a_claim_that_reverses_the_quote_it_carries_is_no_match() -> None:
    from harness.scoring import score_article
    from harness.summary import Claim, Participant, Summary

    people = [Participant(name="Jane Roe", kind="person")]
    quote = "We will never accept a blockade of the strait"
    gold = Summary(
        participants=people,
        claims=[Claim(speaker="Jane Roe", claim="Ruritania will accept no blockade.", quote=quote)],
    )
    pred = Summary(
        participants=people,
        claims=[Claim(speaker="Jane Roe", claim="Ruritania will accept a blockade.", quote=quote)],
    )
    claims = score_article(gold, pred, article_id="a").fields["claims"]
    assert claims.tp == 0


def test_a_joint_speaker_is_credited_against_one_of_gold_s_copies() -> None:
    from harness.scoring import score_article
    from harness.summary import Claim, Participant, Summary

    people = [
        Participant(name="Qin Gang", kind="person"),
        Participant(name="China", kind="country", aliases=["Beijing"]),
        Participant(name="United States", kind="country", aliases=["Washington"]),
    ]
    said = "Qin Gang accepted an offer to visit the United States."
    # Gold records the two countries' joint statement once per speaker.
    gold = Summary(
        participants=people,
        claims=[
            Claim(speaker="China", claim=said),
            Claim(speaker="United States", claim=said),
        ],
    )
    pred = Summary(
        participants=people,
        claims=[Claim(speaker="Beijing and Washington", claim="Qin agreed to visit the US.")],
    )
    claims = score_article(gold, pred, article_id="a").fields["claims"]
    assert claims.tp == 1 and claims.n_gold == 2
    labels = sorted(e.label for e in claims.explanations)
    assert labels == ["match", "match", "omission"]
