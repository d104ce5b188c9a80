"""The journal of an update whose replies went out is deleted by the next update's unit
of work, in its transaction, or by a write of its own when no update is on its way; a
unit of work that does not commit leaves it for the next."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiogram.types import Update
from sqlalchemy import event, select

from bot.middlewares.database import DatabaseMiddleware
from bot.middlewares.metrics import InFlight
from storage.db import Database
from storage.models import PendingReply, ProcessedUpdate

# (update, method) of the journals the updates' transactions stored
JOURNAL = [(1, "SendMessage"), (2, "SendMessage"), (2, "AnswerCallbackQuery")]


async def _journal(db: Database) -> None:
    async with db.session() as s:
        s.add_all(
            PendingReply(update_id=update_id, seq=seq, method=method, payload={})
            for seq, (update_id, method) in enumerate(JOURNAL)
        )


async def _left(db: Database) -> list[tuple[int, str]]:
    async with db.read() as s:
        rows = await s.execute(select(PendingReply.update_id, PendingReply.method))
        return sorted((int(u), str(m)) for u, m in rows)


async def _processed(db: Database) -> list[int]:
    async with db.read() as s:
        return sorted(await s.scalars(select(ProcessedUpdate.update_id)))


async def test_sent_journals_go_in_the_transaction_of_an_update_on_its_way(
    sqlite_db: Database,
) -> None:
    await _journal(sqlite_db)
    middleware = DatabaseMiddleware(sqlite_db)
    gate = asyncio.Event()
    writes: list[int] = []

    async def on_its_way(_event: Any, data: dict[str, Any]) -> None:
        await gate.wait()
        writes.append(1)

    begun: list[int] = []

    def counted(connection: Any) -> None:
        if not connection.get_execution_options().get("readonly", False):
            begun.append(1)

    event.listen(sqlite_db.engine.sync_engine, "begin", counted)
    try:
        later = asyncio.create_task(middleware(on_its_way, Update(update_id=10), {}))
        await asyncio.sleep(0.05)  # its unit of work is open
        # Updates 1 and 2 sent their replies (2's answer to the press went in the
        # webhook's).
        middleware._sent(1)
        middleware._sent(2, answer_pending=True)
        await middleware._settle(None)  # what each update does on its way out
        assert await _left(sqlite_db) == sorted(JOURNAL)  # no write of their own
        gate.set()
        await later
    finally:
        event.remove(sqlite_db.engine.sync_engine, "begin", counted)
    assert writes == [1]
    assert await _left(sqlite_db) == [(2, "AnswerCallbackQuery")]
    assert len(begun) == 1  # the update's own transaction, no other write
    assert await _processed(sqlite_db) == [10]


async def test_a_unit_of_work_that_does_not_commit_leaves_them_for_a_write_of_their_own(
    sqlite_db: Database,
) -> None:
    await _journal(sqlite_db)
    middleware = DatabaseMiddleware(sqlite_db)
    middleware._sent(1)
    middleware._sent(2, answer_pending=True)
    in_flight = InFlight()

    async def commit_fails(_event: Any, data: dict[str, Any]) -> None:
        async def refused() -> None:
            raise RuntimeError("the database went away")

        data["session"].commit = refused

    in_flight.enter()  # the update, as the metrics middleware counts it
    with pytest.raises(RuntimeError):
        await middleware(commit_fails, Update(update_id=11), {"in_flight": in_flight})
    in_flight.leave()
    # The update took the journals into its transaction, which did not commit: they are
    # deleted in a write of their own once no update is on its way, counted as in hand.
    assert await in_flight.wait_idle(5)
    assert await _left(sqlite_db) == [(2, "AnswerCallbackQuery")]
    assert await _processed(sqlite_db) == []
