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


@gold.command("agreement")
@gold_option
@click.option(
    "--check",
    is_flag=True,
    help="Write nothing; exit 1 if AGREEMENT.md is not what the annotations give (for CI).",
)
def agreement(gold_dir: Path, check: bool) -> None:
    """Measure inter-annotator agreement per field and write it to <gold>/AGREEMENT.md.

    Articles with a second.json are double-annotated: the second annotation is scored as a
    prediction against the first (before adjudication: first.json when present) and against
    the gold summary.json (after adjudication)."""
    from harness.errors import InputError
    from harness.gold import load_corpus
    from harness.gold.agreement import AGREEMENT_FILE, measure, render_markdown

    corpus = load_corpus(gold_dir)
    result = measure(gold_dir, corpus.articles)
    if result is None:
        raise InputError(
            f"no double-annotated article in {gold_dir.resolve()} (an article folder with a "
            "second.json)"
        )
    text = render_markdown(result, len(corpus.articles))
    target = gold_dir / AGREEMENT_FILE
    for name in result.after:
        before, after = result.before[name].f1, result.after[name].f1
        click.echo(
            f"{name:<13} before {'n/a' if before is None else f'{before:.3f}'}  "
            f"after {'n/a' if after is None else f'{after:.3f}'}"
        )
    if check:
        current = target.read_text(encoding="utf-8") if target.is_file() else None
        if current != text:
            click.echo(
                f"{target} is out of date: run evalsum gold agreement --gold {gold_dir}", err=True
            )
            raise SystemExit(1)
        click.echo(f"{target} is up to date ({len(result.articles)} double-annotated articles)")
        return
    target.write_text(text, encoding="utf-8")
    click.echo(f"wrote {target} ({len(result.articles)} double-annotated articles)")
