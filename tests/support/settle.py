"""Reading the database from a test while the real bot runs in the same process."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession


@asynccontextmanager
async def read_settled(app: Any, timeout: float = 10.0) -> AsyncIterator[AsyncSession]:
    """A read session once the updates in hand are committed.

    The bot replies once the update is committed, but a reply made inside `sent_now()`
    or a later update may still be in hand: waiting for none keeps the read settled.
    """
    assert await app.in_flight.wait_idle(timeout), "updates still in hand"
    async with app.db.read() as session:
        yield session
