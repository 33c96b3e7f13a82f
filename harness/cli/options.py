"""Options several commands share, defined once so they read and behave the same everywhere."""

from __future__ import annotations

from pathlib import Path

import click

gold_option = click.option(
    "--gold",
    "gold_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("gold"),
    show_default=True,
    help="Gold corpus folder.",
)

prompts_dir_option = click.option(
    "--prompts-dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder of your own NAME.prompt files, searched for --prompt NAME before the "
    "built-in prompts.",
)

out_option = click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("reports"),
    show_default=True,
    help="Where run folders go.",
)

__all__ = ["gold_option", "out_option", "prompts_dir_option"]
