"""Defaults the command line shows in --help; a module of constants so help stays cheap."""

DEFAULT_MODEL = "mock/noisy"
DEFAULT_PROMPT = "v2"

__all__ = ["DEFAULT_MODEL", "DEFAULT_PROMPT"]
