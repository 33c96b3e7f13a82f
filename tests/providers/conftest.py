"""Fixtures for provider tests: a fake OpenAI server and a clean key environment."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.fake_openai import FakeOpenAI


@pytest.fixture
def fake_openai() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as server:
        yield server


@pytest.fixture(autouse=True)
def _no_provider_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    # A developer's real keys must neither be needed nor show up in what tests observe.
    for name in ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GEMINI_API_KEY", "GOOGLE_API_KEY"):
        monkeypatch.delenv(name, raising=False)


# harness.providers.litellm_client silences this litellm/pydantic warning for the process, but
# pytest restores warning filters around each test; the lead may move this to pyproject.
_LITELLM_NOISE = "ignore:Item '.*' on TypedDict class '.*' is using the `ReadOnly`:UserWarning"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.filterwarnings(_LITELLM_NOISE))
