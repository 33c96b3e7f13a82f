"""The measurements. Each runs evalsum as a user would (a subprocess per command, in the
repository root, on a synthetic corpus in a temporary folder) and returns plain numbers.

Every `evalsum` command goes through `bench.child`, which calls the same entry point as the
`evalsum` script and reports the process's own wall time, CPU time and peak RSS; the start-up
measurement alone runs the installed `evalsum` script itself.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.corpus import build_corpus

REPO = Path(__file__).resolve().parent.parent
GOLD = REPO / "gold"
CHROMIUM = Path("/usr/bin/chromium")


@dataclass
class Settings:
    n: int = 1000
    latency_ms: float = 500.0
    concurrency: int = 32
    memory_n: int = 10_000
    memory_concurrency: int = 64
    help_runs: int = 21
    model: str = "mock/noisy"


@dataclass
class Run:
    """One finished `evalsum` command: its folder, the child's stats and its output."""

    folder: Path | None
    stats: dict[str, Any]
    wall_s: float  # as the parent saw it: interpreter start-up included
    stdout: str


@dataclass
class Workspace:
    root: Path
    corpora: dict[int, Path] = field(default_factory=dict)
    counter: int = 0

    @classmethod
    def create(cls) -> Workspace:
        return cls(Path(tempfile.mkdtemp(prefix="evalsum-bench-")))

    def remove(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def corpus(self, n: int) -> Path:
        """The synthetic corpus of n articles, built on first use."""
        if n not in self.corpora:
            path = self.root / f"gold-{n}"
            build_corpus(GOLD, path, n)
            self.corpora[n] = path
        return self.corpora[n]

    def fresh(self, name: str) -> Path:
        self.counter += 1
        return self.root / f"{self.counter:02d}-{name}"


def evalsum(
    args: list[str], stats_file: Path, *, attribute: bool = False, check: bool = True
) -> tuple[dict[str, Any], float, str]:
    """Run `evalsum ARGS` through bench.child; (child stats, parent wall time, stdout)."""
    command = [sys.executable, "-m", "bench.child", str(stats_file)]
    command += ["--attribute"] if attribute else []
    command += ["--", *args]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, env=_env())
    wall = time.perf_counter() - started
    if check and done.returncode != 0:
        raise RuntimeError(
            f"evalsum {' '.join(args[:1])} failed ({done.returncode}):\n{done.stderr[-3000:]}"
        )
    stats = json.loads(stats_file.read_text(encoding="utf-8"))
    return stats, wall, done.stdout


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("EVALSUM_CACHE_DIR", None)  # every run says which cache it uses
    env["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env


def run_folder(stdout: str) -> Path:
    """`evalsum run` prints the run folder on its last line."""
    return Path(stdout.strip().splitlines()[-1])


def evalsum_run(
    ws: Workspace,
    n: int,
    *,
    latency_ms: float,
    concurrency: int,
    cache_dir: Path | None = None,
    attribute: bool = False,
    model: str = "mock/noisy",
    name: str = "run",
) -> Run:
    work = ws.fresh(name)
    work.mkdir(parents=True)
    args = [
        "run",
        "--model",
        model,
        "--gold",
        str(ws.corpus(n)),
        "--out",
        str(work / "reports"),
        "--cache-dir",
        str(cache_dir or work / "cache"),
        "--concurrency",
        str(concurrency),
        "--mock-latency-ms",
        f"{latency_ms:g}",
    ]
    stats, wall, stdout = evalsum(args, work / "stats.json", attribute=attribute)
    return Run(run_folder(stdout), stats, wall, stdout)


def journal_times(folder: Path) -> list[dt.datetime]:
    times = []
    with (folder / "journal.jsonl").open("rb") as fh:
        for line in fh:
            times.append(dt.datetime.fromisoformat(json.loads(line)["finished_at"]))
    return sorted(times)


# --- throughput --------------------------------------------------------------------------------


def throughput(ws: Workspace, s: Settings) -> dict[str, Any]:
    """N articles at latency L and concurrency C: efficiency = (N*L/C) / wall.

    End to end is the whole `evalsum run` (start-up, gold loading, litellm import, calls,
    scoring, report). The call phase is read from the journal: from when the first call was
    sent (the first answer's time minus L) to the last answer.
    """
    run = evalsum_run(
        ws, s.n, latency_ms=s.latency_ms, concurrency=s.concurrency, name="throughput"
    )
    ideal = s.n * s.latency_ms / 1000 / s.concurrency
    times = journal_times(run.folder)
    calls = (times[-1] - times[0]).total_seconds() + s.latency_ms / 1000
    return {
        "n": s.n,
        "latency_ms": s.latency_ms,
        "concurrency": s.concurrency,
        "ideal_s": ideal,
        "wall_s": run.wall_s,
        "cpu_s": run.stats["cpu_s"],
        "call_phase_s": calls,
        "efficiency": ideal / run.wall_s if ideal else None,
        "call_phase_efficiency": ideal / calls if ideal else None,
        "cache_dir": str(run.folder.parent.parent / "cache"),
    }


# --- evalsum's own CPU per article -------------------------------------------------------------


def own_cpu(ws: Workspace, s: Settings) -> dict[str, Any]:
    """evalsum's own CPU per article, outside provider calls, by difference of two runs.

    Two runs at zero latency and concurrency 1 (so that CPU measured across a provider call's
    `await` is that call's alone), of n1 and n2 articles. For each, own = process CPU - CPU
    inside provider calls (litellm and the mock backend). The per-article figure is the slope
    (own2 - own1) / (n2 - n1): fixed costs (interpreter, imports, litellm's import) cancel.
    """
    n2 = s.n
    n1 = max(1, n2 // 5)
    runs = {}
    for n in (n1, n2):
        runs[n] = evalsum_run(ws, n, latency_ms=0, concurrency=1, attribute=True, name="cpu")
    own = {n: r.stats["cpu_s"] - r.stats["provider_cpu_s"] for n, r in runs.items()}
    big, small = runs[n2].stats, runs[n1].stats
    calls = max(1, big["provider_calls"])
    phases = {
        phase: (spent - small["phases"].get(phase, 0.0)) / max(1, n2 - n1) * 1000
        for phase, spent in big["phases"].items()
    }
    return {
        "phases_ms_per_article": phases,
        "n1": n1,
        "n2": n2,
        "own_ms_per_article": (own[n2] - own[n1]) / max(1, n2 - n1) * 1000,
        "litellm_ms_per_call": (big["provider_cpu_s"] - big["mock_cpu_s"]) / calls * 1000,
        "mock_ms_per_call": big["mock_cpu_s"] / calls * 1000,
        "process_cpu_s": big["cpu_s"],
        "fixed_cpu_s": own[n1] - n1 * (own[n2] - own[n1]) / max(1, n2 - n1),
    }


# --- scoring alone -----------------------------------------------------------------------------


def scoring(ws: Workspace, s: Settings, folder: Path | None) -> dict[str, Any]:
    """Score a finished run's answers again, in this process: parse once, then time scoring."""
    from harness.gold import iter_corpus
    from harness.output import parse_output
    from harness.run.journal import latest_records
    from harness.scoring import Aggregator, ScoringConfig, score_article

    if folder is None:
        folder = evalsum_run(ws, s.n, latency_ms=0, concurrency=s.concurrency, name="score").folder
    records = latest_records(folder / "journal.jsonl")
    items = []
    for article in iter_corpus(ws.corpus(s.n)):
        record = records[(article.id, 0)]
        parsed = parse_output(record.raw, published=article.meta.published)
        items.append((article, parsed.summary))
    config = ScoringConfig()
    totals = Aggregator(config)
    first, prediction = items[0]  # warm-up: lazy imports (scipy, rapidfuzz) are not scoring
    score_article(first.summary, prediction, article_id="warm-up", text=first.text)
    started = time.perf_counter()
    for article, prediction in items:
        totals.add(
            score_article(
                article.summary,
                prediction,
                article_id=article.id,
                text=article.text,
                published=article.meta.published,
                config=config,
            )
        )
    elapsed = time.perf_counter() - started
    return {
        "n": len(items),
        "seconds": elapsed,
        "articles_per_s": len(items) / elapsed,
        "ms_per_article": elapsed / len(items) * 1000,
        "overall_micro": totals.result().overall.micro,
    }


# --- fully cached re-run -----------------------------------------------------------------------


def cached(ws: Workspace, s: Settings, cache_dir: Path | None) -> dict[str, Any]:
    """The same run again on a warm cache: no provider call, and litellm never imported."""
    if cache_dir is None:
        cache_dir = ws.fresh("warm-cache")
        evalsum_run(ws, s.n, latency_ms=0, concurrency=s.concurrency, cache_dir=cache_dir)
    run = evalsum_run(
        ws,
        s.n,
        latency_ms=s.latency_ms,
        concurrency=s.concurrency,
        cache_dir=cache_dir,
        name="cached",
    )
    served = re.search(r"\((\d+) from cache\)", run.stdout)
    return {
        "n": s.n,
        "wall_s": run.wall_s,
        "cpu_s": run.stats["cpu_s"],
        "from_cache": int(served.group(1)) if served else None,
        "litellm_imported": "litellm" in run.stats["heavy_modules"],
    }


# --- start-up ----------------------------------------------------------------------------------


def startup(ws: Workspace, s: Settings) -> dict[str, Any]:
    """`evalsum --help` with the installed script: the median of several runs."""
    script = Path(sys.executable).parent / "evalsum"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "harness.cli.main"]
    times = []
    for _ in range(max(1, s.help_runs)):
        started = time.perf_counter()
        subprocess.run([*command, "--help"], cwd=REPO, capture_output=True, check=True, env=_env())
        times.append(time.perf_counter() - started)
    bare = []
    for _ in range(max(1, s.help_runs)):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        bare.append(time.perf_counter() - started)
    return {
        "median_s": statistics.median(times),
        "min_s": min(times),
        "python_alone_s": statistics.median(bare),
    }


# --- memory and the HTML report at scale -------------------------------------------------------


def memory(ws: Workspace, s: Settings) -> dict[str, Any]:
    """Peak RSS of `evalsum run` on memory_n articles at zero latency, and what it wrote."""
    run = evalsum_run(ws, s.memory_n, latency_ms=0, concurrency=s.memory_concurrency, name="memory")
    report = run.folder / "report.json"
    return {
        "n": s.memory_n,
        "concurrency": s.memory_concurrency,
        "max_rss_mb": run.stats["max_rss_mb"],
        "wall_s": run.wall_s,
        "cpu_s": run.stats["cpu_s"],
        "report_json_mb": report.stat().st_size / 1e6,
        "folder": str(run.folder),
    }


def html(ws: Workspace, s: Settings, folder: Path | None) -> dict[str, Any]:
    """Size and load time of report.html at memory_n articles."""
    try:
        import harness.report.html  # noqa: F401
    except ImportError:
        return {"pending": "harness.report.html does not exist yet"}
    if folder is None:
        folder = Path(memory(ws, s)["folder"])
    page = folder / "report.html"
    out: dict[str, Any] = {"n": s.memory_n, "written_by_run": page.exists()}
    if not page.exists():
        stats_file = ws.fresh("html").with_suffix(".json")
        done = subprocess.run(
            [sys.executable, "-m", "bench.html_child", str(stats_file), str(folder)],
            cwd=REPO,
            capture_output=True,
            text=True,
            env=_env(),
        )
        if done.returncode != 0:
            return {"pending": f"rendering failed: {done.stderr.strip().splitlines()[-1:]}"}
        rendered = json.loads(stats_file.read_text(encoding="utf-8"))
        out.update({f"render_{k}": v for k, v in rendered.items()})
    data = page.read_bytes()
    out["size_mb"] = len(data) / 1e6
    out.update(_page_layout(data))
    out["parse_s"] = _parse_time(data)
    out.update(_chromium_load(page))
    return out


def _page_layout(data: bytes) -> dict[str, Any]:
    """Does the summary come first, and are article details closed until asked for?"""
    summary = data.find(b'id="summary"')
    first_detail = data.find(b'<details class="art"')
    details = len(re.findall(rb'<details class="art"', data))
    opened = len(re.findall(rb'<details class="art"[^>]*\bopen\b', data))
    return {
        "summary_offset_kb": summary / 1000 if summary >= 0 else None,
        "first_article_detail_offset_mb": first_detail / 1e6 if first_detail >= 0 else None,
        "article_details": details,
        "article_details_open": opened,
    }


def _parse_time(data: bytes) -> float:
    from html.parser import HTMLParser

    started = time.perf_counter()
    parser = HTMLParser()
    parser.feed(data.decode("utf-8"))
    parser.close()
    return time.perf_counter() - started


def _chromium_load(page: Path) -> dict[str, Any]:
    """Headless Chromium: time to load the page and dump its DOM, less an empty page's time."""
    if not CHROMIUM.exists():
        return {"chromium": "not installed"}

    def load(url: str) -> float | None:
        started = time.perf_counter()
        try:
            subprocess.run(
                [
                    str(CHROMIUM),
                    "--headless",
                    "--disable-gpu",
                    "--no-sandbox",
                    "--dump-dom",
                    url,
                ],
                capture_output=True,
                check=True,
                timeout=300,
            )
        except (subprocess.SubprocessError, OSError):
            return None
        return time.perf_counter() - started

    empty = page.with_name("empty.html")
    empty.write_text("<!doctype html><title>empty</title>", encoding="utf-8")
    base = min(filter(None, [load(empty.as_uri()) for _ in range(2)]), default=None)
    full = min(filter(None, [load(page.as_uri()) for _ in range(2)]), default=None)
    return {
        "chromium_load_s": full,
        "chromium_empty_s": base,
        "chromium_page_s": full - base if full is not None and base is not None else None,
    }


__all__ = [
    "Settings",
    "Workspace",
    "cached",
    "html",
    "memory",
    "own_cpu",
    "scoring",
    "startup",
    "throughput",
]
