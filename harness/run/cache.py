"""evalsum's own response cache (SQLite): the same request is never paid for twice.

litellm's cache is unsuitable (its disk cache is gone in recent releases and it crashes on
hits in SDK-only installs), and a cache hit must not even import litellm.
Only successful answers are stored; errors are always retried on the next run.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from harness.notices import warn
from harness.redact import without_credentials

CACHE_FILE = "responses.sqlite"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS responses (
    key TEXT PRIMARY KEY,
    model TEXT NOT NULL,
    text TEXT NOT NULL,
    finish_reason TEXT,
    prompt_tokens INTEGER,
    completion_tokens INTEGER,
    cost_usd REAL,
    latency_s REAL,
    created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE IF NOT EXISTS capabilities (
    model TEXT NOT NULL,
    api_base TEXT NOT NULL,
    supports_response_schema INTEGER NOT NULL,
    PRIMARY KEY (model, api_base)
);
"""


class CachedResponse(BaseModel):
    text: str
    finish_reason: str | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    cost_usd: float | None = None
    latency_s: float | None = None


# What SQLite says of a file that is not (or no longer) a sound database; anything else
# (a locked database, a full disk) is not a reason to throw the cache away.
_DAMAGE_CODES = frozenset({"SQLITE_CORRUPT", "SQLITE_NOTADB"})


def is_damaged(exc: sqlite3.DatabaseError) -> bool:
    return getattr(exc, "sqlite_errorname", None) in _DAMAGE_CODES or any(
        phrase in str(exc) for phrase in ("malformed", "not a database")
    )


def set_aside(path: Path) -> Path:
    """Move a damaged database (with its WAL files) out of the way; returns its new name."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.damaged-{stamp}")
    for suffix in ("", "-wal", "-shm"):
        source = path.with_name(path.name + suffix)
        if source.exists():
            source.replace(aside.with_name(aside.name + suffix))
    return aside


def _connect(path: Path, schema: str) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, isolation_level=None)
    try:
        # WAL lets two runs share one cache; NORMAL sync is safe in WAL mode and much faster.
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("PRAGMA busy_timeout=10000")
        db.executescript(schema)
    except BaseException:
        db.close()
        raise
    return db


def open_cache_db(path: Path, schema: str) -> sqlite3.Connection:
    """A cache database (created with `schema` if new) that several runs can share.

    A cache is disposable: one found damaged (a copy cut short, a full disk) is set aside with
    a warning naming it, and a new, empty one takes its place."""
    try:
        return _connect(path, schema)
    except sqlite3.DatabaseError as exc:
        if not is_damaged(exc):
            raise
        aside = set_aside(path)
        warn(f"{path}: damaged cache ({exc}); set aside as {aside.name}, starting an empty one")
        return _connect(path, schema)


class CacheDB:
    """A cache database whose damage found mid-run turns the cache off, with one warning,
    instead of ending the run: every read is then a miss and every write is dropped."""

    def __init__(self, path: Path, schema: str) -> None:
        self.path = path
        self._db: sqlite3.Connection | None = open_cache_db(path, schema)

    def _give_up(self, exc: sqlite3.DatabaseError) -> None:
        warn(f"{self.path}: damaged cache ({exc}); going on without it")
        db, self._db = self._db, None
        if db is not None:
            with contextlib.suppress(sqlite3.Error):
                db.close()

    def one(self, sql: str, params: tuple[Any, ...] = ()) -> tuple[Any, ...] | None:
        if self._db is None:
            return None
        try:
            return self._db.execute(sql, params).fetchone()
        except sqlite3.DatabaseError as exc:
            if not is_damaged(exc):
                raise
            self._give_up(exc)
            return None

    def write(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        """Every row in one transaction."""
        if self._db is None:
            return
        try:
            with self._db:
                self._db.execute("BEGIN")
                self._db.executemany(sql, rows)
        except sqlite3.DatabaseError as exc:
            if not is_damaged(exc):
                raise
            self._give_up(exc)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


class ResponseCache:
    def __init__(self, directory: Path) -> None:
        self.path = directory / CACHE_FILE
        self._db = CacheDB(self.path, _SCHEMA)

    def get(self, key: str) -> CachedResponse | None:
        row = self._db.one(
            "SELECT text, finish_reason, prompt_tokens, completion_tokens, cost_usd, latency_s "
            "FROM responses WHERE key = ?",
            (key,),
        )
        if row is None:
            return None
        fields = ("text", "finish_reason", "prompt_tokens", "completion_tokens", "cost_usd")
        return CachedResponse(**dict(zip((*fields, "latency_s"), row, strict=True)))

    def contains(self, key: str) -> bool:
        return self._db.one("SELECT 1 FROM responses WHERE key = ?", (key,)) is not None

    def put(self, key: str, model: str, response: CachedResponse) -> None:
        self._db.write(
            "INSERT OR REPLACE INTO responses (key, model, text, finish_reason, prompt_tokens, "
            "completion_tokens, cost_usd, latency_s) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    key,
                    model,
                    response.text,
                    response.finish_reason,
                    response.prompt_tokens,
                    response.completion_tokens,
                    response.cost_usd,
                    response.latency_s,
                )
            ],
        )

    # Whether a model takes a JSON Schema response_format decides how prompts are rendered,
    # so a fully cached re-run needs the answer without importing litellm to ask it.
    def supports_schema(self, model: str, api_base: str | None) -> bool | None:
        row = self._db.one(
            "SELECT supports_response_schema FROM capabilities WHERE model = ? AND api_base = ?",
            (model, without_credentials(api_base) or ""),
        )
        return None if row is None else bool(row[0])

    def remember_supports_schema(self, model: str, api_base: str | None, value: bool) -> None:
        self._db.write(
            "INSERT OR REPLACE INTO capabilities VALUES (?, ?, ?)",
            [(model, without_credentials(api_base) or "", value)],
        )

    def close(self) -> None:
        self._db.close()


__all__ = [
    "CACHE_FILE",
    "CacheDB",
    "CachedResponse",
    "ResponseCache",
    "is_damaged",
    "open_cache_db",
    "set_aside",
]
