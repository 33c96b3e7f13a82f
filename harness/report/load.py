"""Reading report.json back: validated against the published schema, never trusted blindly."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from harness.errors import InputError
from harness.report.models import REPORT_SCHEMA_VERSION, Report

REPORT_FILE = "report.json"
REPORT_SCHEMA = "report.schema.json"


def report_path(path: Path) -> Path:
    """A run folder or a report file -> the report file."""
    return path / REPORT_FILE if path.is_dir() else path


def schema_problems(data: Any, schema_name: str = REPORT_SCHEMA, limit: int = 5) -> list[str]:
    import jsonschema

    from harness.schemas import load

    schema = load(schema_name)
    validator = jsonschema.validators.validator_for(schema)(schema)
    problems = []
    for error in validator.iter_errors(data):
        where = "$" + "".join(
            f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path
        )
        problems.append(f"{where}: {error.message[:200]}")
        if len(problems) >= limit:
            break
    return problems


def migrate(data: dict[str, Any], source: Path) -> dict[str, Any]:
    """Bring an older report up to the current schema_version (there is only version 1)."""
    version = data.get("schema_version")
    if version == REPORT_SCHEMA_VERSION:
        return data
    if isinstance(version, int) and version > REPORT_SCHEMA_VERSION:
        raise InputError(
            f"{source}: report schema_version {version} is newer than this evalsum understands "
            f"({REPORT_SCHEMA_VERSION})",
            hint="upgrade evalsum to read it",
        )
    raise InputError(f"{source}: unknown report schema_version {version!r}")


def load_report(path: Path) -> Report:
    file = report_path(path)
    if not file.exists():
        raise InputError(
            f"{path}: no {REPORT_FILE} here" if path.is_dir() else f"{path}: no such report",
            hint="pass a report.json or a run folder printed by `evalsum run`",
        )
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{file}: not an evalsum report (not valid JSON: {exc})") from None
    if not isinstance(data, dict) or "schema_version" not in data or "run" not in data:
        raise InputError(
            f"{file}: not an evalsum report (no schema_version/run keys)",
            hint="pass a report.json written by `evalsum run`, `score` or `report`",
        )
    data = migrate(data, file)
    problems = schema_problems(data)
    if problems:
        raise InputError(f"{file}: does not match {REPORT_SCHEMA}:\n  " + "\n  ".join(problems))
    try:
        return Report.model_validate(data)
    except ValidationError as exc:
        raise InputError(f"{file}: invalid report: {str(exc).splitlines()[0]}") from None


__all__ = ["load_report", "migrate", "report_path", "schema_problems"]
