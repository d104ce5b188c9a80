"""An aiogram FSM storage in the database, for the embedded mode (survives a restart)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, StateType, StorageKey
from sqlalchemy import bindparam, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import Database, current_session
from storage.models import FSMRecord
from storage.statements import Statement


def _key(key: StorageKey) -> str:
    parts = [
        str(key.bot_id),
        str(key.chat_id),
        str(key.user_id),
        str(key.thread_id or ""),
        str(key.business_connection_id or ""),
        key.destiny,
    ]
    return ":".join(parts)


def _state_name(state: StateType) -> str | None:
    if state is None:
        return None
    if isinstance(state, State):
        return state.state
    return str(state)


_STATE = Statement(select(FSMRecord.state).where(FSMRecord.key == bindparam("key")))


class SQLStorage(BaseStorage):
    """Inside a handler it uses the update's own session (see `current_session`)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def _write(self) -> AbstractAsyncContextManager[AsyncSession]:
        return self.db.joined()

    @asynccontextmanager
    async def _read(self) -> AsyncIterator[AsyncSession]:
        session = current_session.get()
        if session is not None:
            yield session
            return
        async with self.db.read() as own:
            yield own

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        name = _state_name(state)
        async with self._write() as session:
            row = await session.get(FSMRecord, _key(key))
            if row is None:
                if name is None:
                    return
                session.add(FSMRecord(key=_key(key), state=name, data={}))
            else:
                row.state = name
                if name is None and not row.data:
                    await session.delete(row)

    async def get_state(self, key: StorageKey) -> str | None:
        async with self._read() as session:
            # Read for every update; the rows are written through `_write`, which
            # flushes, so a plain read on the connection sees them.
            state: str | None = await _STATE.scalar(session, {"key": _key(key)})
            return state

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        async with self._write() as session:
            row = await session.get(FSMRecord, _key(key))
            if row is None:
                if not data:
                    return
                session.add(FSMRecord(key=_key(key), state=None, data=dict(data)))
            elif not data and row.state is None:
                await session.delete(row)
            else:
                row.data = dict(data)

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        async with self._read() as session:
            value = await session.scalar(select(FSMRecord.data).where(FSMRecord.key == _key(key)))
            return dict(value or {})

    async def clear_user(self, user_id: int) -> None:
        """Forget every state of one user (used by /forget_me)."""
        async with self._write() as session:
            await session.execute(delete(FSMRecord).where(FSMRecord.key.like(f"%:%:{user_id}:%")))

    async def close(self) -> None:
        return None
