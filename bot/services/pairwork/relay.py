"""Members of a pair write to each other through the bot, without sharing contacts.

A mentee writes to the mentor; a mentor writes to one mentee or to the whole group;
mentees of a group never write to each other (docs/contacts.md). Each message is stored
(`RelayedMessage`) and queued through `notify`, so quiet hours, the outbox's limits and
blocked users apply as to any other message; the recipient sees the sender's name and
role only, and a «↩️ Ответить» button. Every step checks the person pressing against
the pair: callback data can be forged, ids guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.infra.clock import now
from bot.infra.notify import notify
from bot.services.access import require_programme
from bot.services.names import name_args
from bot.services.pairwork.cycle import (
    Member,
    NotInPair,
    PairView,
    WrongState,
    button,
    load_pair,
    markup,
    pair_for_member,
)
from bot.texts import esc, t
from storage.models import AuditRecord, Pair, Person, Programme, RelayedMessage

TEXT_MAX = 1000
# A person may relay this many messages an hour: enough to talk, too few to flood a child.
HOURLY_LIMIT = 20
ALL = 0  # "to" of a mentor's message to the whole group


class TooLong(Exception):
    """The text is longer than `TEXT_MAX`."""


class TooMany(Exception):
    """The sender reached `HOURLY_LIMIT`."""


def role_in(view: PairView, member: Member) -> str:
    return "mentor" if member is view.mentor else "mentee"


def allowed_recipients(view: PairView, sender: Member) -> list[Member]:
    """Whom the sender may write to in this pair: a mentor its mentees, a mentee its mentor."""
    candidates = view.mentees if sender is view.mentor else [view.mentor]
    return [m for m in view.reachable() if any(m is c for c in candidates)]


async def open_for(session: AsyncSession, person_id: int, pair_id: int) -> tuple[PairView, Member]:
    """The pair and the sender if the person is a member of it; otherwise `NotInPair`."""
    view = await pair_for_member(session, pair_id, person_id)
    sender = view.member_of(person_id)
    if sender is None:
        raise NotInPair(pair_id)
    return view, sender


async def recipients(
    session: AsyncSession, person_id: int, pair_id: int, to: int = ALL
) -> tuple[PairView, Member, list[Member]]:
    """Who gets the message: `to` is a participant id of the pair, or `ALL`."""
    view, sender = await open_for(session, person_id, pair_id)
    allowed = allowed_recipients(view, sender)
    chosen = allowed if to == ALL else [m for m in allowed if m.participant.id == to]
    if not chosen:
        raise NotInPair(pair_id)
    return view, sender, chosen


async def _sent_last_hour(session: AsyncSession, participant_id: int) -> int:
    since = now() - timedelta(hours=1)
    count = await session.scalar(
        select(func.count(RelayedMessage.id)).where(
            RelayedMessage.from_participant_id == participant_id,
            RelayedMessage.created_at >= since,
        )
    )
    return int(count or 0)


def clean_text(text: str | None) -> str:
    value = (text or "").strip()
    if not value:
        raise WrongState("empty")
    if len(value) > TEXT_MAX:
        raise TooLong(len(value))
    return value


def incoming_text(view: PairView, sender: Member, text: str, locale: str) -> str:
    return t(
        "relay-incoming",
        locale,
        **name_args("name", sender.name),
        role=role_in(view, sender),
        programme=esc(view.programme.name),
        text=esc(text),
    )


async def send(
    session: AsyncSession,
    person_id: int,
    pair_id: int,
    text: str | None,
    *,
    to: int = ALL,
    reply_to: int | None = None,
) -> int:
    """Relay a typed message to members of the pair; returns how many were queued."""
    view, sender, chosen = await recipients(session, person_id, pair_id, to)
    body = clean_text(text)
    if await _sent_last_hour(session, sender.participant.id) + len(chosen) > HOURLY_LIMIT:
        raise TooMany(sender.participant.id)
    queued = 0
    for member in chosen:
        assert member.person is not None  # reachable members have a Person
        row = RelayedMessage(
            pair_id=view.pair.id,
            from_participant_id=sender.participant.id,
            to_participant_id=member.participant.id,
            text=body,
            reply_to=reply_to,
        )
        session.add(row)
        await session.flush()
        locale = member.locale
        reply = button(t("relay-btn-reply", locale), "rrep", row.id)
        if await notify(
            session,
            person=member.person,
            key=f"relay:{row.id}",
            text=incoming_text(view, sender, body, locale),
            programme=view.programme,
            reply_markup=markup([reply]),
            kind="relay",
        ):
            queued += 1
    return queued


@dataclass(frozen=True)
class ReplyTarget:
    pair_id: int
    to: int  # participant id of the original sender
    reply_to: int
    name: str


async def reply_target(session: AsyncSession, person_id: int, message_id: int) -> ReplyTarget:
    """Where «↩️ Ответить» under a relayed message leads; only its recipient may press it."""
    row = await session.get(RelayedMessage, message_id)
    if row is None:
        raise NotInPair(message_id)
    view, me = await open_for(session, person_id, row.pair_id)
    if me.participant.id != row.to_participant_id:
        raise NotInPair(message_id)
    back = [m for m in allowed_recipients(view, me) if m.participant.id == row.from_participant_id]
    if not back:
        raise WrongState("sender gone")
    return ReplyTarget(row.pair_id, row.from_participant_id, row.id, back[0].name)


# ------------------------------------------------------------------ the curator


@dataclass(frozen=True)
class Line:
    at: datetime
    sender: str
    recipient: str
    text: str


@dataclass(frozen=True)
class Conversation:
    pair_id: int
    programme: Programme
    has_minor: bool
    lines: list[Line]


def has_minor(view: PairView) -> bool:
    return any(m.participant.is_minor for m in view.members)


async def conversation(
    session: AsyncSession, actor: Person, pair_id: int, *, limit: int = 50
) -> Conversation:
    """The messages relayed to or from a minor of the pair, newest last, for its curator.

    Adults' conversations with each other stay private. Each reading is audited.
    """
    pair = await session.get(Pair, pair_id)
    if pair is None:
        raise NotInPair(pair_id)
    await require_programme(session, actor.id, pair.programme_id)
    view = await load_pair(session, pair_id)
    assert view is not None
    names = {m.participant.id: m.name for m in view.members}
    minors = [m.participant.id for m in view.members if m.participant.is_minor]
    lines: list[Line] = []
    if minors:
        rows = (
            await session.scalars(
                select(RelayedMessage)
                .where(
                    RelayedMessage.pair_id == pair_id,
                    or_(
                        RelayedMessage.from_participant_id.in_(minors),
                        RelayedMessage.to_participant_id.in_(minors),
                    ),
                )
                .order_by(RelayedMessage.id.desc())
                .limit(limit)
            )
        ).all()
        lines = [
            Line(
                r.created_at,
                names.get(r.from_participant_id, ""),
                names.get(r.to_participant_id, ""),
                r.text,
            )
            for r in reversed(rows)
        ]
    details: dict[str, Any] = {"pair": pair_id, "messages": len(lines)}
    session.add(
        AuditRecord(
            programme_id=pair.programme_id,
            actor_person_id=actor.id,
            action="relay_read",
            details=details,
        )
    )
    await session.flush()
    return Conversation(pair_id, view.programme, bool(minors), lines)
