"""The JSON Schemas evalsum publishes, exported from its pydantic models.

The committed `*.schema.json` files are what users and other tools validate against; a test
keeps them equal to the models' export (`make schemas` rewrites them).
"""

from __future__ import annotations

import json
from functools import cache
from importlib import import_module
from pathlib import Path
from typing import Any

from pydantic import BaseModel

SCHEMA_DIR = Path(__file__).parent
JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

# file name -> "module:Model"; imported on demand so loading one schema loads one model.
PUBLISHED: dict[str, str] = {
    "summary.schema.json": "harness.summary:Summary",
    "article-meta.schema.json": "harness.summary:ArticleMeta",
    "report.schema.json": "harness.report.models:Report",
    "compare.schema.json": "harness.report.compare:CompareReport",
}


def _model(ref: str) -> type[BaseModel]:
    module, _, name = ref.partition(":")
    return getattr(import_module(module), name)


def export(name: str) -> dict[str, Any]:
    """The schema `name` as the models define it now."""
    model = _model(PUBLISHED[name])
    schema = model.model_json_schema()
    return {"$schema": JSON_SCHEMA_DIALECT, "$id": name, **schema}


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


@cache
def load(name: str) -> dict[str, Any]:
    """The committed schema file (what gold, reports and users validate against)."""
    return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))


def write_all(directory: Path = SCHEMA_DIR) -> list[Path]:
    written = []
    for name in PUBLISHED:
        path = directory / name
        path.write_text(render(export(name)), encoding="utf-8")
        written.append(path)
    return written


__all__ = [
    "JSON_SCHEMA_DIALECT",
    "PUBLISHED",
    "SCHEMA_DIR",
    "export",
    "load",
    "render",
    "write_all",
]
