"""Proactive messages to people, with the programme's manners.

Everything the bot says on its own initiative to a person goes through `notify`: it
respects the person's reminder setting, the programme's quiet hours (in its time zone)
and the rule of at most one non-urgent reminder a day, and then puts the message in the
outbox with an idempotency key.

"A day" is the local date in the programme's time zone; a reminder is booked for the
day it will be delivered on (after quiet hours are skipped), so a reminder asked for at
23:00 with quiet hours 21:00–09:00 takes tomorrow's place, not today's.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.infra.clock import now
from bot.infra.outbox import enqueue, exists
from bot.services.buttons import Keyboard
from bot.services.names import name_args
from bot.services.people import participant_locale
from storage.models import (
    Alert,
    AlertKind,
    Participant,
    Person,
    Programme,
    ReminderLog,
)

log = logging.getLogger(__name__)

DEFAULT_QUIET = (time(21, 0), time(9, 0))
DEFAULT_ZONE = "Europe/Moscow"
# How far a reminder may be pushed when the following days are all taken; past that it
# is dropped rather than break the one-a-day rule.
MAX_POSTPONE_DAYS = 14


def person_locale(person: Person, participant: Participant | None = None) -> str:
    """The person's locale; as a participant, with the child's register for a child."""
    return participant_locale(person, participant)


def in_quiet_hours(local: datetime, quiet_start: time, quiet_end: time) -> bool:
    """Is the local moment inside [quiet_start, quiet_end)? Equal ends mean no quiet hours."""
    moment = local.time().replace(tzinfo=None)
    if quiet_start == quiet_end:
        return False
    if quiet_start < quiet_end:  # e.g. 13:00–15:00
        return quiet_start <= moment < quiet_end
    return moment >= quiet_start or moment < quiet_end  # across midnight, e.g. 21:00–09:00


def after_quiet_hours(
    moment: datetime, tz: ZoneInfo, quiet_start: time, quiet_end: time
) -> datetime:
    """`moment` if it is outside quiet hours, else the end of the quiet period (UTC)."""
    local = moment.astimezone(tz)
    if not in_quiet_hours(local, quiet_start, quiet_end):
        return moment
    end = datetime.combine(local.date(), quiet_end, tzinfo=tz)
    if end <= local:
        end = datetime.combine(local.date() + timedelta(days=1), quiet_end, tzinfo=tz)
    return end.astimezone(moment.tzinfo)


def first_moment_of_day(day: date, tz: ZoneInfo, quiet_start: time, quiet_end: time) -> datetime:
    """The earliest moment of a local day outside quiet hours (UTC)."""
    start = datetime.combine(day, time(0, 0), tzinfo=tz)
    return after_quiet_hours(start, tz, quiet_start, quiet_end).astimezone(ZoneInfo("UTC"))


def programme_zone(programme: Programme | None) -> ZoneInfo:
    name = programme.timezone if programme is not None and programme.timezone else DEFAULT_ZONE
    try:
        return ZoneInfo(name)
    except Exception:  # a bad zone name must not stop a message
        log.warning("unknown time zone in programme %s", programme.id if programme else None)
        return ZoneInfo(DEFAULT_ZONE)


def quiet_window(programme: Programme | None) -> tuple[time, time]:
    if programme is None:
        return DEFAULT_QUIET
    start = programme.quiet_start if programme.quiet_start is not None else DEFAULT_QUIET[0]
    end = programme.quiet_end if programme.quiet_end is not None else DEFAULT_QUIET[1]
    return start, end


def delivery_time(
    programme: Programme | None, when: datetime | None = None, *, urgent: bool = False
) -> datetime:
    """When a message asked for at `when` may go out: urgent ones at once."""
    moment = when or now()
    if urgent:
        return moment
    return after_quiet_hours(moment, programme_zone(programme), *quiet_window(programme))


async def _day_taken(session: AsyncSession, person_id: int, day: date) -> bool:
    found = await session.scalar(
        select(ReminderLog.id).where(
            ReminderLog.person_id == person_id, ReminderLog.local_date == day.isoformat()
        )
    )
    return found is not None


async def _book_day(session: AsyncSession, person_id: int, day: date, kind: str) -> bool:
    """Book a local day for a reminder; False if someone else booked it meanwhile."""
    try:
        async with session.begin_nested():
            session.add(ReminderLog(person_id=person_id, local_date=day.isoformat(), kind=kind))
    except IntegrityError:  # a concurrent notify took the same day
        return False
    return True


async def reserve_reminder_day(
    session: AsyncSession,
    person_id: int,
    when: datetime,
    tz: ZoneInfo,
    quiet: tuple[time, time],
    kind: str,
) -> datetime | None:
    """The first moment from `when` on a local day without a reminder yet (booked).

    `when` must already be outside quiet hours. None when the next
    `MAX_POSTPONE_DAYS` days are all taken.
    """
    for _ in range(MAX_POSTPONE_DAYS):
        day = when.astimezone(tz).date()
        if not await _day_taken(session, person_id, day) and await _book_day(
            session, person_id, day, kind
        ):
            return when
        when = first_moment_of_day(day + timedelta(days=1), tz, *quiet)
    return None


async def notify(
    session: AsyncSession,
    *,
    person: Person,
    key: str,
    text: str,
    programme: Programme | None = None,
    reply_markup: Keyboard | dict[str, Any] | None = None,
    kind: str = "message",
    urgent: bool = False,
    reminder: bool = False,
    by_curator: bool = False,
    not_before: datetime | None = None,
) -> bool:
    """Queue a message for `person`. Returns False if it was not queued.

    - `urgent`: sent at once, even in quiet hours (alerts the curator must see now).
    - `reminder`: non-essential; skipped when the person switched reminders off, and at
      most one a day per person (a second one moves to the next free day).
    - `by_curator`: a form or announcement the curator sent by hand: delivered even when
      reminders are off and not counted as the day's reminder (quiet hours still hold
      unless it is also `urgent`).
    - `not_before`: the earliest moment wanted (then moved out of quiet hours).

    The same `key` twice queues one message (and books no second reminder day).
    """
    if reminder and not by_curator and not person.reminders_enabled:
        return False
    if await exists(session, key):
        return False
    when = not_before or now()
    if not urgent:
        tz = programme_zone(programme)
        quiet = quiet_window(programme)
        when = after_quiet_hours(when, tz, *quiet)
        if reminder and not by_curator:
            booked = await reserve_reminder_day(session, person.id, when, tz, quiet, kind)
            if booked is None:
                log.info("reminder %s dropped: no free day for person %s", kind, person.id)
                return False
            when = booked
    return await enqueue(
        session,
        key=key,
        chat_id=person.tg_id,
        text=text,
        reply_markup=reply_markup,
        kind=kind,
        urgent=urgent,
        programme_id=programme.id if programme is not None else None,
        person_id=person.id,
        not_before=when,
    )


async def report_unreachable(session: AsyncSession, person_id: int, programme_id: int) -> bool:
    """A participant blocked the bot: an alert for the programme, and a word to its curators.

    Only the participant's display name goes to the curators. Returns True when the
    curators were told now (False if there is no such participant, or they were told
    before and the alert is still open).
    """
    from bot.services.access import programme_curator_person_ids
    from bot.texts import esc, t

    participant = await session.scalar(
        select(Participant).where(
            Participant.programme_id == programme_id, Participant.person_id == person_id
        )
    )
    programme = await session.get(Programme, programme_id)
    if participant is None or programme is None:
        return False
    open_alert = await session.scalar(
        select(Alert.id).where(
            Alert.programme_id == programme_id,
            Alert.participant_id == participant.id,
            Alert.kind == AlertKind.UNREACHABLE,
            Alert.resolved_at.is_(None),
        )
    )
    if open_alert is not None:
        return False
    moment = now()
    alert = Alert(
        programme_id=programme_id,
        participant_id=participant.id,
        kind=AlertKind.UNREACHABLE,
        notified_at=moment,
        created_at=moment,
    )
    session.add(alert)
    await session.flush()
    for curator_id in await programme_curator_person_ids(session, programme_id):
        if curator_id == person_id:
            continue
        curator = await session.get(Person, curator_id)
        if curator is None:
            continue
        locale = person_locale(curator)
        await notify(
            session,
            person=curator,
            key=f"unreachable:{person_id}:{programme_id}:{alert.id}:{curator_id}",
            text=t(
                "delivery-unreachable-curator",
                locale,
                **name_args("name", participant.display_name or t("delivery-unnamed", locale)),
                programme=esc(programme.name),
            ),
            programme=programme,
            kind="alert",
            urgent=True,
        )
    await session.flush()
    return True
