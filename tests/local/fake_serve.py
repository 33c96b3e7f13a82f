"""Stands in for harness/providers/local/serve.py: same arguments, no model, standard library.

FAKE_SERVE_MODE picks the behaviour:
- ok: answer GET /health with 200 and what the child was given; stop when stdin closes;
- exit: complain on stderr and exit 4 at once;
- loading: answer /health with 503 for ever;
- stubborn: answer /health with 200 and ignore the closing of stdin.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

KEY_ENV = "EVALSUM_LOCAL_API_KEY"


def main() -> int:
    parser = argparse.ArgumentParser()
    for name in ("--model", "--alias", "--port", "--ctx", "--threads"):
        parser.add_argument(name, required=True)
    args = parser.parse_args()
    mode = os.environ.get("FAKE_SERVE_MODE", "ok")
    if mode == "exit":
        print("error: failed to load model 'nowhere.gguf'", file=sys.stderr)
        return 4
    seen = {"argv": sys.argv[1:], "key": os.environ.get(KEY_ENV), "pid": os.getpid()}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *a: Any) -> None:
            pass

        def do_GET(self) -> None:
            status = 503 if mode == "loading" else 200
            body = json.dumps(seen).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", int(args.port)), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sys.stdin.buffer.read()
    if mode == "stubborn":
        while True:
            time.sleep(60)
    server.shutdown()
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
