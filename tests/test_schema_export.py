"""The committed JSON Schemas are exactly what the pydantic models export."""

from __future__ import annotations

import json

import jsonschema
import pytest

from harness import schemas
from harness.summary import Summary


@pytest.mark.parametrize("name", sorted(schemas.PUBLISHED))
def test_committed_schema_equals_model_export(name: str) -> None:
    committed = (schemas.SCHEMA_DIR / name).read_text(encoding="utf-8")
    assert committed == schemas.render(schemas.export(name)), (
        f"{name} is stale: run `make schemas` and commit the result"
    )


@pytest.mark.parametrize("name", sorted(schemas.PUBLISHED))
def test_committed_schema_is_a_valid_json_schema(name: str) -> None:
    schema = json.loads((schemas.SCHEMA_DIR / name).read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema).check_schema(schema)


def test_summary_schema_has_the_four_fields_in_order() -> None:
    schema = schemas.load("summary.schema.json")
    assert list(schema["properties"]) == ["participants", "dates", "claims", "red_lines"]
    assert list(Summary.model_fields) == ["participants", "dates", "claims", "red_lines"]
