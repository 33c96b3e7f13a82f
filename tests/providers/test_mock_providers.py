"""mock/oracle and mock/noisy: answering from the article sent, reproducible noise, faults."""

from __future__ import annotations

import asyncio
import json
import random
import time
from pathlib import Path

import pytest

from harness.gold import GoldArticle
from harness.providers import (
    CompletionRequest,
    CompletionResult,
    MockOptions,
    ModelClient,
    ProviderError,
    RetryPolicy,
    open_model,
)
from harness.providers.mock.articles import ArticleIndex
from harness.providers.mock.perturb import PERTURBATIONS, perturb
from harness.providers.mock.seeding import seeded_rng
from harness.summary import Summary
from tests.support.articles import ARTICLES, GENEVA, SUMMIT, filler_articles, prompt_for
from tests.support.network import guard_loopback
from tests.support.requests import RecordedSleep, make_request, run


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    guard_loopback(monkeypatch)


def _complete(client: ModelClient, request: CompletionRequest) -> CompletionResult:
    return run(client.complete(request))


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.meta.id)
def test_oracle_returns_exactly_the_gold_json(article: GoldArticle) -> None:
    with open_model("mock/oracle", corpus=ARTICLES) as client:
        assert client.supports_response_schema
        result = _complete(client, make_request("mock/oracle", article))
    assert result.text == article.summary.model_dump_json()
    assert Summary.model_validate_json(result.text) == article.summary
    assert result.finish_reason == "stop"
    assert result.prompt_tokens and result.completion_tokens
    assert result.completion_tokens == len(result.text) // 4
    assert result.cost_usd == 0.0  # known to be free, not unknown
    assert result.provider_model == "mock/oracle"


def test_oracle_finds_the_article_in_a_large_corpus_whatever_the_prompt() -> None:
    corpus = [*filler_articles(300), *ARTICLES]
    # Another template: different preamble, straight quotes, lines re-wrapped.
    text = SUMMIT.text.replace("“", '"').replace("”", '"').replace("’", "'").replace("\n", " ")
    request = make_request(
        "mock/oracle",
        SUMMIT,
        messages=[{"role": "user", "content": f"Summarise this, please:\n\n{text}\n\nThanks."}],
    )
    with open_model("mock/oracle", corpus=corpus) as client:
        assert _complete(client, request).text == SUMMIT.summary.model_dump_json()


def test_few_shot_examples_do_not_fool_the_lookup() -> None:
    messages = [
        {"role": "system", "content": "Extract summaries."},
        {"role": "user", "content": prompt_for(GENEVA)},
        {"role": "assistant", "content": GENEVA.summary.model_dump_json()},
        {"role": "user", "content": prompt_for(SUMMIT)},
    ]
    with open_model("mock/oracle", corpus=ARTICLES) as client:
        result = _complete(client, make_request("mock/oracle", SUMMIT, messages=messages))
    assert result.text == SUMMIT.summary.model_dump_json()


def test_index_lookup_confirms_by_containment() -> None:
    index = ArticleIndex([*filler_articles(50), *ARTICLES])
    assert index.find(prompt_for(GENEVA)) is GENEVA
    # Most of the article is not the article: no match rather than a guess.
    assert index.find(GENEVA.text[: len(GENEVA.text) // 2]) is None
    assert index.find("") is None


def test_the_requested_article_wins_among_near_duplicates() -> None:
    # Replicas share nearly every gram; the request's own article is tried first.
    replicas = [
        GENEVA.model_copy(update={"meta": GENEVA.meta.model_copy(update={"id": f"geneva-{k}"})})
        for k in range(3)
    ]
    index = ArticleIndex([*replicas, *ARTICLES])
    for replica in replicas:
        assert index.find(prompt_for(GENEVA), replica.meta.id) is replica
    # A hint whose text the message lacks is ignored, never trusted.
    assert index.find(prompt_for(SUMMIT), "geneva-1") is SUMMIT
    assert index.find(prompt_for(SUMMIT), "no-such-id") is SUMMIT


def test_an_unknown_article_is_a_clear_non_retryable_error() -> None:
    request = make_request("mock/oracle", SUMMIT)
    with (
        open_model("mock/oracle", corpus=[GENEVA]) as client,
        pytest.raises(ProviderError) as caught,
    ):
        _complete(client, request)
    error = caught.value
    assert (error.kind, error.retryable) == ("not_found", False)
    assert "none of the 1 gold articles" in error.message
    assert "trade-summit" in error.message


def _noisy_text(client: ModelClient, article: GoldArticle, sample: int, seed: int = 0) -> str:
    request = make_request("mock/noisy", article, sample_index=sample, seed=seed)
    return _complete(client, request).text


def test_noisy_is_reproducible_and_differs_across_samples() -> None:
    with open_model("mock/noisy", corpus=ARTICLES, mock=MockOptions(noise_rate=0.5)) as client:
        first = [_noisy_text(client, GENEVA, sample) for sample in range(6)]
        again = [_noisy_text(client, GENEVA, sample) for sample in range(6)]
        other_seed = [_noisy_text(client, GENEVA, sample, seed=1) for sample in range(6)]
    assert first == again
    assert len(set(first)) > 1
    assert first != other_seed
    for text in first:
        Summary.model_validate_json(text)  # noise is wrong content, never invalid output


def test_noise_rate_bounds() -> None:
    gold = GENEVA.summary.model_dump_json()
    with open_model("mock/noisy", corpus=ARTICLES, mock=MockOptions(noise_rate=0.0)) as client:
        assert _noisy_text(client, GENEVA, 0) == gold
    with open_model("mock/noisy", corpus=ARTICLES, mock=MockOptions(noise_rate=1.0)) as client:
        assert all(_noisy_text(client, GENEVA, s) != gold for s in range(3))


@pytest.mark.parametrize("perturbation", PERTURBATIONS, ids=lambda p: p.__name__)
def test_each_perturbation_changes_a_rich_summary(perturbation: object) -> None:
    for article in ARTICLES:
        summary = article.summary.model_copy(deep=True)
        assert perturbation(summary, random.Random(0))  # type: ignore[operator]
        assert summary != article.summary
        Summary.model_validate(summary.model_dump())  # still a valid summary


def test_perturbations_skip_when_nothing_applies() -> None:
    empty = Summary()
    for perturbation in PERTURBATIONS:
        if perturbation.__name__ != "invent_item":
            assert not perturbation(empty.model_copy(deep=True), random.Random(0))


def test_perturb_is_a_pure_function_of_its_seed() -> None:
    first = perturb(SUMMIT.summary, 0.5, 3, "trade-summit", 1)
    second = perturb(SUMMIT.summary, 0.5, 3, "trade-summit", 1)
    assert first == second
    assert SUMMIT.summary == SUMMIT.model_copy(deep=True).summary  # gold left untouched


def _outcomes(options: MockOptions, samples: int = 40) -> list[str | ProviderError]:
    outcomes: list[str | ProviderError] = []
    with open_model("mock/oracle", corpus=ARTICLES, mock=options) as client:
        for sample in range(samples):
            request = make_request("mock/oracle", ARTICLES[sample % 2], sample_index=sample)
            try:
                outcomes.append(_complete(client, request).text)
            except ProviderError as error:
                outcomes.append(error)
    return outcomes


def test_injected_errors_take_the_real_classification_path() -> None:
    errors = [o for o in _outcomes(MockOptions(error_rate=1.0)) if isinstance(o, ProviderError)]
    assert len(errors) == 40
    by_kind = {e.kind: e for e in errors}
    assert set(by_kind) == {"rate_limit", "timeout", "server"}
    assert (by_kind["rate_limit"].status_code, by_kind["rate_limit"].retry_after_s) == (429, 1.0)
    assert by_kind["rate_limit"].cause == "litellm.exceptions.RateLimitError"
    assert by_kind["timeout"].cause == "litellm.exceptions.Timeout"
    assert by_kind["server"].status_code == 500
    assert all(e.retryable for e in errors)


def test_injected_faults_are_reproducible() -> None:
    options = MockOptions(error_rate=0.3, malformed_rate=0.3)
    first = [o if isinstance(o, str) else o.kind for o in _outcomes(options)]
    second = [o if isinstance(o, str) else o.kind for o in _outcomes(options)]
    assert first == second


def test_malformed_answers_are_prose_or_truncated_json() -> None:
    texts = [o for o in _outcomes(MockOptions(malformed_rate=1.0)) if isinstance(o, str)]
    assert len(texts) == 40
    for text in texts:
        with pytest.raises(json.JSONDecodeError):
            json.loads(text)
    assert any(t.startswith("{") for t in texts) and any(not t.startswith("{") for t in texts)


def test_retries_recover_from_injected_faults() -> None:
    options = MockOptions(error_rate=0.5)
    policy = RetryPolicy(max_retries=12, base_delay_s=0.01, max_delay_s=5.0)
    sleep = RecordedSleep()
    attempts = []
    with open_model("mock/noisy", corpus=ARTICLES, mock=options) as client:
        for sample in range(10):
            request = make_request("mock/noisy", GENEVA, sample_index=sample)
            result, n = run(
                client.complete_with_retries(request, policy, sleep=sleep, rng=seeded_rng(sample))
            )
            Summary.model_validate_json(result.text)
            attempts.append(n)
    assert max(attempts) > 1
    assert 1.0 in sleep.delays  # a mock rate limit's Retry-After, honoured


def test_latency_is_slept_concurrently() -> None:
    options = MockOptions(latency_ms=200)

    async def many(client: ModelClient) -> list[CompletionResult]:
        requests = [make_request("mock/oracle", GENEVA, sample_index=i) for i in range(32)]
        return await asyncio.gather(*(client.complete(r) for r in requests))

    with open_model("mock/oracle", corpus=ARTICLES, mock=options) as client:
        _complete(client, make_request("mock/oracle"))  # litellm's first call is slow
        started = time.monotonic()
        results = run(many(client))
    assert time.monotonic() - started < 2.0  # 32 x 0.2 s would be 6.4 s in series
    assert all(r.latency_s >= 0.2 for r in results)


def test_mock_latency_beyond_the_timeout_is_a_timeout() -> None:
    request = make_request("mock/oracle", timeout_s=0.1)
    with (
        open_model("mock/oracle", corpus=ARTICLES, mock=MockOptions(latency_ms=5000)) as client,
        pytest.raises(ProviderError) as caught,
    ):
        _complete(client, request)
    assert caught.value.kind == "timeout"


def test_litellm_sync_completion_path_serves_mocks_too() -> None:
    from harness.providers import litellm_client

    litellm = litellm_client.load_litellm()
    request = make_request("mock/oracle", SUMMIT)
    with open_model("mock/oracle", corpus=ARTICLES) as client:
        assert client.route.backend is not None
        response = litellm.completion(
            model="mock/oracle",
            messages=[m.model_dump() for m in request.messages],
            metadata={
                litellm_client._METADATA_KEY: litellm_client._Dispatch(
                    client.route.backend, request, 1
                )
            },
        )
    assert response.choices[0].message.content == SUMMIT.summary.model_dump_json()


def test_oracle_answers_every_real_gold_article_inside_every_real_prompt() -> None:
    """The repository's gold, rendered with the built-in prompts, as the run does it."""
    from harness.gold import load_corpus
    from harness.prompts import available_prompts, load_prompt
    from harness.schemas import load as load_schema

    root = Path(__file__).resolve().parents[2]
    corpus = load_corpus(root / "gold")
    schema = load_schema("summary.schema.json")
    prompts = available_prompts(None)
    assert corpus.articles and prompts
    with open_model("mock/oracle", corpus=corpus.articles) as client:
        for name in prompts:
            template = load_prompt(name)
            for article in corpus.articles:
                messages = template.render(
                    article=article.text,
                    published=article.meta.published,
                    title=article.meta.title,
                    schema=schema,
                    schema_in_prompt=False,
                )
                request = make_request("mock/oracle", article, messages=messages)
                assert _complete(client, request).text == article.summary.model_dump_json()
