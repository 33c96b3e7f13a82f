"""evalsum: field-level evaluation of LLM summaries of diplomatic news.

Importing this package is cheap: heavy dependencies (litellm, scipy, rapidfuzz) load only in
the modules that need them, so `evalsum --help` and `evalsum validate` stay fast.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("evalsum")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
