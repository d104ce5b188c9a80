"""A person at a Telegram client: waiting for the bot's messages, pressing their buttons.

Labels and expected texts come from the bot's own locale files, so a changed wording
changes the script with it.
"""

from __future__ import annotations

import asyncio
import html
import re
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from bot.texts import CHILD_SUFFIX, has_text, t, variables

if TYPE_CHECKING:
    from aiogram.filters.callback_data import CallbackData

    from emulator.records import CallbackAnswer, ChatMessage
    from emulator.scripted import Label, ScriptedUser

LOCALE = "ru"
# A script acts faster than people, and a loaded SQLite answers slower than usual: the
# waits are generous (they only matter when something goes wrong).
TIMEOUT = 60.0
_SLOT = "\x00"


def plain(text: str) -> str:
    """Bot HTML as the text a person reads."""
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def phrase(key: str, /, **args: Any) -> str:
    """A bot text as it shows in a chat."""
    return plain(t(key, LOCALE, **args))


# Selectors a text may vary on, with every value they take: a text matches in each variant.
_SELECTORS = {
    "_gender": ("male", "female", "other"),
    "shape": ("pair", "group"),
    "group": ("true", "false"),
    "register": ("child", "adult"),
}


def _selector_values(name: str) -> tuple[str, ...] | None:
    for suffix, values in _SELECTORS.items():
        if name == suffix or (suffix.startswith("_") and name.endswith(suffix)):
            return values
    return None


def pattern(key: str, /, **known: Any) -> re.Pattern[str]:
    """A bot text with the variables not given left open: matches it whatever they are.

    A gender or pair/group selector matches in every variant; a plural form matches in its
    default variant only.
    """
    texts: set[str] = set()
    # A text matches in its child's variant too (docs/texts.md), when it has one.
    for one in (key, key + CHILD_SUFFIX):
        if one != key and not has_text(one, LOCALE):
            continue
        open_names = [n for n in variables(one, LOCALE) if n not in known]
        selectors = [n for n in open_names if _selector_values(n)]
        variants: list[dict[str, Any]] = [{}]
        for name in selectors:
            values = _selector_values(name) or ()
            variants = [{**v, name: value} for v in variants for value in values]
        texts |= {
            phrase(one, **{**dict.fromkeys(open_names, _SLOT), **variant, **known})
            for variant in variants
        }
    alternatives = (
        ".+?".join(re.escape(part) for part in text.split(_SLOT)) for text in sorted(texts)
    )
    return re.compile("|".join(f"(?:{a})" for a in alternatives), re.DOTALL)


def has(label: Label) -> Callable[[ChatMessage], bool]:
    """A wait_for predicate: the message carries this button."""

    def check(message: ChatMessage) -> bool:
        return message.find_button(label) is not None

    check.__name__ = f"has {label!r}"
    return check


def ending(text: str) -> re.Pattern[str]:
    """A button label that may carry a mark in front of it («• », «✅ »)."""
    return re.compile(rf"(^|\s){re.escape(text)}$")


async def eventually(check: Callable[[], Awaitable[bool]], *, within: float = 5.0) -> None:
    """The bot commits right after it answers: wait until the database shows it."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not await check():
        if loop.time() >= deadline:
            raise AssertionError("the database did not reach the expected state")
        await asyncio.sleep(0.05)


async def expect(
    user: ScriptedUser,
    text: str | None = None,
    *,
    regex: str | re.Pattern[str] | None = None,
    predicate: Callable[[ChatMessage], bool] | None = None,
    edits: bool = True,
) -> ChatMessage:
    """The next unread bot message (or edit) that matches; earlier ones are passed over."""
    return await user.wait_for(text, regex=regex, predicate=predicate, edits=edits, timeout=TIMEOUT)


async def tap(
    user: ScriptedUser, label: Label, message: ChatMessage | None = None
) -> CallbackAnswer:
    """Press a button and wait for the bot to answer the press."""
    return await user.press(label, message=message, answer_timeout=TIMEOUT)


def buttons_of(
    message: ChatMessage, kind: type[CallbackData], action: str
) -> list[tuple[str, str]]:
    """(label, callback data) of the message's buttons of this kind and action."""
    prefix = f"{kind.__prefix__}{kind.__separator__}{action}{kind.__separator__}"
    found = []
    for row in message.buttons:
        for button in row:
            data = str(button.get("callback_data") or button.get("payload") or "")
            if data.startswith(prefix):
                found.append((str(button["text"]), data))
    return found


async def next_page(user: ScriptedUser, message: ChatMessage) -> bool:
    """Turn a paged list forward; False on its last page."""
    if message.find_button("›") is None:
        return False
    await tap(user, "›", message)
    return True
