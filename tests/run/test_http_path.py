"""`evalsum run` through litellm's real HTTP path against a fake server on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from harness.cli.main import cli
from tests.conftest import GOLD, REPO
from tests.support import fake_openai as fake

FIRST = sorted(p.name for p in GOLD.iterdir() if p.is_dir())[0]


@pytest.fixture(autouse=True)
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    for name in ("OPENAI_API_KEY", "ANTHROPIC_API_KEY"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def server() -> Iterator[fake.FakeOpenAI]:
    with fake.FakeOpenAI() as srv:
        yield srv


def run(tmp_path: Path, server: fake.FakeOpenAI, *extra: str, model: str = "openai/fake-model"):
    args = [
        "run",
        "--model",
        model,
        "--api-base",
        server.base_url,
        "--out",
        str(tmp_path),
        "--no-cache",
        "--articles",
        FIRST,
        *extra,
    ]
    result = CliRunner().invoke(cli, args)
    folder = Path([ln for ln in result.output.splitlines() if ln.strip()][-1])
    report = (
        json.loads((folder / "report.json").read_text())
        if (folder / "report.json").exists()
        else None
    )
    return result.exit_code, result.output, report


@pytest.mark.slow
def test_transient_errors_are_retried_honouring_retry_after(
    tmp_path: Path, server: fake.FakeOpenAI
) -> None:
    server.push(fake.rate_limited("1"), fake.server_error(), fake.ok())
    code, output, report = run(tmp_path, server, "--retries", "3")
    assert code == 0, output
    assert len(server.requests) == 3
    sample = report["articles"][0]["samples"][0]
    assert sample["retries"] == 2
    assert sample["output_status"] == "ok"
    assert sample["usage"]["prompt_tokens"] == 11
    assert sample["usage"]["completion_tokens"] == 7
    assert report["usage"]["retries"] == 2
    # The schema reaches a model without structured-output support through the prompt.
    assert '"red_lines"' in server.requests[0]["messages"][-1]["content"]


@pytest.mark.parametrize(
    ("reply", "kind"),
    [
        (fake.context_window, "context_window"),
        (fake.bad_request, "bad_request"),
        (fake.unauthorized, "auth"),
    ],
)
def test_permanent_errors_are_not_retried(
    tmp_path: Path,
    server: fake.FakeOpenAI,
    reply,
    kind: str,
) -> None:
    server.push(reply())
    code, output, report = run(tmp_path, server, "--retries", "3")
    assert code == 1, output
    assert len(server.requests) == 1
    (error,) = report["errors"]
    assert error["kind"] == kind
    assert error["attempts"] == 1
    assert error["article_id"] == FIRST


def test_non_json_body_is_classified_and_recorded(tmp_path: Path, server: fake.FakeOpenAI) -> None:
    server.push(fake.non_json(), fake.non_json())
    code, output, report = run(tmp_path, server, "--retries", "1")
    assert code == 1, output
    (error,) = report["errors"]
    assert error["kind"] == "malformed_response"
    assert error["attempts"] == 2


@pytest.mark.slow
def test_timeout_is_retried_then_recorded(tmp_path: Path, server: fake.FakeOpenAI) -> None:
    server.push(fake.slow(5), fake.slow(5))
    code, output, report = run(tmp_path, server, "--retries", "1", "--timeout", "0.5")
    assert code == 1, output
    (error,) = report["errors"]
    assert error["kind"] == "timeout"


def test_unreachable_api_base_is_a_recorded_connection_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "run",
            "--model",
            "openai/fake-model",
            "--api-base",
            "http://127.0.0.1:9/v1",
            "--out",
            str(tmp_path),
            "--no-cache",
            "--articles",
            FIRST,
            "--retries",
            "0",
        ],
    )
    assert result.exit_code == 1, result.output
    folder = Path(result.output.strip().splitlines()[-1])
    (error,) = json.loads((folder / "report.json").read_text())["errors"]
    assert error["kind"] == "connection"
    assert "127.0.0.1:9" in error["message"]
    assert error["status_code"] is None
    journaled = json.loads((folder / "journal.jsonl").read_text().splitlines()[0])
    assert journaled["error"]["status_code"] is None


def test_max_cost_stops_new_calls_and_keeps_what_is_done(
    tmp_path: Path, server: fake.FakeOpenAI
) -> None:
    # gpt-4o-mini has a price in litellm's bundled map, so the first call costs something.
    code, output, report = run(
        tmp_path,
        server,
        "--samples",
        "3",
        "--concurrency",
        "1",
        "--max-cost",
        "0.0000001",
        model="openai/gpt-4o-mini",
    )
    assert code == 1, output
    assert "--max-cost reached" in output
    assert len(server.requests) == 1
    statuses = [s["status"] for s in report["articles"][0]["samples"]]
    assert statuses == ["ok", "skipped", "skipped"]
    assert report["usage"]["cost_usd"] > 0


def test_missing_api_key_is_one_clean_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["run", "--model", "openai/gpt-4o-mini", "--out", str(tmp_path), "--no-cache"]
    )
    assert result.exit_code == 2
    assert "OPENAI_API_KEY" in result.output
    assert "Traceback" not in result.output
    assert not any(tmp_path.iterdir()), "nothing is written before the model can be called"


def test_samples_vary_the_seed(tmp_path: Path, server: fake.FakeOpenAI) -> None:
    code, output, _ = run(tmp_path, server, "--samples", "2", "--seed", "10")
    assert code == 0, output
    assert sorted(r.get("seed") for r in server.requests) == [10, 11]
