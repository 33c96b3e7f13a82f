"""Reading two reports and writing compare.json (and compare.html when available)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from harness.report.compare import CompareReport, compare_reports
from harness.report.html.compare import write_compare_html
from harness.report.load import load_report

COMPARE_JSON = "compare.json"
COMPARE_HTML = "compare.html"


def _label(path: Path) -> str:
    name = path.name if path.is_dir() else path.parent.name or path.stem
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name)[:60] or "report"


def default_out(a: Path, b: Path) -> Path:
    return Path("reports") / "compare" / f"{_label(a)}__vs__{_label(b)}"


def write_comparison(
    a: Path,
    b: Path,
    *,
    out: Path | None = None,
    threshold: float,
    resamples: int,
    seed: int,
) -> tuple[CompareReport, Path]:
    report_a, report_b = load_report(a), load_report(b)
    result = compare_reports(
        report_a,
        report_b,
        a_path=str(a),
        b_path=str(b),
        threshold=threshold,
        resamples=resamples,
        seed=seed,
    )
    folder = out or default_out(a, b)
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f"{COMPARE_JSON}.tmp"
    tmp.write_text(result.model_dump_json(indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, folder / COMPARE_JSON)
    # The page is written from the reports already in memory (the per-article table needs them).
    write_compare_html(result, folder / COMPARE_HTML, report_a, report_b)
    return result, folder


__all__ = ["COMPARE_HTML", "COMPARE_JSON", "default_out", "write_comparison"]
