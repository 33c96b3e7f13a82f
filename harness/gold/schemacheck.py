"""A yes/no check of a JSON document against one of evalsum's committed JSON Schemas, fast.

`evalsum run` loads every gold article; walking meta.json and summary.json with jsonschema
cost ~2.5 ms per article, almost all of it jsonschema's own machinery. Loading only needs to
know whether a file is valid: the messages matter only when it is not, and then the caller
runs the full jsonschema walk (`harness.gold.validate.check_files`) for them.

The schema file is compiled into plain Python predicates that apply each keyword exactly as
jsonschema 2020-12 does (`isinstance` type checks, `len` for minLength, `re.search` for
pattern, jsonschema's own rule for the `date` format). Only the keywords the committed schemas
use are understood; a schema using anything else is not compiled (`compiled` returns None) and
every file goes through jsonschema. A predicate may say "invalid" where jsonschema would not
(the caller then falls back, and loses only time); it must never say "valid" where jsonschema
would not: `tests/gold/test_fast_load.py` checks both on representative files.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from functools import cache
from typing import Any

Check = Callable[[Any], bool]

DIALECTS = frozenset(
    {
        "https://json-schema.org/draft/2020-12/schema",
        "https://json-schema.org/draft/2020-12/schema#",
    }
)
# Keywords without effect on validity (jsonschema validates none of them).
_ANNOTATIONS = frozenset({"title", "description", "default", "examples", "$comment", "deprecated"})
_ROOT_ONLY = frozenset({"$schema", "$id", "$defs"})
_KEYWORDS = frozenset(
    {
        "type",
        "enum",
        "minLength",
        "pattern",
        "format",
        "properties",
        "required",
        "additionalProperties",
        "items",
        "anyOf",
        "$ref",
    }
)
# JSON Schema type -> the Python class jsonschema's default type checker tests with isinstance.
_TYPES: dict[str, type] = {
    "string": str,
    "object": dict,
    "array": list,
    "boolean": bool,
    "null": type(None),
}
# jsonschema's `date` format (jsonschema._format.is_date): this regex, then date.fromisoformat.
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)


class Unsupported(Exception):
    """The schema uses something this compiler does not reproduce exactly."""


def _is_date(value: str) -> bool:
    if not _DATE_RE.fullmatch(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _always(value: Any) -> bool:
    return True


def _never(value: Any) -> bool:
    return False


def _all(checks: list[Check]) -> Check:
    if not checks:
        return _always
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda value: first(value) and second(value)
    return lambda value: all(check(value) for check in checks)


class _Compiler:
    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root
        self.refs: dict[str, Check] = {}

    def ref(self, ref: str) -> Check:
        if ref in self.refs:
            return self.refs[ref]
        prefix = "#/$defs/"
        if not ref.startswith(prefix) or "/" in ref[len(prefix) :] or "~" in ref:
            raise Unsupported(f"$ref {ref!r}")
        defs = self.root.get("$defs")
        name = ref[len(prefix) :]
        if not isinstance(defs, dict) or name not in defs:
            raise Unsupported(f"unresolvable $ref {ref!r}")
        slot: list[Check] = []
        # Late binding, so that a recursive definition compiles.
        self.refs[ref] = lambda value: slot[0](value)
        slot.append(self.node(defs[name]))
        self.refs[ref] = slot[0]
        return slot[0]

    def node(self, schema: Any, *, root: bool = False) -> Check:
        if schema is True:
            return _always
        if schema is False:
            return _never
        if not isinstance(schema, dict):
            raise Unsupported(f"schema {schema!r}")
        allowed = _KEYWORDS | _ANNOTATIONS | (_ROOT_ONLY if root else frozenset())
        unknown = set(schema) - allowed
        if unknown:
            raise Unsupported(f"keywords {sorted(unknown)}")
        if root and "$schema" in schema and schema["$schema"] not in DIALECTS:
            raise Unsupported(f"dialect {schema['$schema']!r}")

        classes = self.classes(schema["type"]) if "type" in schema else None
        on_str = self.string_checks(schema)
        on_dict = self.object_checks(schema)
        on_list = self.items_check(schema)
        checks: list[Check] = []
        if classes is not None and len(classes) == 1 and classes[0] in (str, dict, list):
            # One container or string type: the other kinds' keywords cannot apply.
            cls = classes[0]
            inner = {str: on_str, dict: on_dict, list: on_list}[cls]
            if inner is None:
                checks.append(lambda value: isinstance(value, cls))
            else:
                checks.append(lambda value: isinstance(value, cls) and inner(value))
        else:
            if classes is not None:
                checks.append(self.type_check(classes))
            for cls, inner in ((str, on_str), (dict, on_dict), (list, on_list)):
                if inner is not None:
                    checks.append(self.only_for(cls, inner))
        if "enum" in schema:
            checks.append(self.enum_check(schema["enum"]))
        if "anyOf" in schema:
            checks.append(self.any_of(schema["anyOf"]))
        if "$ref" in schema:
            ref = schema["$ref"]
            if not isinstance(ref, str):
                raise Unsupported("$ref")
            checks.append(self.ref(ref))
        return _all(checks)

    @staticmethod
    def only_for(cls: type, inner: Check) -> Check:
        return lambda value: not isinstance(value, cls) or inner(value)

    @staticmethod
    def classes(spec: Any) -> tuple[type, ...]:
        names = [spec] if isinstance(spec, str) else spec
        if not isinstance(names, list) or not names:
            raise Unsupported(f"type {spec!r}")
        try:
            return tuple(_TYPES[n] for n in names)
        except (KeyError, TypeError):
            raise Unsupported(f"type {spec!r}") from None

    @staticmethod
    def type_check(classes: tuple[type, ...]) -> Check:
        if classes == (type(None),):
            return lambda value: value is None
        return lambda value: isinstance(value, classes)

    def any_of(self, branches: Any) -> Check:
        if not isinstance(branches, list) or not branches:
            raise Unsupported("anyOf")
        # The common `anyOf: [{type: string}, {type: null}]` (an optional field) is one
        # isinstance test; anything else is each branch in turn.
        if all(
            isinstance(b, dict) and "type" in b and not (set(b) - {"type"} - _ANNOTATIONS)
            for b in branches
        ):
            union = tuple(cls for b in branches for cls in self.classes(b["type"]))
            return lambda value: isinstance(value, union)
        options = [self.node(b) for b in branches]
        return lambda value: any(option(value) for option in options)

    def items_check(self, schema: dict[str, Any]) -> Check | None:
        """`items`, as a check of a value already known to be an array."""
        if "items" not in schema:
            return None
        item = self.node(schema["items"])
        if item is _always:
            return None

        def check(values: list[Any]) -> bool:
            for value in values:  # noqa: SIM110 - a loop is faster than all() of a generator
                if not item(value):
                    return False
            return True

        return check

    @staticmethod
    def enum_check(values: Any) -> Check:
        # jsonschema compares with its own equality (1 == True is not equal there); for an
        # enum of strings only strings can match, and they compare as Python strings.
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise Unsupported(f"enum {values!r}")
        members = frozenset(values)
        return lambda value: isinstance(value, str) and value in members

    @staticmethod
    def string_checks(schema: dict[str, Any]) -> Check | None:
        """The string keywords, as a check of a value already known to be a string."""
        checks: list[Check] = []
        if "minLength" in schema:
            least = schema["minLength"]
            if type(least) is not int or least < 0:
                raise Unsupported("minLength")
            checks.append(lambda s: len(s) >= least)
        if "pattern" in schema:
            if not isinstance(schema["pattern"], str):
                raise Unsupported("pattern")
            search = re.compile(schema["pattern"]).search  # jsonschema: re.search(pattern, s)
            checks.append(lambda s: search(s) is not None)
        if "format" in schema:
            if schema["format"] != "date":
                raise Unsupported(f"format {schema['format']!r}")
            checks.append(_is_date)
        if not checks:
            return None
        return _all(checks)

    def object_checks(self, schema: dict[str, Any]) -> Check | None:
        """The object keywords, as a check of a value already known to be an object."""
        has = [k for k in ("properties", "required", "additionalProperties") if k in schema]
        if not has:
            return None
        properties = schema.get("properties", {})
        if not isinstance(properties, dict):
            raise Unsupported("properties")
        compiled = {name: self.node(sub) for name, sub in properties.items()}
        required = schema.get("required", [])
        if not isinstance(required, list) or not all(isinstance(r, str) for r in required):
            raise Unsupported("required")
        extra = schema.get("additionalProperties", True)
        if extra is True:
            closed = None
        elif extra is False:
            closed = frozenset(properties)
        else:
            raise Unsupported("additionalProperties")
        required_t = tuple(required)
        get = compiled.get

        def check(value: dict[str, Any]) -> bool:
            for name in required_t:
                if name not in value:
                    return False
            if closed is not None and not closed.issuperset(value):
                return False
            for name, item in value.items():
                sub = get(name)
                if sub is not None and not sub(item):
                    return False
            return True

        return check


def compile_schema(schema: dict[str, Any]) -> Check:
    """A predicate true only of documents valid under `schema`; raises Unsupported."""
    return _Compiler(schema).node(schema, root=True)


@cache
def compiled(name: str) -> Check | None:
    """The committed schema `name` as a predicate, or None when it cannot be compiled."""
    from harness.schemas import load

    try:
        return compile_schema(load(name))
    except Unsupported:
        return None


__all__ = ["Check", "Unsupported", "compile_schema", "compiled"]
