"""The municipality's three indicators (the Bratsk model, seed 003), per organisation and in
total, as plain data for the coordinator's view, the export and documents.

- students involved: distinct people with consent in the organisation's programmes who
  are students aged 10–19 — a mentee at school or college, or a student mentor — against
  the organisation's number of students aged 10–19; target ≥ 70%;
- teachers under 35 involved: distinct people who are teachers under 35 — a young
  teacher mentee, or a teacher mentor under 35 — against the organisation's number of
  teachers under 35; target ≥ 70%;
- mentors trained: distinct mentors with consent whose training is marked, against all
  its mentors with consent; target ≥ 30%.

An age that is not known does not exclude a student or a young teacher mentee (their
category says it); a teacher mentor is counted as under 35 only when their age says so.
The totals per organisation are entered by its curator (programme settings) or by the
coordinator (`set_totals`); an organisation without them takes its largest
programme's. The total row adds the organisations up; a share is computed
over the organisations whose number is known.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.access import AccessDenied, curator_organisations, is_coordinator
from storage.models import (
    Organisation,
    Participant,
    ParticipantStatus,
    Person,
    Programme,
    Role,
)

STUDENT_AGES = (10, 19)
YOUNG_TEACHER_AGE = 35  # under it
TARGETS = {"students": 70, "teachers": 70, "trained": 30}
INDICATORS = ("students", "teachers", "trained")
STUDENT_MENTEES = ("school_student", "college_student")
STUDENT_MENTORS = ("student",)
TEACHER_MENTEES = ("young_teacher",)
TEACHER_MENTORS = ("teacher",)
MAX_TOTAL = 1_000_000
# The usual short forms of a school's legal name, as schools write them themselves.
SHORT_FORMS = (
    ("Муниципальное бюджетное общеобразовательное учреждение", "МБОУ"),
    ("Муниципальное автономное общеобразовательное учреждение", "МАОУ"),
    ("Муниципальное казённое общеобразовательное учреждение", "МКОУ"),
    ("Государственное бюджетное профессиональное образовательное учреждение", "ГБПОУ"),
    ("Средняя общеобразовательная школа", "СОШ"),
    ("средняя общеобразовательная школа", "СОШ"),
)


def short_name(name: str, limit: int) -> str:
    """An organisation's name for a button or a chart: its legal form in the usual short
    form («МБОУ «СОШ № 5»»), cut at `limit` characters."""
    for long, short in SHORT_FORMS:
        name = name.replace(long, short)
    return name if len(name) <= limit else name[: limit - 1] + "…"


@dataclass(frozen=True)
class Indicator:
    key: str  # one of INDICATORS
    involved: int
    total: int | None  # None: the organisation's number is not entered

    @property
    def target(self) -> int:
        return TARGETS[self.key]

    @property
    def percent(self) -> int | None:
        return round(100 * self.involved / self.total) if self.total else None

    @property
    def reached(self) -> bool | None:
        if not self.total:
            return None
        return 100 * self.involved >= self.target * self.total


@dataclass(frozen=True)
class OrganisationIndicators:
    organisation_id: int | None  # None for the total row
    name: str
    indicators: dict[str, Indicator]


@dataclass(frozen=True)
class MunicipalReport:
    organisations: list[OrganisationIndicators]
    total: OrganisationIndicators


def _is_student(role: str, category: str | None, age: int | None) -> bool:
    categories = STUDENT_MENTEES if role == Role.MENTEE else STUDENT_MENTORS
    if category not in categories:
        return False
    return age is None or STUDENT_AGES[0] <= age <= STUDENT_AGES[1]


def _is_young_teacher(role: str, category: str | None, age: int | None) -> bool:
    if role == Role.MENTEE:
        return category in TEACHER_MENTEES and (age is None or age < YOUNG_TEACHER_AGE)
    return category in TEACHER_MENTORS and age is not None and age < YOUNG_TEACHER_AGE


async def compute_municipal(
    session: AsyncSession, organisation_ids: Sequence[int] | None = None
) -> MunicipalReport:
    """The three indicators of each (or the given) organisation, and their total."""
    query = select(Organisation).order_by(Organisation.id)
    if organisation_ids is not None:
        query = query.where(Organisation.id.in_(organisation_ids))
    organisations = list((await session.scalars(query)).all())
    ids = [o.id for o in organisations]
    P = Participant
    rows = await session.execute(
        select(Programme.organisation_id, P.person_id, P.role, P.category, P.age, P.trained)
        .join(Programme, Programme.id == P.programme_id)
        .where(Programme.organisation_id.in_(ids), P.status == ParticipantStatus.ACTIVE)
    )
    students: dict[int, set[int]] = {i: set() for i in ids}
    teachers: dict[int, set[int]] = {i: set() for i in ids}
    mentors: dict[int, set[int]] = {i: set() for i in ids}
    trained: dict[int, set[int]] = {i: set() for i in ids}
    # An organisation without its own numbers takes its programme's (the largest one given).
    entered: dict[int, list[int | None]] = {i: [None, None] for i in ids}
    for org_id, students_total, teachers_total in await session.execute(
        select(
            Programme.organisation_id, Programme.students_total, Programme.young_teachers_total
        ).where(Programme.organisation_id.in_(ids))
    ):
        for index, value in enumerate((students_total, teachers_total)):
            if value and (entered[org_id][index] or 0) < value:
                entered[org_id][index] = value
    for org_id, person_id, role, category, age, is_trained in rows:
        if person_id is None:  # nobody behind the row any more
            continue
        if _is_student(role, category, age):
            students[org_id].add(person_id)
        if _is_young_teacher(role, category, age):
            teachers[org_id].add(person_id)
        if role == Role.MENTOR:
            mentors[org_id].add(person_id)
            if is_trained:
                trained[org_id].add(person_id)
    result = [
        OrganisationIndicators(
            o.id,
            o.name,
            {
                "students": Indicator(
                    "students", len(students[o.id]), o.students_total or entered[o.id][0]
                ),
                "teachers": Indicator(
                    "teachers", len(teachers[o.id]), o.young_teachers_total or entered[o.id][1]
                ),
                "trained": Indicator("trained", len(trained[o.id]), len(mentors[o.id])),
            },
        )
        for o in organisations
    ]
    return MunicipalReport(result, total_of(result))


def total_of(rows: list[OrganisationIndicators]) -> OrganisationIndicators:
    """The total row: the organisations added up, a share over those whose number is known."""
    indicators = {}
    for key in INDICATORS:
        parts = [r.indicators[key] for r in rows]
        known = [p for p in parts if p.total]
        if known:
            indicators[key] = Indicator(
                key, sum(p.involved for p in known), sum(p.total or 0 for p in known)
            )
        else:
            indicators[key] = Indicator(key, sum(p.involved for p in parts), None)
    return OrganisationIndicators(None, "", indicators)


def parse_totals(text: str) -> tuple[int | None, int | None]:
    """«640 25» (students aged 10–19, teachers under 35); «-» for a number not known."""
    parts = text.replace(",", " ").split()
    if len(parts) != 2:
        raise ValueError(text)
    values: list[int | None] = []
    for part in parts:
        if part in ("-", "—"):
            values.append(None)
        elif part.isdigit() and int(part) <= MAX_TOTAL:
            values.append(int(part))
        else:
            raise ValueError(part)
    return values[0], values[1]


async def organisation_for_totals(
    session: AsyncSession, actor: Person, organisation_id: int
) -> Organisation:
    """The organisation whose numbers the actor may enter (the coordinator: any; a curator:
    their own), else AccessDenied."""
    if not await is_coordinator(session, actor.id) and organisation_id not in (
        await curator_organisations(session, actor.id)
    ):
        raise AccessDenied(organisation_id)
    organisation = await session.get(Organisation, organisation_id)
    if organisation is None:
        raise AccessDenied(organisation_id)
    return organisation


async def set_totals(
    session: AsyncSession,
    actor: Person,
    organisation_id: int,
    *,
    students: int | None,
    teachers: int | None,
) -> Organisation:
    """The coordinator (any organisation) or a curator (their own) enters how many students
    aged 10–19 and teachers under 35 the organisation has."""
    organisation = await organisation_for_totals(session, actor, organisation_id)
    for value in (students, teachers):
        if value is not None and not 0 <= value <= MAX_TOTAL:
            raise ValueError(value)
    organisation.students_total = students
    organisation.young_teachers_total = teachers
    await session.flush()
    return organisation
