"""Reading a rendered page back with Python's own HTML parser, the way the tests inspect it."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

# Elements whose content the HTML parser reads as raw text up to the matching end tag.
_RAW = ("script", "style")


@dataclass
class Element:
    tag: str
    attrs: list[tuple[str, str | None]]
    text: str = ""  # for script and style: their raw content

    def get(self, name: str) -> str | None:
        return next((v for k, v in self.attrs if k == name), None)


@dataclass
class Page:
    elements: list[Element] = field(default_factory=list)
    # Text a reader sees (outside script and style), with character references decoded.
    text: str = ""

    def all(self, tag: str) -> list[Element]:
        return [e for e in self.elements if e.tag == tag]

    def by_id(self, element_id: str) -> Element:
        return next(e for e in self.elements if e.get("id") == element_id)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._text: list[str] = []
        self._raw: Element | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, attrs)
        self.page.elements.append(element)
        if tag in _RAW:
            self._raw = element

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.page.elements.append(Element(tag, attrs))

    def handle_endtag(self, tag: str) -> None:
        if self._raw is not None and tag == self._raw.tag:
            self._raw = None

    def handle_data(self, data: str) -> None:
        if self._raw is not None:
            self._raw.text += data
        else:
            self._text.append(data)


def parse(html: str) -> Page:
    parser = _Parser()
    parser.feed(html)
    parser.close()
    parser.page.text = "".join(parser._text)
    return parser.page


__all__ = ["Element", "Page", "parse"]
