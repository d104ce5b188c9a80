"""Appointing staff: a coordinator invites curators of an organisation, a curator invites
a co-curator of a programme; redeeming such a link (`/start <code>`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import bindparam, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.infra.clock import now
from bot.services.access import AccessDenied, is_coordinator
from bot.services.enrolment import invitations
from bot.services.privacy import audit
from storage.models import (
    Invitation,
    InvitationKind,
    Organisation,
    Person,
    Programme,
    ProgrammeCurator,
    StaffMember,
    StaffRole,
)
from storage.statements import Objects

STAFF_KINDS = (InvitationKind.CURATOR, InvitationKind.CO_CURATOR)
STAFF_LINK_DAYS = 14


async def staff_invitation(session: AsyncSession, code: str) -> Invitation | None:
    """The staff invitation with this code (even a revoked one), or None for anything else."""
    if not code or len(code) > 64:
        return None
    return await _STAFF_BY_CODE.first(session, {"code": code})


# Read for every /start with a code (the staff filter): the kinds are spelled out, since
# a compiled statement holds no IN list.
_STAFF_BY_CODE = Objects(
    Invitation,
    Invitation.code == bindparam("code"),
    or_(*(Invitation.kind == kind for kind in STAFF_KINDS)),
)


async def curator_invitation(
    session: AsyncSession, actor: Person, organisation_id: int
) -> Invitation:
    """A one-time link appointing a curator of an organisation (coordinators only)."""
    if not await is_coordinator(session, actor.id):
        raise AccessDenied("curator invitation")
    if await session.get(Organisation, organisation_id) is None:
        raise AccessDenied("organisation")
    invitation = await invitations.create_invitation(
        session,
        kind=InvitationKind.CURATOR,
        organisation_id=organisation_id,
        created_by=actor.id,
        max_uses=1,
        expires_at=now() + timedelta(days=STAFF_LINK_DAYS),
    )
    await audit.record(
        session,
        programme_id=None,
        actor_id=actor.id,
        action="curator_invited",
        organisation_id=organisation_id,
        invitation_id=invitation.id,
    )
    return invitation


@dataclass(frozen=True)
class StaffRedemption:
    ok: bool
    kind: str
    place: str  # organisation or programme name
    problem: str | None = None  # invitations.InvitationProblem or "already"


async def redeem(session: AsyncSession, person: Person, code: str) -> StaffRedemption:
    found = await invitations.find(session, code)
    invitation = found.invitation
    if invitation is None or invitation.kind not in STAFF_KINDS:
        return StaffRedemption(False, "", "", "unknown")
    if invitation.kind == InvitationKind.CURATOR:
        organisation = await session.get(Organisation, invitation.organisation_id)
        place = organisation.name if organisation else ""
    else:
        programme = await session.get(Programme, invitation.programme_id)
        place = programme.name if programme else ""
    if found.problem is not None:
        return StaffRedemption(False, invitation.kind, place, str(found.problem))
    if invitation.kind == InvitationKind.CURATOR:
        exists = await session.scalar(
            select(StaffMember.id).where(
                StaffMember.person_id == person.id,
                StaffMember.role == StaffRole.CURATOR,
                StaffMember.organisation_id == invitation.organisation_id,
            )
        )
        if exists is not None:
            return StaffRedemption(False, invitation.kind, place, "already")
        session.add(
            StaffMember(
                person_id=person.id,
                role=StaffRole.CURATOR,
                organisation_id=invitation.organisation_id,
                granted_by=invitation.created_by,
            )
        )
        programme_id = None
    else:
        exists = await session.scalar(
            select(ProgrammeCurator.id).where(
                ProgrammeCurator.person_id == person.id,
                ProgrammeCurator.programme_id == invitation.programme_id,
            )
        )
        if exists is not None:
            return StaffRedemption(False, invitation.kind, place, "already")
        session.add(
            ProgrammeCurator(
                programme_id=invitation.programme_id, person_id=person.id, is_co_curator=True
            )
        )
        programme_id = invitation.programme_id
        person.current_programme_id = programme_id
    await invitations.count_use(session, invitation)
    await session.flush()
    await audit.record(
        session,
        programme_id=programme_id,
        actor_id=person.id,
        action="staff_joined",
        kind=invitation.kind,
        invitation_id=invitation.id,
        organisation_id=invitation.organisation_id,
    )
    return StaffRedemption(True, invitation.kind, place)
