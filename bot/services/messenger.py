"""Which messenger the update in hand came from, and whose messenger a person uses.

The handlers do not ask; the few things that differ by messenger where the core builds
them (the address of a deep link) read it here. The update's messenger is a context
variable: the MAX poller sets it, and every update's task started from there inherits
it. Outside an update (a scheduled job, a message to many people) a link follows the
person it goes to (`messenger_of`: MAX's ids are MAX's), or the one messenger served.
"""

from __future__ import annotations

from contextvars import ContextVar

from bot.max.ids import is_max

TELEGRAM = "telegram"
MAX = "max"

LINK_BASES = {TELEGRAM: "https://t.me", MAX: "https://max.ru"}

_current: ContextVar[str | None] = ContextVar("messenger", default=None)


def use_messenger(name: str) -> None:
    _current.set(name)


def current() -> str:
    """The update's messenger; outside an update, the one served (Telegram if both)."""
    name = _current.get()
    if name is not None:
        return name
    return MAX if list(_usernames) == [MAX] else TELEGRAM


def messenger_of(chat_id: int) -> str:
    """The messenger of a person (or chat) by the id the core knows them by."""
    return MAX if is_max(chat_id) else TELEGRAM


def link_base(messenger: str | None = None) -> str:
    """`https://t.me` or `https://max.ru`: deep links are `<base>/<bot>?start=<code>`."""
    return LINK_BASES[messenger or current()]


# The bots' usernames by messenger, of every messenger served (set at the start): a
# link handed out in one messenger is offered for the other too, and a link sent to
# a person outside an update names their own messenger's bot.
_usernames: dict[str, str] = {}


def remember_bots(usernames: dict[str, str]) -> None:
    _usernames.clear()
    _usernames.update(usernames)


def served() -> list[str]:
    return list(_usernames)


def link_for(messenger: str, code: str, username: str | None = None) -> str:
    """`<base>/<bot>?start=<code>` in that messenger (its bot's name as remembered)."""
    return f"{LINK_BASES[messenger]}/{_usernames.get(messenger) or username or 'bot'}?start={code}"


def other_links(code: str, here: str | None = None) -> list[tuple[str, str]]:
    """(messenger, deep link) of the other messengers this deployment serves."""
    here = here or current()
    return [
        (name, link_for(name, code))
        for name, username in _usernames.items()
        if name != here and username
    ]
