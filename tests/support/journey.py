"""Helpers for journey tests: a programme with invitations, and a dump of the database."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, time
from typing import Any

from sqlalchemy import JSON, String, Text, select

from bot.services.enrolment.invitations import create_invitation, revoke
from storage.db import Database
from storage.models import Base
from tests.support.factories import make_curator, make_programme


@dataclass
class Setup:
    programme_id: int
    curator_id: int
    curator_tg: int
    mentee_code: str
    mentor_code: str
    revoked_code: str


async def programme_with_invitations(db: Database, curator_tg: int) -> Setup:
    async with db.session() as s:
        programme = await make_programme(
            s,
            goals="Помочь каждому найти наставника",
            operator_details="ИНН 3804000000",
            # No quiet hours: the tests run at any real time of day.
            quiet_start=time(0, 0),
            quiet_end=time(0, 0),
        )
        curator = await make_curator(s, programme, tg_id=curator_tg)
        mentee = await create_invitation(s, kind="mentee", programme_id=programme.id)
        mentor = await create_invitation(s, kind="mentor", programme_id=programme.id)
        old = await create_invitation(s, kind="mentee", programme_id=programme.id)
        await revoke(s, old.id)
        return Setup(programme.id, curator.id, curator_tg, mentee.code, mentor.code, old.code)


async def dump_text(db: Database) -> str:
    """Every text and JSON column of every table, as one string."""
    chunks: list[str] = []
    async with db.read() as s:
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, String | Text | JSON)]
            if not columns:
                continue
            for row in await s.execute(select(*columns)):
                for value in row:
                    if value is None:
                        continue
                    chunks.append(
                        value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                    )
    return "\n".join(chunks)


def all_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def start_update(update_id: int, user: Any, text: str) -> dict[str, Any]:
    """A raw private-chat update with a command, as Telegram would send it."""
    sender = {"id": user.id, "is_bot": False, "first_name": user.first_name}
    return {
        "update_id": update_id,
        "message": {
            "message_id": 1,
            "date": int(datetime.now(UTC).timestamp()),
            "chat": {"id": user.id, "type": "private", "first_name": user.first_name},
            "from": sender,
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}],
        },
    }
