"""The child process that hosts llama.cpp's OpenAI-compatible server (xllamacpp).

harness.providers.local.server starts it by path, not with `-m`, so the child imports only
the standard library and xllamacpp (no evalsum, no pydantic):

    python serve.py --model FILE.gguf --alias smollm2 --port 40123 --ctx 8192 --threads 2

It listens on 127.0.0.1 only. The API key it demands comes from the environment
(EVALSUM_LOCAL_API_KEY), never from the command line, which every local user can read.
The server lives until stdin closes: the parent closes it to stop the server, and a parent
that dies closes it too, so no server outlives its run.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Sequence

HOST = "127.0.0.1"
API_KEY_ENV = "EVALSUM_LOCAL_API_KEY"
EXIT_NO_PACKAGE = 3
EXIT_NO_START = 4
STOP_GRACE_S = 3


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, help="GGUF file")
    parser.add_argument("--alias", required=True, help="model name the server answers to")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--ctx", type=int, required=True, help="context size in tokens")
    parser.add_argument("--threads", type=int, required=True)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = _arguments(argv)
    try:
        import xllamacpp
    except ImportError as exc:
        print(f"cannot import xllamacpp: {exc}", file=sys.stderr)
        return EXIT_NO_PACKAGE

    params = xllamacpp.CommonParams()
    params.model.path = args.model
    params.model_alias = {args.alias}
    params.hostnames = [HOST]
    params.port = args.port
    params.n_ctx = args.ctx
    # One answer at a time; the parent queues calls so that waiting does not eat timeouts.
    params.n_parallel = 1
    params.cpuparams.n_threads = args.threads
    params.cpuparams_batch.n_threads = args.threads
    # A reused prompt prefix can change the numerics of the rest; each answer stands alone.
    params.cache_prompt = False
    params.ui = False
    # The chat template is the one the GGUF file carries (llama.cpp's default with jinja).
    params.use_jinja = True
    key = os.environ.get(API_KEY_ENV)
    if key:
        params.api_keys = [key]
    try:
        server = xllamacpp.Server(params)  # returns once the model is loaded and listening
    except Exception as exc:
        print(f"the llama.cpp server did not start: {exc}", file=sys.stderr)
        return EXIT_NO_START
    sys.stdin.buffer.read()  # until the parent closes stdin, or dies
    # llama.cpp finishes a call in progress before it stops; with nothing to save, it need
    # not: the kernel ends the process after the grace (a Python timer thread does not get to
    # run meanwhile). The parent kills it after its own grace; this covers a parent that died.
    if hasattr(signal, "SIGALRM"):
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
        signal.alarm(STOP_GRACE_S)
    del server  # stops llama.cpp's loop and HTTP threads and closes the port
    return 0


if __name__ == "__main__":
    sys.exit(main())
