"""Run one evalsum command in this process and write what it cost to a JSON file.

    python -m bench.child STATS.json [--attribute] -- run --gold ... --out ...

The command runs exactly as `evalsum ...` does (the same `harness.cli.main.main`); this wrapper
only reads clocks around it. It records wall time, the process's CPU time and peak RSS, which
heavy modules were imported, and with `--attribute` the CPU spent inside provider calls:

- `provider_cpu_s`: inside `harness.providers.litellm_client.acomplete`, i.e. litellm's own
  work for the call (request building, the custom-provider dispatch, response objects, cost)
  plus the mock backend that answers;
- `mock_cpu_s`: the part of that spent in the mock backend (`MockBackend.reply`).

- `phases`: CPU of evalsum's own steps (all synchronous, so the deltas are exact): loading
  gold, planning, journaling, the response cache, parsing answers, scoring, writing reports.

The provider deltas are taken with `time.process_time()` across an `await` (all threads:
litellm runs part of each call in asyncio's executor threads), which is exact only when
nothing else runs meanwhile: run attributed commands with `--concurrency 1` and zero latency.
The one thing that still runs meanwhile is evalsum's background scoring (articles are scored
while later calls are made); its CPU during an await is taken out of the provider's. Phases
are timed with `time.thread_time()`: evalsum's own steps all run on the main thread, and a
step that releases the GIL (SQLite, file I/O) must not be charged with litellm's threads.
Phases nest: "report: articles" includes "parse answers", "score", "score cache",
"report.html: articles" and some of "load gold".
"""

from __future__ import annotations

import functools
import json
import resource
import sys
import time
from pathlib import Path
from typing import Any

HEAVY_MODULES = ("litellm", "openai", "scipy", "rapidfuzz", "dateparser", "jinja2")


def _attribute(totals: dict[str, float]) -> None:
    from harness.providers import litellm_client
    from harness.providers.mock.backends import MockBackend

    acomplete = litellm_client.acomplete

    spent = _phases(totals)

    @functools.wraps(acomplete)
    async def timed_acomplete(*args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        scoring = spent.get(BACKGROUND_PHASE, 0.0)
        try:
            return await acomplete(*args, **kwargs)
        finally:
            meanwhile = spent.get(BACKGROUND_PHASE, 0.0) - scoring
            totals["provider_cpu_s"] += time.process_time() - started - meanwhile
            totals["provider_calls"] += 1

    reply = MockBackend.reply

    @functools.wraps(reply)
    def timed_reply(self: Any, call: Any) -> Any:
        started = time.thread_time()
        try:
            return reply(self, call)
        finally:
            totals["mock_cpu_s"] += time.thread_time() - started

    # ModelClient looks the function up in the module at call time.
    litellm_client.acomplete = timed_acomplete  # type: ignore[assignment]
    MockBackend.reply = timed_reply  # type: ignore[method-assign]


# phase -> (module, attribute): evalsum's own synchronous steps, each looked up where it is used.
PHASES = {
    "load gold": ("harness.gold.store", "load_article_digested"),
    "gold hash": ("harness.gold.store", "corpus_sha256"),
    "plan": ("harness.run.runner", "plan_tasks"),
    "journal": ("harness.run.journal", "Journal.append"),
    "cache": ("harness.run.cache", "ResponseCache.get"),
    "cache put": ("harness.run.cache", "ResponseCache.put"),
    "parse answers": ("harness.report.build", "parse_output"),
    "score": ("harness.report.build", "score_article"),
    "score cache": ("harness.report.score_cache", "ScoreCache.get"),
    "report: articles": ("harness.report.build", "ReportWriter._score"),
    "report: finish": ("harness.report.build", "ReportWriter.finish"),
    "report.html: articles": ("harness.report.html.render", "ReportPage.add"),
    "report.html: page": ("harness.report.html.render", "ReportPage.write"),
}
# Scoring that runs in the background while calls are awaited.
BACKGROUND_PHASE = "report: articles"


def _phases(totals: dict[str, Any]) -> dict[str, float]:
    import importlib

    spent: dict[str, float] = totals.setdefault("phases", {})
    for phase, (module_name, dotted) in PHASES.items():
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        owner_name, _, attr = dotted.rpartition(".")
        owner = getattr(module, owner_name) if owner_name else module
        original = getattr(owner, attr, None)
        if original is None:
            continue
        spent[phase] = 0.0

        def timed(*args: Any, __f: Any = original, __p: str = phase, **kwargs: Any) -> Any:
            started = time.thread_time()
            try:
                return __f(*args, **kwargs)
            finally:
                spent[__p] += time.thread_time() - started

        setattr(owner, attr, functools.wraps(original)(timed))
    return spent


def main(argv: list[str]) -> int:
    stats_path = Path(argv[0])
    attribute = "--attribute" in argv[1 : argv.index("--")]
    command = argv[argv.index("--") + 1 :]
    totals: dict[str, Any] = {"provider_cpu_s": 0.0, "mock_cpu_s": 0.0, "provider_calls": 0}
    wall0, cpu0 = time.perf_counter(), time.process_time()
    if attribute:
        _attribute(totals)
    from harness.cli.main import main as evalsum_main

    sys.argv = ["evalsum", *command]
    code: Any = 0
    try:
        evalsum_main()
    except SystemExit as exc:
        code = exc.code
    stats = {
        "exit_code": code if isinstance(code, int) else 1,
        "wall_s": time.perf_counter() - wall0,
        "cpu_s": time.process_time() - cpu0,
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "heavy_modules": sorted(m for m in HEAVY_MODULES if m in sys.modules),
        **(totals if attribute else {}),
    }
    stats_path.write_text(json.dumps(stats, indent=1), encoding="utf-8")
    return stats["exit_code"]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
