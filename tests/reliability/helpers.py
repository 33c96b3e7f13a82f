"""Shared helpers for reliability tests: replicated corpora and evalsum subprocesses."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import GOLD, REPO


def replicate_gold(target: Path, copies: int) -> Path:
    """The gold articles copied under new ids, each text made unique so mocks stay honest."""
    for folder in sorted(p for p in GOLD.iterdir() if p.is_dir()):
        for k in range(copies):
            new = target / f"{folder.name}-r{k:03d}"
            shutil.copytree(folder, new)
            meta = json.loads((new / "meta.json").read_text())
            meta["id"] = new.name
            (new / "meta.json").write_text(json.dumps(meta))
            with (new / "article.txt").open("a", encoding="utf-8") as fh:
                fh.write(f"\n\nReplica {new.name}.\n")
    return target


def evalsum_process(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "harness.cli.main", *args],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )


def journal_lines(folder: Path) -> int:
    path = folder / "journal.jsonl"
    return path.read_bytes().count(b"\n") if path.exists() else 0
