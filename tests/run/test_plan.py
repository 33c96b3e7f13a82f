"""Planned tasks keep their key, not their prompt; the prompt rendered at call time matches it."""

from __future__ import annotations

from harness import schemas
from harness.gold import load_corpus
from harness.prompts import load_prompt
from harness.run.config import RunConfig
from harness.run.plan import cache_key, plan_tasks
from tests.conftest import GOLD


def test_a_task_renders_again_the_request_it_was_keyed_on() -> None:
    corpus = load_corpus(GOLD)
    config = RunConfig(samples=2)
    for send_schema in (True, False):
        tasks = plan_tasks(
            corpus.articles,
            load_prompt("v2"),
            config,
            schema=schemas.load("summary.schema.json"),
            send_schema=send_schema,
            provider_fingerprint={"noise_rate": 0.3},
        )
        assert len(tasks) == 2 * len(corpus.articles)
        assert len({t.key for t in tasks}) == len(tasks)
        for task in tasks:
            request = task.request
            assert cache_key(request, {"noise_rate": 0.3}) == task.key
            assert (request.article_id, request.sample_index) == task.ref
            assert (request.response_schema is not None) == send_schema
