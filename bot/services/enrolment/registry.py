"""The registries of mentors and mentees: lists, cards and the curator's decisions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.infra.clock import now
from bot.infra.notify import notify, person_locale
from bot.services.access import require_programme
from bot.services.enrolment import consent as consent_service
from bot.services.forms import engine as forms_engine
from bot.services.privacy import audit
from bot.texts import esc, t
from storage.models import (
    FormAnswer,
    FormSession,
    Participant,
    ParticipantStatus,
    Person,
    Programme,
    RegistryStatus,
    Role,
)

PAGE_SIZE = 8
MAX_CAPACITY = 10
REASON_LIMIT = 500

# List filters per role (code → what it keeps).
FILTERS: dict[str, tuple[str, ...]] = {
    Role.MENTOR: (
        "all",
        "no_consent",
        "no_profile",
        "candidate",
        "approved",
        "declined",
        "untrained",
    ),
    Role.MENTEE: ("all", "no_consent", "no_profile", "parent_pending", "active"),
}


class NotInProgramme(LookupError):
    """The participant is not (or no longer) in this programme: a stale or forged button."""


class NotAllowedNow(ValueError):
    """The action does not fit the participant's state; `key` explains it."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _keeps(p: Participant, code: str) -> bool:
    if code == "no_consent":
        return p.status in (ParticipantStatus.CONSENT_PENDING, ParticipantStatus.PARENT_PENDING)
    if code == "no_profile":
        return p.status == ParticipantStatus.ACTIVE and not p.profile_complete
    if code == "parent_pending":
        return p.status == ParticipantStatus.PARENT_PENDING
    if code == "active":
        return p.status == ParticipantStatus.ACTIVE
    if code in (RegistryStatus.CANDIDATE, RegistryStatus.APPROVED, RegistryStatus.DECLINED):
        return p.registry_status == code and p.status == ParticipantStatus.ACTIVE
    if code == "untrained":
        return p.registry_status == RegistryStatus.APPROVED and not p.trained
    return True


@dataclass(frozen=True)
class ParticipantPage:
    programme: Programme
    role: str
    filter: str
    query: str
    items: list[Participant]
    page: int
    pages: int
    total: int


async def list_participants(
    session: AsyncSession,
    actor: Person,
    programme_id: int,
    role: str,
    *,
    filter_code: str = "all",
    query: str = "",
    page: int = 0,
    per_page: int = PAGE_SIZE,
) -> ParticipantPage:
    programme = await require_programme(session, actor.id, programme_id)
    if role not in FILTERS:
        raise NotInProgramme(role)
    if filter_code not in FILTERS[role]:
        filter_code = "all"
    rows = await session.scalars(
        select(Participant)
        .where(
            Participant.programme_id == programme.id,
            Participant.role == role,
            Participant.status != ParticipantStatus.WITHDRAWN,
        )
        .order_by(Participant.display_name, Participant.id)
    )
    needle = query.strip().casefold()
    # Names are matched here, not in SQL: SQLite folds the case of ASCII letters only.
    items = [
        p
        for p in rows
        if _keeps(p, filter_code) and (not needle or needle in (p.display_name or "").casefold())
    ]
    pages = max(1, -(-len(items) // per_page))
    page = min(max(page, 0), pages - 1)
    return ParticipantPage(
        programme,
        role,
        filter_code,
        query.strip(),
        items[page * per_page : (page + 1) * per_page],
        page,
        pages,
        len(items),
    )


async def get_participant(
    session: AsyncSession, actor: Person, participant_id: int, role: str | None = None
) -> Participant:
    """The participant, if the actor manages its programme (else AccessDenied/NotInProgramme)."""
    participant = await session.get(Participant, participant_id)
    if participant is None or (role is not None and participant.role != role):
        raise NotInProgramme(participant_id)
    await require_programme(session, actor.id, participant.programme_id)
    if participant.status == ParticipantStatus.WITHDRAWN:
        raise NotInProgramme(participant_id)
    return participant


@dataclass(frozen=True)
class ParticipantCard:
    participant: Participant
    answers: list[tuple[str, str]] = field(default_factory=list)  # both escaped HTML


async def profile_answers(session: AsyncSession, participant_id: int) -> list[tuple[str, Any]]:
    """The answers of the participant's profile questionnaire, in the order given."""
    rows = await session.execute(
        select(FormAnswer.question_id, FormAnswer.value)
        .join(FormSession, FormSession.id == FormAnswer.session_id)
        .where(FormSession.participant_id == participant_id, FormSession.form.like("%profile%"))
        .order_by(FormAnswer.id)
    )
    return [(str(q), v) for q, v in rows]


async def card(
    session: AsyncSession, actor: Person, participant_id: int, locale: str = "ru"
) -> ParticipantCard:
    participant = await get_participant(session, actor, participant_id)
    return ParticipantCard(participant, await shown_answers(session, participant.id, locale))


async def shown_answers(
    session: AsyncSession, participant_id: int, locale: str = "ru"
) -> list[tuple[str, str]]:
    """(question text, answer as escaped HTML) of the profile, in questionnaire order."""
    form_session = await session.scalar(
        select(FormSession)
        .where(FormSession.participant_id == participant_id, FormSession.form.like("%profile%"))
        .order_by(FormSession.id.desc())
        .limit(1)
    )
    if form_session is None:
        return []
    try:
        items = await forms_engine.review_items(session, form_session, locale)
    except Exception:  # a form no longer defined: show the stored answers as they are
        return [
            (question, esc(value))
            for question, value in await profile_answers(session, participant_id)
        ]
    return [
        (esc(item.question.prompt(locale)), item.shown)
        for item in items
        if item.value not in (None, "", [])
    ]


async def _person(session: AsyncSession, participant: Participant) -> Person | None:
    if participant.person_id is None:
        return None
    return await session.get(Person, participant.person_id)


async def _programme(session: AsyncSession, participant: Participant) -> Programme:
    programme = await session.get(Programme, participant.programme_id)
    assert programme is not None
    return programme


async def approve_mentor(session: AsyncSession, actor: Person, participant_id: int) -> Participant:
    mentor = await get_participant(session, actor, participant_id, Role.MENTOR)
    if mentor.status != ParticipantStatus.ACTIVE:
        raise NotAllowedNow("registry-error-no-consent")
    if mentor.registry_status == RegistryStatus.APPROVED:
        return mentor
    mentor.registry_status = RegistryStatus.APPROVED
    mentor.decline_reason = None
    await audit.record(
        session,
        programme_id=mentor.programme_id,
        actor_id=actor.id,
        action="mentor_approved",
        participant_id=mentor.id,
    )
    await _tell_mentor(session, mentor, "approved")
    return mentor


async def _tell_mentor(
    session: AsyncSession, mentor: Participant, decision: str, **args: str
) -> None:
    """Tell the mentor the curator's decision (`registry-notify-<decision>`)."""
    person = await _person(session, mentor)
    if person is None:
        return
    programme = await _programme(session, mentor)
    await notify(
        session,
        person=person,
        key=f"registry:{mentor.id}:{decision}:{now().isoformat()}",
        text=t(
            f"registry-notify-{decision}",
            person_locale(person),
            programme=esc(programme.name),
            **args,
        ),
        programme=programme,
        by_curator=True,
    )


async def decline_mentor(
    session: AsyncSession, actor: Person, participant_id: int, reason: str
) -> Participant:
    mentor = await get_participant(session, actor, participant_id, Role.MENTOR)
    reason = (reason or "").strip()
    if not reason:
        raise NotAllowedNow("registry-error-reason-empty")
    if len(reason) > REASON_LIMIT:
        raise NotAllowedNow("registry-error-reason-long")
    mentor.registry_status = RegistryStatus.DECLINED
    mentor.decline_reason = reason
    await audit.record(
        session,
        programme_id=mentor.programme_id,
        actor_id=actor.id,
        action="mentor_declined",
        participant_id=mentor.id,
    )
    await _tell_mentor(session, mentor, "declined", reason=esc(reason))
    return mentor


async def set_trained(
    session: AsyncSession, actor: Person, participant_id: int, trained: bool
) -> Participant:
    mentor = await get_participant(session, actor, participant_id, Role.MENTOR)
    if mentor.registry_status != RegistryStatus.APPROVED:
        raise NotAllowedNow("registry-error-not-approved")
    if mentor.trained != trained:
        mentor.trained = trained
        await audit.record(
            session,
            programme_id=mentor.programme_id,
            actor_id=actor.id,
            action="mentor_trained" if trained else "mentor_untrained",
            participant_id=mentor.id,
        )
    return mentor


async def set_capacity(
    session: AsyncSession, actor: Person, participant_id: int, capacity: int
) -> Participant:
    mentor = await get_participant(session, actor, participant_id, Role.MENTOR)
    if not 1 <= capacity <= MAX_CAPACITY:
        raise NotAllowedNow("registry-error-capacity")
    if mentor.capacity != capacity:
        mentor.capacity = capacity
        await audit.record(
            session,
            programme_id=mentor.programme_id,
            actor_id=actor.id,
            action="mentor_capacity",
            participant_id=mentor.id,
            capacity=capacity,
        )
    return mentor


async def remind_profile(session: AsyncSession, actor: Person, participant_id: int) -> bool:
    """Ask a participant to finish the profile (one such reminder a day at most)."""
    participant = await get_participant(session, actor, participant_id)
    if participant.profile_complete:
        raise NotAllowedNow("registry-error-profile-done")
    person = await _person(session, participant)
    if person is None:
        raise NotInProgramme(participant_id)
    programme = await _programme(session, participant)
    day = now().astimezone().date().isoformat()
    queued = await notify(
        session,
        person=person,
        key=f"registry:{participant.id}:remind-profile:{day}",
        text=t(
            "registry-notify-finish-profile", person_locale(person), programme=esc(programme.name)
        ),
        programme=programme,
        by_curator=True,
        reminder=True,
    )
    await audit.record(
        session,
        programme_id=participant.programme_id,
        actor_id=actor.id,
        action="profile_reminder",
        participant_id=participant.id,
        queued=queued,
    )
    return queued


async def mark_paper_consent(
    session: AsyncSession, actor: Person, participant_id: int
) -> Participant:
    """The curator received a parent's paper consent (the consent service records it)."""
    participant = await get_participant(session, actor, participant_id)
    if not participant.is_minor:
        raise NotAllowedNow("registry-error-not-minor")
    if participant.status != ParticipantStatus.PARENT_PENDING:
        raise NotAllowedNow("registry-error-consent-done")
    try:
        return await consent_service.mark_paper_consent(session, actor.id, participant.id)
    except consent_service.ConsentRefused:
        raise NotAllowedNow("registry-error-consent-done") from None


# ------------------------------------------------------------------ many at once

BULK_LIMIT = 500  # a school's mentors fit; a forged selection of millions does not


async def matching_ids(
    session: AsyncSession,
    actor: Person,
    programme_id: int,
    role: str,
    *,
    filter_code: str = "all",
    query: str = "",
) -> list[int]:
    """Every participant the list shows with this filter and search (all pages)."""
    found = await list_participants(
        session,
        actor,
        programme_id,
        role,
        filter_code=filter_code,
        query=query,
        per_page=BULK_LIMIT,
    )
    return [p.id for p in found.items]


async def selected_mentors(
    session: AsyncSession, actor: Person, participant_ids: list[int]
) -> list[Participant]:
    """The mentors of a selection, each checked like a single press (the selection lives
    in the presser's dialog state, but every id is authorised again here)."""
    out = []
    for pid in list(dict.fromkeys(participant_ids))[:BULK_LIMIT]:
        try:
            out.append(await get_participant(session, actor, pid, Role.MENTOR))
        except NotInProgramme:
            continue  # withdrawn meanwhile: not part of the action
    return out


async def to_approve(
    session: AsyncSession, actor: Person, participant_ids: list[int]
) -> list[Participant]:
    """Who of the selection a bulk approval would include (and message)."""
    return [
        m
        for m in await selected_mentors(session, actor, participant_ids)
        if m.status == ParticipantStatus.ACTIVE and m.registry_status != RegistryStatus.APPROVED
    ]


async def approve_many(session: AsyncSession, actor: Person, participant_ids: list[int]) -> int:
    """Approve every mentor of the selection who can be; the number approved."""
    approved = 0
    for mentor in await to_approve(session, actor, participant_ids):
        await approve_mentor(session, actor, mentor.id)
        approved += 1
    return approved


async def train_many(session: AsyncSession, actor: Person, participant_ids: list[int]) -> int:
    """Mark as trained every approved mentor of the selection; the number marked."""
    marked = 0
    for mentor in await selected_mentors(session, actor, participant_ids):
        if mentor.registry_status == RegistryStatus.APPROVED and not mentor.trained:
            await set_trained(session, actor, mentor.id, True)
            marked += 1
    return marked


NOTE_LIMIT = 1000


async def set_curator_note(
    session: AsyncSession, actor: Person, participant_id: int, text: str
) -> Participant:
    """The curator's note on a mentee: how one without a pair is supported, what the class
    teacher or the psychologist said (seen by staff only; an empty text clears it)."""
    mentee = await get_participant(session, actor, participant_id, Role.MENTEE)
    note = (text or "").strip()
    if note in ("-", "—"):
        note = ""
    if len(note) > NOTE_LIMIT:
        raise NotAllowedNow("registry-note-too-long")
    mentee.curator_note = note or None
    await session.flush()
    await audit.record(
        session,
        programme_id=mentee.programme_id,
        actor_id=actor.id,
        action="curator_note",
        participant=mentee.id,
    )
    return mentee
