"""Where MAX ids live among the ids the core knows (Person.tg_id, chat ids, update ids).

The core keys a person by one integer (`Person.tg_id`, also the private chat id, the
outbox's chat id and the staff lists). Telegram's user ids have at most 52 significant
bits (Bot API, `User.id`), so every id from 2**53 upwards is free: a MAX user `u`
is known to the core as `MAX_ID_BASE + u`, a MAX group chat `c` as
`-(MAX_ID_BASE + |c|)` (groups are negative, as in Telegram). An id is MAX's or
Telegram's by its size alone, so the outbox and every reply find their messenger
without a column to consult, and no MAX id can collide with a Telegram one.
"""

from __future__ import annotations

MAX_ID_BASE = 2**53
# Update ids of MAX updates (the core dedupes updates by id across both messengers).
MAX_UPDATE_BASE = 2**53


def is_max(chat_or_user_id: int | str | None) -> bool:
    """True for an id in MAX's range (a user or a group chat)."""
    if chat_or_user_id is None or isinstance(chat_or_user_id, str):
        return False
    return abs(chat_or_user_id) >= MAX_ID_BASE


def user_to_core(max_user_id: int) -> int:
    return MAX_ID_BASE + max_user_id


def user_from_core(core_id: int) -> int:
    return core_id - MAX_ID_BASE


def chat_to_core(max_chat_id: int) -> int:
    return -(MAX_ID_BASE + abs(max_chat_id))


def chat_from_core(core_id: int) -> int:
    """MAX group chat ids are negative (MAX's documentation, «Получение chat_id»)."""
    return -(abs(core_id) - MAX_ID_BASE)


def is_max_update(update_id: int) -> bool:
    return update_id >= MAX_UPDATE_BASE


def parse_staff_id(text: str) -> int:
    """A CURATOR_IDS / COORDINATOR_IDS entry: `123` (Telegram) or `max:123` (MAX)."""
    text = text.strip()
    if text.lower().startswith("max:"):
        return user_to_core(int(text[4:].strip()))
    return int(text)
