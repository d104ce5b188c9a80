"""Reading the database from a test while the real bot runs in the same process."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession


@asynccontextmanager
async def read_settled(app: Any, timeout: float = 10.0) -> AsyncIterator[AsyncSession]:
    """A read session once the updates in hand are committed.

    The bot replies from inside an update's transaction and commits when the handler
    returns: a test that reads right after the reply could see the state before it.
    """
    assert await app.in_flight.wait_idle(timeout), "updates still in hand"
    async with app.db.read() as session:
        yield session
