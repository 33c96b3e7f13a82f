"""JSON that is safe to place inside an HTML `<script type="application/json">` element.

The HTML parser ends a script element at the first `</script`, whatever JSON thinks, and old
parsers treat `<!--` specially; escaping `<`, `>` and `&` as \\u escapes makes both impossible
while leaving the decoded value unchanged. U+2028/U+2029 are escaped because they end lines in
JavaScript source before ES2019, so the block stays valid even if someone evals it.
"""

from __future__ import annotations

import json
import math
from typing import Any

from markupsafe import Markup

_ESCAPES = str.maketrans(
    {
        "<": "\\u003c",
        ">": "\\u003e",
        "&": "\\u0026",
        "\u2028": "\\u2028",
        "\u2029": "\\u2029",
    }
)


def finite(value: float | None) -> float | None:
    """NaN and infinities are not JSON; they become null like any other unknown number."""
    if value is None or not math.isfinite(value):
        return None
    return value


def script_json(value: Any) -> Markup:
    """Compact JSON for a data block; raises ValueError on NaN rather than writing bad JSON."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    # Markup: the text is now inert inside <script>; HTML-escaping it would corrupt the JSON.
    return Markup(text.translate(_ESCAPES))


__all__ = ["finite", "script_json"]
