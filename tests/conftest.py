"""Suite-wide guards and factories.

No test may reach the network: any connection to a non-loopback address fails the test.
"""

from __future__ import annotations

import ipaddress
import json
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
# The tests' corpus: the two seed articles as `evalsum init` ships them (a byte-for-byte copy
# of gold/'s seeds, checked by tests/test_anywhere.py). Fixed, so that tests assert behaviour,
# not the size of a corpus that keeps growing; the committed corpus is gold/ (CORPUS).
GOLD = REPO / "harness" / "starter_files" / "gold"
CORPUS = REPO / "gold"

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _loopback_only(address: Any) -> None:
    if isinstance(address, tuple) and address:
        host = address[0]
        try:
            if ipaddress.ip_address(host).is_loopback:
                return
        except ValueError:
            if host == "localhost":
                return
        raise RuntimeError(f"test tried to reach the network: {address!r}")


def _guarded_connect(self: socket.socket, address: Any) -> None:
    if self.family in (socket.AF_INET, socket.AF_INET6):
        _loopback_only(address)
    return _real_connect(self, address)


def _guarded_connect_ex(self: socket.socket, address: Any) -> int:
    if self.family in (socket.AF_INET, socket.AF_INET6):
        _loopback_only(address)
    return _real_connect_ex(self, address)


@pytest.fixture(autouse=True, scope="session")
def no_network() -> None:
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def offline_env(monkeypatch: pytest.MonkeyPatch) -> None:
    # litellm fetches its price list at import unless told not to.
    monkeypatch.setenv("LITELLM_LOCAL_MODEL_COST_MAP", "True")


ARTICLE_TEXT = """Leaders meet in Geneva

Jane Roe
Monday 3 June 2024

Foreign minister Jane Roe met envoy John Doe in Geneva on Monday.
"We will never accept a blockade of the strait," Ms Roe said.
Mr Doe said talks would continue next month.
"""

SUMMARY: dict[str, Any] = {
    "participants": [
        {
            "name": "Jane Roe",
            "aliases": ["Ms Roe", "Foreign minister Jane Roe"],
            "kind": "person",
            "role": "Foreign Minister",
            "affiliation": "Ruritania",
        },
        {
            "name": "John Doe",
            "aliases": ["Mr Doe", "envoy John Doe"],
            "kind": "person",
            "role": "Envoy",
            "affiliation": "Freedonia",
        },
    ],
    "dates": [
        {"event": "Roe meets Doe in Geneva", "date": "2024-06-03", "text": "on Monday"},
        {"event": "talks continue", "date": "2024-07", "text": "next month", "future": True},
    ],
    "claims": [
        {
            "speaker": "Jane Roe",
            "claim": "Ruritania will never accept a blockade of the strait",
            "quote": "We will never accept a blockade of the strait",
        },
        {"speaker": "John Doe", "claim": "talks will continue next month", "quote": None},
    ],
    "red_lines": [
        {
            "party": "Jane Roe",
            "issue": "the strait",
            "position": "no blockade of the strait",
            "speaker": "Jane Roe",
            "quote": "We will never accept a blockade of the strait",
        }
    ],
}

META: dict[str, Any] = {
    "id": "geneva",
    "title": "Leaders meet in Geneva",
    "publisher": "Test Wire",
    "published": "2024-06-03",
    "author": "Jane Roe",
    "source": None,
    "notes": None,
}

ArticleFactory = Callable[..., Path]


@pytest.fixture
def make_article(tmp_path: Path) -> ArticleFactory:
    """Write a valid gold article folder (optionally altered) and return its path."""

    def make(
        article_id: str = "geneva",
        *,
        root: Path | None = None,
        text: str | bytes = ARTICLE_TEXT,
        meta: dict[str, Any] | None = None,
        summary: dict[str, Any] | None = None,
    ) -> Path:
        folder = (root or tmp_path / "gold") / article_id
        folder.mkdir(parents=True)
        raw = text if isinstance(text, bytes) else text.encode()
        (folder / "article.txt").write_bytes(raw)
        meta_data = {**META, "id": article_id, **(meta or {})}
        (folder / "meta.json").write_text(json.dumps(meta_data, indent=2))
        (folder / "summary.json").write_text(json.dumps(summary or SUMMARY, indent=2))
        return folder

    return make


@pytest.fixture(autouse=True)
def test_corpus(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every default --gold is the tests' fixed corpus, in-process and in subprocesses; a test
    of the committed corpus names CORPUS."""
    monkeypatch.setenv("EVALSUM_GOLD", str(GOLD))
    return GOLD


@pytest.fixture(autouse=True)
def isolated_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test reads or writes the user's response cache."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("EVALSUM_CACHE_DIR", str(cache))
    return cache
