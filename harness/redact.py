"""Keeping credentials out of everything evalsum writes."""

from __future__ import annotations

import re

_USERINFO = re.compile(r"//[^/@]*@")


def without_credentials(url: str | None) -> str | None:
    """https://user:key@host/v1?api_key=... -> https://host/v1"""
    if url is None:
        return None
    return _USERINFO.sub("//", url).split("?", 1)[0]


def redact_argv(argv: list[str] | tuple[str, ...]) -> list[str]:
    """A command line fit for a report: no URL credentials, no values of secret env vars."""
    from harness.providers.errors import scrub_secrets

    return [scrub_secrets(_USERINFO.sub("//", part)) for part in argv]


__all__ = ["redact_argv", "without_credentials"]
