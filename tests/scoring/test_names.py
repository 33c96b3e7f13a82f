"""The one name matcher behind participants, claim speakers and red-line parties."""

from __future__ import annotations

import pytest
from rapidfuzz import fuzz

from harness.scoring import NameMatcher, normalise_name
from harness.scoring.config import NameConfig
from harness.summary import Participant

PEOPLE = [
    Participant(name="Marta Kell", aliases=["the Velorian president"], kind="person"),
    Participant(name="Tom Ashby", kind="person"),
    Participant(name="Lin Ho", kind="person"),
    Participant(name="Lin Pei", kind="person"),
    Participant(name="Veloria", aliases=["Port Sela"], kind="country"),
    Participant(name="United States", kind="country"),
]


@pytest.fixture
def matcher() -> NameMatcher:
    return NameMatcher(PEOPLE, NameConfig())


@pytest.mark.parametrize(
    ("surface", "core"),
    [
        ("Mr Ashby", "ashby"),
        ("Mr. Ashby", "ashby"),
        ("MARTA  KELL", "marta kell"),
        ("Velorian president Marta Kell", "marta kell"),
        ("Norland\u2019s foreign secretary Tom Ashby", "tom ashby"),
        ("US secretary of state Tom Ashby", "tom ashby"),
        ("Tom Ashby, Norland's top diplomat", "tom ashby"),
        ("Ｔｏｍ Ａｓｈｂｙ", "tom ashby"),  # NFKC: full-width letters
        ("the Velorian president", "velorian president"),  # a description stays whole
        ("the Chinese president", "china president"),  # demonyms in one form
        ("President of Veloria", "president of veloria"),  # an office, not a name
        ("U.S.", "usa"),
        ("the United States of America", "usa"),
    ],
)
def test_normalisation(surface: str, core: str) -> None:
    assert normalise_name(surface).core == core


@pytest.mark.parametrize(
    ("surface", "index", "how"),
    [
        ("Marta Kell", 0, "exact"),
        ("Velorian President Marta Kell", 0, "exact"),
        ("Velorian president", 0, "exact"),  # alias, without "the" and in other case
        ("Kell", 0, "surname"),
        ("Ms Kell", 0, "surname"),
        ("Kell Marta", 0, "fuzzy"),  # word order does not matter
        ("Marta Kel", 0, "fuzzy"),  # a typo
        ("Mr Ashby", 1, "surname"),
        ("Port Sela", 4, "exact"),
        ("America", 5, "exact"),
        ("U.S.", 5, "exact"),
    ],
)
def test_resolves(matcher: NameMatcher, surface: str, index: int, how: str) -> None:
    found = matcher.resolve(surface)
    assert (found.index, found.how) == (index, how)
    assert found.score >= NameConfig().fuzzy_cutoff


@pytest.mark.parametrize(
    "surface",
    [
        "Lin",  # two gold participants share the surname
        "Mr Lin",
        "Marta Kell Foundation",  # a superset is not the name (token_set_ratio would say 100)
        "Ashbury",
        "Norland",
        "Velorian foreign minister",
    ],
)
def test_does_not_resolve(matcher: NameMatcher, surface: str) -> None:
    assert matcher.resolve(surface).index is None


def test_an_office_is_not_its_country(matcher: NameMatcher) -> None:
    assert matcher.resolve("President of Veloria").index != 4


def test_a_unique_first_word_counts_as_a_surname(matcher: NameMatcher) -> None:
    # Name order varies (Lin Ho, Marta Kell): either end of a person's name may be the surname.
    assert matcher.resolve("Marta").index == 0
    assert matcher.resolve("Ho").index == 2


def test_ambiguous_surname_is_reported_as_such(matcher: NameMatcher) -> None:
    assert matcher.resolve("Lin").how == "ambiguous"
    assert matcher.candidates("Lin") == {}


def test_token_sort_not_token_set() -> None:
    # Why the matcher uses token_sort_ratio: token_set_ratio scores any subset as 100.
    assert fuzz.token_set_ratio("marta kell", "marta kell foundation") == 100
    assert fuzz.token_sort_ratio("marta kell", "marta kell foundation") < 85


def test_same_entity_resolves_both_sides_through_gold(matcher: NameMatcher) -> None:
    assert matcher.same_entity("Marta Kell", "the Velorian president").matched
    assert matcher.same_entity("the Velorian president", "Kell").matched
    assert not matcher.same_entity("Marta Kell", "Tom Ashby").matched
    assert not matcher.same_entity("Lin Ho", "Lin").matched  # ambiguous names nobody


def test_same_entity_compares_directly_when_gold_names_no_participant(
    matcher: NameMatcher,
) -> None:
    # A speaker gold does not list as a participant is compared with the same rules.
    assert matcher.same_entity("Anna Berg", "Ms Berg").matched
    assert matcher.same_entity("Anna Berg", "Anna Berg").matched
    assert not matcher.same_entity("Anna Berg", "Tom Ashby").matched
    assert not matcher.same_entity("Anna Berg", "Berger").matched


def test_fuzzy_cutoff_is_configurable() -> None:
    strict = NameMatcher(PEOPLE, NameConfig(fuzzy_cutoff=0.99))
    assert strict.resolve("Marta Kel").index is None


def test_unnamed_officials_name_the_country_they_speak_for() -> None:
    from harness.scoring.config import NameConfig
    from harness.scoring.names import NameMatcher
    from harness.summary import Participant

    matcher = NameMatcher(
        [
            Participant(name="United States", kind="country", aliases=["US"]),
            Participant(name="Brazil", kind="country"),
        ],
        NameConfig(),
    )
    # gold/README.md: "US officials said" -> United States; so is a model's "US officials".
    for surface, index in (
        ("US officials", 0),
        ("Brazilian officials", 1),
        ("the US government", 0),
    ):
        assert matcher.resolve(surface).index == index, surface
    # A group that names no participant, or nothing at all, still names nobody.
    for surface in ("Officials", "Kremlin officials", "Chilean officials"):
        assert matcher.resolve(surface).index is None, surface
