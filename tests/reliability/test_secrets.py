"""A fake API key in the environment never reaches any file evalsum writes, nor its output."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from harness.cli.main import cli
from tests.conftest import REPO
from tests.support import fake_openai as fake

KEYS = {
    "OPENAI_API_KEY": "sk-evalsum-test-SECRET-0123456789abcdef",
    "ANTHROPIC_API_KEY": "sk-ant-evalsum-test-SECRET-fedcba9876543210",
    "MY_PROXY_TOKEN": "tok-evalsum-SECRET-55555",
}


@pytest.fixture
def server() -> Iterator[fake.FakeOpenAI]:
    with fake.FakeOpenAI() as srv:
        yield srv


def test_keys_never_written_or_printed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, server: fake.FakeOpenAI
) -> None:
    monkeypatch.chdir(REPO)
    for name, value in KEYS.items():
        monkeypatch.setenv(name, value)
    out, cache, tape = tmp_path / "out", tmp_path / "cache", tmp_path / "tape.jsonl"
    outputs = []

    def evalsum(*args: str) -> None:
        result = CliRunner().invoke(cli, [*args, "--out", str(out), "--cache-dir", str(cache)])
        outputs.append(result.output)

    # A provider that echoes what it was sent in its error messages must not leak it either.
    server.push(
        fake.Reply(
            401,
            {
                "error": {
                    "message": f"bad key {KEYS['OPENAI_API_KEY']}",
                    "type": "invalid_request_error",
                }
            },
        ),
        fake.server_error(),
        fake.ok(),
    )
    userinfo_base = server.base_url.replace("http://", f"http://user:{KEYS['MY_PROXY_TOKEN']}@")
    evalsum(
        "run",
        "--model",
        "openai/gpt-4o-mini",
        "--api-base",
        userinfo_base,
        "--record",
        str(tape),
        "--retries",
        "2",
        "--retry-max-delay",
        "0",
    )
    evalsum(
        "run",
        "--model",
        "mock/noisy",
        "--record",
        str(tape),
        "--mock-error-rate",
        "0.5",
        "--retry-max-delay",
        "0",
    )
    evalsum("run", "--model", "mock/replay", "--cassette", str(tape))
    folders = [p for p in out.iterdir() if p.is_dir()]
    assert len(folders) == 3
    evalsum("compare", str(folders[0]), str(folders[1]))
    CliRunner().invoke(
        cli, ["compare", str(folders[0]), str(folders[1]), "--out", str(tmp_path / "cmp")]
    )

    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(p.name == "journal.jsonl" for p in written)
    assert any(p.suffix == ".sqlite" for p in cache.iterdir())
    assert tape.exists()
    for value in KEYS.values():
        for path in written:
            assert value.encode() not in path.read_bytes(), f"key leaked into {path}"
        for text in outputs:
            assert value not in text, "key leaked into the command's output"


def test_command_line_is_recorded_without_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    from harness.redact import redact_argv

    monkeypatch.setenv("OPENAI_API_KEY", KEYS["OPENAI_API_KEY"])
    argv = [
        "evalsum",
        "run",
        "--api-base",
        "https://bob:hunter22@llm.example/v1",
        f"--note={KEYS['OPENAI_API_KEY']}",
    ]
    assert redact_argv(argv) == [
        "evalsum",
        "run",
        "--api-base",
        "https://llm.example/v1",
        "--note=***",
    ]
