"""People: the Person row of a Telegram user, locale, and the staff roles from settings."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, bindparam, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from bot.services.access import staff_condition
from bot.services.text_input import clean_name
from bot.texts import reader_locale
from storage import statements
from storage.models import Organisation, Participant, Person, StaffMember, StaffRole
from storage.statements import Statement, adopt, columns_of

# Below this age a school student reads texts in the child's register (docs/texts.md).
CHILD_UNDER = 14


@dataclass(frozen=True)
class TelegramUser:
    """What the bot knows of a user from an update (no aiogram types in services)."""

    id: int
    first_name: str = ""
    username: str | None = None
    language_code: str | None = None
    last_name: str | None = None

    @property
    def shown_name(self) -> str:
        """The Telegram name, without invisible characters (a right-to-left override in a
        profile name would turn the text around it on participants' screens)."""
        return clean_name(" ".join(part for part in (self.first_name, self.last_name) if part))[
            :300
        ]


def is_child(participant: Participant | None) -> bool:
    """A participant who reads texts as a child: under 18 by the consent («мне ещё нет 18»)
    and under 14 by the profile, or whose age the profile has not asked yet."""
    if participant is None or not participant.is_minor:
        return False
    return participant.age is None or participant.age < CHILD_UNDER


def child_condition(
    person_id: ColumnElement[int] | InstrumentedAttribute[int] | int,
) -> ColumnElement[bool]:
    """`is_child` in SQL: the person is a child in some programme."""
    return exists(
        select(Participant.id).where(
            Participant.person_id == person_id,
            Participant.is_minor.is_(True),
            or_(Participant.age.is_(None), Participant.age < CHILD_UNDER),
        )
    )


def participant_locale(person: Person | None, participant: Participant | None) -> str:
    """The locale texts to this participant are made in, with a child's register."""
    return reader_locale(person.locale if person else None, child=is_child(participant))


# Read for every update: built once (the parameter is bound at each run).
_PERSON_COLUMNS = columns_of(Person)
_PERSON_AND_STAFF = Statement(
    select(*_PERSON_COLUMNS, staff_condition(Person.id), child_condition(Person.id)).where(
        Person.tg_id == bindparam("tg_id")
    )
)


@dataclass(frozen=True)
class Writer:
    """The person behind an update: staff read the adults' texts, a child the child's."""

    person: Person
    is_staff: bool
    is_child: bool


async def person_and_staff(session: AsyncSession, user: TelegramUser) -> tuple[Person, bool]:
    """The user's Person (created at the first contact) and whether they are staff, in
    one query."""
    found = await writer(session, user)
    return found.person, found.is_staff


async def writer(session: AsyncSession, user: TelegramUser) -> Writer:
    """The user's Person (created at the first contact), whether they are staff and whether
    they read as a child, in one query."""
    found = await _PERSON_AND_STAFF.first(session, {"tg_id": user.id})
    if found is not None:
        columns = len(_PERSON_COLUMNS)
        person = adopt(session, Person, found[:columns])
        is_staff, is_child = bool(found[columns]), bool(found[columns + 1])
        if is_staff and not person.full_name and user.shown_name:
            # A curator named in settings has no name typed anywhere: the one in Telegram
            # is what participants see in introductions until the curator sets another.
            person.full_name = user.shown_name
        return Writer(person, is_staff, is_child and not is_staff)
    person = Person(tg_id=user.id)
    await statements.save_new(session, person)
    return Writer(person, False, False)


async def get_or_create_person(session: AsyncSession, user: TelegramUser) -> Person:
    return (await person_and_staff(session, user))[0]


async def person_by_tg(session: AsyncSession, tg_id: int) -> Person | None:
    return await session.scalar(select(Person).where(Person.tg_id == tg_id))


async def bootstrap_staff(
    session: AsyncSession,
    *,
    curator_ids: list[int],
    coordinator_ids: list[int],
    default_organisation: str,
) -> None:
    """Give the users named in settings their starting roles (idempotent).

    Curators from settings belong to the first organisation; it is created when there is
    none yet, unnamed until the curator names it in /program.
    """
    organisation: Organisation | None = None
    if curator_ids:
        organisation = await session.scalar(select(Organisation).order_by(Organisation.id))
        if organisation is None:
            organisation = Organisation(name=default_organisation)
            session.add(organisation)
            await session.flush()
    for role, ids in ((StaffRole.COORDINATOR, coordinator_ids), (StaffRole.CURATOR, curator_ids)):
        for tg_id in ids:
            person = await get_or_create_person(session, TelegramUser(id=tg_id))
            org_id = organisation.id if role == StaffRole.CURATOR and organisation else None
            exists = await session.scalar(
                select(StaffMember.id).where(
                    StaffMember.person_id == person.id,
                    StaffMember.role == role,
                    StaffMember.organisation_id.is_(None)
                    if org_id is None
                    else StaffMember.organisation_id == org_id,
                )
            )
            if exists is None:
                session.add(StaffMember(person_id=person.id, role=role, organisation_id=org_id))
    await session.flush()


async def staff_roles(session: AsyncSession, person_id: int) -> set[str]:
    rows = await session.scalars(select(StaffMember.role).where(StaffMember.person_id == person_id))
    return set(rows)


async def staff_tg_ids(session: AsyncSession) -> list[tuple[int, str]]:
    """Telegram ids of every curator and coordinator, with the role (for command menus)."""
    rows = await session.execute(
        select(Person.tg_id, StaffMember.role).join(Person, Person.id == StaffMember.person_id)
    )
    return sorted({(int(tg), str(role)) for tg, role in rows})
