"""Joining a programme by an invitation code (`/start <code>`), and what a person is part of.

Rules (docs/forms.md, «Journey»):
- a mentee/mentor code enrols the person once; the same link again continues where they
  stopped (even if the code has since expired, been used up or revoked: they are in);
- a person already in the programme in the other role is not enrolled a second time:
  they are told which role they have and to ask the curator (who can invite them
  separately once the first role is settled);
- curator/co-curator codes belong to the curator console: `redeem_staff_invitation`
  calls the handler it registers with `set_staff_invitation_handler`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import forms
from bot.services.enrolment import invitations
from bot.services.enrolment.invitations import InvitationProblem
from storage import statements
from storage.models import (
    Invitation,
    InvitationKind,
    Participant,
    ParticipantStatus,
    Person,
    Programme,
    ProgrammeStatus,
)
from storage.statements import Objects, Statement

PROFILE_FORMS = {"mentee": "mentee_profile", "mentor": "mentor_profile"}
PARTICIPANT_KINDS = (InvitationKind.MENTEE, InvitationKind.MENTOR)
STAFF_KINDS = (InvitationKind.CURATOR, InvitationKind.CO_CURATOR)

ENROLLED = "enrolled"
CONTINUED = "continued"
OTHER_ROLE = "other_role"
STAFF = "staff"
PROBLEM = "problem"
CLOSED = "closed"  # the programme is finished

StaffHandler = Callable[[AsyncSession, Person, Invitation], Awaitable[str | None]]
_staff_handler: StaffHandler | None = None


def set_staff_invitation_handler(handler: StaffHandler | None) -> None:
    """The curator console plugs in here: it gets curator/co_curator invitations and
    returns the HTML text to answer (or None for the default friendly text)."""
    global _staff_handler
    _staff_handler = handler


async def redeem_staff_invitation(
    session: AsyncSession, person: Person, invitation: Invitation
) -> str | None:
    """HOOK for the curator console: a curator/co-curator invitation was opened."""
    if _staff_handler is None:
        return None
    return await _staff_handler(session, person, invitation)


@dataclass
class Enrolment:
    outcome: str
    participant: Participant | None = None
    programme: Programme | None = None
    problem: InvitationProblem | None = None
    role: str | None = None  # the role of the invitation
    staff_text: str | None = None


async def enrol(session: AsyncSession, person: Person, code: str) -> Enrolment:
    found = await invitations.find(session, code)
    invitation = found.invitation
    if invitation is None:
        return Enrolment(PROBLEM, problem=InvitationProblem.UNKNOWN)
    if invitation.kind in STAFF_KINDS:
        if found.problem is not None:
            return Enrolment(PROBLEM, problem=found.problem)
        return Enrolment(
            STAFF, staff_text=await redeem_staff_invitation(session, person, invitation)
        )
    if invitation.kind not in PARTICIPANT_KINDS or invitation.programme_id is None:
        return Enrolment(PROBLEM, problem=InvitationProblem.UNKNOWN)
    programme = await statements.get(session, Programme, invitation.programme_id)
    if programme is None:
        return Enrolment(PROBLEM, problem=InvitationProblem.UNKNOWN)
    role = str(invitation.kind)
    mine = sorted(
        await _PARTS_IN_PROGRAMME.all(
            session, {"programme_id": programme.id, "person_id": person.id}
        ),
        key=lambda part: part.id,
    )
    same = next((p for p in mine if p.role == role), None)
    if same is not None:
        await forms.start_form(session, same.id, PROFILE_FORMS[role])
        return Enrolment(CONTINUED, same, programme, role=role)
    if mine:
        return Enrolment(OTHER_ROLE, mine[0], programme, role=role)
    if found.problem is not None:
        return Enrolment(PROBLEM, programme=programme, problem=found.problem, role=role)
    if programme.status in (ProgrammeStatus.FINISHED, ProgrammeStatus.FINISHING):
        return Enrolment(CLOSED, programme=programme, role=role)
    participant = Participant(
        programme_id=programme.id,
        person_id=person.id,
        role=role,
        status=ParticipantStatus.CONSENT_PENDING,
        joined_via=invitation.id,
    )
    await statements.save_new(session, participant)
    await invitations.count_use(session, invitation)
    await forms.start_form(session, participant.id, PROFILE_FORMS[role])
    return Enrolment(ENROLLED, participant, programme, role=role)


# Read for every /start with a code. Without an ORDER BY, SQLite finds the row by the
# unique index on (programme, person, role); ordered by id it would walk every
# participant of the programme (tests/unit/test_query_plans.py).
_PARTS_IN_PROGRAMME = Objects(
    Participant,
    Participant.programme_id == bindparam("programme_id"),
    Participant.person_id == bindparam("person_id"),
    Participant.status != ParticipantStatus.WITHDRAWN,
)


async def participations(
    session: AsyncSession, person_id: int
) -> list[tuple[Participant, Programme]]:
    """The person's parts in programmes (withdrawn ones left out), oldest first."""
    rows = await session.execute(_PARTICIPATIONS, {"person_id": person_id})
    return [(p, prog) for p, prog in rows]


# Read for every questionnaire step: built once (the parameter is bound at each run).
_PARTICIPATIONS = (
    select(Participant, Programme)
    .join(Programme, Programme.id == Participant.programme_id)
    .where(
        Participant.person_id == bindparam("person_id"),
        Participant.status != ParticipantStatus.WITHDRAWN,
    )
    .order_by(Participant.id)
)


async def programme_names(session: AsyncSession, person_id: int) -> dict[int, str]:
    """The programmes of the person's parts (withdrawn ones left out): id -> name."""
    rows = await _PROGRAMME_NAMES.all(session, {"person_id": person_id})
    return {int(row[0]): str(row[1]) for row in rows}


_PROGRAMME_NAMES = Statement(
    select(Programme.id, Programme.name)
    .join(Participant, Participant.programme_id == Programme.id)
    .where(
        Participant.person_id == bindparam("person_id"),
        Participant.status != ParticipantStatus.WITHDRAWN,
    )
)


async def needs_attention(
    session: AsyncSession, person_id: int
) -> tuple[Participant, Programme] | None:
    """The participation a plain /start should continue: the first not yet finished
    (no confirmed profile), else None."""
    for participant, programme in await participations(session, person_id):
        if not participant.profile_complete:
            return participant, programme
    return None


@forms.on_complete("mentee_profile")
@forms.on_complete("mentor_profile")
async def profile_confirmed(session: AsyncSession, fs: object, _answers: object) -> None:
    participant_id = getattr(fs, "participant_id", None)
    participant = await statements.get(session, Participant, participant_id)
    if participant is not None:
        participant.profile_complete = True
        await statements.store_changes(session, participant)
