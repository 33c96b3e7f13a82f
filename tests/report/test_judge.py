"""`--judge MODEL`: claims judged through the provider layer, at temperature 0, cached."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from harness.cli.main import cli
from harness.judge import LLMJudge, parse_verdict
from tests.conftest import REPO
from tests.support import fake_openai as fake


@pytest.fixture(autouse=True)
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("yes", True),
        ("Yes.", True),
        ("**YES**", True),
        ("no", False),
        ("No, they differ", False),
        ("", False),
        ("I think so", False),
    ],
)
def test_parse_verdict(text: str, verdict: bool) -> None:
    assert parse_verdict(text) is verdict


def test_llm_judge_asks_the_model_once_per_order_and_caches(tmp_path: Path) -> None:
    with LLMJudge("mock/judge", cache_dir=tmp_path) as judge:
        assert judge.same_proposition(
            "China will never concede Taiwan", "China will never concede on Taiwan"
        )
        assert not judge.same_proposition("China will never concede Taiwan", "the talks were frank")
        assert (judge.stats.calls, judge.stats.cached) == (2, 0)
    with LLMJudge("mock/judge", cache_dir=tmp_path) as judge:
        assert judge.same_proposition(
            "China will never concede Taiwan", "China will never concede on Taiwan"
        )
        assert (judge.stats.calls, judge.stats.cached) == (0, 1)


def test_judge_call_failures_are_counted_not_fatal(tmp_path: Path) -> None:
    with (
        fake.FakeOpenAI() as server,
        LLMJudge(
            "openai/judge-model", api_base=server.base_url, cache_dir=tmp_path, retries=0
        ) as judge,
    ):
        server.push(fake.bad_request())
        assert judge.same_proposition("a b c", "a b c") is False
        assert judge.stats.errors == 1
        assert "temperature" in (judge.stats.last_error or "")
        server.push(fake.ok("Yes"))
        assert judge.same_proposition("a b c", "a b c") is True
        assert server.requests[-1]["temperature"] == 0


def test_unusable_judge_model_is_a_clean_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["run", "--model", "mock/oracle", "--judge", "nosuch/x", "--out", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert "unknown provider 'nosuch'" in result.output


def test_run_and_rescore_with_a_judge(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["run", "--model", "mock/noisy", "--judge", "mock/judge", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    folder = Path(result.output.strip().splitlines()[-1])
    report = json.loads((folder / "report.json").read_text())
    judge = report["run"]["judge"]
    assert judge["model"] == "mock/judge"
    assert judge["calls"] > 0 and judge["errors"] == 0
    assert len(judge["prompt_sha256"]) == 64

    again = CliRunner().invoke(cli, ["report", str(folder)])
    assert again.exit_code == 0, again.output
    rescored = json.loads((folder / "report.json").read_text())
    assert rescored["run"]["judge"]["calls"] == 0, "every verdict comes from the cache"
    assert rescored["run"]["judge"]["cached"] == judge["calls"]
    assert rescored["fields"] == report["fields"]
