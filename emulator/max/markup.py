"""MAX's `format: "html"`: the tags MAX renders, and the plain text a person sees."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

# MAX's markup kinds (schema `MarkupElement`: strong, emphasized, monospaced, link,
# strikethrough, underline, heading, quote, highlighted) and the tags that make them.
ALLOWED_TAGS = frozenset(
    {
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "del",
        "strike",
        "code",
        "pre",
        "a",
        "blockquote",
        "h1",
        "mark",
        "br",
    }
)


class MarkupError(ValueError):
    """HTML MAX would not render: an unknown or unclosed tag."""


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            raise MarkupError(f"unsupported tag <{tag}>")
        if tag == "br":
            self.parts.append("\n")
        else:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "br":
            return
        if not self.open or self.open[-1] != tag:
            raise MarkupError(f"unexpected </{tag}>")
        self.open.pop()

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain_text(text: str, fmt: str | None) -> str:
    """What the reader sees: the text without its tags (for `html`)."""
    if fmt != "html":
        return text
    reader = _Reader()
    reader.feed(text)
    reader.close()
    if reader.open:
        raise MarkupError(f"unclosed <{reader.open[-1]}>")
    return "".join(reader.parts)


def escape(text: str) -> str:
    return html.escape(text, quote=False)


TAG = re.compile(r"<[^>]+>")
