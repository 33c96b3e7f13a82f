"""`evalsum init`: start a project in a folder of its own."""

from __future__ import annotations

import shlex
from pathlib import Path

import click


@click.command()
@click.argument(
    "folder", type=click.Path(path_type=Path, file_okay=False), default=Path("."), required=False
)
@click.option("--force", is_flag=True, help="Overwrite files that already exist.")
def init(folder: Path, force: bool) -> None:
    """Lay out a starter project in FOLDER [default: here]: gold/ with two seed articles,
    prompts/ with a copy of the default prompt, a CI workflow and a README."""
    from harness.starter import CUSTOM_PROMPT, init_project

    result = init_project(folder, force=force)
    root = result.root.resolve()
    click.echo(f"created a starter project in {root}:")
    for path in result.written:
        note = "  (overwritten)" if path in result.overwritten else ""
        click.echo(f"  {path.as_posix()}{note}")
    click.echo("next:")
    if root != Path.cwd().resolve():
        click.echo(f"  cd {shlex.quote(str(root))}")
    click.echo("  evalsum validate")
    click.echo("  evalsum run --model mock/oracle    # end to end, offline: scores 1.000")
    click.echo(
        f"  evalsum run --prompts-dir prompts --prompt {CUSTOM_PROMPT}"
        f"    # after editing prompts/{CUSTOM_PROMPT}.prompt"
    )
