"""`evalsum scorer-check`: how often the scorer's decisions agree with a careful reader's."""

from __future__ import annotations

from pathlib import Path

import click

from harness.cli.options import gold_option
from harness.errors import EXIT_FINDINGS


@click.command("scorer-check")
@click.option(
    "--set",
    "set_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("meta-eval"),
    show_default=True,
    help="Meta-evaluation set: <article-id>/<style>.json answers with <style>.align.json.",
)
@gold_option
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("reports/scorer-check.json"),
    show_default=True,
    help="Where the JSON result goes.",
)
@click.option("--min-agreement", type=click.FloatRange(0, 1), default=0.97, show_default=True)
@click.option("--max-f1-gap", type=click.FloatRange(0, 1), default=0.03, show_default=True)
@click.option("--fail-under-floors", is_flag=True, help="Exit 1 when a floor is not met (for CI).")
def scorer_check(
    set_dir: Path,
    gold_dir: Path,
    out: Path,
    min_agreement: float,
    max_f1_gap: float,
    fail_under_floors: bool,
) -> None:
    """Score every aligned answer of the set and compare each decision with the person's.

    Prints per field the share of decisions that agree, missed and false matches, wrong
    partners and labels, human vs evalsum F1 per answer style, and whether the styles rank as
    the reader ranks them; every disagreement, with the scorer's reason, is in the JSON."""
    from harness.metaeval import Floors, check_case, load_set, render_table, summarise

    cases = load_set(set_dir, gold_dir)
    floors = Floors(min_agreement=min_agreement, max_f1_gap=max_f1_gap)
    result = summarise([check_case(case) for case in cases], floors)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(result.model_dump_json(indent=2) + "\n", encoding="utf-8")
    for line in render_table(result):
        click.echo(line)
    click.echo(str(out))
    if fail_under_floors and not result.passed:
        raise SystemExit(EXIT_FINDINGS)
