"""MAX's message ids on disk (`bot.max.store`): the integer given to a mid is found again
by a new process, belongs to the chat's person (for /forget_me), and never names
another message."""

from __future__ import annotations

from sqlalchemy import select

from bot.max.ids import chat_to_core, user_to_core
from bot.max.store import MidStore
from bot.max.updates import MessageIds
from storage.db import Database
from storage.models import MaxMessageId


def _message(mid: str, *, user: int | None = None, chat: int | None = None) -> dict:  # type: ignore[type-arg]
    recipient = (
        {"chat_id": 10_000_000 + (user or 0), "chat_type": "dialog", "user_id": user}
        if user is not None
        else {"chat_id": chat, "chat_type": "chat", "user_id": None}
    )
    return {
        "sender": {"user_id": 900, "first_name": "Бот", "is_bot": True},
        "recipient": recipient,
        "timestamp": 1,
        "body": {"mid": mid, "seq": 1, "text": "…"},
    }


async def test_ids_survive_a_restart_and_name_the_chat(db: Database) -> None:
    first = MessageIds(store=MidStore(db))
    await first.prepare([_message("mid.a", user=7), _message("mid.b", chat=-70)])
    a, b = first.id_of("mid.a"), first.id_of("mid.b")
    assert a != b

    again = MessageIds(store=MidStore(db))  # a new process: nothing in memory
    assert again.mid_of(a) is None
    assert await again.find_mid(a) == "mid.a" and await again.find_mid(b) == "mid.b"
    await again.prepare([_message("mid.a", user=7), _message("mid.c", user=7)])
    assert again.id_of("mid.a") == a  # the same message, the same id
    assert again.id_of("mid.c") not in (a, b)
    assert await again.find_mid(10**9) is None  # an id nobody was given

    async with db.read() as s:
        rows = {r.mid: r.chat_id for r in await s.scalars(select(MaxMessageId))}
    assert rows == {
        "mid.a": user_to_core(7),
        "mid.b": chat_to_core(-70),
        "mid.c": user_to_core(7),
    }


async def test_without_a_store_ids_are_counted_in_memory_far_above_stored_ones() -> None:
    ids = MessageIds()
    await ids.prepare([_message("mid.a", user=7)])  # nothing to prepare without a store
    number = ids.id_of("mid.a")
    assert ids.mid_of(number) == "mid.a" and await ids.find_mid(number) == "mid.a"
    assert number > 2**40  # row ids of the table start at 1


async def test_pruned_when_old_or_when_the_person_is_forgotten(db: Database) -> None:
    from datetime import UTC, datetime, timedelta

    from bot.max.store import prune
    from tests.support.factories import make_person

    now = datetime(2026, 10, 7, 12, 0, tzinfo=UTC)
    async with db.session() as s:
        await make_person(s, tg_id=user_to_core(7))  # still known
        rows = [
            ("known", user_to_core(7), now - timedelta(days=2)),
            ("known-very-old", user_to_core(7), now - timedelta(days=401)),
            ("forgotten", user_to_core(8), now - timedelta(hours=2)),
            ("forgotten-just-now", user_to_core(8), now - timedelta(minutes=5)),
            ("group", chat_to_core(-70), now - timedelta(days=2)),
        ]
        for mid, chat_id, at in rows:
            s.add(MaxMessageId(mid=mid, chat_id=chat_id, created_at=at))
    async with db.session() as s:
        await prune(s, now)
    async with db.read() as s:
        left = set(await s.scalars(select(MaxMessageId.mid)))
    assert left == {"known", "forgotten-just-now", "group"}
