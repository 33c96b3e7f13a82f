"""--record cassettes and mock/replay: round trips, model independence, missing requests."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.providers import (
    CassetteRecorder,
    MockOptions,
    ModelConfigError,
    ProviderError,
    check_model,
    load_cassette,
    open_model,
)
from harness.providers.litellm_provider import LOCAL_PLACEHOLDER_KEY
from tests.support import fake_openai as fake
from tests.support.articles import ARTICLES, GENEVA, SUMMIT
from tests.support.fake_openai import FakeOpenAI
from tests.support.network import guard_loopback
from tests.support.requests import make_request, run


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    guard_loopback(monkeypatch)


def _replay(cassette: Path, **overrides: object) -> str:
    request = make_request("mock/replay", **overrides)  # type: ignore[arg-type]
    with open_model("mock/replay", mock=MockOptions(cassette=cassette)) as client:
        return run(client.complete(request)).text


def test_recorded_mock_run_replays_identically(tmp_path: Path) -> None:
    cassette = tmp_path / "run.jsonl"
    recorded = {}
    with open_model("mock/noisy", corpus=ARTICLES) as client, CassetteRecorder(cassette) as rec:
        for article in ARTICLES:
            for sample in range(2):
                request = make_request("mock/noisy", article, sample_index=sample)
                result = run(client.complete(request))
                rec.record(request, result)
                recorded[(article.meta.id, sample)] = result
    with open_model("mock/replay", mock=MockOptions(cassette=cassette)) as client:
        for (article_id, sample), original in recorded.items():
            article = next(a for a in ARTICLES if a.meta.id == article_id)
            replayed = run(
                client.complete(make_request("mock/replay", article, sample_index=sample))
            )
            assert replayed.text == original.text
            assert (replayed.prompt_tokens, replayed.completion_tokens) == (
                original.prompt_tokens,
                original.completion_tokens,
            )
            assert replayed.cost_usd == 0.0


def test_real_model_cassette_replays_under_mock_replay(
    tmp_path: Path, fake_openai: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-real-key-never-recorded-12345")
    fake_openai.push(fake.ok('{"claims": ["recorded"]}', prompt_tokens=321, completion_tokens=9))
    cassette = tmp_path / "real.jsonl"
    request = make_request("openai/fake-model", SUMMIT, api_base=fake_openai.base_url)
    with (
        open_model("openai/fake-model", api_base=fake_openai.base_url) as client,
        CassetteRecorder(cassette) as recorder,
    ):
        recorder.record(request, run(client.complete(request)))
    content = cassette.read_text()
    assert "sk-real-key" not in content and LOCAL_PLACEHOLDER_KEY not in content
    assert fake_openai.base_url not in content
    (record,) = load_cassette(cassette).values()
    assert (record.model, record.article_id, record.prompt_tokens) == (
        "openai/fake-model",
        "trade-summit",
        321,
    )
    assert _replay(cassette, article=SUMMIT) == '{"claims": ["recorded"]}'


def test_missing_request_is_a_non_retryable_not_found(tmp_path: Path) -> None:
    cassette = tmp_path / "one.jsonl"
    with open_model("mock/oracle", corpus=ARTICLES) as client, CassetteRecorder(cassette) as rec:
        request = make_request("mock/oracle", GENEVA)
        rec.record(request, run(client.complete(request)))
    assert _replay(cassette, article=GENEVA)
    with pytest.raises(ProviderError) as caught:
        _replay(cassette, article=GENEVA, sample_index=1)
    error = caught.value
    assert (error.kind, error.retryable) == ("not_found", False)
    assert "no recorded response for article 'geneva-talks' sample 1" in error.message
    assert str(cassette) in error.message
    with pytest.raises(ProviderError, match="article 'geneva-talks' sample 0"):
        _replay(cassette, article=GENEVA, temperature=0.7)  # different parameters, new request


def test_records_are_flushed_one_by_one(tmp_path: Path) -> None:
    cassette = tmp_path / "live.jsonl"
    request = make_request("mock/oracle")
    with open_model("mock/oracle", corpus=ARTICLES) as client, CassetteRecorder(cassette) as rec:
        rec.record(request, run(client.complete(request)))
        assert len(load_cassette(cassette)) == 1  # readable before the recorder closes


def test_torn_last_line_is_skipped_but_bad_lines_are_errors(tmp_path: Path) -> None:
    cassette = tmp_path / "torn.jsonl"
    request = make_request("mock/oracle")
    with open_model("mock/oracle", corpus=ARTICLES) as client, CassetteRecorder(cassette) as rec:
        rec.record(request, run(client.complete(request)))
    good = cassette.read_text()
    cassette.write_text(good + '{"version": 1, "key": "abc", "mod')
    assert len(load_cassette(cassette)) == 1
    cassette.write_text('{"not": "a record"}\n' + good)
    with pytest.raises(ModelConfigError, match=r"torn.jsonl:1: not a cassette record"):
        load_cassette(cassette)


def test_replay_needs_an_existing_cassette(tmp_path: Path) -> None:
    with pytest.raises(ModelConfigError, match="mock/replay needs a cassette"):
        check_model("mock/replay")
    with pytest.raises(ModelConfigError, match="cassette not found"):
        check_model("mock/replay", mock=MockOptions(cassette=tmp_path / "nope.jsonl"))
