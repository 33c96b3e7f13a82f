"""A scriptable OpenAI-compatible chat-completions server on 127.0.0.1, for tests.

It exists so tests can drive litellm's real HTTP path (`openai/NAME` + `api_base`) through
every failure the harness must classify: rate limits with Retry-After, server errors, slow
answers, bodies that are not JSON, context-window and auth errors. Standard library only, so
it cannot itself reach the network, and it binds the loopback interface on a free port.

Each request pops the next scripted `Reply`; when the script is empty the server answers a
normal completion. Every request body is recorded in `requests` for assertions.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

DEFAULT_TEXT = '{"participants": [], "dates": [], "claims": [], "red_lines": []}'


@dataclass(frozen=True)
class Reply:
    """One scripted answer: an HTTP status, a body (JSON-encoded unless already str/bytes)."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0


def completion_body(
    text: str = DEFAULT_TEXT,
    *,
    model: str = "fake-model",
    prompt_tokens: int = 11,
    completion_tokens: int = 7,
    finish_reason: str = "stop",
) -> dict[str, Any]:
    """The JSON of a normal chat completion, with usage."""
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": text},
                "finish_reason": finish_reason,
            }
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


def _error_body(message: str, type_: str, code: str | None = None) -> dict[str, Any]:
    return {"error": {"message": message, "type": type_, "param": None, "code": code}}


def ok(text: str = DEFAULT_TEXT, **kwargs: Any) -> Reply:
    return Reply(body=completion_body(text, **kwargs))


def rate_limited(retry_after: str | None = "2") -> Reply:
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    return Reply(429, _error_body("Rate limit reached", "requests", "rate_limit_exceeded"), headers)


def server_error() -> Reply:
    return Reply(500, _error_body("The server had an error", "server_error"))


def slow(delay_s: float, text: str = DEFAULT_TEXT) -> Reply:
    return Reply(body=completion_body(text), delay_s=delay_s)


def non_json() -> Reply:
    return Reply(
        200,
        "<html><body>502 Bad Gateway from a confused proxy</body></html>",
        {"Content-Type": "application/json"},
    )


def context_window() -> Reply:
    return Reply(
        400,
        _error_body(
            "This model's maximum context length is 8192 tokens. However, your messages "
            "resulted in 9001 tokens. Please reduce the length of the messages.",
            "invalid_request_error",
            "context_length_exceeded",
        ),
    )


def bad_request() -> Reply:
    return Reply(400, _error_body("Invalid value for 'temperature'", "invalid_request_error"))


def unauthorized() -> Reply:
    return Reply(
        401,
        _error_body(
            "Incorrect API key provided: sk-fake***1234.",
            "invalid_request_error",
            "invalid_api_key",
        ),
    )


class FakeOpenAI:
    """A threaded chat-completions server; use as a context manager or start()/stop()."""

    def __init__(self, api_key: str | None = None) -> None:
        # Like litellm's proxy with a master key, or `vllm serve --api-key`: any other
        # Authorization header gets a 401.
        self.api_key = api_key
        self.script: deque[Reply] = deque()
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        # Daemon handler threads: a test that abandons a slow request must not hang shutdown.
        self._server.daemon_threads = True
        # A short poll interval keeps stop() (and so each test's teardown) fast.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def base_url(self) -> str:
        port = self._server.server_address[1]
        return f"http://127.0.0.1:{port}/v1"

    def push(self, *replies: Reply) -> None:
        with self._lock:
            self.script.extend(replies)

    def start(self) -> FakeOpenAI:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _next_reply(self, body: dict[str, Any], headers: dict[str, str]) -> Reply:
        with self._lock:
            self.requests.append(body)
            self.headers.append(headers)
            given = {k.lower(): v for k, v in headers.items()}.get("authorization")
            if self.api_key is not None and given != f"Bearer {self.api_key}":
                return unauthorized()
            return self.script.popleft() if self.script else ok()

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass  # keep pytest output clean

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw or b"{}")
                except json.JSONDecodeError:
                    body = {"_unparsed": raw.decode("utf-8", "replace")}
                reply = fake._next_reply(body, dict(self.headers.items()))
                if reply.delay_s:
                    # Interruptible, so stop() never waits out a long scripted delay.
                    fake._stopping.wait(reply.delay_s)
                payload = reply.body if reply.body is not None else {}
                if isinstance(payload, str):
                    data = payload.encode()
                elif isinstance(payload, bytes):
                    data = payload
                else:
                    data = json.dumps(payload).encode()
                try:
                    self.send_response(reply.status)
                    headers = {"Content-Type": "application/json", **reply.headers}
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout test); nothing to answer

        return Handler


def wait_until(predicate: Any, timeout_s: float = 5.0) -> bool:
    """Poll `predicate` until true or the timeout; for tests that wait on server state."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return bool(predicate())


__all__ = [
    "DEFAULT_TEXT",
    "FakeOpenAI",
    "Reply",
    "bad_request",
    "completion_body",
    "context_window",
    "non_json",
    "ok",
    "rate_limited",
    "server_error",
    "slow",
    "unauthorized",
    "wait_until",
]
