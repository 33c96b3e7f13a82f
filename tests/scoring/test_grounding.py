"""Grounding: each prediction checked against the article text, with or without gold."""

from __future__ import annotations

import pytest

from harness.scoring import GroundingCheck, score_article
from harness.summary import Claim, DateMention, Participant, RedLine, Summary
from harness.text import normalize_typography
from tests.scoring.articles import TEXT, gold_summary, score

NORMALISED = normalize_typography(TEXT)


def quote_check(quote: str) -> GroundingCheck:
    pred = Summary(claims=[Claim(speaker="Marta Kell", claim="Veloria is ready", quote=quote)])
    item = score(pred).grounding["claims"].items[0]
    return next(c for c in item.checks if c.kind == "quote")


def test_the_gold_summary_is_fully_grounded() -> None:
    result = score(gold_summary())
    for name, field in result.grounding.items():
        assert field.n_items > 0
        assert field.n_ungrounded == 0, [i for i in field.items if not i.grounded]
        assert field.rate == 0.0, name


def test_a_verbatim_quote_is_found_despite_typography() -> None:
    # The article has curly quotes and a curly apostrophe; the prediction straight ones.
    check = quote_check('"We are ready to turn the page, but the Strait is not negotiable"')
    assert check.ok and check.score == 1.0
    (start, end) = check.spans[0]
    expected = "We are ready to turn the page, but the Strait is not negotiable"
    assert NORMALISED[start:end] == expected
    assert check.matched == NORMALISED[start:end]


def test_a_near_verbatim_quote_is_found_with_its_span() -> None:
    check = quote_check("We're ready to turn the page, but the Strait is not negotiable")
    assert check.ok
    assert 0.9 <= check.score < 1.0
    (start, end) = check.spans[0]
    assert "ready to turn the page" in NORMALISED[start:end]


def test_an_elided_quote_is_checked_piece_by_piece() -> None:
    check = quote_check("We are ready to turn the page ... the Strait is not negotiable")
    assert check.ok and len(check.spans) == 2
    assert not quote_check("We are ready to turn the page ... and to invade Norland").ok


@pytest.mark.parametrize(
    "quote",
    ["We will never forgive Norland", "We are ready to close the Strait to all Norland shipping"],
)
def test_fabricated_quotes_are_not_found(quote: str) -> None:
    check = quote_check(quote)
    assert not check.ok and check.spans == [] and check.matched is None


def test_short_quotes_must_be_verbatim() -> None:
    assert quote_check("the Strait").ok
    # 95 by partial_ratio, but under 12 characters a fuzzy find means little: not found.
    assert not quote_check("the Straits").ok


def test_participant_names_must_occur_in_the_text() -> None:
    pred = Summary(
        participants=[
            Participant(name="Marta Kell", kind="person"),
            Participant(name="Tom Ashbey", kind="person"),  # a typo: near-verbatim
            Participant(name="Castoria", kind="country"),
            Participant(name="Olaf Brandt", kind="person"),
            Participant(name="Olaf Brandt", aliases=["Deputy minister Lin Pei"], kind="person"),
        ]
    )
    items = score(pred).grounding["participants"].items
    assert [i.grounded for i in items] == [True, True, True, False, True]
    assert items[0].checks[0].spans and items[0].checks[0].matched == "Marta Kell"


def test_claims_need_their_speaker_in_the_text() -> None:
    pred = Summary(claims=[Claim(speaker="Olaf Brandt", claim="Norland will reopen its embassy")])
    item = score(pred).grounding["claims"].items[0]
    assert not item.grounded
    assert [c.kind for c in item.checks if not c.ok] == ["name"]


def test_unquoted_content_must_be_supported() -> None:
    pred = Summary(
        claims=[
            Claim(speaker="Tom Ashby", claim="Norland will reopen its embassy in Port Sela"),
            Claim(speaker="Tom Ashby", claim="Castoria plans lunar mining with Zembla"),
        ]
    )
    items = score(pred).grounding["claims"].items
    assert [i.grounded for i in items] == [True, False]


def test_date_values_must_be_dates_the_article_can_mean() -> None:
    dates = [
        DateMention(event="Marta Kell meets Tom Ashby", date="2024-03-12"),  # "on Tuesday"
        DateMention(event="Marta Kell meets Tom Ashby", date="2024-03"),  # coarser: fine
        DateMention(event="Marta Kell meets Tom Ashby", date="2024-03-20"),  # "Wednesday"?
        DateMention(event="trade summit", date="2024-06"),  # "in June"
        DateMention(event="trade summit", date="2024-06-15"),  # a day the article never gave
        DateMention(event="Marta Kell meets Tom Ashby", date="2024-03-05"),
        DateMention(event="Veloria and Norland agree to resume talks", date="2024-03-14"),
    ]
    items = score(Summary(dates=dates)).grounding["dates"].items
    # 2024-03-20 is the "announced" reading of "on Wednesday": grounding is permissive.
    assert [i.grounded for i in items] == [True, True, True, True, False, False, True]


def test_date_text_must_occur_like_a_quote() -> None:
    dates = [
        DateMention(event="relations froze", date="2023-11", text="last November"),
        DateMention(event="relations froze", date="2023-11", text="in late November"),
    ]
    items = score(Summary(dates=dates)).grounding["dates"].items
    assert [i.grounded for i in items] == [True, False]


def test_red_lines_check_party_speaker_quote_and_content() -> None:
    good = gold_summary().red_lines[0]
    lines = [
        good,
        good.model_copy(update={"speaker": "Olaf Brandt"}),
        good.model_copy(update={"quote": "the Strait is ours forever"}),
        good.model_copy(update={"party": "Zembla"}),
        RedLine(party="Veloria", issue="lunar mining", position="Zembla must withdraw robots"),
    ]
    items = score(Summary(red_lines=lines)).grounding["red_lines"].items
    assert [i.grounded for i in items] == [True, False, False, False, False]


def test_grounding_works_without_gold() -> None:
    pred = Summary(participants=[Participant(name="Olaf Brandt", kind="person")])
    result = score_article(None, pred, article_id="no-gold", text=TEXT)
    assert result.fields == {} and result.overall is None
    assert not result.gold_available
    assert result.grounding["participants"].n_ungrounded == 1


def test_without_text_nothing_is_grounded_and_misses_are_spurious() -> None:
    gold = gold_summary()
    pred = gold.model_copy(
        update={"participants": [*gold.participants, Participant(name="Olaf", kind="person")]}
    )
    result = score(pred, text=None)
    assert result.grounding == {}
    extra = next(
        e
        for e in result.fields["participants"].explanations
        if e.side == "pred" and e.index == len(gold.participants)
    )
    assert extra.label == "spurious" and "not checked" in extra.reason
