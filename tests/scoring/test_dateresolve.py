"""Dates written as text, resolved against the publication date."""

from __future__ import annotations

import datetime as dt

import pytest

from harness.scoring import find_dates, resolve_date, resolve_summary_dates
from harness.summary import Summary

WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
# Every weekday as a publication day, in an ordinary week and in a week across a year boundary
# (Monday 30 December 2024 to Sunday 5 January 2025).
PUBLICATION_DAYS = [dt.date(2024, 4, 22) + dt.timedelta(days=k) for k in range(7)] + [
    dt.date(2024, 12, 30) + dt.timedelta(days=k) for k in range(7)
]


def _the_one(days: range, published: dt.date, weekday: int) -> dt.date:
    """The single day in `published + days` falling on `weekday` (independent of the code)."""
    found = [
        published + dt.timedelta(days=d)
        for d in days
        if (published + dt.timedelta(days=d)).weekday() == weekday
    ]
    assert len(found) == 1
    return found[0]


def test_the_parametrised_weeks_cover_every_weekday_and_a_year_boundary() -> None:
    assert {d.weekday() for d in PUBLICATION_DAYS} == set(range(7))
    assert {d.year for d in PUBLICATION_DAYS} == {2024, 2025}


@pytest.mark.parametrize("published", PUBLICATION_DAYS, ids=str)
@pytest.mark.parametrize("weekday", range(7), ids=WEEKDAY_NAMES)
class TestWeekdays:
    def test_bare_weekday_is_in_the_news_week_ending_on_publication(
        self, published: dt.date, weekday: int
    ) -> None:
        expected = _the_one(range(-6, 1), published, weekday).isoformat()
        name = WEEKDAY_NAMES[weekday]
        assert resolve_date(name, published) == expected
        assert resolve_date(f"on {name}", published) == expected
        assert resolve_date(f"{name.lower()} afternoon", published) == expected

    def test_announced_weekday_is_in_the_week_starting_on_publication(
        self, published: dt.date, weekday: int
    ) -> None:
        expected = _the_one(range(0, 7), published, weekday).isoformat()
        assert resolve_date(WEEKDAY_NAMES[weekday], published, future=True) == expected

    def test_last_and_next_weekday_exclude_the_publication_day(
        self, published: dt.date, weekday: int
    ) -> None:
        name = WEEKDAY_NAMES[weekday]
        last = _the_one(range(-7, 0), published, weekday).isoformat()
        upcoming = _the_one(range(1, 8), published, weekday).isoformat()
        assert resolve_date(f"last {name}", published) == last
        assert resolve_date(f"next {name}", published) == upcoming

    def test_this_weekday_is_in_the_publication_days_monday_to_sunday_week(
        self, published: dt.date, weekday: int
    ) -> None:
        monday = published - dt.timedelta(days=published.weekday())
        expected = (monday + dt.timedelta(days=weekday)).isoformat()
        assert resolve_date(f"this {WEEKDAY_NAMES[weekday]}", published) == expected


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("last November", dt.date(2024, 4, 26), "2023-11"),
        ("last November", dt.date(2024, 11, 15), "2023-11"),  # not the current month
        ("last November", dt.date(2024, 12, 3), "2024-11"),
        ("last November", dt.date(2025, 1, 2), "2024-11"),
        ("next month", dt.date(2024, 4, 26), "2024-05"),
        ("next month", dt.date(2024, 12, 10), "2025-01"),  # across the year boundary
        ("last month", dt.date(2025, 1, 10), "2024-12"),
        ("this month", dt.date(2024, 4, 26), "2024-04"),
        ("in March", dt.date(2024, 4, 26), "2024-03"),  # a month, no invented day
        ("in March", dt.date(2025, 1, 10), "2025-03"),  # the nearest March
        ("next March", dt.date(2024, 3, 20), "2025-03"),
        ("26 April 2024", dt.date(2024, 5, 1), "2024-04-26"),
        ("Friday 26 April 2024", dt.date(2024, 5, 1), "2024-04-26"),
        ("April 26, 2024", dt.date(2024, 5, 1), "2024-04-26"),
        ("26th of April", dt.date(2024, 5, 1), "2024-04-26"),
        ("26 April", dt.date(2024, 5, 1), "2024-04-26"),  # the nearest 26 April
        ("26 April", dt.date(2025, 1, 3), "2025-04-26"),
        ("April 2024", dt.date(2024, 5, 1), "2024-04"),
        ("2024", dt.date(2024, 5, 1), "2024"),
        ("in 2023", dt.date(2024, 5, 1), "2023"),
        ("2024-04-26", dt.date(2024, 5, 1), "2024-04-26"),
        ("yesterday", dt.date(2025, 1, 1), "2024-12-31"),
        ("tomorrow", dt.date(2024, 12, 31), "2025-01-01"),
        ("three days ago", dt.date(2025, 1, 2), "2024-12-30"),
        ("in two weeks", dt.date(2024, 12, 25), "2025-01-08"),
        ("last year", dt.date(2024, 5, 1), "2023"),
        ("next year", dt.date(2024, 5, 1), "2025"),
    ],
)
def test_textual_dates(text: str, published: dt.date, expected: str) -> None:
    assert resolve_date(text, published) == expected


def test_an_announced_bare_month_is_the_next_one() -> None:
    assert resolve_date("in March", dt.date(2024, 4, 26), future=True) == "2025-03"
    assert resolve_date("in March", dt.date(2024, 4, 26), future=False) == "2024-03"


def test_text_that_is_not_a_date_resolves_to_none() -> None:
    published = dt.date(2024, 4, 26)
    assert resolve_date("the summit", published) is None
    assert resolve_date("", published) is None
    assert resolve_date("last week", published) is None  # a week is no ISO partial date


def test_forms_the_own_rules_leave_go_to_dateparser() -> None:
    assert resolve_date("04/26/2024", dt.date(2024, 5, 1)) == "2024-04-26"


def test_find_dates_in_running_text_reads_every_form() -> None:
    text = (
        "Talks held on Tuesday follow the freeze of last November. The envoy returns next "
        "month; a summit may follow in June, as agreed on 3 March 2024. Yesterday he said so."
    )
    found = {f.text: f.values for f in find_dates(text, dt.date(2024, 3, 14))}
    assert found["Tuesday"] == ("2024-03-12", "2024-03-19")  # past and announced readings
    assert found["last November"] == ("2023-11",)
    assert found["next month"] == ("2024-04",)
    assert set(found["June"]) == {"2023-06", "2024-06"}  # either side, for grounding
    assert found["3 March 2024"] == ("2024-03-03",)
    assert found["Yesterday"] == ("2024-03-13",)
    assert "may" not in {t.lower() for t in found}  # the verb is no month


def test_find_dates_offsets_index_the_normalised_text() -> None:
    text = "It\u2019s\u00a0set for\n\n26 April 2024."
    (found,) = list(find_dates(text, None))
    assert found.text == "26 April 2024"
    assert found.values == ("2024-04-26",)


def test_resolve_summary_dates_makes_a_raw_prediction_valid() -> None:
    raw = {
        "dates": [
            {"event": "talks", "date": "Friday"},
            {"event": "visit", "date": "next month", "future": True},
            {"event": "freeze", "date": "2023-11", "text": "last November"},
            {"event": "mystery", "date": "soonish"},
        ]
    }
    fixed = resolve_summary_dates(raw, dt.date(2024, 4, 26))
    assert [d["date"] for d in fixed["dates"]] == ["2024-04-26", "2024-05", "2023-11", "soonish"]
    assert fixed["dates"][0]["text"] == "Friday"
    assert raw["dates"][0]["date"] == "Friday"  # the input is not modified
    fixed["dates"].pop()
    Summary.model_validate(fixed)
