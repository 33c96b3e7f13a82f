"""`evalsum compare`: two reports side by side, with honest uncertainty."""

from __future__ import annotations

from pathlib import Path

import click

from harness.errors import EXIT_FINDINGS


@click.command()
@click.argument("a", type=click.Path(path_type=Path))
@click.argument("b", type=click.Path(path_type=Path))
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    help="Where compare.json and compare.html go [default: reports/compare/A__vs__B].",
)
@click.option(
    "--fail-on-regression",
    is_flag=True,
    help="Exit 1 when a field's F1 drops by more than --threshold (confirmed or not) or drops "
    "significantly; the output names each field it acts on and why.",
)
@click.option(
    "--threshold",
    type=click.FloatRange(0, 1),
    default=0.01,
    show_default=True,
    help="Largest F1 drop that is not a regression.",
)
@click.option(
    "--resamples",
    type=click.IntRange(100, 100_000),
    default=2000,
    show_default=True,
    help="Bootstrap resamples.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Bootstrap seed.")
def compare(
    a: Path,
    b: Path,
    out: Path | None,
    fail_on_regression: bool,
    threshold: float,
    resamples: int,
    seed: int,
) -> None:
    """Compare report B against report A (reports or run folders), field by field."""
    from harness.report.compare_io import write_comparison

    result, folder = write_comparison(
        a, b, out=out, threshold=threshold, resamples=resamples, seed=seed
    )
    from harness.report.compare import render_table

    click.echo(render_table(result, fail_on_regression=fail_on_regression))
    click.echo(str(folder))
    if fail_on_regression and result.regression:
        fields = ", ".join(f"{f.field} ({f.verdict})" for f in result.fields if f.regression)
        click.echo(f"regression: {fields} (threshold {threshold})", err=True)
        raise SystemExit(EXIT_FINDINGS)
