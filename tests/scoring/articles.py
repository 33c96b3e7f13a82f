"""A hand-made article with a hand-made gold summary, for scorer tests.

Fictional on purpose: the scorer must not know any real article. The gold is rich enough for
every perturbation: aliases, two people sharing a surname (Lin Ho, Lin Pei), dates at day,
month and future granularity, quoted and unquoted claims, red lines.
"""

from __future__ import annotations

import datetime as dt

from harness.scoring import ArticleScore, ClaimJudge, FieldScore, ScoringConfig, score_article
from harness.summary import Claim, DateMention, Participant, RedLine, Summary

PUBLISHED = dt.date(2024, 3, 14)  # a Thursday

TEXT = """Veloria and Norland agree to resume talks, but Veloria warns over the Strait

Thursday 14 March 2024

Velorian president Marta Kell met Norland’s foreign secretary Tom Ashby in Port Sela on \
Tuesday, the first visit by a Norland minister since the two countries froze relations last \
November.

“We are ready to turn the page, but the Strait is not negotiable,” Ms Kell said.

Mr Ashby said Norland would reopen its embassy in Port Sela next month and that the two sides \
had agreed to hold a trade summit in June.

Velorian foreign minister Lin Ho told reporters that Norland must stop sending warships \
through the Strait. “There is no room to compromise on the Strait,” he said.

Deputy minister Lin Pei, who attended the talks, said Veloria would not join the \
Norland-led sanctions against Castoria.

Norland’s defence ministry said on Wednesday that it had no plans to change its naval patrols.
"""


def gold_summary() -> Summary:
    return Summary(
        participants=[
            Participant(
                name="Marta Kell",
                aliases=["Ms Kell", "the Velorian president"],
                kind="person",
                role="President of Veloria",
                affiliation="Veloria",
            ),
            Participant(
                name="Tom Ashby",
                aliases=["Mr Ashby"],
                kind="person",
                role="Foreign Secretary",
                affiliation="Norland",
            ),
            Participant(
                name="Lin Ho",
                kind="person",
                role="Foreign Minister",
                affiliation="Veloria",
            ),
            Participant(
                name="Lin Pei",
                kind="person",
                role="Deputy Minister",
                affiliation="Veloria",
            ),
            Participant(name="Veloria", aliases=["Port Sela"], kind="country"),
            Participant(name="Norland", kind="country"),
        ],
        dates=[
            DateMention(
                event="Marta Kell meets Tom Ashby in Port Sela", date="2024-03-12", text="Tuesday"
            ),
            DateMention(
                event="Veloria and Norland froze relations", date="2023-11", text="last November"
            ),
            DateMention(
                event="Norland reopens its embassy in Port Sela",
                date="2024-04",
                text="next month",
                future=True,
            ),
            DateMention(
                event="trade summit between the two sides",
                date="2024-06",
                text="in June",
                future=True,
            ),
            DateMention(
                event="Norland defence ministry statement on naval patrols",
                date="2024-03-13",
                text="on Wednesday",
            ),
        ],
        claims=[
            Claim(
                speaker="Marta Kell",
                claim="Veloria is ready to turn the page with Norland",
                quote="We are ready to turn the page",
            ),
            Claim(speaker="Tom Ashby", claim="Norland will reopen its embassy in Port Sela"),
            Claim(
                speaker="Tom Ashby",
                claim="The two sides agreed to hold a trade summit in June",
            ),
            Claim(
                speaker="Lin Ho",
                claim="Norland must stop sending warships through the Strait",
            ),
            Claim(
                speaker="Lin Pei",
                claim="Veloria will not join the Norland-led sanctions against Castoria",
            ),
        ],
        red_lines=[
            RedLine(
                party="Veloria",
                issue="the Strait",
                position="The Strait is not negotiable",
                speaker="Marta Kell",
                quote="the Strait is not negotiable",
            ),
            RedLine(
                party="Veloria",
                issue="Norland warships in the Strait",
                position="Norland must stop sending warships through the Strait",
                speaker="Lin Ho",
                quote="There is no room to compromise on the Strait",
            ),
            RedLine(
                party="Norland",
                issue="naval patrols",
                position="Norland will not change its naval patrols",
            ),
        ],
    )


def score(
    pred: Summary | None,
    gold: Summary | None = None,
    *,
    text: str | None = TEXT,
    published: dt.date | None = PUBLISHED,
    config: ScoringConfig | None = None,
    judge: ClaimJudge | None = None,
) -> ArticleScore:
    """Score `pred` against the fixture's gold (or `gold`) with the fixture's text and date."""
    return score_article(
        gold_summary() if gold is None else gold,
        pred,
        article_id="veloria-talks",
        text=text,
        published=published,
        config=config,
        judge=judge,
    )


def labels(field: FieldScore, side: str) -> dict[int, str]:
    """Index -> label for one side of a field's explanations."""
    return {e.index: e.label for e in field.explanations if e.side == side}
