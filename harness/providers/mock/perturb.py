"""The errors mock/noisy makes: small, independent edits of a gold summary.

Each perturbation is a function that edits a summary in place with its own RNG and says
whether it applied (it may not: no day-precise date to shift, no second participant to swap
in). Adding an error type is adding one function to PERTURBATIONS. Each gets an RNG of its
own, so adding one does not change what the others do for the same seed.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from harness.providers.mock.seeding import seeded_rng
from harness.summary import Claim, Participant, Summary, date_granularity, earliest_day

Perturbation = Callable[[Summary, random.Random], bool]

_FIELDS = ("participants", "dates", "claims", "red_lines")
_INVENTED_CLAIMS = (
    "the talks had been postponed indefinitely",
    "sanctions would be lifted by the end of the year",
    "a joint communique was already agreed",
)


def _labels(summary: Summary, label: str) -> set[str]:
    """Every name of the participant `label` refers to (itself if it matches none)."""
    for p in summary.participants:
        names = {p.name, *p.aliases}
        if label in names:
            return names
    return {label}


def _others(summary: Summary, label: str) -> list[str]:
    same = _labels(summary, label)
    return sorted(p.name for p in summary.participants if not same & {p.name, *p.aliases})


def drop_item(summary: Summary, rng: random.Random) -> bool:
    fields = [f for f in _FIELDS if getattr(summary, f)]
    if not fields:
        return False
    items = getattr(summary, rng.choice(fields))
    del items[rng.randrange(len(items))]
    return True


def invent_item(summary: Summary, rng: random.Random) -> bool:
    if rng.random() < 0.5 or not summary.participants:
        summary.participants.append(
            Participant(name="Alex Invented", kind="person", role="Spokesperson")
        )
    else:
        speaker = rng.choice(summary.participants).name
        summary.claims.append(Claim(speaker=speaker, claim=rng.choice(_INVENTED_CLAIMS)))
    return True


def shift_date(summary: Summary, rng: random.Random) -> bool:
    days = [d for d in summary.dates if date_granularity(d.date) == "day"]
    if not days:
        return False
    mention = rng.choice(days)
    mention.date = (earliest_day(mention.date) + dt.timedelta(days=rng.choice((-1, 1)))).isoformat()
    return True


def coarsen_date(summary: Summary, rng: random.Random) -> bool:
    fine = [d for d in summary.dates if date_granularity(d.date) != "year"]
    if not fine:
        return False
    mention = rng.choice(fine)
    mention.date = mention.date.rsplit("-", 1)[0]
    return True


def swap_speaker(summary: Summary, rng: random.Random) -> bool:
    candidates = [c for c in summary.claims if _others(summary, c.speaker)]
    if not candidates:
        return False
    claim = rng.choice(candidates)
    claim.speaker = rng.choice(_others(summary, claim.speaker))
    return True


def negate_claim(summary: Summary, rng: random.Random) -> bool:
    if not summary.claims:
        return False
    claim = rng.choice(summary.claims)
    claim.claim = f"it is not the case that {claim.claim[:1].lower()}{claim.claim[1:]}"
    return True


def swap_red_line_party(summary: Summary, rng: random.Random) -> bool:
    candidates = [r for r in summary.red_lines if _others(summary, r.party)]
    if not candidates:
        return False
    red_line = rng.choice(candidates)
    red_line.party = rng.choice(_others(summary, red_line.party))
    return True


PERTURBATIONS: tuple[Perturbation, ...] = (
    drop_item,
    invent_item,
    shift_date,
    coarsen_date,
    swap_speaker,
    negate_claim,
    swap_red_line_party,
)


def perturb(summary: Summary, rate: float, *seed: object) -> tuple[Summary, list[str]]:
    """A perturbed copy of `summary` and the names of the perturbations applied.

    Each perturbation fires with probability `rate`, decided by an RNG seeded by `seed` and
    its own name, so the result is a pure function of (summary, rate, seed).
    """
    noisy = summary.model_copy(deep=True)
    applied: list[str] = []
    for perturbation in PERTURBATIONS:
        rng = seeded_rng(*seed, perturbation.__name__)
        if rng.random() < rate and perturbation(noisy, rng):
            applied.append(perturbation.__name__)
    return noisy, applied


__all__ = [
    "PERTURBATIONS",
    "Perturbation",
    "coarsen_date",
    "drop_item",
    "invent_item",
    "negate_claim",
    "perturb",
    "shift_date",
    "swap_red_line_party",
    "swap_speaker",
]
