"""Which messenger the update in hand came from (Telegram unless told otherwise).

The handlers do not ask; the few things that differ by messenger where the core builds
them (the address of a deep link) read it here. It is a context variable: the MAX
poller sets it, and every update's task started from there inherits it.
"""

from __future__ import annotations

from contextvars import ContextVar

TELEGRAM = "telegram"
MAX = "max"

LINK_BASES = {TELEGRAM: "https://t.me", MAX: "https://max.ru"}

_current: ContextVar[str] = ContextVar("messenger", default=TELEGRAM)


def use_messenger(name: str) -> None:
    _current.set(name)


def current() -> str:
    return _current.get()


def link_base(messenger: str | None = None) -> str:
    """`https://t.me` or `https://max.ru`: deep links are `<base>/<bot>?start=<code>`."""
    return LINK_BASES[messenger or current()]


# The bots' usernames when one deployment serves both messengers (set at the start):
# a link handed out in one messenger is offered for the other too.
_usernames: dict[str, str] = {}


def remember_bots(usernames: dict[str, str]) -> None:
    _usernames.clear()
    _usernames.update(usernames)


def other_links(code: str) -> list[tuple[str, str]]:
    """(messenger, deep link) of the other messengers this deployment serves."""
    here = current()
    return [
        (name, f"{LINK_BASES[name]}/{username}?start={code}")
        for name, username in _usernames.items()
        if name != here and username
    ]
