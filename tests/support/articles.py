"""Hand-made gold articles for provider tests: small, varied, and rich enough that every
mock perturbation has something to act on."""

from __future__ import annotations

import datetime as dt

from harness.gold import GoldArticle
from harness.summary import ArticleMeta, Claim, DateMention, Participant, RedLine, Summary


def _meta(article_id: str, title: str, published: dt.date) -> ArticleMeta:
    return ArticleMeta(id=article_id, title=title, publisher="Test Wire", published=published)


GENEVA = GoldArticle(
    meta=_meta("geneva-talks", "Leaders meet in Geneva", dt.date(2024, 6, 3)),
    text=(
        "Leaders meet in Geneva\n\n"
        "Foreign minister Jane Roe of Ruritania met Freedonia’s envoy John Doe in Geneva on "
        "Monday, the first meeting between the two governments since the border clashes.\n"
        "“We will never accept a blockade of the strait,” Ms Roe told reporters after the "
        "three-hour meeting, adding that shipping must remain free for all nations.\n"
        "Mr Doe said the talks would continue next month and that Freedonia had no intention "
        "of closing the waterway.\n"
    ),
    summary=Summary(
        participants=[
            Participant(
                name="Jane Roe",
                aliases=["Ms Roe"],
                kind="person",
                role="Foreign Minister",
                affiliation="Ruritania",
            ),
            Participant(
                name="John Doe",
                aliases=["Mr Doe"],
                kind="person",
                role="Envoy",
                affiliation="Freedonia",
            ),
            Participant(name="Ruritania", kind="country"),
            Participant(name="Freedonia", aliases=["Freedonia’s"], kind="country"),
        ],
        dates=[
            DateMention(event="Roe meets Doe in Geneva", date="2024-06-03", text="on Monday"),
            DateMention(event="talks continue", date="2024-07", text="next month", future=True),
        ],
        claims=[
            Claim(
                speaker="Jane Roe",
                claim="Ruritania will never accept a blockade of the strait",
                quote="We will never accept a blockade of the strait",
            ),
            Claim(speaker="John Doe", claim="Freedonia does not intend to close the waterway"),
        ],
        red_lines=[
            RedLine(
                party="Ruritania",
                issue="the strait",
                position="no blockade of the strait",
                speaker="Jane Roe",
                quote="We will never accept a blockade of the strait",
            )
        ],
    ),
)

SUMMIT = GoldArticle(
    meta=_meta("trade-summit", "Trade summit ends without deal", dt.date(2024, 3, 15)),
    text=(
        "Trade summit ends without deal\n\n"
        "Ministers from the Northern League and the Southern Compact ended two days of talks in "
        "Lisbon on Friday without agreeing on tariffs for steel and aluminium.\n"
        "Commissioner Ana Lima said the League would not lower its tariffs while subsidies "
        "continued, calling them “a line we cannot cross”.\n"
        "The Compact’s chief negotiator, Omar Haddad, said his side would table a new offer "
        "in April.\n"
    ),
    summary=Summary(
        participants=[
            Participant(name="Northern League", aliases=["the League"], kind="organisation"),
            Participant(name="Southern Compact", aliases=["the Compact"], kind="organisation"),
            Participant(
                name="Ana Lima",
                aliases=["Commissioner Ana Lima"],
                kind="person",
                role="Commissioner",
                affiliation="Northern League",
            ),
            Participant(
                name="Omar Haddad",
                kind="person",
                role="chief negotiator",
                affiliation="Southern Compact",
            ),
        ],
        dates=[
            DateMention(event="talks in Lisbon end", date="2024-03-15", text="on Friday"),
            DateMention(event="new offer tabled", date="2024-04", text="in April", future=True),
        ],
        claims=[
            Claim(
                speaker="Ana Lima",
                claim="the League will not lower its tariffs while subsidies continue",
            ),
            Claim(speaker="Omar Haddad", claim="the Compact will table a new offer in April"),
        ],
        red_lines=[
            RedLine(
                party="Northern League",
                issue="steel and aluminium tariffs",
                position="no lower tariffs while subsidies continue",
                speaker="Ana Lima",
                quote="a line we cannot cross",
            )
        ],
    ),
)

ARTICLES: tuple[GoldArticle, ...] = (GENEVA, SUMMIT)


def filler_articles(count: int) -> list[GoldArticle]:
    """Distinct articles with empty summaries, to make the corpus large."""
    return [
        GoldArticle(
            meta=_meta(f"filler-{i:04d}", f"Filler {i}", dt.date(2024, 1, 1)),
            text=" ".join(
                f"Filler article {i} sentence {j} mentions delegation {i * 7 + j}."
                for j in range(40)
            ),
            summary=Summary(),
        )
        for i in range(count)
    ]


def prompt_for(article: GoldArticle, preamble: str = "Extract the structured summary.") -> str:
    """A user message as a prompt template would render it: the article inside other text."""
    return (
        f"{preamble}\n\nArticle (published {article.meta.published}):\n<article>\n"
        f"{article.text}\n</article>"
    )


__all__ = ["ARTICLES", "GENEVA", "SUMMIT", "filler_articles", "prompt_for"]
