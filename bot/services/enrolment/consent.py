"""Consent to the processing of personal data (152-ФЗ): the person's own, a parent's for a
minor (by a link the minor forwards), or a paper consent the curator marks as received.

Every decision is a `Consent` row with `CONSENT_VERSION` and the time. Until consent is
complete the participant is not `active`: invisible to matching and to other people,
and the questionnaire stops after the name (the age is asked after consent; whether the
person is under 18 comes with the agreement itself).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.infra.clock import now
from bot.infra.notify import notify, person_locale
from bot.services.access import AccessDenied, require_programme
from bot.services.digest import add_news
from bot.texts import esc, t
from storage import statements
from storage.models import (
    AuditRecord,
    Consent,
    ConsentDecision,
    ConsentKind,
    ParentLink,
    Participant,
    ParticipantStatus,
    Person,
    Programme,
)

# The version of the consent texts in locales/*/journey.ftl; change it with the texts.
CONSENT_VERSION = "2026-12-1"
PARENT_PREFIX = "p_"


class ConsentRefused(Exception):
    """The action does not fit the participant's state (stale button, wrong person)."""


@dataclass(frozen=True)
class ConsentResult:
    participant: Participant
    programme: Programme
    parent_code: str | None = None  # a minor: the code of the link for the parent


async def _own(session: AsyncSession, person_id: int, participant_id: int) -> Participant:
    participant = await statements.get(session, Participant, participant_id)
    if participant is None or participant.person_id != person_id:
        raise ConsentRefused(participant_id)
    return participant


async def own_programme(session: AsyncSession, person_id: int, participant_id: int) -> Programme:
    """The programme whose consent text a participant asks to read in full: only their own."""
    participant = await _own(session, person_id, participant_id)
    programme = await session.get(Programme, participant.programme_id)
    if programme is None:
        raise ConsentRefused(participant_id)
    return programme


def _activate(participant: Participant) -> None:
    participant.status = ParticipantStatus.ACTIVE
    participant.consent_completed_at = now()


async def _tell_curators(
    session: AsyncSession, programme: Programme, key: str, text_key: str, participant_id: int
) -> None:
    """Routine news: kept for each curator's daily digest, not a message per consent."""
    await add_news(session, programme, key, text_key, participant_id)


async def agree(
    session: AsyncSession, person_id: int, participant_id: int, *, minor: bool | None = None
) -> ConsentResult:
    """The participant agrees. `minor`: whether they said they are under 18 when agreeing
    (the age itself is asked only after consent); None keeps what is known."""
    participant = await _own(session, person_id, participant_id)
    if participant.status not in (
        ParticipantStatus.CONSENT_PENDING,
        ParticipantStatus.DECLINED_CONSENT,
    ):
        raise ConsentRefused(participant_id)
    programme = await statements.get(session, Programme, participant.programme_id)
    assert programme is not None
    await statements.save_new(
        session,
        Consent(
            participant_id=participant.id,
            kind=ConsentKind.SELF,
            decision=ConsentDecision.AGREED,
            text_version=CONSENT_VERSION,
            decided_at=now(),
        ),
    )
    if minor is not None:
        # Once known to be a minor (an earlier agreement, a parent asked or declining),
        # a later «мне уже есть 18» does not skip the parent: only the curator can
        # settle that (the age question refuses a contradiction the same way).
        participant.is_minor = participant.is_minor or minor
    if not participant.is_minor:
        _activate(participant)
        await statements.store_changes(session, participant)
        return ConsentResult(participant, programme)
    participant.status = ParticipantStatus.PARENT_PENDING
    link = await session.scalar(
        select(ParentLink).where(
            ParentLink.participant_id == participant.id, ParentLink.used_at.is_(None)
        )
    )
    if link is None:
        link = ParentLink(code=secrets.token_urlsafe(12), participant_id=participant.id)
        session.add(link)
    await session.flush()
    await _tell_curators(
        session,
        programme,
        f"parent-wait:{participant.id}",
        "digest-line-parent-wait",
        participant.id,
    )
    return ConsentResult(participant, programme, parent_code=link.code)


async def decline(session: AsyncSession, person_id: int, participant_id: int) -> Participant:
    participant = await _own(session, person_id, participant_id)
    if participant.status not in (
        ParticipantStatus.CONSENT_PENDING,
        ParticipantStatus.DECLINED_CONSENT,
    ):
        raise ConsentRefused(participant_id)
    session.add(
        Consent(
            participant_id=participant.id,
            kind=ConsentKind.SELF,
            decision=ConsentDecision.DECLINED,
            text_version=CONSENT_VERSION,
            decided_at=now(),
        )
    )
    participant.status = ParticipantStatus.DECLINED_CONSENT
    await session.flush()
    return participant


async def parent_code(session: AsyncSession, participant_id: int) -> str | None:
    return await session.scalar(
        select(ParentLink.code).where(
            ParentLink.participant_id == participant_id, ParentLink.used_at.is_(None)
        )
    )


@dataclass(frozen=True)
class ParentRequest:
    link_id: int
    participant: Participant
    programme: Programme


async def parent_request(session: AsyncSession, code: str) -> ParentRequest | None:
    """What a parent opening `/start p_<code>` is asked about (None: unknown or used)."""
    if not code or len(code) > 64:
        return None
    link = await session.scalar(select(ParentLink).where(ParentLink.code == code))
    if link is None or link.used_at is not None:
        return None
    participant = await session.get(Participant, link.participant_id)
    if participant is None or participant.status != ParticipantStatus.PARENT_PENDING:
        return None
    programme = await session.get(Programme, participant.programme_id)
    assert programme is not None
    return ParentRequest(link.id, participant, programme)


async def parent_decide(
    session: AsyncSession,
    parent: Person,
    code: str,
    link_id: int,
    *,
    agreed: bool,
    parent_name: str | None = None,
    relation: str | None = None,
) -> ParentRequest:
    """A parent's decision on the link they opened.

    `code` is the secret of the link, kept in the parent's own dialog state when they
    opened it; `link_id` comes from the pressed button and only has to name the same
    link (a screen of an older link is stale). The button alone grants nothing: its data
    is not a secret and ids are sequential. The parent's name and relation to the child
    go into the consent record.
    """
    if not code or len(code) > 64:
        raise ConsentRefused(link_id)
    link = await session.scalar(select(ParentLink).where(ParentLink.code == code))
    if link is None or link.id != link_id or link.used_at is not None:
        raise ConsentRefused(link_id)
    participant = await session.get(Participant, link.participant_id)
    if (
        participant is None
        or participant.status != ParticipantStatus.PARENT_PENDING
        or participant.person_id == parent.id
    ):
        raise ConsentRefused(link_id)
    programme = await session.get(Programme, participant.programme_id)
    assert programme is not None
    link.used_at = now()
    session.add(
        Consent(
            participant_id=participant.id,
            kind=ConsentKind.PARENT,
            decision=ConsentDecision.AGREED if agreed else ConsentDecision.DECLINED,
            text_version=CONSENT_VERSION,
            decided_at=now(),
            parent_person_id=parent.id,
            parent_name=parent_name,
            parent_relation=relation,
        )
    )
    if agreed:
        _activate(participant)
    else:
        participant.status = ParticipantStatus.DECLINED_CONSENT
    await session.flush()
    await _tell_child(
        session, participant, programme, "parent-agreed" if agreed else "parent-declined"
    )
    await _tell_curators(
        session,
        programme,
        f"parent-{'yes' if agreed else 'no'}:{participant.id}",
        "digest-line-parent-agreed" if agreed else "digest-line-parent-declined",
        participant.id,
    )
    return ParentRequest(link.id, participant, programme)


async def _tell_child(
    session: AsyncSession, participant: Participant, programme: Programme, what: str
) -> None:
    if participant.person_id is None:
        return
    child = await session.get(Person, participant.person_id)
    if child is None:
        return
    loc = person_locale(child, participant)
    await notify(
        session,
        person=child,
        key=f"{what}:{participant.id}:{now().timestamp():.0f}",
        text=t(f"journey-{what}", loc, programme=esc(programme.name)),
        programme=programme,
        kind="consent",
        urgent=False,
    )


async def mark_paper_consent(
    session: AsyncSession, actor_person_id: int, participant_id: int
) -> Participant:
    """The curator received a parent's paper consent for a minor (checked access).

    Raises AccessDenied for someone who does not manage the programme, and
    ConsentRefused when the participant is not waiting for a parent.
    """
    participant = await session.get(Participant, participant_id)
    if participant is None:
        raise AccessDenied(participant_id)
    programme = await require_programme(session, actor_person_id, participant.programme_id)
    if participant.status != ParticipantStatus.PARENT_PENDING:
        raise ConsentRefused(participant_id)
    session.add(
        Consent(
            participant_id=participant.id,
            kind=ConsentKind.PAPER,
            decision=ConsentDecision.AGREED,
            text_version=CONSENT_VERSION,
            decided_at=now(),
            recorded_by=actor_person_id,
        )
    )
    await session.execute(
        update(ParentLink)
        .where(ParentLink.participant_id == participant.id, ParentLink.used_at.is_(None))
        .values(used_at=now())
    )
    _activate(participant)
    session.add(
        AuditRecord(
            programme_id=programme.id,
            actor_person_id=actor_person_id,
            action="paper_consent",
            details={"participant_id": participant.id},
        )
    )
    await session.flush()
    await _tell_child(session, participant, programme, "parent-agreed")
    return participant
