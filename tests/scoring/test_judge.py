"""The claim judge: asked in both orders, cached, and able to overrule word overlap."""

from __future__ import annotations

from harness.scoring import CachingJudge, MockJudge
from harness.summary import Claim, Summary
from tests.scoring.articles import gold_summary, score

GOLD_CLAIM = "Norland will reopen its embassy in Port Sela"
PARAPHRASE = "Ashby said diplomats would soon be back at work in the Velorian capital"


def _claims(text: str) -> Summary:
    return Summary(claims=[Claim(speaker="Tom Ashby", claim=text)])


def test_without_a_judge_a_distant_paraphrase_is_missed() -> None:
    assert score(_claims(PARAPHRASE), gold=_claims(GOLD_CLAIM)).fields["claims"].tp == 0


def test_a_judge_that_agrees_in_both_orders_makes_the_match() -> None:
    judge = MockJudge([(GOLD_CLAIM, PARAPHRASE)])
    claims = score(_claims(PARAPHRASE), gold=_claims(GOLD_CLAIM), judge=judge).fields["claims"]
    assert claims.tp == 1 and claims.soft_tp == 1.0
    assert (GOLD_CLAIM, PARAPHRASE) in judge.calls and (PARAPHRASE, GOLD_CLAIM) in judge.calls
    assert "judge" in claims.explanations[0].reason


def test_a_judge_that_agrees_in_one_order_only_does_not() -> None:
    judge = MockJudge([(GOLD_CLAIM, PARAPHRASE)], symmetric=False)
    assert (
        score(_claims(PARAPHRASE), gold=_claims(GOLD_CLAIM), judge=judge).fields["claims"].tp == 0
    )


def test_the_judge_overrules_word_overlap() -> None:
    judge = MockJudge(lambda a, b: False)
    assert (
        score(_claims(GOLD_CLAIM), gold=_claims(GOLD_CLAIM), judge=judge).fields["claims"].tp == 0
    )


def test_other_speakers_claims_without_shared_content_are_not_sent_to_the_judge() -> None:
    judge = MockJudge()
    other = Summary(claims=[Claim(speaker="Lin Pei", claim="Castoria mines the moon")])
    score(other, gold=_claims(GOLD_CLAIM), judge=judge)
    assert judge.calls == []


def test_the_judge_also_compares_red_line_positions() -> None:
    gold = Summary(red_lines=gold_summary().red_lines[:1])
    reworded = "Veloria will accept no bargaining over the waterway's status"
    pred = Summary(red_lines=[gold.red_lines[0].model_copy(update={"position": reworded})])
    judge = MockJudge([(gold.red_lines[0].position, reworded)])
    plain = score(pred, gold=gold).fields["red_lines"]
    judged = score(pred, gold=gold, judge=judge).fields["red_lines"]
    assert plain.soft_tp == 0.5 and judged.soft_tp == 1.0


def test_caching_judge_asks_each_ordered_pair_once() -> None:
    inner = MockJudge([(GOLD_CLAIM, PARAPHRASE)])
    judge = CachingJudge(inner)
    for _ in range(3):
        score(_claims(PARAPHRASE), gold=_claims(GOLD_CLAIM), judge=judge)
    assert sorted(inner.calls) == sorted([(GOLD_CLAIM, PARAPHRASE), (PARAPHRASE, GOLD_CLAIM)])
    assert judge.cache[(GOLD_CLAIM, PARAPHRASE)] is True
