"""The structured summary of one article: what gold files hold and what models are asked for.

The same models describe gold annotations and model output, so a prediction can be scored
field by field against gold. Field order is part of the format (it is the order of the
exported JSON Schema and of every file evalsum writes).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

# ISO 8601 at its true granularity: a year, a month or a day. Nothing finer, because news
# articles rarely date events to the hour and gold should not pretend they do.
ISO_PARTIAL_DATE = r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"
_ISO_PARTIAL_RE = re.compile(ISO_PARTIAL_DATE)

ARTICLE_ID = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$"

ParticipantKind = Literal["person", "country", "organisation"]
Granularity = Literal["year", "month", "day"]


class _Record(BaseModel):
    # Gold is hand-written: an unknown key is far more likely a typo than a new field.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Participant(_Record):
    name: str = Field(min_length=1, description="Canonical name, e.g. 'Xi Jinping'.")
    aliases: list[str] = Field(
        default_factory=list,
        description="Every other surface form the article uses: 'Mr Xi', 'the Chinese president'.",
    )
    kind: ParticipantKind = Field(description="person, country or organisation.")
    role: str | None = Field(default=None, description="Role or title, e.g. 'President of China'.")
    affiliation: str | None = Field(
        default=None,
        description="Country or organisation the participant belongs to or speaks for.",
    )


class DateMention(_Record):
    event: str = Field(min_length=1, description="What happened (or will happen) on that date.")
    date: str = Field(
        pattern=ISO_PARTIAL_DATE,
        description="ISO 8601 at its true granularity: '2024-04-26', '2023-11' or '2024'.",
    )
    text: str | None = Field(
        default=None, description="The date as the article writes it: 'on Friday', 'last November'."
    )
    future: bool = Field(
        default=False,
        description="True when the article announces the event as still to come.",
    )


class Claim(_Record):
    speaker: str = Field(min_length=1, description="Who said it: a participant's name or alias.")
    claim: str = Field(min_length=1, description="What was said, in plain words.")
    quote: str | None = Field(
        default=None, description="The verbatim quote when the article quotes it, else null."
    )


class RedLine(_Record):
    party: str = Field(min_length=1, description="Who draws the line: a participant.")
    issue: str = Field(min_length=1, description="What it is about, e.g. 'Taiwan'.")
    position: str = Field(min_length=1, description="What must not be crossed, in plain words.")
    speaker: str | None = Field(default=None, description="Who voiced it, when a person is named.")
    quote: str | None = Field(default=None, description="The verbatim quote when quoted.")


class Summary(_Record):
    """An article's structured summary: the gold annotation, and what a model must return."""

    # The four lists are required in the published schema (what gold is checked against and
    # what models receive), so a grammar-constrained model cannot leave one out; the defaults
    # only serve Python callers building a Summary piece by piece.
    model_config = ConfigDict(
        json_schema_extra={"required": ["participants", "dates", "claims", "red_lines"]}
    )

    participants: list[Participant] = Field(default_factory=list)
    dates: list[DateMention] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    red_lines: list[RedLine] = Field(default_factory=list)


class ArticleMeta(_Record):
    """What is known about an article besides its text; stored beside the text in gold."""

    id: str = Field(pattern=ARTICLE_ID, description="Unique id; equals the article's folder name.")
    title: str = Field(min_length=1)
    publisher: str = Field(min_length=1)
    published: dt.date = Field(
        description="Publication date (YYYY-MM-DD); relative dates resolve against it."
    )
    author: str | None = None
    source: str | None = Field(default=None, description="Where the text came from (URL or note).")
    notes: str | None = None


def date_granularity(value: str) -> Granularity:
    """The granularity of an ISO partial date; raises ValueError for anything else."""
    if not _ISO_PARTIAL_RE.match(value):
        raise ValueError(f"not an ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD): {value!r}")
    return ("year", "month", "day")[value.count("-")]


def earliest_day(value: str) -> dt.date:
    """The first calendar day an ISO partial date can mean; validates the day exists."""
    granularity = date_granularity(value)
    parts = [int(p) for p in value.split("-")]
    if granularity == "year":
        return dt.date(parts[0], 1, 1)
    if granularity == "month":
        return dt.date(parts[0], parts[1], 1)
    return dt.date(parts[0], parts[1], parts[2])


__all__ = [
    "ARTICLE_ID",
    "ISO_PARTIAL_DATE",
    "ArticleMeta",
    "Claim",
    "DateMention",
    "Granularity",
    "Participant",
    "ParticipantKind",
    "RedLine",
    "Summary",
    "date_granularity",
    "earliest_day",
]
