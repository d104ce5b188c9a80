"""An erase reaches everything the bot keeps of a person, and then the disk itself.

Raw updates kept by long polling and messages in the outbox hold a person's messages,
Telegram name and username; on SQLite the write-ahead log keeps old page versions until
it is truncated; on PostgreSQL the dead row versions stay until a vacuum.
"""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from bot.services.privacy.forget import forget_person
from storage import db as storage_db
from storage.db import Database
from storage.models import OutboxMessage, Person, ReceivedUpdate
from tests.support.factories import make_curator, make_participant, make_programme

NAME = "Евлампия Кукушкина"
USERNAME = "evlampia_k"


def _update(update_id: int, tg_id: int, first_name: str, text: str) -> dict[str, object]:
    sender = {"id": tg_id, "is_bot": False, "first_name": first_name, "username": USERNAME}
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 1_790_000_000,
            "chat": {"id": tg_id, "type": "private", "first_name": first_name},
            "from": sender,
            "text": text,
        },
    }


async def _forget(db: Database, tg_id: int) -> None:
    async with db.session() as s:
        person = await s.scalar(select(Person).where(Person.tg_id == tg_id))
        assert person is not None
        await forget_person(s, person)


async def test_forget_erases_raw_updates_and_messages_of_the_person(db: Database) -> None:
    async with db.session() as s:
        programme = await make_programme(s)
        curator = await make_curator(s, programme)
        participant = await make_participant(s, programme, "mentee", name=NAME, age=30)
        person = await s.get(Person, participant.person_id)
        assert person is not None
        person.username = USERNAME
        tg_id, other_tg = person.tg_id, curator.tg_id
        s.add_all(
            [
                # taken by long polling and not yet handled
                ReceivedUpdate(update_id=501, payload=_update(501, tg_id, "Ева", "мой секрет")),
                ReceivedUpdate(update_id=502, payload=_update(502, other_tg, "Мария", "/pairs")),
                # queued for their chat without a person row (e.g. a reply to /start)
                OutboxMessage(idempotency_key="to-chat", chat_id=tg_id, payload={"text": "hi"}),
                # the curator's message naming them, on a button as well
                OutboxMessage(
                    idempotency_key="to-curator",
                    chat_id=other_tg,
                    payload={
                        "text": f"Новая анкета: {NAME} (@{USERNAME})",
                        "reply_markup": {
                            "inline_keyboard": [[{"text": NAME, "callback_data": "x:1"}]]
                        },
                    },
                ),
            ]
        )
    await _forget(db, tg_id)
    async with db.read() as s:
        kept = list(await s.scalars(select(ReceivedUpdate.update_id)))
        rows = {m.idempotency_key: m for m in await s.scalars(select(OutboxMessage))}
    assert kept == [502]
    assert "to-chat" not in rows
    curator_message = str(rows["to-curator"].payload)
    assert NAME not in curator_message and USERNAME not in curator_message
    assert "Новая анкета" in curator_message


def _wal(database: Database) -> Path:
    return Path(f"{make_url(database.url).database}-wal")


async def test_forget_empties_the_sqlite_log(sqlite_db: Database) -> None:
    async with sqlite_db.session() as s:
        programme = await make_programme(s)
        participant = await make_participant(s, programme, "mentee", name=NAME, age=30)
        person = await s.get(Person, participant.person_id)
        assert person is not None
        tg_id = person.tg_id
    assert _wal(sqlite_db).stat().st_size > 0
    await _forget(sqlite_db, tg_id)
    assert _wal(sqlite_db).stat().st_size == 0
    async with sqlite_db.read() as s:
        assert await s.scalar(text("PRAGMA secure_delete")) == 1


async def test_a_reader_holding_the_log_delays_the_wipe_not_the_erase(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage_db, "CHECKPOINT_TRIES", 3)
    async with sqlite_db.session() as s:
        programme = await make_programme(s)
        participant = await make_participant(s, programme, "mentee", name=NAME, age=30)
        person = await s.get(Person, participant.person_id)
        assert person is not None
        tg_id = person.tg_id
    # Another process reads an older snapshot, as a backup or a report would.
    reader = sqlite3.connect(str(make_url(sqlite_db.url).database), isolation_level=None)
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM persons").fetchone()
        started = asyncio.get_running_loop().time()
        await _forget(sqlite_db, tg_id)  # commits, tries the wipe, gives up quietly
        assert asyncio.get_running_loop().time() - started < 10
        async with sqlite_db.read() as s:
            assert await s.scalar(select(Person).where(Person.tg_id == tg_id)) is None
        assert _wal(sqlite_db).stat().st_size > 0
    finally:
        reader.execute("COMMIT")
        reader.close()
    assert await sqlite_db.wipe_deleted() is True
    assert _wal(sqlite_db).stat().st_size == 0


async def test_forget_vacuums_the_tables_on_postgresql(db: Database, backend: str) -> None:
    if backend != "postgresql":
        pytest.skip("PostgreSQL only")

    async def vacuums() -> int:
        async with db.engine.connect() as conn:
            await conn.execute(text("SELECT pg_stat_clear_snapshot()"))
            value = await conn.scalar(
                text("SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = 'persons'")
            )
            await conn.rollback()
            return int(value or 0)

    async with db.session() as s:
        programme = await make_programme(s)
        participant = await make_participant(s, programme, "mentee", name=NAME, age=30)
        person = await s.get(Person, participant.person_id)
        assert person is not None
        tg_id = person.tg_id
    before = await vacuums()
    await _forget(db, tg_id)
    for _ in range(50):  # the statistics arrive a moment later
        if await vacuums() > before:
            break
        await asyncio.sleep(0.1)
    assert await vacuums() > before
