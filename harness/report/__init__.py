"""Reports: report.json (versioned, with a published schema) built from a run's journal."""

from harness.report.build import REPORT_FILE, build_report, write_report
from harness.report.models import REPORT_SCHEMA_VERSION, Report

__all__ = ["REPORT_FILE", "REPORT_SCHEMA_VERSION", "Report", "build_report", "write_report"]
