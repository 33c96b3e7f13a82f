"""A cache is disposable: a damaged one is set aside with a warning, and the run goes on."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from harness.cli.main import cli
from harness.report.score_cache import SCORE_CACHE_FILE
from harness.run.cache import CACHE_FILE, CacheDB, ResponseCache
from tests.conftest import REPO


@pytest.fixture(autouse=True)
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


def _run(tmp_path: Path) -> tuple[int, str, str]:
    args = ["run", "--model", "mock/noisy", "--out", str(tmp_path / "r")]
    result = CliRunner().invoke(cli, [*args, "--cache-dir", str(tmp_path / "cache")])
    return result.exit_code, result.stdout, result.stderr


def _truncate(path: Path) -> None:
    # A copy cut short: the header promises pages the file no longer has.
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def test_truncated_caches_are_set_aside_and_the_run_goes_on(tmp_path: Path) -> None:
    code, first, _ = _run(tmp_path)
    assert code == 0
    cache = tmp_path / "cache"
    for name in (CACHE_FILE, SCORE_CACHE_FILE):
        _truncate(cache / name)
    code, out, err = _run(tmp_path)
    assert code == 0, err
    assert "internal error" not in err and "Traceback" not in err
    for name in (CACHE_FILE, SCORE_CACHE_FILE):
        assert f"warning: {cache / name}: damaged cache" in err
        aside = list(cache.glob(f"{name}.damaged-*"))
        assert len(aside) == 1, sorted(p.name for p in cache.iterdir())
        assert aside[0].name in err
    # The answers are made again, and are the same as before.
    assert out.splitlines()[1] == first.splitlines()[1]  # the overall score
    # And the new caches work: a third run is served from them.
    code, out, err = _run(tmp_path)
    assert code == 0 and "damaged" not in err
    assert "2 ok (2 from cache)" in out


def test_a_file_that_is_not_a_database_is_set_aside(tmp_path: Path, caplog) -> None:
    (tmp_path / CACHE_FILE).write_bytes(b"this is not sqlite at all" * 100)
    cache = ResponseCache(tmp_path)
    assert cache.get("anything") is None
    cache.close()
    assert any("damaged cache" in r.getMessage() for r in caplog.records)
    assert list(tmp_path.glob(f"{CACHE_FILE}.damaged-*"))


def test_damage_found_mid_run_turns_the_cache_off_with_one_warning(tmp_path: Path, caplog) -> None:
    db = CacheDB(tmp_path / "c.sqlite", "CREATE TABLE IF NOT EXISTS t (k TEXT PRIMARY KEY);")

    class Malformed:
        def execute(self, *args: object) -> None:
            raise sqlite3.DatabaseError("database disk image is malformed")

        def close(self) -> None:
            pass

    db._db = Malformed()  # type: ignore[assignment]
    assert db.one("SELECT k FROM t") is None
    db.write("INSERT INTO t VALUES (?)", [("x",)])  # dropped, not raised
    assert db.one("SELECT k FROM t") is None
    warnings = [r for r in caplog.records if "damaged cache" in r.getMessage()]
    assert len(warnings) == 1


def test_other_database_errors_are_not_taken_for_damage(tmp_path: Path) -> None:
    db = CacheDB(tmp_path / "c.sqlite", "CREATE TABLE IF NOT EXISTS t (k TEXT PRIMARY KEY);")
    with pytest.raises(sqlite3.OperationalError):
        db.one("SELECT nope FROM t")
    db.close()
