"""Waiting for a typed answer (a meeting topic, a materials link) in the FSM.

With the embedded SQL FSM storage the state row is written in the update's own
transaction: on SQLite a second writer inside the handler would wait for the handler's
own lock. Other storages (Redis) are written through FSMContext as usual.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.clock import now
from storage.fsm import SQLStorage, _key
from storage.models import FSMRecord

# A typed answer is expected only for a while: a message days later is not a meeting topic.
WAIT_FOR = timedelta(minutes=30)
SINCE = "_since"


def still_waiting(data: dict[str, Any]) -> bool:
    try:
        since = datetime.fromisoformat(str(data.get(SINCE)))
    except ValueError:
        return False
    return now() - since <= WAIT_FOR


async def wait_for_text(
    state: FSMContext, session: AsyncSession, waiting: State, data: dict[str, Any]
) -> None:
    data = {**data, SINCE: now().isoformat()}
    if isinstance(state.storage, SQLStorage):
        key = _key(state.key)
        row = await session.get(FSMRecord, key)
        if row is None:
            session.add(FSMRecord(key=key, state=waiting.state, data=dict(data)))
        else:
            row.state = waiting.state
            row.data = dict(data)
        await session.flush()
        return
    await state.set_state(waiting)
    await state.set_data(data)


async def stop_waiting(state: FSMContext, session: AsyncSession) -> None:
    if isinstance(state.storage, SQLStorage):
        row = await session.get(FSMRecord, _key(state.key))
        if row is not None:
            await session.delete(row)
            await session.flush()
        return
    await state.clear()
