"""A cache of scored answers: an answer already scored against the same gold, under the same
scoring settings and the same scorer, is not scored again.

Scoring an article costs milliseconds; a re-run served from the response cache (CI on a mock
model, a report rebuilt after adding articles) would otherwise spend most of its time scoring
answers it has scored before. The key covers everything the result depends on:

- the scorer: a digest of evalsum's own source and of the versions of the libraries that
  matching uses (a code change or an upgrade invalidates every entry);
- the scoring settings (`ScoringConfig.config_id()`);
- the gold article, as loaded (text, metadata and summary);
- the answer: its raw text (or none) and whether it was cut off.

Values are JSON validated on read; an entry that does not validate is treated as a miss.
Judged scores are not cached (they depend on another model's answers).
"""

from __future__ import annotations

import functools
import hashlib
import sqlite3
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from pydantic import ValidationError

from harness.output import OutputStatus
from harness.report.models import _Model
from harness.run.cache import CacheDB
from harness.scoring.models import ArticleScore
from harness.summary import Summary

SCORE_CACHE_FILE = "scores.sqlite"
# Libraries whose behaviour changes what a scorer computes.
_SCORING_LIBRARIES = ("rapidfuzz", "scipy", "numpy", "dateparser", "pydantic-core")


class ScoredAnswer(_Model):
    """What scoring one answer produced, apart from the call that produced the answer."""

    output_status: OutputStatus | None
    prediction: Summary | None
    parse_errors: list[str]
    parse_warnings: list[str]
    score: ArticleScore


@functools.cache
def scorer_fingerprint() -> str:
    """A digest of evalsum's source (every module: parsing and scoring reach far) and of the
    scoring libraries' versions."""
    import harness

    digest = hashlib.sha256()
    package = Path(harness.__file__).parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    for name in _SCORING_LIBRARIES:
        try:
            digest.update(f"{name}={version(name)}\0".encode())
        except PackageNotFoundError:
            digest.update(f"{name}=none\0".encode())
    return digest.hexdigest()


def answer_key(config_id: str, article_digest: str, raw: str | None, truncated: bool) -> str:
    digest = hashlib.sha256()
    for part in (scorer_fingerprint(), config_id, article_digest, str(truncated)):
        digest.update(part.encode() + b"\0")
    digest.update(b"none" if raw is None else b"raw\0" + raw.encode())
    return digest.hexdigest()


class ScoreCache:
    """SQLite, beside the response cache; writes are batched into one transaction per run."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / SCORE_CACHE_FILE
        self._db = CacheDB(
            self.path,
            "CREATE TABLE IF NOT EXISTS scores (key TEXT PRIMARY KEY, value BLOB NOT NULL);",
        )
        self._pending: list[tuple[str, bytes]] = []
        self.hits = self.misses = 0

    def get(self, key: str) -> ScoredAnswer | None:
        row = self._db.one("SELECT value FROM scores WHERE key = ?", (key,))
        if row is not None:
            try:
                found = ScoredAnswer.model_validate_json(row[0])
            except ValidationError:
                found = None  # written by another evalsum; score again and overwrite
            if found is not None:
                self.hits += 1
                return found
        self.misses += 1
        return None

    def put(self, key: str, scored: ScoredAnswer) -> None:
        self._pending.append((key, scored.model_dump_json().encode()))
        if len(self._pending) >= 256:
            self.flush()

    def flush(self) -> None:
        if self._pending:
            self._db.write(
                "INSERT OR REPLACE INTO scores (key, value) VALUES (?, ?)", self._pending
            )
            self._pending.clear()

    def close(self) -> None:
        try:
            self.flush()
        finally:
            self._db.close()

    def __enter__(self) -> ScoreCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_score_cache(directory: Path) -> ScoreCache | None:
    """The cache in `directory`, or None when it cannot be opened (scoring goes on without)."""
    try:
        return ScoreCache(directory)
    except (OSError, sqlite3.Error):
        return None


__all__ = [
    "SCORE_CACHE_FILE",
    "ScoreCache",
    "ScoredAnswer",
    "answer_key",
    "open_score_cache",
    "scorer_fingerprint",
]
