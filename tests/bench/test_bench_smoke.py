"""The benchmark script runs end to end (quick mode, 4 articles, no latency): no timings checked."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO


@pytest.mark.slow
def test_quick_benchmark_runs(tmp_path: Path) -> None:
    results = tmp_path / "bench.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.run",
            "--quick",
            "-n",
            "4",
            "--latency-ms",
            "0",
            "--only",
            "throughput,cpu,scoring,cached,startup,memory",
            "--json",
            str(results),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "fully cached re-run" in done.stdout
    figures = json.loads(results.read_text())["results"]
    assert figures["cached"]["from_cache"] == 4
    assert not figures["cached"]["litellm_imported"]
    assert figures["scoring"]["n"] == 4
    assert figures["memory"]["max_rss_mb"] > 0
