"""Who may do what: coordinators, curators of organisations, curators of programmes.

Every curator action is checked here, in the service layer, against the database: a
button can be forged or stale, and a handler filter alone is not enough.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, bindparam, exists, or_, select, union
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from storage import statements
from storage.models import Person, Programme, ProgrammeCurator, StaffMember, StaffRole
from storage.statements import Statement


class AccessDenied(Exception):
    """The person may not act on this programme (or at all as staff)."""


class OtherProgramme(Exception):
    """A console button shown for one programme pressed after the curator switched to
    another: refused, so that nothing is done to a programme the screen did not show."""

    key = "curator-button-other-programme"


async def is_coordinator(session: AsyncSession, person_id: int) -> bool:
    found = await session.scalar(
        select(StaffMember.id).where(
            StaffMember.person_id == person_id, StaffMember.role == StaffRole.COORDINATOR
        )
    )
    return found is not None


async def curator_organisations(session: AsyncSession, person_id: int) -> list[int]:
    rows = await session.scalars(
        select(StaffMember.organisation_id).where(
            StaffMember.person_id == person_id,
            StaffMember.role == StaffRole.CURATOR,
            StaffMember.organisation_id.is_not(None),
        )
    )
    return sorted({int(r) for r in rows if r is not None})


def staff_condition(
    person_id: ColumnElement[int] | InstrumentedAttribute[int] | int,
) -> ColumnElement[bool]:
    """True for a curator of an organisation or of a programme, or a coordinator (a person
    id, or the column of one for a query about many)."""
    staff = select(StaffMember.id).where(StaffMember.person_id == person_id)
    co = select(ProgrammeCurator.id).where(ProgrammeCurator.person_id == person_id)
    return or_(exists(staff), exists(co))


async def is_staff(session: AsyncSession, person_id: int) -> bool:
    """A curator of an organisation or of a programme, or a coordinator."""
    return bool(await session.scalar(select(staff_condition(person_id))))


async def visible_programmes(session: AsyncSession, person_id: int) -> list[Programme]:
    """Programmes the person may manage: all for a coordinator; else their organisations'
    programmes and those they co-curate."""
    query = select(Programme).order_by(Programme.id)
    if not await is_coordinator(session, person_id):
        orgs = await curator_organisations(session, person_id)
        co = select(ProgrammeCurator.programme_id).where(ProgrammeCurator.person_id == person_id)
        query = query.where(or_(Programme.organisation_id.in_(orgs), Programme.id.in_(co)))
    return list((await session.scalars(query)).all())


async def can_manage(session: AsyncSession, person_id: int, programme_id: int) -> bool:
    programme = await session.get(Programme, programme_id)
    if programme is None:
        return False
    if await is_coordinator(session, person_id):
        return True
    if programme.organisation_id in await curator_organisations(session, person_id):
        return True
    co = await session.scalar(
        select(ProgrammeCurator.id).where(
            ProgrammeCurator.person_id == person_id,
            ProgrammeCurator.programme_id == programme_id,
        )
    )
    return co is not None


async def require_programme(session: AsyncSession, person_id: int, programme_id: int) -> Programme:
    """The programme, if the person may manage it; otherwise `AccessDenied`."""
    if not await can_manage(session, person_id, programme_id):
        raise AccessDenied(programme_id)
    programme = await session.get(Programme, programme_id)
    assert programme is not None
    return programme


async def current_programme(session: AsyncSession, person: Person) -> Programme | None:
    """The programme a curator works with now: the chosen one, else the only/newest one."""
    if person.current_programme_id is not None and await can_manage(
        session, person.id, person.current_programme_id
    ):
        return await session.get(Programme, person.current_programme_id)
    programmes = await visible_programmes(session, person.id)
    return programmes[-1] if programmes else None


async def button_programme(session: AsyncSession, person: Person, programme_id: int) -> Programme:
    """The programme a console button was shown for, checked for the person pressing it.

    The button carries the programme's id (ids are guessable, so it is only a claim): the
    presser must manage it (`AccessDenied`), and it must still be the programme they
    work with (`OtherProgramme`): a screen left in the chat from before a switch must not
    open a round, confirm pairs or regenerate links in the programme chosen since.
    """
    programme = await require_programme(session, person.id, programme_id)
    current = await current_programme(session, person)
    if current is None or current.id != programme.id:
        raise OtherProgramme(programme_id)
    return programme


async def programme_curator_person_ids(session: AsyncSession, programme_id: int) -> list[int]:
    """Everyone to tell about a programme's alerts: its curators and co-curators."""
    programme = await statements.get(session, Programme, programme_id)
    if programme is None:
        return []
    rows = await _CURATORS.all(
        session, {"organisation_id": programme.organisation_id, "programme_id": programme_id}
    )
    return sorted({int(row[0]) for row in rows})


# Read when a participant opens a programme's description (the curators' names).
_CURATORS = Statement(
    union(
        select(StaffMember.person_id).where(
            StaffMember.role == StaffRole.CURATOR,
            StaffMember.organisation_id == bindparam("organisation_id"),
        ),
        select(ProgrammeCurator.person_id).where(
            ProgrammeCurator.programme_id == bindparam("programme_id")
        ),
    )
)
