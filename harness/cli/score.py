"""`evalsum score`: score summaries produced outside evalsum."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from harness.cli.options import (
    articles_option,
    gold_option,
    out_option,
    parse_ids,
)
from harness.errors import EXIT_FINDINGS

# Missing predictions named on stderr, at most this many (the report lists them all).
_NAMED = 20


@click.command()
@click.option(
    "--predictions",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="Folder with one <article-id>.json summary per article; its name labels the run.",
)
@gold_option
@out_option
@articles_option
@click.option("--no-cache", is_flag=True, help="Neither read nor write the score cache.")
@click.option(
    "--cache-dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Score (and judge) cache folder [default: $EVALSUM_CACHE_DIR or .evalsum-cache].",
)
@click.option("--judge", help="Also judge claim content with this model (e.g. mock/judge).")
def score(
    predictions: Path,
    gold_dir: Path,
    out: Path,
    articles: str | None,
    no_cache: bool,
    cache_dir: Path | None,
    judge: str | None,
) -> None:
    """Score external predictions against gold; writes a run folder with report.json."""
    from harness.report.external import score_predictions
    from harness.report.terminal import render_scored

    result = score_predictions(
        predictions,
        gold_dir,
        out,
        command_line=sys.argv,
        judge=judge,
        articles=parse_ids(articles),
        cache=not no_cache,
        cache_dir=cache_dir,
    )
    for stem in result.unknown:
        click.echo(
            f"warning: {predictions / (stem + '.json')}: no gold article {stem!r}; not scored",
            err=True,
        )
    if result.missing:
        named = ", ".join(result.missing[:_NAMED])
        more = len(result.missing) - _NAMED
        click.echo(
            f"warning: no prediction for {len(result.missing)} gold article(s): {named}"
            + (f" (+{more} more)" if more > 0 else "")
            + f"; each scores as an empty prediction (expected {predictions}/<article-id>.json)",
            err=True,
        )
    click.echo(
        render_scored(
            result.report,
            result.folder,
            files=result.files,
            missing=result.missing,
            unknown=result.unknown,
            scores_reused=result.scores_reused,
            unusable=result.unusable,
        )
    )
    click.echo(str(result.folder))
    if result.unknown or result.report.errors:
        raise SystemExit(EXIT_FINDINGS)
