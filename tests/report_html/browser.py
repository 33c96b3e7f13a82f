"""A minimal W3C WebDriver client for headless Chromium, over chromedriver on loopback.

Debian ships `chromium` and a `chromium-driver` of the same version, so the pair always agree;
speaking the plain WebDriver protocol with urllib needs no Python package and no browser
download. chromedriver adds the browser's console log (`goog:loggingPrefs`), which is how the
tests see script errors and Content-Security-Policy violations.
"""

from __future__ import annotations

import base64
import json
import re
import selectors
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Self

CHROMIUM = "chromium"
CHROMEDRIVER = "chromedriver"
_PORT = re.compile(r"started successfully on port (\d+)")


def missing_browser() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    for name, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if shutil.which(name) is None:
            return f"{name} not found on PATH (Debian package {package})"
    return None


class WebDriverError(RuntimeError):
    pass


class Browser:
    """One headless Chromium session; use as a context manager so both processes end."""

    def __init__(self, profile: Path, *, width: int = 1280, height: int = 2000) -> None:
        # chromedriver listens on loopback; an HTTP(S)_PROXY in the environment must not apply.
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        self._driver = subprocess.Popen(
            [shutil.which(CHROMEDRIVER) or CHROMEDRIVER, "--port=0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            self._base = f"http://127.0.0.1:{self._wait_for_port()}"
            options = {
                "binary": shutil.which(CHROMIUM),
                "args": [
                    "--headless=new",
                    "--no-sandbox",  # containers and CI runners have no user namespaces
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--no-first-run",
                    f"--user-data-dir={profile}",
                    f"--window-size={width},{height}",
                ],
            }
            capabilities = {
                "browserName": "chrome",
                "goog:chromeOptions": options,
                "goog:loggingPrefs": {"browser": "ALL"},
            }
            answer = self._call("POST", "/session", {"capabilities": {"alwaysMatch": capabilities}})
            self._session = f"/session/{answer['sessionId']}"
        except BaseException:
            self._stop_driver()
            raise

    def _wait_for_port(self, timeout: float = 60.0) -> int:
        assert self._driver.stdout is not None  # Popen(stdout=PIPE)
        deadline = time.monotonic() + timeout
        seen: list[str] = []
        with selectors.DefaultSelector() as selector:
            selector.register(self._driver.stdout, selectors.EVENT_READ)
            while time.monotonic() < deadline:
                if not selector.select(timeout=deadline - time.monotonic()):
                    break
                line = self._driver.stdout.readline()
                if not line:
                    break
                seen.append(line)
                match = _PORT.search(line)
                if match:
                    return int(match.group(1))
        raise WebDriverError("chromedriver did not start:\n" + "".join(seen))

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        data = json.dumps(body if body is not None else {}).encode() if method == "POST" else None
        request = urllib.request.Request(
            self._base + path,
            data=data,
            method=method,
            headers={"Content-Type": "application/json"},
        )
        try:
            with self._opener.open(request, timeout=60) as response:
                return json.load(response)["value"]
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode(errors="replace")
            raise WebDriverError(f"{method} {path}: {detail}") from None

    def get(self, url: str) -> None:
        self._call("POST", f"{self._session}/url", {"url": url})

    def run(self, script: str, *args: Any) -> Any:
        """Run a function body in the page and return its (JSON) result."""
        return self._call("POST", f"{self._session}/execute/sync", {"script": script, "args": args})

    def console(self) -> list[dict[str, Any]]:
        """Console entries since the last call: level, message (with source), timestamp."""
        return list(self._call("POST", f"{self._session}/se/log", {"type": "browser"}))

    def screenshot(self, path: Path) -> Path:
        path.write_bytes(base64.b64decode(self._call("GET", f"{self._session}/screenshot")))
        return path

    def close(self) -> None:
        try:
            self._call("DELETE", self._session)
        finally:
            self._stop_driver()

    def _stop_driver(self) -> None:
        self._driver.terminate()
        try:
            self._driver.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._driver.kill()
            self._driver.wait()
        if self._driver.stdout is not None:
            self._driver.stdout.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
