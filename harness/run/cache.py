"""evalsum's own response cache (SQLite): the same request is never paid for twice.

litellm's cache is unsuitable (its disk cache is gone in recent releases and it crashes on
hits in SDK-only installs), and a cache hit must not even import litellm.
Only successful answers are stored; errors are always retried on the next run.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from pydantic import BaseModel

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


def open_cache_db(path: Path, schema: str) -> sqlite3.Connection:
    """A cache database (created with `schema` if new) that several runs can share."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, isolation_level=None)
    # WAL lets two runs share one cache; NORMAL sync is safe in WAL mode and much faster.
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA busy_timeout=10000")
    db.executescript(schema)
    return db


class ResponseCache:
    def __init__(self, directory: Path) -> None:
        self.path = directory / CACHE_FILE
        self._db = open_cache_db(self.path, _SCHEMA)

    def get(self, key: str) -> CachedResponse | None:
        row = self._db.execute(
            "SELECT text, finish_reason, prompt_tokens, completion_tokens, cost_usd, latency_s "
            "FROM responses WHERE key = ?",
            (key,),
        ).fetchone()
        if row is None:
            return None
        fields = ("text", "finish_reason", "prompt_tokens", "completion_tokens", "cost_usd")
        return CachedResponse(**dict(zip((*fields, "latency_s"), row, strict=True)))

    def contains(self, key: str) -> bool:
        found = self._db.execute("SELECT 1 FROM responses WHERE key = ?", (key,)).fetchone()
        return found is not None

    def put(self, key: str, model: str, response: CachedResponse) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO responses (key, model, text, finish_reason, prompt_tokens, "
            "completion_tokens, cost_usd, latency_s) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                key,
                model,
                response.text,
                response.finish_reason,
                response.prompt_tokens,
                response.completion_tokens,
                response.cost_usd,
                response.latency_s,
            ),
        )

    # Whether a model takes a JSON Schema response_format decides how prompts are rendered,
    # so a fully cached re-run needs the answer without importing litellm to ask it.
    def supports_schema(self, model: str, api_base: str | None) -> bool | None:
        row = self._db.execute(
            "SELECT supports_response_schema FROM capabilities WHERE model = ? AND api_base = ?",
            (model, without_credentials(api_base) or ""),
        ).fetchone()
        return None if row is None else bool(row[0])

    def remember_supports_schema(self, model: str, api_base: str | None, value: bool) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO capabilities VALUES (?, ?, ?)",
            (model, without_credentials(api_base) or "", value),
        )

    def close(self) -> None:
        self._db.close()


__all__ = ["CACHE_FILE", "CachedResponse", "ResponseCache", "open_cache_db"]
