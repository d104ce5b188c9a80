"""Every row of the database, to show that a refused action changed nothing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from storage.models import Base
from tests.support.settle import read_settled

# The bookkeeping of updates (ids, kept raw updates, the journal of replies) and the
# scheduler's lease change with every update, whatever it did.
BOOKKEEPING = ("processed_updates", "received_updates", "pending_replies", "scheduler_lease")


async def dump(app: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table but the bookkeeping of updates and of the scheduler lease."""
    out = {}
    async with read_settled(app) as s:
        for table in Base.metadata.sorted_tables:
            if table.name in BOOKKEEPING:
                continue
            rows = await s.execute(text(f"SELECT * FROM {table.name}"))
            out[table.name] = sorted((tuple(map(repr, r)) for r in rows), key=repr)
    return out
