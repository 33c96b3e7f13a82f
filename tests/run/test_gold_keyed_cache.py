"""Mocks answer from gold, so their cached answers must follow the gold they were made from."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from harness.providers.base import MockOptions
from harness.report.load import load_report
from harness.run import RunConfig, start_run
from harness.run.plan import cache_key
from tests.conftest import GOLD, REPO
from tests.support.requests import make_request


@pytest.fixture(autouse=True)
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


def _oracle(tmp_path: Path, gold: Path, model: str = "mock/oracle"):
    config = RunConfig(
        model=model, gold=gold, out=tmp_path / "reports", retries=0, cache_dir=tmp_path / "cache"
    )
    result = start_run(config)
    return result, load_report(result.folder)


def _edit_first_claim(gold: Path) -> str:
    article = sorted(p for p in gold.iterdir() if p.is_dir())[0]
    summary = json.loads((article / "summary.json").read_text(encoding="utf-8"))
    summary["claims"][0]["claim"] = "An edited claim that no earlier answer contains."
    (article / "summary.json").write_text(
        json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return article.name


def test_the_oracle_answers_an_edited_gold_claim_not_the_cached_old_one(tmp_path: Path) -> None:
    gold = tmp_path / "gold"
    shutil.copytree(GOLD, gold)
    _, report = _oracle(tmp_path, gold)
    assert report.overall.micro == 1.0
    edited = _edit_first_claim(gold)
    second, report = _oracle(tmp_path, gold)
    assert report.overall.micro == 1.0
    # Only the edited article is asked again; the other one is still served from the cache.
    assert second.cached_calls == second.tasks - 1
    claims = {a.article_id: a for a in report.articles}[edited].samples[0].prediction.claims
    assert claims[0].claim == "An edited claim that no earlier answer contains."


def test_noisy_answers_are_keyed_on_gold_too(tmp_path: Path) -> None:
    gold = tmp_path / "gold"
    shutil.copytree(GOLD, gold)
    _oracle(tmp_path, gold, "mock/noisy")
    _edit_first_claim(gold)
    second, _ = _oracle(tmp_path, gold, "mock/noisy")
    assert second.cached_calls == second.tasks - 1


def test_real_models_keys_do_not_depend_on_gold() -> None:
    request = make_request("openai/gpt-4o-mini")
    assert cache_key(request, {}) == cache_key(request, {}, None)
    assert cache_key(request, {}, "a" * 64) != cache_key(request, {}, "b" * 64)


def test_a_re_recorded_cassette_is_not_answered_from_the_cache(tmp_path: Path) -> None:
    from harness.providers.base import ProviderContext
    from harness.providers.mock.provider import MockProvider

    cassette = tmp_path / "answers.jsonl"
    cassette.write_text('{"a": 1}\n')
    provider = MockProvider()
    context = ProviderContext(mock=MockOptions(cassette=cassette))
    before = provider.fingerprint("mock/replay", context)
    cassette.write_text('{"a": 2}\n')
    assert provider.fingerprint("mock/replay", context) != before
    assert not provider.answers_from_gold("mock/replay")
    assert provider.answers_from_gold("mock/oracle") and provider.answers_from_gold("mock/noisy")
