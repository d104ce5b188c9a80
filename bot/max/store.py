"""MAX's message ids on disk: a message sent before a restart can still be edited.

MAX names a message by a string (`mid`); aiogram's models, and so the core, by an
integer. The integer is the row id of `max_message_ids` (`storage.models.MaxMessageId`),
given the first time the mid is seen, and found again after a restart. Inside a
handler the row is written in the update's own transaction (as the FSM storage does);
elsewhere in a short one of its own. If the database cannot be written, the id is
kept in memory only (the old behaviour): nothing is lost but the edit after a restart.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, exists, insert, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.infra.clock import now
from storage.db import Database, current_session
from storage.models import MaxMessageId, Person
from storage.statements import Statement

log = logging.getLogger(__name__)

# A message is edited by its kept id within a school year at most (a button pressed
# later carries its message and gets a new id).
KEEP = timedelta(days=400)
# The dialog of someone the bot no longer knows (/forget_me, the retention sweep): the
# ids of the last messages, sent after the erase, go within the hour.
KEEP_ORPHANS = timedelta(hours=1)


# One mid at a time (a message has one; an album a few): compiled statements, the new
# row's id given back by the INSERT itself (storage.statements).
_ID_OF = Statement(select(MaxMessageId.id).where(MaxMessageId.mid == bindparam("m")))
_TABLE = MaxMessageId.metadata.tables[MaxMessageId.__tablename__]
_NEW_ID = Statement(
    insert(_TABLE)
    .values(mid=bindparam("m"), chat_id=bindparam("chat"), created_at=bindparam("at"))
    .returning(_TABLE.c.id)
)


class MidStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def ids_of(self, chats: dict[str, int]) -> dict[str, int]:
        """The integer of every mid (`chats`: mid -> the core id of its chat), new rows
        for the mids not seen before."""
        if not chats:
            return {}
        if current_session.get() is None and self.db.holds_write_lock():
            # A message sent from inside a write unit of work that is not an update's
            # (a job): its ids stay in memory rather than wait for that unit's lock.
            return {}
        try:
            async with self.db.joined() as session:
                found: dict[str, int] = {}
                for mid, chat_id in chats.items():
                    number = await _ID_OF.scalar(session, {"m": mid})
                    if number is None:
                        number = await _NEW_ID.scalar(
                            session, {"m": mid, "chat": chat_id, "at": now()}
                        )
                    found[mid] = int(number)
                return found
        except SQLAlchemyError as exc:
            log.warning("MAX message ids not stored: %s", type(exc).__name__)
            return {}

    async def mid_of(self, message_id: int) -> str | None:
        try:
            async with self.db.read(quick=True) as session:
                row = await session.get(MaxMessageId, message_id)
        except SQLAlchemyError as exc:
            log.warning("MAX message id not read: %s", type(exc).__name__)
            return None
        return row.mid if row is not None else None


async def prune(session: AsyncSession, moment: datetime) -> None:
    """Forget the ids of long ago, and those of dialogs with people the bot forgot."""
    await session.execute(delete(MaxMessageId).where(MaxMessageId.created_at < moment - KEEP))
    known = exists().where(Person.tg_id == MaxMessageId.chat_id)
    await session.execute(
        delete(MaxMessageId).where(
            MaxMessageId.chat_id > 0,
            MaxMessageId.created_at < moment - KEEP_ORPHANS,
            ~known,
        )
    )
