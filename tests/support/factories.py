"""Rows for tests: an organisation with a programme, people in roles, pairs.

Tests that are not about the journey itself create participants here directly instead
of walking every person through the bot.
"""

from __future__ import annotations

import itertools
from datetime import date, time
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.infra.clock import now
from storage.models import (
    Consent,
    Organisation,
    Pair,
    PairMember,
    Participant,
    Person,
    Programme,
    ProgrammeCurator,
    StaffMember,
)

_ids = itertools.count(900_000_001)


def next_tg_id() -> int:
    return next(_ids)


# No quiet hours: for tests whose messages go through the outbox on the real clock, which
# must pass at any time of day (the default 21:00-09:00 in Irkutsk is 13:00-01:00 UTC).
ANY_TIME: dict[str, Any] = {"quiet_start": time(0, 0), "quiet_end": time(0, 0)}


async def make_programme(
    session: AsyncSession,
    *,
    name: str = "Наставничество 2026/27",
    organisation: str = "МБОУ «Лицей № 1»",
    timezone: str = "Asia/Irkutsk",
    **fields: Any,
) -> Programme:
    org = Organisation(
        name=organisation, address=fields.pop("address", "665700, г. Братск, ул. Школьная, 1")
    )
    session.add(org)
    await session.flush()
    programme = Programme(
        organisation_id=org.id,
        name=name,
        forms=fields.pop("forms", ["student_student"]),
        timezone=timezone,
        starts_on=fields.pop("starts_on", date(2026, 9, 1)),
        ends_on=fields.pop("ends_on", date(2027, 5, 31)),
        operator_name=fields.pop("operator_name", "МБОУ «Лицей № 1»"),
        operator_details=fields.pop("operator_details", "8 (3953) 00-00-00"),
        **fields,
    )
    session.add(programme)
    await session.flush()
    return programme


async def make_person(
    session: AsyncSession, *, tg_id: int | None = None, name: str | None = None, **fields: Any
) -> Person:
    person = Person(tg_id=tg_id or next_tg_id(), full_name=name, **fields)
    session.add(person)
    await session.flush()
    return person


async def make_curator(
    session: AsyncSession, programme: Programme, *, tg_id: int | None = None
) -> Person:
    """A curator of the programme's organisation."""
    person = await make_person(session, tg_id=tg_id, name="Куратор Мария Ивановна")
    session.add(
        StaffMember(person_id=person.id, role="curator", organisation_id=programme.organisation_id)
    )
    person.current_programme_id = programme.id
    await session.flush()
    return person


async def make_co_curator(
    session: AsyncSession, programme: Programme, *, tg_id: int | None = None
) -> Person:
    person = await make_person(session, tg_id=tg_id, name="Сокуратор")
    session.add(
        ProgrammeCurator(programme_id=programme.id, person_id=person.id, is_co_curator=True)
    )
    await session.flush()
    return person


async def make_participant(
    session: AsyncSession,
    programme: Programme,
    role: str,
    *,
    name: str = "Участник",
    tg_id: int | None = None,
    person: Person | None = None,
    active: bool = True,
    approved: bool = False,
    age: int | None = None,
    **fields: Any,
) -> Participant:
    """A participant; `active` means consent complete and profile confirmed."""
    if person is None:
        person = await make_person(session, tg_id=tg_id, name=name)
    participant = Participant(
        programme_id=programme.id,
        person_id=person.id,
        role=role,
        display_name=name,
        age=age if age is not None else (15 if role == "mentee" else 35),
        is_minor=(age if age is not None else (15 if role == "mentee" else 35)) < 18,
        status="active" if active else "consent_pending",
        profile_complete=active,
        registry_status="approved" if approved else "candidate",
        consent_completed_at=now() if active else None,
        **fields,
    )
    session.add(participant)
    await session.flush()
    if active:
        session.add(
            Consent(participant_id=participant.id, kind="self", decision="agreed", text_version="1")
        )
        if participant.is_minor:
            session.add(
                Consent(
                    participant_id=participant.id,
                    kind="parent",
                    decision="agreed",
                    text_version="1",
                )
            )
        await session.flush()
    return participant


async def make_pair(
    session: AsyncSession,
    programme: Programme,
    mentor: Participant,
    mentees: list[Participant],
    *,
    status: str = "confirmed",
) -> Pair:
    pair = Pair(
        programme_id=programme.id,
        mentor_id=mentor.id,
        status=status,
        confirmed_at=now() if status == "confirmed" else None,
    )
    session.add(pair)
    await session.flush()
    for mentee in mentees:
        session.add(PairMember(pair_id=pair.id, mentee_id=mentee.id))
    await session.flush()
    return pair
