"""evalsum: field-level evaluation of LLM summaries of diplomatic news.

Importing this package is cheap: heavy dependencies (litellm, scipy, rapidfuzz) load only in
the modules that need them, so `evalsum --help` and `evalsum validate` stay fast.
"""

# The one place the version lives (pyproject.toml reads it); a literal, because looking it up
# with importlib.metadata costs tens of milliseconds on every `evalsum --help`.
__version__ = "0.1.0"

__all__ = ["__version__"]
