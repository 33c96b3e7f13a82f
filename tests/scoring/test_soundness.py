"""The issue's "done when" list: each property of a sound scorer, on the hand-made article."""

from __future__ import annotations

import random

import pytest

from harness.scoring import FieldScore
from harness.summary import Claim, DateMention, Participant, RedLine, Summary
from tests.scoring.articles import gold_summary, labels, score

FIELDS = ("participants", "dates", "claims", "red_lines")
METRICS = ("precision", "recall", "f1", "soft_precision", "soft_recall", "soft_f1")


def metrics(field: FieldScore) -> tuple[float, ...]:
    return tuple(getattr(field, m) for m in METRICS)


def with_items(summary: Summary, field: str, items: list) -> Summary:
    return summary.model_copy(update={field: items})


def test_oracle_scores_exactly_one_on_every_field_and_overall() -> None:
    result = score(gold_summary())
    assert set(result.fields) == set(FIELDS)
    for field in result.fields.values():
        assert metrics(field) == (1.0,) * 6, field.field
        assert field.tp == field.n_gold == field.n_pred > 0
        assert {e.label for e in field.explanations} == {"match"}
    assert result.overall == 1.0


def test_oracle_extra_metrics_are_perfect() -> None:
    result = score(gold_summary())
    for field in result.fields.values():
        for name, ratio in field.extra.items():
            assert ratio.value == 1.0, (field.field, name)


@pytest.mark.parametrize("seed", range(5))
def test_shuffling_items_changes_nothing(seed: int) -> None:
    rng = random.Random(seed)
    gold = gold_summary()
    shuffled = {}
    for field in FIELDS:
        items = list(getattr(gold, field))
        rng.shuffle(items)
        shuffled[field] = items
    pred = gold.model_copy(update=shuffled)
    result = score(pred)
    for field in result.fields.values():
        assert metrics(field) == (1.0,) * 6, field.field
    # Shuffling gold as well (both sides) still scores perfectly.
    assert score(pred, gold=pred).overall == 1.0


def test_replacing_names_by_aliases_changes_nothing() -> None:
    gold = gold_summary()
    speaker_alias = {"Marta Kell": "the Velorian president", "Tom Ashby": "Mr Ashby"}
    pred = gold.model_copy(
        update={
            "participants": [
                p.model_copy(update={"name": p.aliases[0], "aliases": []}) if p.aliases else p
                for p in gold.participants
            ],
            "claims": [
                c.model_copy(update={"speaker": speaker_alias.get(c.speaker, c.speaker)})
                for c in gold.claims
            ],
            "red_lines": [
                r.model_copy(update={"party": "Port Sela"}) if r.party == "Veloria" else r
                for r in gold.red_lines
            ],
        }
    )
    assert pred.participants[0].name == "Ms Kell"  # the fixture really changed
    result = score(pred)
    for field in result.fields.values():
        assert metrics(field) == (1.0,) * 6, field.field


@pytest.mark.parametrize("field", FIELDS)
def test_dropping_one_of_n_gold_items_lowers_recall_by_exactly_one_over_n(field: str) -> None:
    gold = gold_summary()
    items = list(getattr(gold, field))
    n = len(items)
    for dropped in range(n):
        pred = with_items(gold, field, items[:dropped] + items[dropped + 1 :])
        result = score(pred).fields[field]
        assert result.recall == pytest.approx(1 - 1 / n, abs=1e-12)
        assert result.soft_recall == pytest.approx(1 - 1 / n, abs=1e-12)
        assert result.precision == 1.0
        assert labels(result, "gold")[dropped] == "omission"


INVENTED_UNSUPPORTED = {
    "participants": Participant(name="Olaf Brandt", kind="person"),
    "dates": DateMention(event="Olaf Brandt resigns as chancellor", date="2024-02-02"),
    "claims": Claim(speaker="Olaf Brandt", claim="Castoria will invade the islands in spring"),
    "red_lines": RedLine(party="Castoria", issue="fishing quotas", position="Quotas are final"),
}
INVENTED_SUPPORTED = {
    "participants": Participant(name="Castoria", kind="country"),
    "dates": DateMention(event="Norland froze relations with Veloria", date="2024-04"),
    "claims": Claim(speaker="Tom Ashby", claim="Norland's defence ministry has no plans"),
    "red_lines": RedLine(
        party="Norland", issue="sanctions against Castoria", position="Veloria must join them"
    ),
}


@pytest.mark.parametrize("field", FIELDS)
def test_inventing_an_item_lowers_precision_not_recall(field: str) -> None:
    gold = gold_summary()
    items = list(getattr(gold, field))
    n = len(items)
    pred = with_items(gold, field, [*items, INVENTED_UNSUPPORTED[field]])
    result = score(pred).fields[field]
    assert result.precision == pytest.approx(n / (n + 1))
    assert result.recall == 1.0
    assert labels(result, "pred")[n] == "hallucination"


@pytest.mark.parametrize("field", FIELDS)
def test_an_invented_but_supported_item_is_spurious(field: str) -> None:
    gold = gold_summary()
    items = list(getattr(gold, field))
    pred = with_items(gold, field, [*items, INVENTED_SUPPORTED[field]])
    result = score(pred).fields[field]
    assert result.precision < 1.0
    assert labels(result, "pred")[len(items)] == "spurious"


def test_a_date_the_article_cannot_mean_is_a_hallucination_even_for_a_real_event() -> None:
    gold = gold_summary()
    invented = DateMention(event="Norland froze relations with Veloria", date="2024-02-20")
    result = score(with_items(gold, "dates", [*gold.dates, invented])).fields["dates"]
    assert labels(result, "pred")[len(gold.dates)] == "hallucination"


def _date_changed(index: int, value: str) -> tuple[Summary, FieldScore]:
    gold = gold_summary()
    dates = list(gold.dates)
    dates[index] = dates[index].model_copy(update={"date": value})
    return gold, score(with_items(gold, "dates", dates)).fields["dates"]


def test_a_one_day_date_shift_loses_the_date() -> None:
    gold, result = _date_changed(0, "2024-03-11")  # gold 2024-03-12
    n = len(gold.dates)
    assert result.tp == n - 1
    assert result.recall == pytest.approx((n - 1) / n)
    assert result.soft_recall == pytest.approx((n - 1) / n)
    assert labels(result, "gold")[0] == "temporal_error"
    assert labels(result, "pred")[0] == "temporal_error"
    explained = next(e for e in result.explanations if e.side == "gold" and e.index == 0)
    assert explained.partner == 0 and explained.similarity == 0.0


def test_a_coarsened_date_earns_half() -> None:
    gold, result = _date_changed(0, "2024-03")  # gold 2024-03-12
    n = len(gold.dates)
    assert result.soft_tp == pytest.approx(n - 0.5)
    assert result.soft_recall == pytest.approx((n - 0.5) / n)
    assert result.tp == n  # the pair stands: hard credit counts it
    explained = next(e for e in result.explanations if e.side == "gold" and e.index == 0)
    assert (explained.label, explained.similarity) == ("granularity", 0.5)
    assert "coarser" in explained.reason


def test_a_year_for_a_day_is_coarser_too() -> None:
    _, result = _date_changed(0, "2024")
    assert labels(result, "gold")[0] == "granularity"


def test_a_finer_date_is_invented_precision_paired_flagged_and_not_credited() -> None:
    gold, result = _date_changed(3, "2024-06-15")  # gold 2024-06: the day is invented
    explained = next(e for e in result.explanations if e.side == "pred" and e.index == 3)
    assert (explained.label, explained.similarity, explained.partner) == ("granularity", 0.0, 3)
    assert "finer" in explained.reason
    assert result.tp == len(gold.dates) - 1
    assert result.soft_tp == pytest.approx(len(gold.dates) - 1)


def test_a_coarser_but_inconsistent_date_is_wrong() -> None:
    _, result = _date_changed(0, "2024-02")  # gold 2024-03-12
    assert labels(result, "gold")[0] == "temporal_error"


def test_a_speaker_swap_zeroes_the_claim_but_keeps_content_only_credit() -> None:
    gold = Summary(claims=gold_summary().claims[:2])  # Kell's claim and Ashby's claim
    swapped = [
        gold.claims[0].model_copy(update={"speaker": gold.claims[1].speaker}),
        gold.claims[1].model_copy(update={"speaker": gold.claims[0].speaker}),
    ]
    result = score(with_items(gold, "claims", swapped), gold=gold).fields["claims"]
    assert result.tp == 0
    assert result.f1 == 0.0 and result.soft_f1 == 0.0
    assert result.extra["content_f1"].value == 1.0
    assert result.extra["attribution_accuracy"].value == 0.0
    assert set(labels(result, "gold").values()) == {"misattribution"}
    assert set(labels(result, "pred").values()) == {"misattribution"}
    partners = {(e.side, e.index): e.partner for e in result.explanations}
    assert partners[("gold", 0)] == 0 and partners[("gold", 1)] == 1


def test_one_speaker_swap_in_the_full_summary_costs_exactly_that_claim() -> None:
    gold = gold_summary()
    claims = list(gold.claims)
    claims[3] = claims[3].model_copy(update={"speaker": "Tom Ashby"})  # Lin Ho's claim
    result = score(with_items(gold, "claims", claims)).fields["claims"]
    n = len(claims)
    assert result.tp == n - 1
    assert result.extra["content_f1"].value == 1.0
    assert result.extra["attribution_accuracy"].value == pytest.approx((n - 1) / n)
    assert labels(result, "gold")[3] == "misattribution"


@pytest.mark.parametrize(
    ("index", "negated"),
    [
        (1, "Norland will not reopen its embassy in Port Sela"),
        (4, "Veloria will join the Norland-led sanctions against Castoria"),
        (2, "The two sides never agreed to hold a trade summit in June"),
    ],
)
def test_a_negated_claim_loses_its_match(index: int, negated: str) -> None:
    gold = gold_summary()
    claims = list(gold.claims)
    claims[index] = claims[index].model_copy(update={"claim": negated})
    result = score(with_items(gold, "claims", claims)).fields["claims"]
    assert result.tp == len(claims) - 1
    assert labels(result, "gold")[index] == "omission"
    assert labels(result, "pred")[index] == "hallucination"
    assert result.extra["content_f1"].value < 1.0  # the guard holds for content alone too


def test_a_red_line_with_the_wrong_party_earns_nothing() -> None:
    gold = Summary(red_lines=gold_summary().red_lines[:1])
    wrong = gold.red_lines[0].model_copy(update={"party": "Norland"})
    result = score(with_items(gold, "red_lines", [wrong]), gold=gold).fields["red_lines"]
    assert (result.tp, result.soft_tp, result.f1, result.soft_f1) == (0, 0.0, 0.0, 0.0)
    assert labels(result, "gold") == {0: "misattribution"}


def test_a_red_line_with_the_wrong_position_earns_half() -> None:
    gold = Summary(red_lines=gold_summary().red_lines[:1])
    wrong = gold.red_lines[0].model_copy(
        update={"position": "Veloria offers Norland joint control of shipping lanes"}
    )
    result = score(with_items(gold, "red_lines", [wrong]), gold=gold).fields["red_lines"]
    assert result.soft_tp == 0.5
    assert result.soft_f1 == 0.5
    assert labels(result, "gold") == {0: "partial"}
    assert result.extra["position_accuracy"].value == 0.0


def test_a_red_line_whose_position_is_negated_earns_half() -> None:
    gold = Summary(red_lines=gold_summary().red_lines[:1])
    flipped = gold.red_lines[0].model_copy(update={"position": "The Strait is negotiable"})
    result = score(with_items(gold, "red_lines", [flipped]), gold=gold).fields["red_lines"]
    assert result.soft_tp == 0.5
    assert "opposite polarity" in result.explanations[0].reason


def test_a_red_line_with_the_wrong_issue_earns_nothing() -> None:
    gold = Summary(red_lines=gold_summary().red_lines[:1])
    wrong = gold.red_lines[0].model_copy(update={"issue": "fishing quotas"})
    result = score(with_items(gold, "red_lines", [wrong]), gold=gold).fields["red_lines"]
    assert result.soft_tp == 0.0


def test_an_ambiguous_surname_matches_nothing() -> None:
    gold = gold_summary()  # Lin Ho and Lin Pei
    lin = Participant(name="Lin", kind="person")
    result = score(with_items(gold, "participants", [lin]), gold=gold).fields["participants"]
    assert result.tp == 0
    assert "ambiguous" in next(e.reason for e in result.explanations if e.side == "pred")
    # ...and as a claim speaker it attributes nothing either.
    claims = [c.model_copy(update={"speaker": "Mr Lin"}) for c in gold.claims[3:5]]
    claim_result = score(with_items(gold, "claims", claims), gold=gold).fields["claims"]
    assert claim_result.tp == 0
    assert claim_result.extra["content_f1"].value > 0


def test_an_unambiguous_surname_matches() -> None:
    gold = gold_summary()
    pred = [Participant(name="Kell", kind="person"), Participant(name="Ashby", kind="person")]
    result = score(with_items(gold, "participants", pred), gold=gold).fields["participants"]
    assert result.tp == 2 and result.precision == 1.0
    claims = [gold.claims[0].model_copy(update={"speaker": "Kell"})]
    assert score(with_items(gold, "claims", claims)).fields["claims"].tp == 1


def test_a_surname_declared_as_a_gold_alias_is_not_ambiguous() -> None:
    gold = gold_summary()
    participants = list(gold.participants)
    participants[2] = participants[2].model_copy(update={"aliases": ["Mr Lin"]})
    gold = with_items(gold, "participants", participants)
    pred = with_items(gold, "participants", [Participant(name="Mr Lin", kind="person")])
    result = score(pred, gold=gold).fields["participants"]
    assert result.tp == 1
    assert labels(result, "gold")[2] == "match"


def test_a_fabricated_quote_is_flagged_ungrounded() -> None:
    gold = gold_summary()
    claims = list(gold.claims)
    claims[0] = claims[0].model_copy(update={"quote": "We will never forgive Norland"})
    result = score(with_items(gold, "claims", claims))
    grounding = result.grounding["claims"]
    assert grounding.n_ungrounded == 1
    assert grounding.rate == pytest.approx(1 / len(claims))
    item = grounding.items[0]
    assert not item.grounded
    quote_check = next(c for c in item.checks if c.kind == "quote")
    assert not quote_check.ok and quote_check.spans == []
    # The claim's content still matches gold: grounding is independent of the match.
    assert result.fields["claims"].tp == len(claims)


def test_role_affiliation_and_kind_are_scored_apart_from_the_name() -> None:
    gold = gold_summary()
    participants = list(gold.participants)
    participants[0] = participants[0].model_copy(update={"role": "Velorian President"})
    participants[1] = participants[1].model_copy(update={"role": "Deputy Minister"})
    participants[2] = participants[2].model_copy(update={"affiliation": "Norland"})
    participants[3] = participants[3].model_copy(update={"affiliation": "Port Sela"})  # alias
    participants[4] = participants[4].model_copy(update={"kind": "organisation"})
    result = score(with_items(gold, "participants", participants)).fields["participants"]
    assert result.f1 == 1.0  # names all match
    extra = result.extra
    assert (extra["role_accuracy"].num, extra["role_accuracy"].den) == (3, 4)
    assert (extra["affiliation_accuracy"].num, extra["affiliation_accuracy"].den) == (3, 4)
    assert extra["kind_accuracy"].value == pytest.approx(5 / 6)
    reasons = {e.index: e.reason for e in result.explanations if e.side == "gold"}
    assert "role differs" in reasons[1] and "affiliation differs" in reasons[2]
    assert "differs" not in reasons[0] and "differs" not in reasons[3]


@pytest.mark.parametrize("seed", range(20))
def test_every_item_is_explained_once_and_explanations_add_up(seed: int) -> None:
    from tests.scoring.bench_scoring import perturbed

    rng = random.Random(seed)
    gold = gold_summary()
    pred = perturbed(gold, rng)
    pred = pred.model_copy(
        update={"claims": [*pred.claims, INVENTED_UNSUPPORTED["claims"]][rng.randrange(2) :]}
    )
    result = score(pred)
    credited = {"match", "partial", "granularity"}
    for name, field in result.fields.items():
        for side, n in (("gold", field.n_gold), ("pred", field.n_pred)):
            indexes = sorted(e.index for e in field.explanations if e.side == side)
            assert indexes == list(range(n)), (name, side)
        gold_side = [e for e in field.explanations if e.side == "gold"]
        assert field.tp == sum(e.label in credited for e in gold_side), name
        assert field.soft_tp == pytest.approx(sum(e.similarity for e in gold_side)), name
        for e in field.explanations:
            if e.label in credited:
                assert e.partner is not None and e.similarity > 0
            else:
                assert e.similarity == 0.0


def test_one_red_line_named_narrowly_and_broadly_is_paired() -> None:
    party = Participant(name="Ireland", kind="country")
    gold = Summary(
        participants=[party],
        red_lines=[
            RedLine(
                party="Ireland",
                issue="Border on the island of Ireland",
                position="There can be no customs border between north and south.",
            )
        ],
    )

    def scored(issue: str) -> FieldScore:
        line = RedLine(
            party="Ireland",
            issue=issue,
            position="No customs border may separate the north from the south.",
        )
        return score(with_items(gold, "red_lines", [line]), gold=gold).fields["red_lines"]

    # The issue words differ, but the positions state one line about the border.
    paired = scored("Irish land border")
    assert paired.tp == 1
    assert "the same line worded differently" in paired.explanations[0].reason
    # An issue the line is not about stays another line, however close the positions.
    assert scored("Fishing quotas").tp == 0
