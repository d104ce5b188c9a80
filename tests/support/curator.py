"""A programme with a curator, mentors and mentees for the curator console tests."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Participant, Person, Programme
from tests.support.factories import make_curator, make_participant, make_programme


@dataclass
class CuratorWorld:
    programme: Programme
    curator: Person
    mentors: list[Participant]
    mentees: list[Participant]


async def make_world(
    session: AsyncSession,
    *,
    mentors: int = 2,
    mentees: int = 3,
    approved: bool = True,
    curator_tg: int | None = None,
    organisation: str = "МБОУ «Лицей № 1»",
    **programme_fields: object,
) -> CuratorWorld:
    programme = await make_programme(session, organisation=organisation, **programme_fields)
    curator = await make_curator(session, programme, tg_id=curator_tg)
    mentor_rows = [
        await make_participant(
            session,
            programme,
            "mentor",
            name=f"Наставник {chr(0x410 + i)}",
            approved=approved,
            grade=11,
        )
        for i in range(mentors)
    ]
    mentee_rows = [
        await make_participant(
            session, programme, "mentee", name=f"Ученик {chr(0x410 + i)}", grade=8
        )
        for i in range(mentees)
    ]
    return CuratorWorld(programme, curator, mentor_rows, mentee_rows)
