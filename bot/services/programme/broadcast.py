"""Announcements from the curator to the programme's people (and the mentors' chat)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.infra.notify import notify, person_locale
from bot.infra.outbox import enqueue
from bot.services.access import require_programme
from bot.services.enrolment.registry import NotAllowedNow
from bot.services.privacy import audit
from bot.texts import esc, t
from storage.models import (
    CommunityChat,
    OutboxMessage,
    Participant,
    ParticipantStatus,
    Person,
    Programme,
    RegistryStatus,
    Role,
)

AUDIENCES = ("all", "mentors", "mentees")
TEXT_LIMIT = 3500  # leaves room for the heading within Telegram's 4096


async def recipients(session: AsyncSession, programme_id: int, audience: str) -> list[Participant]:
    """Active participants of the audience (mentors: approved into the registry)."""
    if audience not in AUDIENCES:
        raise NotAllowedNow("broadcast-error-audience")
    rows = await session.scalars(
        select(Participant)
        .where(
            Participant.programme_id == programme_id,
            Participant.status == ParticipantStatus.ACTIVE,
            Participant.person_id.is_not(None),
        )
        .order_by(Participant.id)
    )
    out = []
    seen: set[int] = set()
    for p in rows:
        if p.role == Role.MENTOR and p.registry_status != RegistryStatus.APPROVED:
            continue
        if audience == "mentors" and p.role != Role.MENTOR:
            continue
        if audience == "mentees" and p.role != Role.MENTEE:
            continue
        if p.person_id in seen:  # one message per person even in two roles
            continue
        seen.add(p.person_id)  # type: ignore[arg-type]
        out.append(p)
    return out


def check_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise NotAllowedNow("broadcast-error-empty")
    if len(text) > TEXT_LIMIT:
        raise NotAllowedNow("broadcast-error-long")
    return text


@dataclass(frozen=True)
class BroadcastPreview:
    programme: Programme
    audience: str
    people: int
    to_chat: bool


async def preview(
    session: AsyncSession, actor: Person, programme_id: int, audience: str
) -> BroadcastPreview:
    programme = await require_programme(session, actor.id, programme_id)
    people = await recipients(session, programme.id, audience)
    chat = await _chat(session, programme.id, audience)
    return BroadcastPreview(programme, audience, len(people), chat is not None)


async def _chat(session: AsyncSession, programme_id: int, audience: str) -> CommunityChat | None:
    if audience == "mentees":
        return None
    return await session.scalar(
        select(CommunityChat).where(CommunityChat.programme_id == programme_id)
    )


def render(programme: Programme, text: str, locale: str) -> str:
    return t("broadcast-message", locale, programme=esc(programme.name), text=esc(text))


def new_draft() -> str:
    """The key of one announcement from its preview on: its messages' idempotency keys
    are made from it, so pressing «Send» twice sends it once."""
    return secrets.token_hex(8)


async def already_sent(session: AsyncSession, draft: str) -> bool:
    """Whether the announcement of this draft has been queued already."""
    if not draft.isalnum():
        return False
    found = await session.scalar(
        select(OutboxMessage.id).where(OutboxMessage.idempotency_key.like(f"broadcast:{draft}:%"))
    )
    return found is not None


async def send(
    session: AsyncSession,
    actor: Person,
    programme_id: int,
    audience: str,
    text: str,
    *,
    draft: str | None = None,
) -> int:
    """Queue the announcement for everyone in the audience; returns how many.

    With the `draft` of its preview it goes out once: a second press (or one racing the
    first) is refused with «broadcast-already», the outbox keys keeping each person to
    one message even when two transactions get this far at once."""
    programme = await require_programme(session, actor.id, programme_id)
    text = check_text(text)
    if draft is not None and await already_sent(session, draft):
        raise NotAllowedNow("broadcast-already")
    people = await recipients(session, programme.id, audience)
    chat = await _chat(session, programme.id, audience)
    record = await audit.record(
        session,
        programme_id=programme.id,
        actor_id=actor.id,
        action="broadcast",
        audience=audience,
        recipients=len(people),
        chat=chat is not None,
        length=len(text),
    )
    stem = f"broadcast:{draft}" if draft is not None else f"broadcast:{record.id}"
    queued = 0
    for participant in people:
        person = await session.get(Person, participant.person_id)
        if person is None:
            continue
        if await notify(
            session,
            person=person,
            key=f"{stem}:{person.id}",
            text=render(programme, text, person_locale(person)),
            programme=programme,
            kind="broadcast",
            by_curator=True,
        ):
            queued += 1
    if chat is not None:
        await enqueue(
            session,
            key=f"{stem}:chat",
            chat_id=chat.chat_id,
            text=render(programme, text, "ru"),
            kind="group",
            programme_id=programme.id,
        )
    return queued
