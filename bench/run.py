"""evalsum's benchmark: throughput, own overhead, scoring, cached re-runs, start-up, memory
and the HTML report at scale, printed as one table.

    .venv/bin/python -m bench.run                 # everything, at the goals' settings (make bench)
    .venv/bin/python -m bench.run --quick         # a smoke check in a few seconds
    .venv/bin/python -m bench.run --only throughput,cpu -n 2000 --latency-ms 200

The synthetic corpus (the gold articles replicated under new ids) lives in a temporary folder
that is removed at the end (`--keep` leaves it). BENCHMARKS.md explains each figure's method.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from bench import measures
from bench.measures import Settings, Workspace

MEASURES = ("throughput", "cpu", "scoring", "cached", "startup", "memory", "html")


@dataclass
class Row:
    measure: str
    setting: str
    result: str
    goal: str
    met: bool | None  # None: no goal, or not measured


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def machine() -> dict[str, str]:
    """What the figures were measured on (Linux: /proc), and how busy it was."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in _read("/proc/cpuinfo").splitlines()
            if line.startswith("model name")
        ),
        "unknown",
    )
    meminfo = _read("/proc/meminfo").split()
    ram = f"{int(meminfo[1]) / 2**20:.1f} GiB" if len(meminfo) > 1 else "unknown"

    def package(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "not installed"

    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "ram": ram,
        "os": platform.platform(),
        "python": platform.python_version(),
        "litellm": package("litellm"),
        "evalsum": package("evalsum"),
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "load average": " ".join(_read("/proc/loadavg").split()[:3]) or "unknown",
    }


def _f(value: float | None, spec: str = ".2f") -> str:
    return "n/a" if value is None else format(value, spec)


def rows(results: dict[str, dict[str, Any]]) -> list[Row]:
    out: list[Row] = []
    if t := results.get("throughput"):
        setting = f"N={t['n']}, L={t['latency_ms']:g} ms, C={t['concurrency']}"
        out.append(
            Row(
                "efficiency, end to end",
                setting,
                f"{_f(t['efficiency'])} (ideal {t['ideal_s']:.1f} s, wall {t['wall_s']:.1f} s)",
                ">= 0.95",
                None if t["efficiency"] is None else t["efficiency"] >= 0.95,
            )
        )
        out.append(
            Row(
                "efficiency, call phase",
                setting,
                f"{_f(t['call_phase_efficiency'])} (calls {t['call_phase_s']:.1f} s)",
                "(diagnostic)",
                None,
            )
        )
    if c := results.get("cpu"):
        setting = f"slope N={c['n1']}..{c['n2']}, L=0, C=1"
        out.append(
            Row(
                "evalsum's own CPU per article",
                setting,
                f"{c['own_ms_per_article']:.2f} ms",
                "<= 1 ms",
                c["own_ms_per_article"] <= 1.0,
            )
        )
        out.append(
            Row(
                "litellm CPU per call (not ours)",
                setting,
                f"{c['litellm_ms_per_call']:.2f} ms "
                f"(+ mock backend {c['mock_ms_per_call']:.2f} ms)",
                "(reference)",
                None,
            )
        )
    if s := results.get("scoring"):
        out.append(
            Row(
                "scoring alone",
                f"N={s['n']}, in process",
                f"{s['articles_per_s']:.0f} articles/s ({s['ms_per_article']:.2f} ms/article)",
                "(no goal)",
                None,
            )
        )
    if c := results.get("cached"):
        litellm = "imported" if c["litellm_imported"] else "not imported"
        note = f"{c['from_cache']} from cache, litellm {litellm}"
        ok = c["wall_s"] <= 3.0 and not c["litellm_imported"] and c["from_cache"] == c["n"]
        out.append(
            Row(
                "fully cached re-run",
                f"N={c['n']}",
                f"{c['wall_s']:.2f} s ({note})",
                "<= 3 s, no litellm",
                ok,
            )
        )
    if h := results.get("startup"):
        out.append(
            Row(
                "evalsum --help",
                "median of runs",
                f"{h['median_s']:.3f} s median, {h['min_s']:.3f} s best "
                f"(python alone {h['python_alone_s']:.3f} s)",
                "<= 0.3 s",
                h["median_s"] <= 0.3,
            )
        )
    if m := results.get("memory"):
        setting = f"N={m['n']}, L=0, C={m['concurrency']}"
        out.append(
            Row(
                "peak RSS of evalsum run",
                setting,
                f"{m['max_rss_mb']:.0f} MB (wall {m['wall_s']:.0f} s; "
                f"report.json {m['report_json_mb']:.0f} MB)",
                "<= 400 MB",
                m["max_rss_mb"] <= 400,
            )
        )
    if h := results.get("html"):
        if "pending" in h:
            out.append(Row("report.html", "", f"pending: {h['pending']}", "<= 25 MB", None))
        else:
            setting = f"N={h['n']}"
            out.append(
                Row(
                    "report.html size",
                    setting,
                    f"{h['size_mb']:.1f} MB ({h['article_details']} article details, "
                    f"{h['article_details_open']} open)",
                    "<= 25 MB",
                    h["size_mb"] <= 25,
                )
            )
            chromium = h.get("chromium_page_s")
            first = h["summary_offset_kb"] is not None and (
                h["first_article_detail_offset_mb"] is None
                or h["summary_offset_kb"] / 1000 < h["first_article_detail_offset_mb"]
            )
            out.append(
                Row(
                    "report.html load",
                    setting,
                    f"parse {h['parse_s']:.2f} s (Python html.parser); Chromium "
                    f"{_f(chromium)} s over an empty page; summary "
                    f"{'first' if first else 'NOT first'}",
                    "summary first, details on demand",
                    first and h["article_details_open"] == 0,
                )
            )
            if "render_render_s" in h:
                out.append(
                    Row(
                        "report.html rendering",
                        setting + ", from report.json",
                        f"{h['render_render_s']:.1f} s render + {h['render_load_s']:.1f} s "
                        f"load, peak RSS {h['render_max_rss_mb']:.0f} MB",
                        "(not yet written by evalsum run)",
                        None,
                    )
                )
    return out


def table(found: list[Row], *, markdown: bool = False) -> str:
    header = ("measure", "setting", "result", "goal", "met")

    def met(row: Row) -> str:
        return "-" if row.met is None else ("yes" if row.met else "NO")

    cells = [header] + [(r.measure, r.setting, r.result, r.goal, met(r)) for r in found]
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(row) + " |" for row in cells[1:]]
        return "\n".join(lines)
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    rule = "  ".join("-" * w for w in widths)
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join([lines[0], rule, *lines[1:]])


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    p.add_argument("-n", type=int, help="articles for throughput, cpu, scoring, cached [1000]")
    p.add_argument("--latency-ms", type=float, help="mock latency L [500]")
    p.add_argument("--concurrency", type=int, help="concurrency C [32]")
    p.add_argument("--memory-n", type=int, help="articles for memory and html [10000]")
    p.add_argument("--only", help=f"comma-separated subset of: {','.join(MEASURES)}")
    p.add_argument("--quick", action="store_true", help="small sizes: a smoke check")
    p.add_argument("--json", type=Path, help="also write every figure and the machine here")
    p.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    p.add_argument("--keep", action="store_true", help="keep the temporary folder")
    return p.parse_args(argv)


def settings(args: argparse.Namespace) -> Settings:
    s = Settings()
    if args.quick:
        s = Settings(n=20, latency_ms=50, concurrency=8, memory_n=40, memory_concurrency=8)
        s.help_runs = 2
    if args.n is not None:
        s.n = args.n
        if args.quick and args.memory_n is None:
            s.memory_n = args.n
    if args.latency_ms is not None:
        s.latency_ms = args.latency_ms
    if args.concurrency is not None:
        s.concurrency = args.concurrency
    if args.memory_n is not None:
        s.memory_n = args.memory_n
    return s


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    wanted = MEASURES if not args.only else tuple(args.only.split(","))
    unknown = set(wanted) - set(MEASURES)
    if unknown:
        print(f"unknown measure(s): {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    s = settings(args)
    load_at_start = machine()["load average"]
    ws = Workspace.create()
    results: dict[str, dict[str, Any]] = {}
    steps: dict[str, Callable[[], dict[str, Any]]] = {
        "throughput": lambda: measures.throughput(ws, s),
        "cpu": lambda: measures.own_cpu(ws, s),
        "scoring": lambda: measures.scoring(ws, s, _folder(results, "throughput")),
        "cached": lambda: measures.cached(ws, s, _cache(results)),
        "startup": lambda: measures.startup(ws, s),
        "memory": lambda: measures.memory(ws, s),
        "html": lambda: measures.html(ws, s, _folder(results, "memory")),
    }
    try:
        for name in MEASURES:
            if name in wanted:
                print(f"[bench] {name} ...", file=sys.stderr, flush=True)
                started = time.perf_counter()
                results[name] = steps[name]()
                print(
                    f"[bench] {name} done in {time.perf_counter() - started:.1f} s",
                    file=sys.stderr,
                    flush=True,
                )
    finally:
        if args.keep:
            print(f"[bench] kept {ws.root}", file=sys.stderr)
        else:
            ws.remove()
    about = machine()
    about["load average at start"] = load_at_start
    print(
        f"evalsum benchmark · {about['cpu']} · {about['cores']} cores · {about['ram']} · "
        f"Python {about['python']} · litellm {about['litellm']} · {about['date']} · "
        f"load average {about['load average at start']} (start), {about['load average']} (end)"
    )
    print(table(rows(results), markdown=args.markdown))
    if args.json:
        args.json.write_text(
            json.dumps({"machine": about, "results": results}, indent=1, default=str) + "\n",
            encoding="utf-8",
        )
    return 0


def _folder(results: dict[str, dict[str, Any]], name: str) -> Path | None:
    found = results.get(name, {})
    if "folder" in found:
        return Path(found["folder"])
    if "cache_dir" in found:  # the throughput run: its folder is next to its cache
        reports = Path(found["cache_dir"]).parent / "reports"
        return next(reports.iterdir(), None)
    return None


def _cache(results: dict[str, dict[str, Any]]) -> Path | None:
    found = results.get("throughput", {})
    return Path(found["cache_dir"]) if "cache_dir" in found else None


if __name__ == "__main__":
    sys.exit(main())
