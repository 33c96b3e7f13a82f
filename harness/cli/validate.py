"""`evalsum validate`: check the gold corpus."""

from __future__ import annotations

from pathlib import Path

import click

from harness.cli.options import gold_option
from harness.errors import EXIT_FINDINGS


@click.command()
@gold_option
def validate(gold_dir: Path) -> None:
    """Check every gold file against the schema and against its article text."""
    from harness.gold import validate_corpus

    count, problems = validate_corpus(gold_dir)
    for problem in problems:
        click.echo(str(problem))
    if problems:
        # Problems name their file; an article is its folder (a corpus-level problem, such
        # as an empty gold folder, names the gold folder itself).
        folders = {Path(p.file).parent if Path(p.file).suffix else Path(p.file) for p in problems}
        click.echo(f"{len(problems)} problem(s) in {len(folders)} of {count} article(s)", err=True)
        raise SystemExit(EXIT_FINDINGS)
    click.echo(f"ok: {count} article(s) in {gold_dir} are valid")
