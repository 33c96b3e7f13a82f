"""`evalsum score`: score summaries produced outside evalsum."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from harness.cli.options import gold_option, out_option
from harness.errors import EXIT_FINDINGS


@click.command()
@click.option(
    "--predictions",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="Folder with one <article-id>.json summary per article.",
)
@gold_option
@out_option
@click.option("--judge", help="Also judge claim content with this model (e.g. mock/judge).")
def score(predictions: Path, gold_dir: Path, out: Path, judge: str | None) -> None:
    """Score external predictions against gold; writes a run folder with report.json."""
    from harness.report.external import score_predictions

    folder, report, unknown = score_predictions(predictions, gold_dir, out, command_line=sys.argv)
    for stem in unknown:
        click.echo(
            f"warning: {predictions / (stem + '.json')}: no gold article {stem!r}; not scored",
            err=True,
        )
    overall = report.overall.micro
    click.echo(f"overall score: {overall:.3f}" if overall is not None else "overall score: n/a")
    click.echo(str(folder))
    if unknown or report.errors:
        raise SystemExit(EXIT_FINDINGS)
