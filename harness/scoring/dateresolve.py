"""Dates written as text ("Friday", "last November", "26 April 2024") as ISO partial dates.

News dates are relative to the publication date and no finer than the text says: "in March"
is a month, not the 26th of March. evalsum's own rules cover the common forms, because the
general-purpose parser gets exactly these wrong (with a base date on a Friday it reads "Friday"
as a week earlier, "last November" as nothing, "in March" as 26 March). dateparser is the
fallback for anything else, imported only when first needed.

Rules, for a publication date P:
- a bare weekday is in the current news week: the latest such day on or before P (on or after
  P when the event is announced as future); "last"/"next" exclude P itself; "this" means P's
  Monday-to-Sunday week.
- a bare month (or day and month) is the nearest occurrence to P (the next one when future, the
  latest one when past); "last November" is the latest November before P's month, "next March"
  the first March after it.
- "yesterday", "N days ago", "last/next/this month|year" resolve at their own granularity.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from harness.summary import date_granularity
from harness.text import normalize_typography

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12,
    "dec": 12,
}  # fmt: skip
WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4, "saturday": 5,
    "sat": 5, "sunday": 6, "sun": 6,
}  # fmt: skip
_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip


@dataclass(frozen=True)
class FoundDate:
    """A date expression found in a text, with every value it can reasonably mean."""

    start: int
    end: int
    text: str
    values: tuple[str, ...]


def _names(table: dict[str, int], capitalised: bool) -> str:
    # Longest first, so "sept" wins over "sep". In running text only capitalised names of four
    # letters or more (and May) count, so "may" the verb and "sun" the star are not dates; the
    # rest of a pattern ("last", "ago") stays case-insensitive.
    names = sorted(table, key=len, reverse=True)
    if capitalised:
        names = [n.capitalize() for n in names if len(n) > 3 or n == "may"]
        return "(?-i:" + "|".join(names) + ")"
    return "|".join(names)


def _iso(year: int, month: int | None = None, day: int | None = None) -> str | None:
    try:
        if day is not None and month is not None:
            return dt.date(year, month, day).isoformat()
    except ValueError:
        return None
    if month is not None:
        return f"{year:04d}-{month:02d}" if 1 <= month <= 12 else None
    return f"{year:04d}" if 1000 <= year <= 9999 else None


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _month_occurrence(month: int, published: dt.date, mode: str) -> list[str]:
    """Candidates for a month without a year, by mode: past|future|nearest|last|next|this|any."""
    base = published.year * 12 + published.month - 1
    options = [
        (y * 12 + month - 1 - base, y)
        for y in (published.year - 1, published.year, published.year + 1)
    ]
    pick: list[tuple[int, int] | None]
    if mode == "last":
        pick = [max((o for o in options if o[0] < 0), default=None)]
    elif mode == "next":
        pick = [min((o for o in options if o[0] > 0), default=None)]
    elif mode == "this":
        pick = [o for o in options if o[1] == published.year]
    elif mode == "past":
        pick = [max((o for o in options if o[0] <= 0), default=None)]
    elif mode == "future":
        pick = [min((o for o in options if o[0] >= 0), default=None)]
    elif mode == "any":
        pick = [o for o in options if -11 <= o[0] <= 11]
    else:  # nearest; a tie goes to the past, as most news reports what happened
        pick = [min(options, key=lambda o: (abs(o[0]), o[0] > 0))]
    return [f"{o[1]:04d}-{month:02d}" for o in pick if o is not None]


def _day_occurrence(month: int, day: int, published: dt.date, mode: str) -> list[str]:
    options = []
    for year in (published.year - 1, published.year, published.year + 1):
        value = _iso(year, month, day)
        if value:
            options.append(((dt.date.fromisoformat(value) - published).days, value))
    if not options:
        return []
    if mode == "past":
        chosen = [max((o for o in options if o[0] <= 0), default=None)]
    elif mode == "future":
        chosen = [min((o for o in options if o[0] >= 0), default=None)]
    elif mode == "any":
        chosen = [o for o in options if abs(o[0]) <= 183]
    else:
        chosen = [min(options, key=lambda o: (abs(o[0]), o[0] > 0))]
    return [o[1] for o in chosen if o is not None]


def _weekday_occurrence(weekday: int, published: dt.date, mode: str) -> list[str]:
    back = (published.weekday() - weekday) % 7
    ahead = (weekday - published.weekday()) % 7
    days: list[int]
    if mode == "last":
        days = [-(back or 7)]
    elif mode == "next":
        days = [ahead or 7]
    elif mode == "this":
        days = [weekday - published.weekday()]
    elif mode == "future":
        days = [ahead]
    elif mode == "any":
        days = sorted({-back, ahead})
    else:  # past, nearest: the news week that ends on the publication day
        days = [-back]
    return [(published + dt.timedelta(days=d)).isoformat() for d in days]


_RELATIVE_DAYS = {
    "today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1,
    "day after tomorrow": 2, "the day after tomorrow": 2,
    "day before yesterday": -2, "the day before yesterday": -2,
}  # fmt: skip
# "three weeks ago" is a computed day, not an invented one; "last week" (a range) is not handled.
_UNIT_DAYS = {"day": 1, "week": 7, "fortnight": 14}
_MODE_WORDS = {
    "last": "last", "past": "last", "previous": "last",
    "next": "next", "coming": "next", "this": "this",
}  # fmt: skip

# How to read a bare weekday or month: past|future|nearest (resolve_date), any (find_dates),
# or last|next|this when the text says so.
Mode = str
Handler = Callable[[re.Match[str], dt.date, Mode], list[str]]


@dataclass(frozen=True)
class _Rule:
    pattern: re.Pattern[str]
    handler: Handler
    relative: bool  # needs the publication date
    needs: tuple[str, ...]  # lower-case strings of which the text must hold one to match
    # Strings of which every match holds one as written (names matched case-sensitively: the
    # capitalised month and weekday names of running text), or None.
    written: tuple[str, ...] | None = None
    # `needs` without those holding another ("january" holds "jan"): the same answer, sooner.
    _tested: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_tested", _shortest(self.needs))
        if self.written is not None:
            object.__setattr__(self, "written", _shortest(self.written))

    def may_match(self, lowered: str) -> bool:
        # A substring test in C is far cheaper than a regex scan of a whole article.
        return any(map(lowered.__contains__, self._tested))


def _shortest(needles: tuple[str, ...]) -> tuple[str, ...]:
    """The needles but those holding another: a text holds one of these iff one of those."""
    return tuple(n for n in needles if not any(m != n and m in n for m in needles))


def _written(table: dict[str, int], capitalised: bool) -> tuple[str, ...] | None:
    """The names `_names` matches case-sensitively (capitalised), as written; else None."""
    if not capitalised:
        return None
    return tuple(n.capitalize() for n in table if len(n) > 3 or n == "may")


def _rules(capitalised: bool) -> list[_Rule]:
    month = _names(MONTHS, capitalised)
    weekday = _names(WEEKDAYS, capitalised)
    mod = r"(?:(?P<mod>last|past|previous|next|coming|this)\s+)?"

    def iso(m: re.Match[str], p: dt.date, mode: str) -> list[str]:
        value = _iso(int(m["y"]), int(m["m"]) if m["m"] else None, int(m["d"]) if m["d"] else None)
        return [value] if value else []

    def day_month_year(m: re.Match[str], p: dt.date, mode: str) -> list[str]:
        value = _iso(int(m["y"]), MONTHS[m["mon"].lower()], int(m["d"]))
        return [value] if value else []

    def month_year(m: re.Match[str], p: dt.date, mode: str) -> list[str]:
        value = _iso(int(m["y"]), MONTHS[m["mon"].lower()])
        return [value] if value else []

    def day_month(m: re.Match[str], p: dt.date, mode: str) -> list[str]:
        return _day_occurrence(MONTHS[m["mon"].lower()], int(m["d"]), p, mode)

    def weekday_rule(m: re.Match[str], p: dt.date, mode: str) -> list[str]:
        word = m["mod"].lower() if m["mod"] else None
        return _weekday_occurrence(WEEKDAYS[m["wd"].lower()], p, _MODE_WORDS.get(word, mode))

    def month_rule(m: re.Match[str], p: dt.date, mode: str) -> list[str]:
        word = m["mod"].lower() if m["mod"] else None
        return _month_occurrence(MONTHS[m["mon"].lower()], p, _MODE_WORDS.get(word, mode))

    def relative_day(m: re.Match[str], p: dt.date, mode: str) -> list[str]:
        offset = _RELATIVE_DAYS[" ".join(m["rel"].lower().split())]
        return [(p + dt.timedelta(days=offset)).isoformat()]

    def days_offset(m: re.Match[str], p: dt.date, mode: str) -> list[str]:
        n = m["n"].lower()
        count = (int(n) if n.isdigit() else _NUMBERS[n]) * _UNIT_DAYS[m["unit"].lower()]
        sign = 1 if m["in"] else -1
        return [(p + dt.timedelta(days=sign * count)).isoformat()]

    def relative_period(m: re.Match[str], p: dt.date, mode: str) -> list[str]:
        delta = {"last": -1, "next": 1, "this": 0}[_MODE_WORDS[m["mod"].lower()]]
        if m["unit"].lower() == "year":
            return [f"{p.year + delta:04d}"]
        year, month_number = _shift_month(p.year, p.month, delta)
        return [f"{year:04d}-{month_number:02d}"]

    def years_ago(m: re.Match[str], p: dt.date, mode: str) -> list[str]:
        n = m["n"].lower()
        return [f"{p.year - (int(n) if n.isdigit() else _NUMBERS[n]):04d}"]

    def year_rule(m: re.Match[str], p: dt.date, mode: str) -> list[str]:
        return [m["y"]]

    numbers = "|".join(sorted(_NUMBERS, key=len, reverse=True))
    table: list[tuple[str, Handler]] = [
        (r"\b(?P<y>\d{4})-(?P<m>0[1-9]|1[0-2])(?:-(?P<d>\d{2}))?\b", iso),
        (rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?\s+(?P<mon>{month})\.?,?\s+(?P<y>\d{{4}})\b",
         day_month_year),
        (rf"\b(?P<mon>{month})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})\b",
         day_month_year),
        (rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?\s+(?P<mon>{month})\b", day_month),
        (rf"\b(?P<mon>{month})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?!\s*\d)", day_month),
        (rf"\b{mod}(?P<wd>{weekday})\b", weekday_rule),
        (rf"\b(?P<mon>{month})\.?,?\s+(?:of\s+)?(?P<y>\d{{4}})\b", month_year),
        (rf"\b{mod}(?P<mon>{month})\b", month_rule),
        (r"\b(?P<rel>(?:the\s+)?day\s+(?:after\s+tomorrow|before\s+yesterday)|today|tonight"
         r"|yesterday|tomorrow)\b", relative_day),
        (rf"\b(?:(?P<in>in)\s+)?(?P<n>\d{{1,3}}|{numbers})\s+(?P<unit>day|week|fortnight)s?"
         r"(?(in)|\s+ago)\b", days_offset),
        (r"\b(?P<mod>last|past|previous|next|coming|this)\s+(?P<unit>month|year)\b",
         relative_period),
        (rf"\b(?P<n>\d{{1,2}}|{numbers})\s+years?\s+ago\b", years_ago),
        (r"(?<![\d$£€.,/-])\b(?P<y>1[89]\d\d|20\d\d)\b(?![\d,./]\d)", year_rule),
    ]  # fmt: skip
    absolute = (iso, day_month_year, month_year, year_rule)
    months = tuple(MONTHS)
    needs: dict[Handler, tuple[str, ...]] = {
        iso: ("-",),
        day_month_year: months,
        month_year: months,
        day_month: months,
        month_rule: months,
        weekday_rule: tuple(WEEKDAYS),
        relative_day: ("today", "tonight", "yesterday", "tomorrow"),
        days_offset: ("day", "week", "fortnight"),
        relative_period: ("month", "year"),
        years_ago: ("ago",),
        year_rule: ("1", "2"),
    }
    written_months, written_weekdays = (
        _written(MONTHS, capitalised),
        _written(WEEKDAYS, capitalised),
    )
    written: dict[Handler, tuple[str, ...] | None] = {
        day_month_year: written_months,
        month_year: written_months,
        day_month: written_months,
        month_rule: written_months,
        weekday_rule: written_weekdays,
    }
    return [
        _Rule(
            re.compile(pattern, re.IGNORECASE),
            handler,
            handler not in absolute,
            needs[handler],
            written.get(handler),
        )
        for pattern, handler in table
    ]


@functools.cache
def _compiled(capitalised: bool) -> list[_Rule]:
    return _rules(capitalised)


def resolve_date(text: str, published: dt.date, *, future: bool | None = None) -> str | None:
    """`text` as an ISO partial date at the granularity it states, or None if not a date.

    `future` says whether the event was announced as still to come (DateMention.future); it
    picks which side of the publication date a bare weekday or month falls on.
    """
    phrase = normalize_typography(text)
    if not phrase:
        return None
    if _is_iso(phrase):
        return phrase
    mode = "nearest" if future is None else "future" if future else "past"
    lowered = phrase.lower()
    for rule in _compiled(False):
        if not rule.may_match(lowered):
            continue
        match = rule.pattern.search(phrase)
        if match:
            values = rule.handler(match, published, mode)
            if values:
                return values[0]
    return _dateparser_fallback(phrase, published, future)


def resolve_summary_dates(raw: Mapping[str, Any], published: dt.date) -> dict[str, Any]:
    """A copy of a raw summary (parsed JSON) with dates written as text made ISO.

    For model output before it is validated as a `Summary`: a `dates[].date` such as "Friday"
    or "last November" is resolved against the publication date (its `future` flag picks the
    side), and the original wording is kept in `text` when that is empty. A value that does not
    resolve is left alone, so validation reports it.
    """
    out = dict(raw)
    dates = raw.get("dates")
    if not isinstance(dates, list):
        return out
    fixed = []
    for entry in dates:
        if isinstance(entry, Mapping) and isinstance(entry.get("date"), str):
            written = entry["date"].strip()
            if not _is_iso(written):
                future = entry.get("future") if isinstance(entry.get("future"), bool) else None
                value = resolve_date(written, published, future=future)
                if value is not None:
                    entry = {**entry, "date": value, "text": entry.get("text") or written}
        fixed.append(entry)
    out["dates"] = fixed
    return out


def _is_iso(text: str) -> bool:
    try:
        date_granularity(text)
    except ValueError:
        return False
    return True


# Every date expression holds a number or one of these words; the rules run only near them.
# Matched in lower-cased text: a case-insensitive scan costs three times as much.
_TRIGGER_WORDS = (
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec", "mon",
    "tue", "wed", "thu", "fri", "sat", "sun", "today", "tonight", "yesterday", "tomorrow", "ago",
    "day", "week", "fortnight", "month", "year",
)  # fmt: skip
_TRIGGER = re.compile(r"\d+|\b(?:" + "|".join(_TRIGGER_WORDS) + ")")
# `_TRIGGER`'s matches, found faster (`_triggers`). A word match starts after a non-word
# character (or at the start), so never touches a digit run or another word match: the two
# kinds are found apart, each by a pattern that opens with a character class the regex
# engine skips ahead to. The words are `_TRIGGER`'s, grouped by first letter; within a group
# none is a prefix of another but "month" of "mon", which matched first and still does.
_TRIGGER_WORDS_GROUPED = (
    r"j(?:an|u[nl])|f(?:eb|ri|ortnight)|m(?:a[ry]|on)|a(?:pr|ug|go)|s(?:ep|at|un)|oct|nov"
    r"|d(?:ec|ay)|t(?:ue|hu|o(?:day|night|morrow))|w(?:ed|eek)|y(?:esterday|ear)"
)
_FIRST_TRIGGER_WORD = re.compile(_TRIGGER_WORDS_GROUPED)  # at the very start
_TRIGGER_WORD = re.compile(r"\W(?:" + _TRIGGER_WORDS_GROUPED + ")")
_DIGITS = re.compile(r"\d\d*")
# The same two in ASCII text, where a character class of ASCII is a fast test.
_ASCII_TRIGGER_WORD = re.compile(r"[^a-zA-Z0-9_](?:" + _TRIGGER_WORDS_GROUPED + ")")
_ASCII_DIGITS = re.compile(r"[0-9][0-9]*")
_REACH = 30  # characters around a trigger that one date expression can span


def _triggers(lowered: str) -> list[tuple[int, int]]:
    """The spans of `_TRIGGER.finditer(lowered)`, in order."""
    if lowered.isascii():
        words, digits = _ASCII_TRIGGER_WORD, _ASCII_DIGITS
    else:
        words, digits = _TRIGGER_WORD, _DIGITS
    spans = [m.span() for m in digits.finditer(lowered)]
    first = _FIRST_TRIGGER_WORD.match(lowered)
    if first:
        spans.append(first.span())
    spans += [(m.start() + 1, m.end()) for m in words.finditer(lowered)]
    spans.sort()
    return spans


def _segments(text: str, lowered: str) -> list[tuple[int, int]]:
    """Stretches of `text` around date triggers, merged, cut only at whitespace."""
    segments: list[tuple[int, int]] = []
    if len(lowered) != len(text):  # a rare character lower-cases to two: offsets would drift
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    for m_start, m_end in _triggers(lowered):
        start, end = max(0, m_start - _REACH), min(len(text), m_end + _REACH)
        if segments and start <= segments[-1][1]:
            segments[-1] = (segments[-1][0], max(end, segments[-1][1]))
        else:
            segments.append((start, end))
    out = []
    for start, end in segments:
        # A regex sees the end of a segment as the end of the text: end it between words.
        while end < len(text) and not text[end].isspace():
            end += 1
        out.append((start, end))
    return out


def _holds(text: str, needles: tuple[str, ...]) -> bool:
    """Whether `text` holds one of `needles`; no needles: no test, True."""
    return not needles or any(map(text.__contains__, needles))


def find_dates(
    text: str, published: dt.date | None, *, normalised: bool = False
) -> Iterator[FoundDate]:
    """Every date expression in running text, with all the values it may mean.

    Meant for grounding: a predicted date is supported when the article can mean it, so an
    ambiguous weekday or month yields both its past and its future reading. Offsets index the
    typography-normalised text (`normalised`: `text` already is).
    """
    if not normalised:
        text = normalize_typography(text)
    lowered = text.lower()
    # A rule's match holds one of its `needs` in lower case, and one of its `written` (if any)
    # as written: each is a literal part of every match. So a segment without one cannot
    # match, and each segment runs only the rules it may match. The lower-case test holds in
    # ASCII text only (elsewhere case-insensitive matching equates "i" with "ı", which lower()
    # leaves alone): other text is tested as a whole, as before.
    ascii_text = text.isascii()
    rules = [
        r
        for r in _compiled(True)
        if not (published is None and r.relative) and (ascii_text or r.may_match(lowered))
    ]
    base = published or dt.date.min  # absolute rules never read it
    # What each rule needs, as (lower-case strings, strings as written); six need a month.
    keys = [(r._tested if ascii_text else (), r.written or ()) for r in rules]
    distinct = list(dict.fromkeys(keys))
    for seg_start, seg_end in _segments(text, lowered):
        taken: list[tuple[int, int]] = []
        segment = text[seg_start:seg_end]
        segment_lowered = lowered[seg_start:seg_end]
        holds = {
            key: _holds(segment_lowered, key[0]) and _holds(segment, key[1]) for key in distinct
        }
        seg_rules = [r for r, key in zip(rules, keys, strict=True) if holds[key]]
        for rule in seg_rules:  # most specific first: a later rule never splits an earlier match
            for match in rule.pattern.finditer(text, seg_start, seg_end):
                start, end = match.span()
                if any(s < end and start < e for s, e in taken):
                    continue
                values = rule.handler(match, base, "any")
                if values:
                    taken.append((start, end))
                    yield FoundDate(start, end, match.group(0), tuple(values))


def _dateparser_fallback(phrase: str, published: dt.date, future: bool | None) -> str | None:
    if not re.search(r"\d|[a-z]{3,}", phrase, re.IGNORECASE):
        return None
    from dateparser.date import DateDataParser  # slow to import and to warm up: leftovers only

    parser = DateDataParser(
        languages=["en"],
        settings={
            # Noon, so "an hour ago" does not fall on the previous day.
            "RELATIVE_BASE": dt.datetime.combine(published, dt.time(12)),
            "PREFER_DATES_FROM": "future" if future else "past",
            "STRICT_PARSING": False,
        },
    )
    data = parser.get_date_data(phrase)
    if data is None or data.date_obj is None:
        return None
    found = data.date_obj.date()
    if data.period in ("day", "time"):
        return found.isoformat()
    if data.period == "month":
        return f"{found.year:04d}-{found.month:02d}"
    if data.period == "year":
        return f"{found.year:04d}"
    return None  # a week has no ISO partial date


__all__ = [
    "MONTHS",
    "WEEKDAYS",
    "FoundDate",
    "find_dates",
    "resolve_date",
    "resolve_summary_dates",
]
