"""The run folder: `reports/<run-id>/` with run.json, journal.jsonl, report.json, report.html.

run.json is written before the first call so that an interrupted run can always be resumed
with exactly the same inputs; a lock file keeps two processes from writing one folder.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import re
import secrets
from pathlib import Path
from typing import IO

from pydantic import BaseModel

from harness.errors import InputError
from harness.run.config import RunConfig

RUN_FILE = "run.json"
LOCK_FILE = ".lock"


class PromptInfo(BaseModel):
    name: str
    path: str
    sha256: str


class GoldInfo(BaseModel):
    path: str
    sha256: str
    articles: int


class EffectiveParameters(BaseModel):
    """What the run really used where the provider bounds what was asked for (a local model
    answers at most so many tokens, one call at a time); `notes` says what differs."""

    max_tokens: int | None
    concurrency: int
    notes: list[str] = []


class RunSpec(BaseModel):
    """What is needed to repeat (or resume) a run exactly."""

    run_id: str
    config: RunConfig
    prompt: PromptInfo
    gold: GoldInfo
    article_ids: list[str]
    evalsum_version: str
    litellm_version: str | None
    python_version: str
    command_line: list[str]
    started_at: dt.datetime
    # None in run folders written before evalsum recorded it.
    effective: EffectiveParameters | None = None


def new_run_id(model: str, prompt: str, now: dt.datetime | None = None) -> str:
    now = now or dt.datetime.now(dt.UTC)
    slug = re.sub(r"[^A-Za-z0-9.-]+", "-", f"{model}-{Path(prompt).stem}").strip("-")[:60]
    return f"{now:%Y%m%d-%H%M%S}-{slug}-{secrets.token_hex(2)}"


def create_run_dir(out: Path, run_id: str) -> Path:
    folder = out / run_id
    try:
        folder.mkdir(parents=True, exist_ok=False)
    except PermissionError:
        raise InputError(
            f"cannot create the run folder in {out}: permission denied",
            hint="choose a writable folder with --out",
        ) from None
    except OSError as exc:
        raise InputError(f"cannot create the run folder {folder}: {exc.strerror}") from None
    return folder


def write_spec(folder: Path, spec: RunSpec) -> None:
    tmp = folder / f"{RUN_FILE}.tmp"
    tmp.write_text(spec.model_dump_json(indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, folder / RUN_FILE)


def read_spec(folder: Path) -> RunSpec:
    path = folder / RUN_FILE
    if not folder.is_dir():
        raise InputError(f"run folder not found: {folder.resolve()}")
    if not path.is_file():
        raise InputError(
            f"{folder} is not an evalsum run folder (no {RUN_FILE})",
            hint="pass the folder that `evalsum run` printed, e.g. reports/<run-id>",
        )
    try:
        return RunSpec.model_validate_json(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise InputError(f"{path}: not a valid run file ({str(exc).splitlines()[0]})") from None


def _same_file(path: Path, fh: IO[str]) -> bool:
    try:
        return os.stat(path).st_ino == os.fstat(fh.fileno()).st_ino
    except FileNotFoundError:
        return False


class RunLock:
    """An exclusive lock on a run folder for the lifetime of one process."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / LOCK_FILE
        self._fh: IO[str] | None = None

    def acquire(self) -> RunLock:
        fh = self.path.open("a+", encoding="utf-8")
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "another process"
            fh.close()
            raise InputError(
                f"{self.path.parent} is in use by another evalsum run (pid {holder})",
                hint="wait for it to finish, or stop it, before resuming this folder",
            ) from None
        if not _same_file(self.path, fh):
            # Another run finished and removed the file between our open and our lock:
            # lock the file that is there now.
            fh.close()
            return self.acquire()
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        self._fh = fh
        return self

    def release(self) -> None:
        if self._fh is not None:
            # Removed while still held, so a finished run folder holds no stray lock file.
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
            fcntl.flock(self._fh.fileno(), fcntl.LOCK_UN)
            self._fh.close()
            self._fh = None

    def __enter__(self) -> RunLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


__all__ = [
    "RUN_FILE",
    "EffectiveParameters",
    "GoldInfo",
    "PromptInfo",
    "RunLock",
    "RunSpec",
    "create_run_dir",
    "new_run_id",
    "read_spec",
    "write_spec",
]
