"""Curator actions that send to many people happen once, however often they are pressed.

Each such action is a row with a natural key that a unique constraint guards (a feedback
round's number, a preference round's number, a group meeting's time and place), and each
message it queues has an outbox idempotency key made from that row. A second press —
the same curator pressing fast, a second curator, or the job at the same moment — meets
the row the first one made: on SQLite it comes after the first has committed (writers
take turns), on PostgreSQL its insert waits for the first transaction and then fails on
the constraint. Either way nobody gets the messages twice, and the presser is told that
it is already going out. A check before the insert alone would let two transactions
through on PostgreSQL.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Base


async def add_once(session: AsyncSession, row: Base) -> bool:
    """Insert `row` in a savepoint; False (and the session still usable) when a unique
    constraint says the same thing is there already."""
    try:
        async with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return False
    return True
