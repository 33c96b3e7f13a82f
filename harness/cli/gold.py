"""`evalsum gold ...`: manage the gold corpus."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from harness.cli.options import gold_option


@click.group()
def gold() -> None:
    """Manage gold articles."""


@gold.command("new")
@click.argument("article", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option(
    "--published",
    required=True,
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Publication date (YYYY-MM-DD); relative dates in the text resolve against it.",
)
@click.option("--id", "article_id", help="Article id (default: derived from the file name).")
@click.option("--title", help="Headline (default: the text's first line).")
@click.option("--publisher", help="Publisher (default: 'unknown').")
@gold_option
def new(
    article: Path,
    published: dt.datetime,
    article_id: str | None,
    title: str | None,
    publisher: str | None,
    gold_dir: Path,
) -> None:
    """Scaffold gold/<id>/ from ARTICLE (a UTF-8 text file) with an empty summary to annotate."""
    from harness.gold.scaffold import scaffold_article

    folder = scaffold_article(
        article, gold_dir, published.date(), article_id, title=title, publisher=publisher
    )
    click.echo(f"created {folder}/")
    # The hint repeats the --gold it was given, so that it can be pasted as it is.
    validate = "evalsum validate" + ("" if gold_dir == Path("gold") else f" --gold {gold_dir}")
    click.echo(
        f"  next: check {folder}/meta.json, annotate {folder}/summary.json "
        f"(guidelines: gold/README.md), then run: {validate}"
    )
