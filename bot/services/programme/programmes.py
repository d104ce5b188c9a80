"""Programmes: create, choose, edit; participants' invitation links and their QR codes."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date, time
from typing import Any

import segno
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.infra.clock import now
from bot.services.access import (
    AccessDenied,
    curator_organisations,
    is_coordinator,
    require_programme,
    visible_programmes,
)
from bot.services.enrolment import invitations
from bot.services.privacy import audit
from bot.services.vocabulary import MENTORING_FORMS
from storage.models import InvitationKind, Organisation, Person, Programme

# The common Russian time zones, west to east (label key suffix → IANA zone).
TIMEZONES: tuple[tuple[str, str], ...] = (
    ("kaliningrad", "Europe/Kaliningrad"),
    ("moscow", "Europe/Moscow"),
    ("samara", "Europe/Samara"),
    ("yekaterinburg", "Asia/Yekaterinburg"),
    ("omsk", "Asia/Omsk"),
    ("novosibirsk", "Asia/Novosibirsk"),
    ("irkutsk", "Asia/Irkutsk"),
    ("yakutsk", "Asia/Yakutsk"),
    ("vladivostok", "Asia/Vladivostok"),
    ("magadan", "Asia/Magadan"),
    ("kamchatka", "Asia/Kamchatka"),
)
ZONES = dict(TIMEZONES)
CADENCES = (7, 14, 21, 30)
QUIET_OPTIONS = ("21-09", "22-08", "20-08", "none")  # hours «from-to» (no colons: button data)

# The wizard's steps in order; `edit` reuses one step at a time.
STEPS = (
    "name",
    "organisation",
    "org_name",
    "org_address",
    "forms",
    "is_group",
    "goals",
    "timezone",
    "starts_on",
    "ends_on",
    "feedback_cadence_days",
    "quiet",
    "operator_name",
    "operator_details",
    "students_total",
    "young_teachers_total",
)
OPTIONAL_STEPS = frozenset(
    {"goals", "starts_on", "ends_on", "students_total", "young_teachers_total"}
)
EDITABLE = tuple(s for s in STEPS if s != "organisation")
# Steps whose values belong to the organisation, not to the programme.
ORGANISATION_STEPS = ("org_name", "org_address")
# What a parent and every participant read in the consent: nobody is invited without it.
REQUIRED_DETAILS = ("org_name", "org_address", "operator_name", "operator_details")
ADDRESS_LIMIT = 500
PARTICIPANT_KINDS = (InvitationKind.MENTEE, InvitationKind.MENTOR)
NAME_LIMIT = 200
TEXT_LIMIT = 1000
GOALS_LIMIT = 2000  # the programme's tasks and expected results


class InvalidValue(ValueError):
    """A typed value the wizard cannot take; `key` is the text explaining why."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def parse_text_value(step: str, raw: str) -> Any:
    """A typed answer for a text step, as stored in the wizard draft (JSON-friendly)."""
    value = (raw or "").strip()
    if step in ("name", "operator_name", "organisation", "org_name"):
        if not value:
            raise InvalidValue("program-error-empty")
        if len(value) > NAME_LIMIT:
            raise InvalidValue("program-error-too-long")
        return value
    if step in ("operator_details", "org_address"):
        if not value:
            raise InvalidValue("program-error-empty")
        if len(value) > (ADDRESS_LIMIT if step == "org_address" else TEXT_LIMIT):
            raise InvalidValue("program-error-too-long")
        return value
    if step == "goals":
        if not value:
            raise InvalidValue("program-error-empty")
        if len(value) > GOALS_LIMIT:
            raise InvalidValue("program-error-too-long")
        return value
    if step in ("starts_on", "ends_on"):
        return parse_date(value).isoformat()
    if step in ("students_total", "young_teachers_total"):
        digits = value.replace(" ", "")
        if not digits.isdigit() or int(digits) > 1_000_000:
            raise InvalidValue("program-error-number")
        return int(digits)
    if step == "feedback_cadence_days":
        if not value.isdigit() or not 1 <= int(value) <= 90:
            raise InvalidValue("program-error-cadence")
        return int(value)
    raise InvalidValue("program-error-use-buttons")


def parse_date(value: str) -> date:
    match = re.fullmatch(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})", value.strip())
    if not match:
        raise InvalidValue("program-error-date")
    day, month, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise InvalidValue("program-error-date") from None


def check_draft(draft: dict[str, Any]) -> None:
    """Problems that span fields: the programme must end after it starts."""
    starts, ends = draft.get("starts_on"), draft.get("ends_on")
    if starts and ends and date.fromisoformat(ends) <= date.fromisoformat(starts):
        raise InvalidValue("program-error-dates-order")
    if not draft.get("forms"):
        raise InvalidValue("program-error-forms")


def default_draft() -> dict[str, Any]:
    return {
        "forms": [],
        "is_group": False,
        "timezone": "Europe/Moscow",
        "feedback_cadence_days": 14,
        "quiet": "21-09",
    }


def draft_of(programme: Programme) -> dict[str, Any]:
    quiet = f"{programme.quiet_start:%H}-{programme.quiet_end:%H}"
    if programme.quiet_start == programme.quiet_end:
        quiet = "none"
    return {
        "name": programme.name,
        "organisation_id": programme.organisation_id,
        "forms": list(programme.forms or []),
        "is_group": programme.is_group,
        "goals": programme.goals,
        "timezone": programme.timezone,
        "starts_on": programme.starts_on.isoformat() if programme.starts_on else None,
        "ends_on": programme.ends_on.isoformat() if programme.ends_on else None,
        "feedback_cadence_days": programme.feedback_cadence_days,
        "quiet": quiet,
        "operator_name": programme.operator_name,
        "operator_details": programme.operator_details,
        "students_total": programme.students_total,
        "young_teachers_total": programme.young_teachers_total,
    }


async def full_draft(session: AsyncSession, programme: Programme) -> dict[str, Any]:
    """The programme's values with its organisation's name and address."""
    draft = draft_of(programme)
    organisation = await session.get(Organisation, programme.organisation_id)
    draft["org_name"] = organisation.name if organisation and organisation.name else None
    draft["org_address"] = organisation.address if organisation else None
    return draft


def missing_details(draft: dict[str, Any]) -> list[str]:
    """The steps of the consent's details that have no value yet."""
    return [step for step in REQUIRED_DETAILS if not draft.get(step)]


class DetailsMissing(Exception):
    """The organisation or the operator is not named yet: the consent would be empty."""

    def __init__(self, steps: list[str]) -> None:
        super().__init__(", ".join(steps))
        self.steps = steps


def _apply_organisation(organisation: Organisation, draft: dict[str, Any]) -> None:
    if draft.get("org_name"):
        organisation.name = str(draft["org_name"])[:NAME_LIMIT]
    if draft.get("org_address"):
        organisation.address = str(draft["org_address"])[:ADDRESS_LIMIT]


def _quiet(value: str) -> tuple[time, time]:
    if value == "none":
        return time(0, 0), time(0, 0)
    start, end = value.split("-")
    return time(int(start)), time(int(end))


def _apply(programme: Programme, draft: dict[str, Any]) -> None:
    forms = [f for f in draft.get("forms") or [] if f in MENTORING_FORMS]
    if "name" in draft:
        programme.name = str(draft["name"])[:NAME_LIMIT]
    programme.forms = forms
    programme.is_group = bool(draft.get("is_group"))
    programme.goals = draft.get("goals") or None
    zone = str(draft.get("timezone") or "")
    programme.timezone = zone if zone in ZONES.values() else "Europe/Moscow"
    programme.starts_on = date.fromisoformat(draft["starts_on"]) if draft.get("starts_on") else None
    programme.ends_on = date.fromisoformat(draft["ends_on"]) if draft.get("ends_on") else None
    programme.feedback_cadence_days = int(draft.get("feedback_cadence_days") or 14)
    quiet = str(draft.get("quiet") or "")
    if quiet in QUIET_OPTIONS:  # other hours (set elsewhere) stay as they are
        programme.quiet_start, programme.quiet_end = _quiet(quiet)
    programme.operator_name = draft.get("operator_name")
    programme.operator_details = draft.get("operator_details")
    programme.students_total = draft.get("students_total")
    programme.young_teachers_total = draft.get("young_teachers_total")


@dataclass(frozen=True)
class OrganisationChoice:
    id: int
    name: str


async def organisations_for(session: AsyncSession, person_id: int) -> list[OrganisationChoice]:
    """Organisations the person may create programmes in."""
    query = select(Organisation).order_by(Organisation.id)
    if not await is_coordinator(session, person_id):
        ids = await curator_organisations(session, person_id)
        query = query.where(Organisation.id.in_(ids))
    return [OrganisationChoice(o.id, o.name) for o in await session.scalars(query)]


async def create_organisation(session: AsyncSession, actor: Person, name: str) -> Organisation:
    """Only a coordinator creates organisations."""
    if not await is_coordinator(session, actor.id):
        raise AccessDenied("organisation")
    organisation = Organisation(name=parse_text_value("organisation", name))
    session.add(organisation)
    await session.flush()
    await audit.record(
        session,
        programme_id=None,
        actor_id=actor.id,
        action="organisation_created",
        organisation_id=organisation.id,
    )
    return organisation


async def create_programme(
    session: AsyncSession, actor: Person, draft: dict[str, Any]
) -> Programme:
    check_draft(draft)
    org_id = draft.get("organisation_id")
    allowed = {o.id for o in await organisations_for(session, actor.id)}
    if org_id not in allowed:
        raise AccessDenied("organisation")
    programme = Programme(organisation_id=int(org_id), name="", created_by=actor.id)
    _apply(programme, draft)
    if not programme.name:
        raise InvalidValue("program-error-empty")
    organisation = await session.get(Organisation, org_id)
    if organisation is not None:
        _apply_organisation(organisation, draft)
    if not programme.operator_name and organisation is not None and organisation.name:
        programme.operator_name = organisation.name
    session.add(programme)
    await session.flush()
    if organisation is not None:
        # The organisation's figures feed the coverage target of the reports.
        if programme.students_total is not None:
            organisation.students_total = programme.students_total
        if programme.young_teachers_total is not None:
            organisation.young_teachers_total = programme.young_teachers_total
    actor.current_programme_id = programme.id
    await audit.record(
        session, programme_id=programme.id, actor_id=actor.id, action="programme_created"
    )
    return programme


async def update_programme(
    session: AsyncSession, actor: Person, programme_id: int, changes: dict[str, Any]
) -> Programme:
    programme = await require_programme(session, actor.id, programme_id)
    draft = await full_draft(session, programme)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise InvalidValue("program-error-use-buttons")
    draft.update(changes)
    check_draft(draft)
    _apply(programme, draft)
    if set(changes) & set(ORGANISATION_STEPS):
        # The curator manages this programme, so the organisation it belongs to.
        organisation = await session.get(Organisation, programme.organisation_id)
        if organisation is not None:
            _apply_organisation(organisation, draft)
    await session.flush()
    await audit.record(
        session,
        programme_id=programme.id,
        actor_id=actor.id,
        action="programme_edited",
        fields=sorted(changes),
    )
    return programme


async def choose_programme(session: AsyncSession, actor: Person, programme_id: int) -> Programme:
    programme = await require_programme(session, actor.id, programme_id)
    actor.current_programme_id = programme.id
    await session.flush()
    return programme


@dataclass(frozen=True)
class ProgrammeList:
    items: list[Programme]
    page: int
    pages: int
    total: int


async def list_programmes(
    session: AsyncSession, actor: Person, page: int = 0, per_page: int = 6
) -> ProgrammeList:
    programmes = list(reversed(await visible_programmes(session, actor.id)))
    pages = max(1, -(-len(programmes) // per_page))
    page = min(max(page, 0), pages - 1)
    return ProgrammeList(
        programmes[page * per_page : (page + 1) * per_page], page, pages, len(programmes)
    )


# --- invitation links ---------------------------------------------------------------


@dataclass(frozen=True)
class InviteLink:
    kind: str
    invitation_id: int
    code: str
    uses: int


async def invite_links(session: AsyncSession, actor: Person, programme_id: int) -> list[InviteLink]:
    """The programme's usable links for mentees, mentors and a co-curator (made if missing).

    Raises DetailsMissing while the organisation or the operator is not named: the
    people invited would read a consent without them.
    """
    programme = await require_programme(session, actor.id, programme_id)
    await _require_details(session, programme)
    links = []
    for kind in (*PARTICIPANT_KINDS, InvitationKind.CO_CURATOR):
        invitation = await invitations.active_invitation(
            session, kind=kind, programme_id=programme.id
        )
        if invitation is None:
            invitation = await _new_invitation(session, actor, programme, kind)
        links.append(InviteLink(kind, invitation.id, invitation.code, invitation.uses))
    return links


async def _require_details(session: AsyncSession, programme: Programme) -> None:
    missing = missing_details(await full_draft(session, programme))
    if missing:
        raise DetailsMissing(missing)


async def _new_invitation(
    session: AsyncSession, actor: Person, programme: Programme, kind: str
) -> Any:
    from datetime import timedelta

    staff = kind == InvitationKind.CO_CURATOR
    return await invitations.create_invitation(
        session,
        kind=kind,
        programme_id=programme.id,
        organisation_id=programme.organisation_id,
        created_by=actor.id,
        # A staff link appoints one person and does not live long.
        max_uses=1 if staff else None,
        expires_at=now() + timedelta(days=14) if staff else None,
    )


async def regenerate_link(
    session: AsyncSession, actor: Person, programme_id: int, kind: str
) -> InviteLink:
    """Revoke the current link of a role and issue a new one."""
    programme = await require_programme(session, actor.id, programme_id)
    await _require_details(session, programme)
    if kind not in (*PARTICIPANT_KINDS, InvitationKind.CO_CURATOR):
        raise InvalidValue("button-stale")
    current = await invitations.active_invitation(session, kind=kind, programme_id=programme.id)
    if current is not None:
        await invitations.revoke(session, current.id)
    invitation = await _new_invitation(session, actor, programme, kind)
    await audit.record(
        session,
        programme_id=programme.id,
        actor_id=actor.id,
        action="invitation_regenerated",
        kind=kind,
        revoked=current.id if current else None,
        created=invitation.id,
    )
    return InviteLink(kind, invitation.id, invitation.code, invitation.uses)


async def link_for(
    session: AsyncSession, actor: Person, programme_id: int, kind: str
) -> InviteLink:
    for link in await invite_links(session, actor, programme_id):
        if link.kind == kind:
            return link
    raise InvalidValue("button-stale")


def qr_png(url: str) -> bytes:
    """A printable QR code of a link (PNG)."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=10, border=4)
    return buffer.getvalue()
