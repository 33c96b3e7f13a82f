"""`evalsum --help` and `evalsum validate` must never load litellm (a 5 s import)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import REPO

PROBE = """
import sys
from harness.cli.main import main
sys.argv = ["evalsum", *{args!r}]
try:
    main()
except SystemExit as exc:
    code = exc.code
HEAVY_MODULES = ("litellm", "scipy", "rapidfuzz", "dateparser", "openai")
heavy = sorted(m for m in HEAVY_MODULES if m in sys.modules)
print("HEAVY=" + ",".join(heavy))
"""


@pytest.mark.parametrize("args", [["--help"], ["validate"], ["gold", "--help"]])
def test_light_commands_do_not_import_heavy_modules(args: list[str]) -> None:
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(args=args)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "HEAVY=\n" in out.stdout, out.stdout + out.stderr
