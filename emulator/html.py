"""Telegram's HTML parse mode: plain text and entities, or the error Telegram gives."""

from __future__ import annotations

import re
from typing import Any

__all__ = ["EntityParseError", "parse_html", "utf16_len"]

_TAGS = {
    "a",
    "b",
    "strong",
    "i",
    "em",
    "s",
    "strike",
    "del",
    "u",
    "ins",
    "tg-spoiler",
    "tg-emoji",
    "span",
    "pre",
    "code",
    "blockquote",
}
_ENTITY_TYPE = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "u": "underline",
    "ins": "underline",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "code": "code",
    "pre": "pre",
    "a": "text_link",
    "tg-emoji": "custom_emoji",
    "blockquote": "blockquote",
}
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY_RE = re.compile(r"&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]{2,6}));")
_SPACE = " \t\r\n\f"


class EntityParseError(ValueError):
    """The text of `Bad Request: can't parse entities: ...`."""


def utf16_len(text: str) -> int:
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le")) // 2


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def _decode_entity(text: str, i: int) -> tuple[str, int] | None:
    match = _ENTITY_RE.match(text, i)
    if match is None:
        return None
    dec, hexa, name = match.groups()
    if dec is not None or hexa is not None:
        code = int(dec, 10) if dec is not None else int(hexa, 16)
        if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            return None
        return chr(code), match.end()
    value = _NAMED.get(name)
    if value is None:
        return None
    return value, match.end()


def _at(text: str, i: int) -> str:
    return text[i] if i < len(text) else ""


def parse_html(text: str, *, strict_ampersand: bool = True) -> tuple[str, list[dict[str, Any]]]:
    """Parse `text` as Telegram does with parse_mode=HTML.

    Returns the plain text and the entities (offsets in UTF-16 code units). Raises
    EntityParseError with Telegram's wording. Real Telegram keeps an `&` that starts no
    known entity as it is; with `strict_ampersand` it is an error, so unescaped user text
    is caught by tests even when it happens to contain only `&`.
    """
    if "<" not in text and "&" not in text and ">" not in text:
        return text, []
    out: list[str] = []
    pos16 = 0  # UTF-16 length of what is in `out`
    entities: list[dict[str, Any]] = []
    stack: list[tuple[str, dict[str, str], int]] = []
    n = len(text)
    i = 0
    while i < n:
        ch = text[i]
        if ch == "&":
            decoded = _decode_entity(text, i)
            if decoded is not None:
                out.append(decoded[0])
                pos16 += utf16_len(decoded[0])
                i = decoded[1]
                continue
            if strict_ampersand:
                raise EntityParseError(
                    f'Unsupported HTML entity "&" at byte offset {_byte_offset(text, i)}; '
                    "escape it as &amp;"
                )
            out.append(ch)
            pos16 += 1
            i += 1
            continue
        if ch != "<":
            # Copy the run of ordinary characters at once.
            j = i + 1
            while j < n and text[j] not in "<&":
                j += 1
            chunk = text[i:j]
            out.append(chunk)
            pos16 += utf16_len(chunk)
            i = j
            continue
        begin = i
        i += 1
        if _at(text, i) != "/":
            while i < n and text[i] not in _SPACE and text[i] != ">":
                i += 1
            if i >= n:
                raise EntityParseError(
                    f"Unclosed start tag at byte offset {_byte_offset(text, begin)}"
                )
            tag = text[begin + 1 : i].lower()
            if tag not in _TAGS:
                raise EntityParseError(
                    f'Unsupported start tag "{tag}" at byte offset {_byte_offset(text, begin)}'
                )
            attrs: dict[str, str] = {}
            while _at(text, i) != ">":
                while i < n and text[i] in _SPACE:
                    i += 1
                if _at(text, i) == ">":
                    break
                if i >= n:
                    raise EntityParseError(
                        f'Unclosed start tag "{tag}" at byte offset {_byte_offset(text, begin)}'
                    )
                attr_begin = i
                while i < n and text[i] not in _SPACE and text[i] not in "=>":
                    i += 1
                attr_name = text[attr_begin:i].lower()
                if not attr_name:
                    raise EntityParseError(
                        f'Empty attribute name in the tag "{tag}" at byte offset '
                        f"{_byte_offset(text, begin)}"
                    )
                while i < n and text[i] in _SPACE:
                    i += 1
                if _at(text, i) != "=":
                    if tag == "blockquote" and attr_name == "expandable":
                        attrs[attr_name] = ""
                        continue
                    raise EntityParseError(
                        f'Expected equal sign in declaration of an attribute of the tag "{tag}" '
                        f"at byte offset {_byte_offset(text, begin)}"
                    )
                i += 1
                while i < n and text[i] in _SPACE:
                    i += 1
                if i >= n:
                    raise EntityParseError(
                        f'Unclosed start tag "{tag}" at byte offset {_byte_offset(text, begin)}'
                    )
                quote = text[i]
                if quote in "'\"":
                    end = text.find(quote, i + 1)
                    if end < 0:
                        raise EntityParseError(
                            f'Unclosed start tag "{tag}" at byte offset {_byte_offset(text, begin)}'
                        )
                    raw = text[i + 1 : end]
                    i = end + 1
                else:
                    value_begin = i
                    while i < n and text[i] not in _SPACE and text[i] != ">":
                        i += 1
                    raw = text[value_begin:i]
                attrs[attr_name] = _unescape(raw)
            if tag == "span" and attrs.get("class") != "tg-spoiler":
                raise EntityParseError(
                    f'Tag "span" must have class "tg-spoiler" at byte offset '
                    f"{_byte_offset(text, begin)}"
                )
            if tag == "tg-emoji" and not attrs.get("emoji-id", "").isdigit():
                raise EntityParseError(
                    f'Custom emoji entity must contain a tag "emoji-id" at byte offset '
                    f"{_byte_offset(text, begin)}"
                )
            stack.append((tag, attrs, pos16))
            i += 1
            continue
        # An end tag.
        if not stack:
            raise EntityParseError(f"Unexpected end tag at byte offset {_byte_offset(text, begin)}")
        i += 1
        while i < n and text[i] not in _SPACE and text[i] != ">":
            i += 1
        end_name = text[begin + 2 : i].lower()
        while i < n and text[i] in _SPACE:
            i += 1
        if _at(text, i) != ">":
            raise EntityParseError(f"Unclosed end tag at byte offset {_byte_offset(text, begin)}")
        tag, attrs, start = stack.pop()
        if end_name and end_name != tag:
            raise EntityParseError(
                f"Unmatched end tag at byte offset {_byte_offset(text, begin)}, "
                f'expected "</{tag}>", found "</{end_name}>"'
            )
        i += 1
        length = pos16 - start
        if length > 0:
            entities.append(_entity(tag, attrs, start, length, "".join(out)))
    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"], e["type"] != "pre"))
    _merge_pre_code(entities)
    return "".join(out), entities


def _unescape(raw: str) -> str:
    if "&" not in raw:
        return raw
    parts: list[str] = []
    i = 0
    while i < len(raw):
        if raw[i] == "&":
            decoded = _decode_entity(raw, i)
            if decoded is not None:
                parts.append(decoded[0])
                i = decoded[1]
                continue
        parts.append(raw[i])
        i += 1
    return "".join(parts)


def _entity(tag: str, attrs: dict[str, str], offset: int, length: int, text: str) -> dict[str, Any]:
    kind = _ENTITY_TYPE[tag]
    entity: dict[str, Any] = {"type": kind, "offset": offset, "length": length}
    if tag == "a":
        href = attrs.get("href", "")
        if href.startswith("tg://user?id="):
            entity["type"] = "text_mention"
            entity["user"] = {
                "id": int(href.split("=", 1)[1] or 0),
                "is_bot": False,
                "first_name": "",
            }
        else:
            entity["url"] = href or text[-length:]
    elif tag == "tg-emoji":
        entity["custom_emoji_id"] = attrs["emoji-id"]
    elif tag == "blockquote" and "expandable" in attrs:
        entity["type"] = "expandable_blockquote"
    elif tag == "code" and attrs.get("class", "").startswith("language-"):
        entity["_language"] = attrs["class"][len("language-") :]
    return entity


def _merge_pre_code(entities: list[dict[str, Any]]) -> None:
    """`<pre><code class="language-x">` is one pre entity with a language."""
    keep: list[dict[str, Any]] = []
    last_pre: dict[str, Any] | None = None
    for entity in entities:
        language = entity.pop("_language", None)
        if entity["type"] == "pre":
            last_pre = entity
        elif (
            entity["type"] == "code"
            and last_pre is not None
            and last_pre["offset"] == entity["offset"]
            and last_pre["length"] == entity["length"]
        ):
            if language:
                last_pre["language"] = language
            continue
        keep.append(entity)
    entities[:] = keep
