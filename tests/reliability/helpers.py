"""Shared helpers for reliability tests: replicated corpora and evalsum subprocesses."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from bench.corpus import build_corpus
from tests.conftest import GOLD, REPO


def replicate_gold(target: Path, articles: int) -> Path:
    """`articles` replicas of the gold corpus under new ids, each text unique (the benchmark's
    corpus builder, so tests and benchmark exercise the same synthetic corpus)."""
    build_corpus(GOLD, target, articles)
    return target


def _interruptible() -> None:
    # A suite started in the background by a non-interactive shell inherits an ignored SIGINT,
    # and so would evalsum; the tests that press Ctrl-C need it delivered as a user's would be.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def evalsum_process(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "harness.cli.main", *args],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
        preexec_fn=_interruptible,
    )


def journal_lines(folder: Path) -> int:
    path = folder / "journal.jsonl"
    return path.read_bytes().count(b"\n") if path.exists() else 0
