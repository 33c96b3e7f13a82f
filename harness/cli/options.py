"""Options several commands share, defined once so they read and behave the same everywhere."""

from __future__ import annotations

from pathlib import Path

import click

gold_option = click.option(
    "--gold",
    "gold_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("gold"),
    envvar="EVALSUM_GOLD",
    show_default=True,
    show_envvar=True,
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


def parse_ids(value: str | None) -> list[str] | None:
    """--articles a,b,c -> ["a", "b", "c"]; None when the option was not given."""
    if value is None:
        return None
    ids = [part.strip() for part in value.split(",") if part.strip()]
    if not ids:
        raise click.BadParameter("expected one or more article ids separated by commas")
    return ids


articles_option = click.option("--articles", help="Only these article ids (comma-separated).")

__all__ = [
    "articles_option",
    "gold_option",
    "out_option",
    "parse_ids",
    "prompts_dir_option",
]
