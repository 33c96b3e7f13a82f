"""Turning a model's raw answer into a Summary: defensively, and never by executing anything.

Models wrap JSON in code fences, add prose around it, stop mid-object at max_tokens, invent
extra keys or use the wrong types. Each case gets a status and a reason; an answer that cannot
be used counts as an empty prediction and never stops a run.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from harness.summary import Summary

# "incomplete": valid, but a top-level list is missing (a grammar-constrained model may answer
# only {"dates": [...]}); what it gave is scored, and each missing list counts as empty.
OutputStatus = Literal[
    "ok", "repaired", "incomplete", "invalid", "unparseable", "truncated", "empty"
]

# Keep error lists readable even when a model returns thousands of bad items.
MAX_ERRORS = 20

_FENCE = re.compile(r"```(?:json|JSON)?\s*\n?(.*?)```", re.DOTALL)
_KNOWN_KEYS: dict[str, set[str]] = {
    "summary": set(Summary.model_fields),
    **{
        name: set(field.annotation.__args__[0].model_fields)  # type: ignore[union-attr]
        for name, field in Summary.model_fields.items()
    },
}


class ParsedOutput(BaseModel):
    """What became of one raw answer."""

    status: OutputStatus
    summary: Summary | None = None
    errors: list[str] = []
    warnings: list[str] = []

    @property
    def usable(self) -> bool:
        return self.summary is not None


def _json_candidates(text: str) -> list[str]:
    """The raw text, the bodies of code fences, then every balanced {...} span in order."""
    out = [text.strip()]
    out += [m.group(1).strip() for m in _FENCE.finditer(text)]
    start = text.find("{")
    if start > 0 or (start == 0 and out[0] != text[start:].strip()):
        out.append(text[start:].strip())
    return out


def _first_object(text: str) -> tuple[Any, bool] | None:
    """(decoded value, whether it had to be dug out of surrounding text) or None."""
    decoder = json.JSONDecoder()
    for i, candidate in enumerate(_json_candidates(text)):
        try:
            return json.loads(candidate), i > 0
        except json.JSONDecodeError:
            pass
    # Prose around the JSON: decode from each '{' and take the first complete object.
    pos = text.find("{")
    while pos >= 0:
        try:
            value, _ = decoder.raw_decode(text, pos)
            if isinstance(value, dict):
                return value, True
        except json.JSONDecodeError:
            pass
        pos = text.find("{", pos + 1)
    return None


def _drop_unknown_keys(data: dict[str, Any], warnings: list[str]) -> dict[str, Any]:
    """Extra keys are tolerated in model output (reported), unlike in gold."""
    cleaned = {}
    for key, value in data.items():
        if key not in _KNOWN_KEYS["summary"]:
            warnings.append(f"$.{key}: unexpected key ignored")
            continue
        if isinstance(value, list):
            items = []
            for i, item in enumerate(value):
                if isinstance(item, dict):
                    extra = sorted(set(item) - _KNOWN_KEYS[key])
                    for name in extra:
                        warnings.append(f"$.{key}[{i}].{name}: unexpected key ignored")
                    item = {k: v for k, v in item.items() if k in _KNOWN_KEYS[key]}
                items.append(item)
            value = items
        cleaned[key] = value
    return cleaned


def _validate_items(data: dict[str, Any], errors: list[str]) -> Summary:
    """Validate item by item so that every invalid item is reported, not just the first."""
    kept: dict[str, list[Any]] = {}
    for name, field in Summary.model_fields.items():
        value = data.get(name, [])
        if value is None:
            value = []
        if not isinstance(value, list):
            errors.append(f"$.{name}: expected a list, got {type(value).__name__}")
            kept[name] = []
            continue
        item_model: type[BaseModel] = field.annotation.__args__[0]  # type: ignore[union-attr]
        kept[name] = []
        for i, item in enumerate(value):
            try:
                kept[name].append(item_model.model_validate(item))
            except ValidationError as exc:
                for err in exc.errors():
                    loc = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in err["loc"])
                    errors.append(f"$.{name}[{i}]{loc}: {err['msg']}")
    return Summary(**kept)


def _resolve_text_dates(
    data: dict[str, Any], published: dt.date, warnings: list[str]
) -> dict[str, Any]:
    """A date written as text ("Friday", "last November") is resolved against the article's
    publication date rather than failing validation; each resolution is reported."""
    from harness.scoring.dateresolve import resolve_summary_dates

    resolved = resolve_summary_dates(data, published)
    before, after = data.get("dates"), resolved.get("dates")
    if isinstance(before, list) and isinstance(after, list):
        for i, (old, new) in enumerate(zip(before, after, strict=True)):
            if (
                isinstance(old, dict)
                and isinstance(new, dict)
                and old.get("date") != new.get("date")
            ):
                warnings.append(
                    f"$.dates[{i}].date: {old.get('date')!r} resolved to {new.get('date')} "
                    f"against the publication date {published}"
                )
    return resolved


def parse_output(
    raw: str | None, *, truncated: bool = False, published: dt.date | None = None
) -> ParsedOutput:
    """Parse one raw answer. `truncated` is the provider saying it stopped at max_tokens;
    `published` lets dates written as text be resolved instead of rejected."""
    if raw is None or not raw.strip():
        return ParsedOutput(status="empty", errors=["the model returned no text"])
    found = _first_object(raw)
    if found is None:
        status: OutputStatus = "truncated" if truncated else "unparseable"
        reason = (
            "the answer was cut off at max_tokens before the JSON was complete"
            if truncated
            else "no JSON object found in the answer"
        )
        return ParsedOutput(status=status, errors=[reason])
    data, dug_out = found
    if not isinstance(data, dict):
        return ParsedOutput(
            status="invalid", errors=[f"$: expected a JSON object, got {type(data).__name__}"]
        )
    warnings: list[str] = []
    errors: list[str] = []
    missing = [name for name in Summary.model_fields if name not in data]
    if dug_out:
        warnings.append("JSON was extracted from surrounding text or code fences")
    data = _drop_unknown_keys(data, warnings)
    if published is not None:
        data = _resolve_text_dates(data, published, warnings)
    summary = _validate_items(data, errors)
    if truncated:
        warnings.append("the provider reported the answer as cut off at max_tokens")
    if len(errors) > MAX_ERRORS:
        errors = [*errors[:MAX_ERRORS], f"... and {len(errors) - MAX_ERRORS} more errors"]
    if errors:
        # An answer that breaks the schema scores as an empty prediction: partial credit
        # for half-valid output would hide exactly the failures users need to see.
        return ParsedOutput(status="invalid", errors=errors, warnings=warnings)
    if missing:
        errors = [f"$.{name}: missing (scored as an empty list)" for name in missing]
        return ParsedOutput(status="incomplete", summary=summary, errors=errors, warnings=warnings)
    status: OutputStatus = "repaired" if warnings else "ok"
    return ParsedOutput(status=status, summary=summary, errors=errors, warnings=warnings)


__all__ = ["OutputStatus", "ParsedOutput", "parse_output"]
