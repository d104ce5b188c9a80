"""User-facing texts: Fluent files in `locales/<lang>/*.ftl`, Russian first, English second.

Services and handlers both call `t(key, locale, **args)`; user-supplied values must go
through `esc()` before they reach an HTML message.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Mapping, Sequence
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from fluent.runtime import FluentBundle, FluentResource

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DEFAULT_LOCALE = "ru"
SUPPORTED_LOCALES = ("ru", "en")
# A school student under 14 reads texts in the child's register (docs/texts.md): «ты», short
# sentences, plain words. The register travels with the reader's locale as a private-use
# tag («ru-x-child»), so every text for that reader gets it: `t()` takes the message's child
# variant `<key>-child` when the locale has one, passes `$register` (`child` or `adult`) for
# a selector, and forms pick their `ru_child` wording.
CHILD_TAG = "-x-child"
CHILD_SUFFIX = "-child"
CHILD = "child"
ADULT = "adult"

log = logging.getLogger(__name__)


class MissingText(KeyError):
    pass


@cache
def _bundle(locale: str) -> FluentBundle:
    bundle = FluentBundle([locale], use_isolating=False)
    folder = LOCALES_DIR / locale
    for path in sorted(folder.glob("*.ftl")):
        resource = FluentResource(path.read_text(encoding="utf-8"))
        if resource.body and any(type(e).__name__ == "Junk" for e in resource.body):
            raise ValueError(f"{path}: a message cannot be parsed")
        bundle.add_resource(resource)
    return bundle


def normalize_locale(code: str | None, default: str = DEFAULT_LOCALE) -> str:
    """Telegram's `language_code` (e.g. `en-US`) to one of ours."""
    if not code:
        return default
    short = code.split("-")[0].split("_")[0].lower()
    return short if short in SUPPORTED_LOCALES else default


def reader_locale(locale: str | None, *, child: bool) -> str:
    """The locale a reader gets texts in: `locale` with the child's register when `child`."""
    base = normalize_locale(locale)
    return base + CHILD_TAG if child else base


def register_of(locale: str | None) -> str:
    """`child` for a locale with the child's register, otherwise `adult`."""
    return CHILD if locale and locale.endswith(CHILD_TAG) else ADULT


def pick_text(texts: Mapping[str, str], locale: str | None) -> str | None:
    """A text given per language (forms' YAML), in the reader's locale and register:
    `ru_child` for a child reading Russian when the form has it, else `ru`, else Russian."""
    base = normalize_locale(locale)
    if register_of(locale) == CHILD and texts.get(f"{base}_{CHILD}"):
        return texts[f"{base}_{CHILD}"]
    return texts.get(base) or texts.get(DEFAULT_LOCALE) or None


def has_text(key: str, locale: str = DEFAULT_LOCALE) -> bool:
    """Whether the reader's language has text `key` (a child's locale is their language)."""
    return _bundle(normalize_locale(locale)).has_message(key)


def t(key: str, locale: str | None = None, /, **args: Any) -> str:
    """The text `key` in `locale` (falls back to Russian), with Fluent arguments."""
    if not args:
        return _static(key, locale)
    values = _fluent_args(args)
    values.setdefault("register", register_of(locale))
    return _formatted(
        text_key(key, locale), normalize_locale(locale), tuple(sorted(values.items()))
    )


def text_key(key: str, locale: str | None) -> str:
    """The message a reader gets for `key`: its child variant for a child, when there is one
    in the reader's language."""
    if register_of(locale) == CHILD:
        child = key + CHILD_SUFFIX
        if _bundle(normalize_locale(locale)).has_message(child):
            return child
    return key


@lru_cache(maxsize=4096)
def _static(key: str, locale: str | None) -> str:
    """A text without arguments (a button, a question's hint): looked up once for each
    locale as it is given, the reader's register and its fallbacks included."""
    return _formatted(
        text_key(key, locale), normalize_locale(locale), (("register", register_of(locale)),)
    )


@lru_cache(maxsize=4096)
def _formatted(key: str, locale: str, args: tuple[tuple[str, Any], ...]) -> str:
    """Formatting is the same every time for the same arguments, and most texts (the
    questions, the buttons) are shown again and again: Fluent runs once for each."""
    for candidate in (locale, DEFAULT_LOCALE):
        bundle = _bundle(candidate)
        if bundle.has_message(key):
            message = bundle.get_message(key)
            if message.value is None:
                break
            value, errors = bundle.format_pattern(message.value, dict(args))
            if errors:
                log.warning("text %s/%s: %s", candidate, key, errors)
            return str(value)
    raise MissingText(key)


def variables(key: str, locale: str | None = None) -> list[str]:
    """The names of the variables text `key` takes, in the order they appear."""
    from fluent.syntax.visitor import Visitor

    names: list[str] = []

    class Collect(Visitor):  # type: ignore[misc]
        def visit_VariableReference(self, node: Any) -> None:
            if node.id.name not in names:
                names.append(node.id.name)

    bundle = _bundle(normalize_locale(locale))
    if not bundle.has_message(key):
        bundle = _bundle(DEFAULT_LOCALE)
    Collect().visit(bundle.get_message(key).value)
    return names


def t_attr(key: str, attribute: str, locale: str | None = None, /, **args: Any) -> str:
    loc = normalize_locale(locale)
    key = text_key(key, locale)
    for candidate in (loc, DEFAULT_LOCALE):
        bundle = _bundle(candidate)
        if bundle.has_message(key):
            message = bundle.get_message(key)
            if attribute in message.attributes:
                values = _fluent_args(args)
                values.setdefault("register", register_of(locale))
                value, _ = bundle.format_pattern(message.attributes[attribute], values)
                return str(value)
    raise MissingText(f"{key}.{attribute}")


def _fluent_args(args: Mapping[str, Any]) -> dict[str, Any]:
    # Fluent knows str and numbers; anything else is shown as text.
    out: dict[str, Any] = {}
    for name, value in args.items():
        if value is None:
            out[name] = ""
        elif isinstance(value, bool):
            out[name] = str(value)
        elif isinstance(value, int | float | str):
            out[name] = value
        else:
            out[name] = str(value)
    return out


def esc(value: object) -> str:
    """Escape user-supplied text for Telegram's HTML parse mode."""
    return html.escape("" if value is None else str(value), quote=False)


def reload_texts() -> None:
    _bundle.cache_clear()
    _formatted.cache_clear()
    _static.cache_clear()


def shorten(text: str, limit: int) -> str:
    """`text` in at most `limit` characters, cut between words and ended with «…».

    A single word longer than the limit is the only thing cut inside a word."""
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[: max(limit - 1, 0)]
    if not text[len(cut)].isspace():
        space = cut.rfind(" ")
        if space > limit // 3:
            cut = cut[:space]
    return cut.rstrip(" ,;:—–-") + "…"


def shorten_lines(text: str, limit: int) -> str:
    """Each line shortened so that all of them fit in `limit`: a group's explanation keeps a
    line for every mentee rather than losing the last ones."""
    lines = [line for line in text.splitlines() if line.strip()]
    if len(text) <= limit or not lines:
        return text
    each = max(limit // len(lines), 60)
    return "\n".join(shorten(line, each) for line in lines)


def shorten_names(names: str | Sequence[str], limit: int) -> str:
    """Names joined with commas in at most `limit` characters, each name whole: those that
    do not fit are counted at the end («Вера Морозова, Иван Новиков +2»). A ", "-joined
    string is taken name by name."""
    items = [n.strip() for n in (names.split(", ") if isinstance(names, str) else names)]
    items = [n for n in items if n]
    shown: list[str] = []
    for n, name in enumerate(items):
        rest = len(items) - n - 1
        text = ", ".join([*shown, name]) + (f" +{rest}" if rest else "")
        if len(text) > limit and shown:
            break
        shown.append(name)
    more = len(items) - len(shown)
    text = ", ".join(shown) + (f" +{more}" if more else "")
    return text if len(text) <= limit else shorten(text, limit)
