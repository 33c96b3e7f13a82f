"""litellm queues no success logging for evalsum's calls (it would hold every prompt and answer
on its global worker while a long run goes on), and costs are still computed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from harness.run import RunConfig, start_run
from tests.conftest import REPO


def test_no_success_logging_is_queued_for_a_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from litellm.litellm_core_utils import logging_worker

    queued: list[Any] = []
    worker = logging_worker.GLOBAL_LOGGING_WORKER
    original = worker.enqueue

    def spy(coroutine: Any) -> None:
        queued.append(coroutine)
        original(coroutine)

    monkeypatch.setattr(worker, "enqueue", spy)
    monkeypatch.chdir(REPO)
    result = start_run(
        RunConfig(model="mock/oracle", out=tmp_path / "reports", samples=2, cache=False)
    )
    assert result.provider_calls == 4 and result.overall == 1.0
    assert queued == []
