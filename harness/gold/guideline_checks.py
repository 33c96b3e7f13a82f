"""Checks of what gold/README.md's guidelines forbid and the schema cannot see.

- a claim speaker or red-line party/speaker given as an alias ("never an alias"): scoring
  resolves aliases for predictions, but gold must name the canonical participant;
- a date whose `text` does not occur in the article, or occurs only in a photo caption
  ("the date phrase as written"; captions are never annotated);
- two date entries for the same event ("one entry per distinct event");
- a role found in the article only inside a photo caption ("roles come from the text").

Photo captions are told by the credit they end with ("(Reuters)", "– AFP", "Photograph:
...", ".../Photo"): an article's caption without a credit cannot be told from body text, so
these checks miss it rather than flag body text.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from pathlib import Path

from harness.gold.corpus import SUMMARY_FILE, GoldArticle
from harness.gold.problems import Problem, json_path
from harness.text import normalize_typography

# A line ending with a photo credit: "(via Reuters)", "(Getty)", "– REUTERS / LEAH MILLIS",
# "Photograph: AP", "Reuters/Photo".
_CREDIT = re.compile(
    r"(\((?:via |photo: ?|image: ?)?[A-Z][\w .&/'-]{1,40}\)"
    r"|\s[-–—]\s*[A-Z][A-Z .&/'-]{1,40}"
    r"|\b(?:Photograph|Photo|Picture|Image|Credit)s?:\s*[^.]{1,60}"
    r"|\w/Photo)\s*$"
)
# Events of one date at least this similar (difflib's ratio of their sorted words, 0-1) are
# taken for one event. difflib, not rapidfuzz: `evalsum validate` stays light to start.
SAME_EVENT_SIMILARITY = 0.9


def _fold(text: str) -> str:
    return normalize_typography(text).casefold()


def caption_lines(text: str) -> list[str]:
    """The lines of `text` that end with a photo credit."""
    return [line for line in text.splitlines() if line.strip() and _CREDIT.search(line.strip())]


def body_text(text: str) -> str:
    """The article without its photo captions, folded for matching."""
    captions = set(caption_lines(text))
    return _fold("\n".join(line for line in text.splitlines() if line not in captions))


def guideline_problems(folder: Path, article: GoldArticle) -> list[Problem]:
    summary_file = str(folder / SUMMARY_FILE)
    found: list[Problem] = []

    def problem(parts: list[str | int], message: str) -> None:
        found.append(Problem(file=summary_file, path=json_path(parts), message=message))

    _aliases_as_names(article, problem)
    _date_problems(article, problem)
    _roles_from_captions(article, problem)
    return found


Report = Callable[[list[str | int], str], None]


def _aliases_as_names(article: GoldArticle, problem: Report) -> None:
    summary = article.summary
    names = {_fold(p.name) for p in summary.participants}
    alias_of = {
        _fold(alias): p.name
        for p in summary.participants
        for alias in p.aliases
        if _fold(alias) not in names
    }

    def check(parts: list[str | int], ref: str | None, what: str) -> None:
        if ref is not None and _fold(ref) in alias_of:
            problem(
                parts,
                f"{what} {ref!r} is an alias of {alias_of[_fold(ref)]!r}: gold names "
                "participants by their canonical name, never an alias",
            )

    for i, claim in enumerate(summary.claims):
        check(["claims", i, "speaker"], claim.speaker, "speaker")
    for i, line in enumerate(summary.red_lines):
        check(["red_lines", i, "party"], line.party, "party")
        check(["red_lines", i, "speaker"], line.speaker, "speaker")


def _date_problems(article: GoldArticle, problem: Report) -> None:
    whole, body = _fold(article.text), body_text(article.text)
    dates = article.summary.dates
    for i, mention in enumerate(dates):
        if mention.text is None:
            continue
        phrase = _fold(mention.text)
        if phrase not in whole:
            problem(
                ["dates", i, "text"],
                f"date text {mention.text!r} does not occur in article.txt; copy the date "
                "phrase as the article writes it",
            )
        elif phrase not in body:
            problem(
                ["dates", i, "text"],
                f"date text {mention.text!r} occurs only in a photo caption; captions are "
                "never annotated",
            )
    for i, later in enumerate(dates):
        for j in range(i):
            earlier = dates[j]
            same = _fold(earlier.event) == _fold(later.event) or (
                earlier.date == later.date
                and _similarity(earlier.event, later.event) >= SAME_EVENT_SIMILARITY
            )
            if same:
                problem(
                    ["dates", i, "event"],
                    f"the same event as $.dates[{j}] ({earlier.event!r}); give each event "
                    "one entry",
                )
                break


def _similarity(a: str, b: str) -> float:
    words = [" ".join(sorted(re.findall(r"\w+", _fold(x)))) for x in (a, b)]
    return difflib.SequenceMatcher(None, *words).ratio()


def _roles_from_captions(article: GoldArticle, problem: Report) -> None:
    body = body_text(article.text)
    captions = [_fold(line) for line in caption_lines(article.text)]
    for i, participant in enumerate(article.summary.participants):
        role = participant.role
        if role is None:
            continue
        folded = _fold(role)
        if folded not in body and any(folded in line for line in captions):
            problem(
                ["participants", i, "role"],
                f"role {role!r} occurs only in a photo caption; take roles from the article's body",
            )


__all__ = ["SAME_EVENT_SIMILARITY", "body_text", "caption_lines", "guideline_problems"]
