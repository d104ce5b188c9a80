"""Waiting for a typed answer (a meeting topic, a materials link) in the FSM.

Written through FSMContext, as every state is. The embedded SQL storage
(`storage.fsm.SQLStorage`) writes in the update's own transaction (`current_session`):
on SQLite a second writer inside the handler would wait for the handler's own lock.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State
from sqlalchemy.ext.asyncio import AsyncSession

from bot.infra.clock import now

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
    """`session` is the update's own; the SQL storage writes in it by itself."""
    await state.set_state(waiting)
    await state.set_data({**data, SINCE: now().isoformat()})


async def stop_waiting(state: FSMContext, session: AsyncSession) -> None:
    await state.clear()
