"""The curator's daily digest of routine events, instead of a message per event.

Consents (a child waiting for a parent, a parent who agreed, declined or withdrew) and
the like are kept as `CuratorNews`, one row per curator, and reach the curator as one
message a day, at the local hour the curator chose (by default when the programme's
quiet hours end), or at once when the curator asks (/digest). Urgent things do not come
here: a call for help and a child's concern (`cases`), a participant who blocked the bot
(`notify.report_unreachable`) and the alerts keep their own messages.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.infra.clock import now
from bot.infra.notify import notify, person_locale, programme_zone, quiet_window
from bot.infra.once import add_once
from bot.infra.outbox import exists
from bot.services.access import (
    AccessDenied,
    is_staff,
    programme_curator_person_ids,
    require_programme,
)
from bot.texts import esc, t
from storage.models import AuditRecord, CuratorNews, Participant, Person, Programme

NAMES_PER_LINE = 30  # a line names this many, then «и ещё N»
HOURS = tuple(range(7, 22))  # the hours a curator may choose


async def add_news(
    session: AsyncSession,
    programme: Programme,
    key: str,
    text_key: str,
    participant_id: int | None = None,
) -> int:
    """Keep an event for each curator's next digest (once per event and curator)."""
    added = 0
    for person_id in await programme_curator_person_ids(session, programme.id):
        row = CuratorNews(
            programme_id=programme.id,
            person_id=person_id,
            participant_id=participant_id,
            key=key,
            text_key=text_key,
        )
        if await add_once(session, row):
            added += 1
    return added


def digest_hour(curator: Person, programme: Programme) -> int:
    """The local hour of the curator's digest: chosen, else the end of quiet hours."""
    if curator.digest_hour is not None:
        return curator.digest_hour
    return quiet_window(programme)[1].hour


async def _pending(session: AsyncSession, person_id: int, programme_id: int) -> list[CuratorNews]:
    return list(
        await session.scalars(
            select(CuratorNews)
            .where(
                CuratorNews.person_id == person_id,
                CuratorNews.programme_id == programme_id,
                CuratorNews.sent_at.is_(None),
            )
            .order_by(CuratorNews.id)
        )
    )


async def render(
    session: AsyncSession, programme: Programme, news: list[CuratorNews], locale: str
) -> str:
    """One line per kind of event, with how many and whose names (read now)."""
    names: dict[str, list[str]] = defaultdict(list)
    for item in news:
        participant = (
            await session.get(Participant, item.participant_id) if item.participant_id else None
        )
        names[item.text_key].append(
            (participant.display_name if participant else None) or t("digest-unnamed", locale)
        )
    lines = [t("digest-title", locale, programme=esc(programme.name), count=len(news))]
    for text_key, who in names.items():
        shown = ", ".join(esc(n) for n in who[:NAMES_PER_LINE])
        if len(who) > NAMES_PER_LINE:
            shown += " " + t("digest-more", locale, count=len(who) - NAMES_PER_LINE)
        lines.append(t(text_key, locale, count=len(who), names=shown))
    return "\n\n".join(lines)


def _day_key(programme: Programme, person: Person) -> str:
    local = now().astimezone(programme_zone(programme))
    return f"news-digest:{programme.id}:{person.id}:{local.date().isoformat()}"


async def send_due_digests(session: AsyncSession) -> int:
    """Each curator with news gets one digest a day, from the hour they chose on."""
    pairs = (
        await session.execute(
            select(CuratorNews.person_id, CuratorNews.programme_id)
            .where(CuratorNews.sent_at.is_(None))
            .distinct()
        )
    ).all()
    queued = 0
    for person_id, programme_id in sorted(pairs):
        curator = await session.get(Person, person_id)
        programme = await session.get(Programme, programme_id)
        if curator is None or programme is None:
            continue
        local = now().astimezone(programme_zone(programme))
        if local.hour < digest_hour(curator, programme):
            continue
        key = _day_key(programme, curator)
        if await exists(session, key):
            continue  # today's digest went out: the rest waits for tomorrow's
        news = await _pending(session, person_id, programme_id)
        text = await render(session, programme, news, person_locale(curator))
        if await notify(
            session, person=curator, key=key, text=text, programme=programme, kind="digest"
        ):
            queued += 1
            moment = now()
            for item in news:
                item.sent_at = moment
    await session.flush()
    return queued


@dataclass(frozen=True)
class DigestStatus:
    programme: Programme
    pending: int
    hour: int


async def status(session: AsyncSession, actor: Person, programme_id: int) -> DigestStatus:
    programme = await require_programme(session, actor.id, programme_id)
    pending = await _pending(session, actor.id, programme.id)
    return DigestStatus(programme, len(pending), digest_hour(actor, programme))


async def digest_now(session: AsyncSession, actor: Person, programme_id: int) -> str | None:
    """The presser's pending news of the programme, as the digest, now (None: nothing)."""
    programme = await require_programme(session, actor.id, programme_id)
    news = await _pending(session, actor.id, programme.id)
    if not news:
        return None
    text = await render(session, programme, news, person_locale(actor))
    moment = now()
    for item in news:
        item.sent_at = moment
    await session.flush()
    return text


async def set_digest_hour(session: AsyncSession, actor: Person, hour: int) -> int:
    """The presser's own digest hour (staff only)."""
    if hour not in HOURS:
        raise ValueError(hour)
    if not await is_staff(session, actor.id):
        raise AccessDenied(actor.id)
    actor.digest_hour = hour
    session.add(
        AuditRecord(
            programme_id=actor.current_programme_id,
            actor_person_id=actor.id,
            action="digest_hour",
            details={"hour": hour},
        )
    )
    await session.flush()
    return hour
