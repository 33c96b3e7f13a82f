"""The answer schema as sent to a small local model: the same shape, with bounds.

A 135M-parameter model under a grammar does not stop by itself: asked for a list it may
repeat one item until max_tokens and leave truncated JSON. Bounds on list lengths and string
lengths make the grammar close the answer in time. Every answer the bounded schema allows is
valid under the original one; only the run's own schema is used to judge the answer.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class SchemaBounds:
    """maxItems per top-level list and for nested lists; maxLength for free text, by the
    name of the property that holds it (`string_lengths`) or else `string_length`."""

    items: Mapping[str, int] = field(default_factory=dict)
    nested_items: int = 5
    string_length: int = 300
    string_lengths: Mapping[str, int] = field(default_factory=dict)


def bounded_schema(schema: dict[str, Any], bounds: SchemaBounds) -> dict[str, Any]:
    """A copy of `schema` with `bounds` added; bounds already tighter are kept."""
    bounded = copy.deepcopy(schema)
    for name, limit in bounds.items.items():
        prop = bounded.get("properties", {}).get(name)
        if isinstance(prop, dict) and prop.get("type") == "array":
            _tighten(prop, "maxItems", limit)
    _walk(bounded, bounds, bounds.string_length)
    return bounded


def _tighten(node: dict[str, Any], key: str, limit: int) -> None:
    current = node.get(key)
    node[key] = limit if not isinstance(current, int) else min(current, limit)


def _walk(node: Any, bounds: SchemaBounds, length: int) -> None:
    """Bound `node` and what it contains; `length` is the maxLength its strings get."""
    if isinstance(node, list):
        for item in node:
            _walk(item, bounds, length)
        return
    if not isinstance(node, dict):
        return
    if node.get("type") == "array":
        _tighten(node, "maxItems", node.get("maxItems", bounds.nested_items))
    if node.get("type") == "string":
        pattern = node.get("pattern")
        if isinstance(pattern, str):
            node["pattern"] = without_digit_class(pattern)
        elif "enum" not in node:
            _tighten(node, "maxLength", length)
    for key, value in node.items():
        if key == "properties" and isinstance(value, dict):
            for name, prop in value.items():
                own = bounds.string_lengths.get(name, bounds.string_length)
                _walk(prop, bounds, own)
        else:
            _walk(value, bounds, length)


def without_digit_class(pattern: str) -> str:
    """`pattern` with `\\d` spelt `[0-9]` (`0-9` inside a class).

    llama.cpp's schema-to-grammar converter does not know `\\d`; it warns and then accepts
    any string where the pattern stood.
    """
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            pair = pattern[i : i + 2]
            out.append(("0-9" if in_class else "[0-9]") if pair == "\\d" else pair)
            i += 2
            continue
        if char == "[" and not in_class:
            in_class = True
        elif char == "]" and in_class:
            in_class = False
        out.append(char)
        i += 1
    return "".join(out)


__all__ = ["SchemaBounds", "bounded_schema", "without_digit_class"]
