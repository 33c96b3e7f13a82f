"""Model output is untrusted: attack strings in every model-controlled place stay text.

The page is parsed back with html.parser (which, like a browser, ends a script at the first
`</script`), and every element and attribute is accounted for: none may come from a payload.
"""

from __future__ import annotations

import json
import re

from harness.report.html.assets import page_assets
from harness.report.html.safejson import script_json
from harness.report.models import Report
from tests.report_html.factory import PAYLOAD, PAYLOADS
from tests.report_html.page import parse

# Every element the report template writes; anything else came from data.
OUR_TAGS = {
    "html", "head", "meta", "link", "title", "style", "body", "header", "main", "footer",
    "nav", "section", "div", "h1", "h2", "h3", "h4", "p", "a", "span", "b", "i", "code",
    "pre", "dl", "dt", "dd", "table", "thead", "tbody", "tr", "th", "td", "details",
    "summary", "svg", "line", "text", "rect", "ul", "li", "br", "input", "select", "option",
    "label", "button", "script",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "srcset", "action", "formaction", "poster", "data", "xlink:href"}


def _scheme(value: str) -> str:
    # Browsers ignore whitespace and control characters inside a URL's scheme.
    return re.sub(r"[\x00-\x20]", "", value).lower()


def test_payloads_are_shown_as_text_everywhere(hostile: Report, hostile_html: str) -> None:
    page = parse(hostile_html)
    for payload in PAYLOADS:
        assert payload in page.text, payload
    # Run metadata, ids, titles, prediction items, reasons, errors, raw output: many places.
    assert page.text.count(PAYLOADS[0]) >= 20
    raw = next(
        s.raw for a in hostile.articles for s in a.samples if s.output_status == "unparseable"
    )
    assert raw is not None and raw in page.text


def test_no_element_or_attribute_comes_from_a_payload(hostile_html: str) -> None:
    page = parse(hostile_html)
    tags = {e.tag for e in page.elements}
    assert tags <= OUR_TAGS, tags - OUR_TAGS
    for element in page.elements:
        for name, value in element.attrs:
            assert not name.startswith("on"), (element.tag, name, value)
            if name in URL_ATTRIBUTES and value is not None:
                assert not _scheme(value).startswith(("javascript:", "vbscript:")), value
                assert value.startswith("#") or value == "data:,", (element.tag, name, value)
    assert len(page.all("svg")) == 1 and page.all("svg")[0].get("class") == "chart"
    assert not any(e.get("href") == "javascript:alert(1)" for e in page.elements)


def test_only_the_pages_own_scripts_exist(hostile_html: str) -> None:
    page = parse(hostile_html)
    scripts = page.all("script")
    assert len(scripts) == 2
    data, code = scripts
    assert data.attrs == [("type", "application/json"), ("id", "article-keys")]
    assert code.attrs == []
    assert code.text == str(page_assets(js=("base.js", "report.js")).js)
    json.loads(data.text)  # intact: nothing ended the data block early
    assert "<" not in data.text


def test_data_block_escapes_what_could_end_it() -> None:
    value = {"id": PAYLOAD, "line": "a\u2028b\u2029c", "amp": "&amp;"}
    text = str(script_json(value))
    for dangerous in ("<", ">", "&", "\u2028", "\u2029"):
        assert dangerous not in text
    assert json.loads(text) == value


def test_policy_forbids_fetches_and_foreign_scripts(hostile_html: str) -> None:
    page = parse(hostile_html)
    csp = next(e for e in page.all("meta") if e.get("http-equiv") == "Content-Security-Policy")
    policy = csp.get("content") or ""
    assert "default-src 'none'" in policy
    assert re.search(r"script-src 'sha256-[A-Za-z0-9+/=]+'(;|$)", policy)
    assert "unsafe-inline" not in policy
