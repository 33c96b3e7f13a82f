"""Whether evalsum owns the Python process (the `evalsum` command) or is a library in someone
else's. Process-wide tuning (the garbage collector) is done only in the first case."""

from __future__ import annotations

owns_process = False  # set by harness.cli.main.main, the console script's entry point
