"""`evalsum`: wires the sub-commands and turns user errors into clean messages.

Each verb lives in its own module and imports the library inside its function, so that
`evalsum --help` loads neither litellm nor the scorer.
"""

from __future__ import annotations

import importlib
import logging
import os
import sys

import click

from harness import __version__
from harness.errors import EXIT_INTERRUPTED, EvalsumError

# verb -> "module:attribute"; a new command is one module and one line here.
COMMANDS: dict[str, str] = {
    "validate": "harness.cli.validate:validate",
    "gold": "harness.cli.gold:gold",
    "init": "harness.cli.init:init",
    "run": "harness.cli.run:run",
    "score": "harness.cli.score:score",
    "report": "harness.cli.report:report",
    "compare": "harness.cli.compare:compare",
    "scorer-check": "harness.cli.scorer_check:scorer_check",
}

EXIT_INTERNAL = 3


class UserError(click.ClickException):
    """An EvalsumError on its way out: one message, the error's own exit code."""

    def __init__(self, error: EvalsumError) -> None:
        super().__init__(str(error))
        self.exit_code = error.exit_code

    def show(self, file=None) -> None:
        click.echo(f"error: {self.format_message()}", err=True)


class EvalsumGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None:
            return None
        module, _, attr = target.partition(":")
        return getattr(importlib.import_module(module), attr)

    def invoke(self, ctx: click.Context):
        debug = bool(ctx.params.get("debug")) or os.environ.get("EVALSUM_DEBUG") == "1"
        try:
            return super().invoke(ctx)
        except EvalsumError as exc:
            if debug:
                raise
            raise UserError(exc) from None
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(EXIT_INTERRUPTED)
        except Exception as exc:
            if debug:
                raise
            click.echo(
                f"internal error: {type(exc).__name__}: {exc}\n"
                "  this is a bug in evalsum; rerun with --debug for the traceback and report it",
                err=True,
            )
            ctx.exit(EXIT_INTERNAL)


@click.group(cls=EvalsumGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="evalsum")
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
def cli(debug: bool) -> None:
    """Evaluate LLM summaries of diplomatic news, field by field, against a gold corpus."""
    _show_warnings()


class _WarningLine(logging.Handler):
    """The library's warnings (harness.notices) as `warning: ...` lines on stderr."""

    def emit(self, record: logging.LogRecord) -> None:
        click.echo(f"warning: {record.getMessage()}", err=True)


def _show_warnings() -> None:
    from harness.notices import LOGGER

    if not any(isinstance(h, _WarningLine) for h in LOGGER.handlers):
        # Still propagated: a host application's own logging sees them too.
        LOGGER.addHandler(_WarningLine(logging.WARNING))


def main() -> None:
    from harness import process

    process.owns_process = True
    cli(prog_name="evalsum")


if __name__ == "__main__":
    sys.exit(main())
