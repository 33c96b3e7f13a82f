"""Render a run's report.html from its report.json, and write what that cost to a JSON file.

    python -m bench.html_child STATS.json RUN_DIR

Used when `evalsum run` does not (yet) write report.html itself. The report is read with
`Report.model_validate_json` (the JSON Schema check of `load_report` is left out: it is not
what is being measured).
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    stats_path, folder = Path(argv[0]), Path(argv[1])
    wall0, cpu0 = time.perf_counter(), time.process_time()
    from harness.report.build import REPORT_FILE
    from harness.report.html import REPORT_HTML_FILE, write_report_html
    from harness.report.models import Report

    report = Report.model_validate_json((folder / REPORT_FILE).read_bytes())
    loaded = time.perf_counter()
    write_report_html(report, folder / REPORT_HTML_FILE)
    stats = {
        "load_s": loaded - wall0,
        "render_s": time.perf_counter() - loaded,
        "cpu_s": time.process_time() - cpu0,
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    stats_path.write_text(json.dumps(stats, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
