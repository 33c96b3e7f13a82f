"""report.html: a self-contained, escaped, JavaScript-optional page for one run's report.

Typical use::

    from harness.report.html import write_report_html

    write_report_html(report, run_dir / REPORT_HTML_FILE)

The base layout (`templates/base.html.j2`, `_macros.html.j2`, `base.css`, `base.js`) and
`assets.page_assets()` are shared with other pages such as a run comparison.
"""

from harness.report.html.render import (
    MAX_BYTES,
    REPORT_HTML_FILE,
    render_report_html,
    write_report_html,
)

__all__ = ["MAX_BYTES", "REPORT_HTML_FILE", "render_report_html", "write_report_html"]
