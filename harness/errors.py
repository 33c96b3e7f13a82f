"""Errors meant for users: the CLI turns them into one clean message and an exit code."""

from __future__ import annotations

# Exit codes are an interface (documented in the README); CI scripts branch on them.
EXIT_OK = 0
EXIT_FINDINGS = 1  # the command ran; what it checked failed (invalid gold, failed calls, a gate)
EXIT_USAGE = 2  # bad invocation or bad input: nothing (more) was done
EXIT_INTERRUPTED = 130  # Ctrl-C; the run folder can be resumed


class EvalsumError(Exception):
    """A problem the user can fix; `message` says what and where, `hint` how."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\n  hint: {self.hint}"


class InputError(EvalsumError):
    """A file or option evalsum was given is unusable (missing, malformed, inconsistent)."""


__all__ = [
    "EXIT_FINDINGS",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_USAGE",
    "EvalsumError",
    "InputError",
]
