"""Starting and stopping one llama.cpp server in a child process, on 127.0.0.1 only.

    with running_server(settings, what="local/smollm2") as server:
        ...  # OpenAI-compatible API at server.base_url + "/v1", key server.api_key

The child (serve.py) is its own process so that llama.cpp's threads, logs and signal
handlers stay out of evalsum, and so that a stop can always be forced. Its output goes to a
temporary log whose tail explains a failed start. The block's exit stops the server,
whatever ends it: the end of the run, an error or Ctrl-C (the child is in its own session,
so Ctrl-C reaches only evalsum, which then stops it in order).
"""

from __future__ import annotations

import contextlib
import http.client
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from harness.providers.errors import ModelConfigError
from harness.providers.local.serve import API_KEY_ENV, HOST

SERVE_SCRIPT = Path(__file__).with_name("serve.py")
START_TIMEOUT_S = 120.0
# An idle server stops in milliseconds. One still answering a call does not stop by itself
# (llama.cpp waits for the call's result while it shuts down); it has nothing to save, so it
# is killed after this grace.
STOP_GRACE_S = 2.0
_POLL_S = 0.05
_LOG_TAIL_CHARS = 600


@dataclass(frozen=True)
class ServerSettings:
    model_path: Path
    alias: str
    n_ctx: int
    threads: int


@dataclass(frozen=True)
class LocalServer:
    """A running server: where it listens and the key it demands."""

    base_url: str
    api_key: str
    port: int
    process: subprocess.Popen[bytes]


def free_port() -> int:
    """A port nobody listens on at 127.0.0.1 now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def spawn(
    settings: ServerSettings, port: int, api_key: str, log: IO[bytes]
) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        str(SERVE_SCRIPT),
        "--model",
        str(settings.model_path),
        "--alias",
        settings.alias,
        "--port",
        str(port),
        "--ctx",
        str(settings.n_ctx),
        "--threads",
        str(settings.threads),
    ]
    # Its own session (process group on Windows): Ctrl-C goes to evalsum, which stops it.
    detach: dict[str, Any] = (
        {"start_new_session": True}
        if os.name == "posix"
        else {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}  # type: ignore[attr-defined]
    )
    return subprocess.Popen(
        command,
        stdin=subprocess.PIPE,
        stdout=log,
        stderr=log,
        env={**os.environ, API_KEY_ENV: api_key},
        **detach,
    )


def health(port: int, timeout_s: float = 2.0) -> int | None:
    """HTTP status of GET /health on 127.0.0.1:port (200 ready, 503 loading); None if down."""
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout_s)
    try:
        connection.request("GET", "/health")
        return connection.getresponse().status
    except OSError:
        return None
    finally:
        connection.close()


def _log_tail(log: IO[bytes]) -> str:
    log.flush()
    log.seek(0)
    text = log.read().decode("utf-8", "replace")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return " | ".join(lines)[-_LOG_TAIL_CHARS:] or "no output"


def _wait_until_ready(
    process: subprocess.Popen[bytes], port: int, log: IO[bytes], timeout_s: float, what: str
) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        if process.poll() is not None:
            raise ModelConfigError(
                f"{what}: the llama.cpp server exited (code {process.returncode}) before it "
                f"was ready: {_log_tail(log)}"
            )
        if health(port) == 200:
            return
        if time.monotonic() > deadline:
            raise ModelConfigError(
                f"{what}: the llama.cpp server was not ready after {timeout_s:g}s: {_log_tail(log)}"
            )
        time.sleep(_POLL_S)


def stop(process: subprocess.Popen[bytes], timeout_s: float = STOP_GRACE_S) -> None:
    """Close the child's stdin (its signal to stop) and wait; kill it if it does not stop."""
    try:
        if process.poll() is None:
            with contextlib.suppress(OSError):
                if process.stdin is not None:
                    process.stdin.close()
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=timeout_s)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


@contextlib.contextmanager
def running_server(
    settings: ServerSettings, *, what: str, start_timeout_s: float = START_TIMEOUT_S
) -> Iterator[LocalServer]:
    """A ready server for the block; stopped when the block ends, however it ends."""
    api_key = secrets.token_urlsafe(24)
    port = free_port()
    with tempfile.TemporaryFile(prefix="evalsum-llama-") as log:
        process = spawn(settings, port, api_key, log)
        try:
            _wait_until_ready(process, port, log, start_timeout_s, what)
            yield LocalServer(f"http://{HOST}:{port}", api_key, port, process)
        finally:
            stop(process)


__all__ = [
    "START_TIMEOUT_S",
    "LocalServer",
    "ServerSettings",
    "free_port",
    "health",
    "running_server",
    "stop",
]
