"""The `evalsum` command freezes litellm's import out of the garbage collector's way; a library
user's process is left alone."""

from __future__ import annotations

import pytest

from harness import process
from harness.providers import litellm_client


@pytest.mark.parametrize("owns", [True, False])
def test_litellm_import_is_frozen_only_in_evalsums_own_process(
    owns: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    frozen: list[bool] = []
    monkeypatch.setattr(litellm_client.gc, "freeze", lambda: frozen.append(True))
    monkeypatch.setattr(process, "owns_process", owns)
    litellm_client.load_litellm.cache_clear()
    try:
        litellm_client.load_litellm()
    finally:
        litellm_client.load_litellm.cache_clear()
    assert frozen == ([True] if owns else [])


def test_the_console_entry_point_claims_the_process(monkeypatch: pytest.MonkeyPatch) -> None:
    from harness.cli import main as entry

    monkeypatch.setattr(process, "owns_process", False)
    monkeypatch.setattr("sys.argv", ["evalsum", "--version"])
    with pytest.raises(SystemExit):
        entry.main()
    assert process.owns_process is True
