"""Warnings for the person running evalsum: one logger, so a library user can route them.

The CLI prints them on stderr as `warning: ...`; a Python caller who configures nothing still
sees them there (logging's last-resort handler), and can silence or capture the "evalsum"
logger like any other.
"""

from __future__ import annotations

import logging

LOGGER = logging.getLogger("evalsum")


def warn(message: str) -> None:
    LOGGER.warning(message)


__all__ = ["LOGGER", "warn"]
