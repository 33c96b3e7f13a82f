"""The Jinja environment and the inline assets (CSS, script) every evalsum page embeds.

A page is one file: its stylesheet and script are read from the package and inlined, and its
Content-Security-Policy allows exactly those two blocks (by hash) and no fetch of any kind.
A comparison page builds on the same pieces: `render_page()`, `base.html.j2`, `_macros.html.j2`
(labels, statuses, P/R/F1 cells, the bar chart), `base.css` and `base.js` (sortable tables,
expand/collapse, opening a linked <details>).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from harness import __version__


def num(value: float | None, digits: int = 3) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def usd(value: float | None) -> str:
    # Unknown is not free: a null cost must never read as $0.
    return "unknown" if value is None else f"${value:,.4f}"


def secs(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f} s"


def thousands(value: int | None) -> str:
    return "—" if value is None else f"{value:,}"


def when(value: dt.datetime) -> str:
    return value.isoformat(sep=" ", timespec="seconds")


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The one environment for evalsum pages (cached: compiling templates is the slow part)."""
    env = Environment(
        loader=PackageLoader("harness.report.html", "templates"),
        # Everything reaching a page may come from a model: escape all of it, always.
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(num=num, pct=pct, usd=usd, secs=secs, thousands=thousands, when=when)
    return env


def _source(name: str) -> str:
    env = environment()
    assert env.loader is not None  # set above
    text, _, _ = env.loader.get_source(env, name)
    return text


def _hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


@dataclass(frozen=True)
class PageAssets:
    css: Markup
    js: Markup
    csp: str


def page_assets(css: Sequence[str] = ("base.css",), js: Sequence[str] = ()) -> PageAssets:
    """Inline CSS and script files from templates/, joined, with the policy that allows them."""
    css_text = "\n".join(_source(name) for name in css)
    js_text = "\n".join(_source(name) for name in js)
    script_src = _hash(js_text) if js_text else "'none'"
    csp = "; ".join(
        (
            "default-src 'none'",
            f"style-src {_hash(css_text)}",
            f"script-src {script_src}",
            "img-src data:",  # only the empty favicon, which stops a request for /favicon.ico
            "base-uri 'none'",
            "form-action 'none'",
        )
    )
    # Markup: these are the package's own files, not data; escaping would break them.
    return PageAssets(css=Markup(css_text), js=Markup(js_text), csp=csp)


_SURROGATE = re.compile("[\ud800-\udfff]")


def encodable(text: str) -> str:
    """Text that encodes as UTF-8: a lone surrogate (possible in decoded model output) cannot,
    so it becomes U+FFFD, as a browser shows an undecodable byte."""
    return _SURROGATE.sub("\ufffd", text)


def render_page(template: str, *, js: Sequence[str] = ("base.js",), **context: Any) -> str:
    """Render a page template that extends base.html.j2, with its inline assets.

    `js` lists the scripts to inline, in order; a page script calls `evalsumInit()` from
    base.js. For example, a comparison page: ``render_page("compare.html.j2",
    js=("base.js", "compare.js"), runs=...)``.
    """
    page = (
        environment()
        .get_template(template)
        .render(assets=page_assets(js=js), generator_version=__version__, **context)
    )
    return encodable(page)


__all__ = [
    "PageAssets",
    "encodable",
    "environment",
    "num",
    "page_assets",
    "pct",
    "render_page",
    "secs",
    "thousands",
    "usd",
]
