"""`evalsum report`: rebuild a run's report from its journal, calling no model."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.argument("run_dir", type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--gold",
    "gold_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Gold corpus to score against [default: the run's].",
)
@click.option("--judge", help="Judge claims with this model [default: the run's --judge].")
def report(run_dir: Path, gold_dir: Path | None, judge: str | None) -> None:
    """Re-score RUN_DIR (after a gold or scorer change) and rewrite its reports."""
    from harness.report.build import rebuild_report

    result, warnings = rebuild_report(run_dir, gold_dir, judge)
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
    overall = result.overall.micro
    click.echo(f"overall score: {overall:.3f}" if overall is not None else "overall score: n/a")
    click.echo(str(run_dir))
