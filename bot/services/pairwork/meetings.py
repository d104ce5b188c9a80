"""Meetings of a pair: the first meeting's time, the meeting log and the reminders before.

Times are chosen and shown in the programme's time zone and stored in UTC.

Reminders before a scheduled meeting (run by the `meeting-reminders` job):
- the day before: a non-urgent *reminder* through `notify(reminder=True)`: skipped when
  the person switched reminders off, moved out of quiet hours, and skipped when the
  person already had a reminder that local day (one a day) or when moving it would bring
  it into the last hour before the meeting (the hour-before reminder covers that);
- an hour before: time-critical, so it is not postponed and does not count against the
  one-a-day limit; it is skipped when that hour falls in quiet hours (a meeting at 08:30
  gets no 07:30 message) and for people who switched reminders off.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.infra.clock import now
from bot.infra.notify import after_quiet_hours, in_quiet_hours, programme_zone, quiet_window
from bot.services.buttons import ActionButton
from bot.services.forms import on_complete
from bot.services.names import name_args
from bot.services.pairwork.cycle import (
    NotInPair,
    PairView,
    WrongState,
    button,
    load_pair,
    markup,
    pair_for_member,
    pairs_of_person,
)
from bot.services.vocabulary import FORMATS, label
from bot.texts import esc, t
from storage.models import (
    FormSession,
    FormStatus,
    Meeting,
    MeetingStatus,
    PairStatus,
    Programme,
    ReminderLog,
)

TOPIC_MAX = 500
DAY_BEFORE = timedelta(days=1)
HOUR_BEFORE = timedelta(hours=1)
PICKER_HOURS = tuple(range(8, 21))
PICKER_MINUTES = (0, 15, 30, 45)
# Hours a held meeting may be logged at: a wider day than for proposing one.
LOG_HOURS = tuple(range(7, 22))
LOG_DAYS_BACK = 21


@dataclass(frozen=True)
class MeetingInfo:
    id: int
    pair_id: int
    starts_at: datetime
    local: str
    status: str
    format: str | None
    topic: str | None
    is_first: bool


@dataclass(frozen=True)
class PairMeetings:
    pair_id: int
    role: str
    partner_names: str
    programme_name: str
    format: str | None
    has_plan: bool
    meetings: list[MeetingInfo]
    group: bool = False  # several mentees: «написать» asks whom


def local_text(moment: datetime, programme: Programme) -> str:
    return moment.astimezone(programme_zone(programme)).strftime("%d.%m.%Y %H:%M")


def info(meeting: Meeting, programme: Programme) -> MeetingInfo:
    return MeetingInfo(
        id=meeting.id,
        pair_id=meeting.pair_id,
        starts_at=meeting.starts_at,
        local=local_text(meeting.starts_at, programme),
        status=meeting.status,
        format=meeting.format,
        topic=meeting.topic,
        is_first=meeting.is_first,
    )


# ------------------------------------------------------------------ the date/time picker


def local_today(programme: Programme) -> date:
    return now().astimezone(programme_zone(programme)).date()


def picker_days(programme: Programme, *, count: int = 14, past: bool = False) -> list[date]:
    """Days to offer: the next `count` days from today, or the last ones up to today."""
    today = local_today(programme)
    if past:
        return [today - timedelta(days=i) for i in range(count)]
    return [today + timedelta(days=i) for i in range(count)]


def local_moment(programme: Programme, day: date, hour: int, minute: int = 0) -> datetime:
    """A local wall-clock time of the programme as an aware UTC datetime."""
    tz = programme_zone(programme)
    return datetime.combine(day, time(hour, minute), tzinfo=tz).astimezone(now().tzinfo)


def picker_hours(programme: Programme, day: date) -> list[int]:
    """Hours still ahead on `day` (all of them on a future day)."""
    current = now().astimezone(programme_zone(programme))
    if day > current.date():
        return list(PICKER_HOURS)
    if day < current.date():
        return []
    return [h for h in PICKER_HOURS if h > current.hour]


# ------------------------------------------------------------------ first meeting


def _mentor_only(view: PairView, person_id: int) -> None:
    if view.role_of(person_id) != "mentor":
        raise NotInPair(view.pair.id)


async def _meeting_for(
    session: AsyncSession, meeting_id: int, person_id: int
) -> tuple[Meeting, PairView]:
    meeting = await session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotInPair(meeting_id)
    view = await pair_for_member(session, meeting.pair_id, person_id)
    return meeting, view


async def propose_meeting(
    session: AsyncSession,
    person_id: int,
    pair_id: int,
    starts_at: datetime,
    *,
    fmt: str | None = None,
) -> MeetingInfo:
    """The mentor proposes a time; the mentees confirm it or ask for another one."""
    view = await pair_for_member(session, pair_id, person_id)
    _mentor_only(view, person_id)
    if starts_at <= now():
        raise WrongState("past")
    earlier = await session.scalar(
        select(Meeting.id).where(
            Meeting.pair_id == pair_id, Meeting.status != MeetingStatus.CANCELLED
        )
    )
    # An older proposal nobody answered is replaced by the new one.
    for old in (
        await session.scalars(
            select(Meeting).where(
                Meeting.pair_id == pair_id, Meeting.status == MeetingStatus.PROPOSED
            )
        )
    ).all():
        old.status = MeetingStatus.CANCELLED
    meeting = Meeting(
        pair_id=pair_id,
        starts_at=starts_at,
        format=fmt if fmt in FORMATS else None,
        status=MeetingStatus.PROPOSED,
        is_first=earlier is None,
        created_by=view.mentor.participant.id,
    )
    session.add(meeting)
    await session.flush()
    for member in view.reachable():
        if member is view.mentor:
            continue
        assert member.person is not None
        locale = member.locale
        await _notify_member(
            session,
            view,
            member.person,
            key=f"meeting-proposed:{meeting.id}:{member.person.id}",
            text=t(
                "pairs-meeting-proposed",
                locale,
                mentor=esc(view.mentor.name),
                when=local_text(starts_at, view.programme),
                first=str(meeting.is_first).lower(),
            ),
            rows=[
                [button(t("pairs-btn-accept", locale), "mok", meeting.id)],
                [button(t("pairs-btn-other-time", locale), "mno", meeting.id)],
            ],
        )
    return info(meeting, view.programme)


async def _notify_member(
    session: AsyncSession,
    view: PairView,
    person: object,
    *,
    key: str,
    text: str,
    rows: list[list[ActionButton]] | None = None,
) -> bool:
    from bot.infra.notify import notify
    from storage.models import Person

    assert isinstance(person, Person)
    return await notify(
        session,
        person=person,
        key=key,
        text=text,
        programme=view.programme,
        reply_markup=markup(*rows) if rows else None,
        kind="meeting",
    )


async def answer_proposal(
    session: AsyncSession, person_id: int, meeting_id: int, *, accept: bool
) -> MeetingInfo:
    """A mentee accepts the proposed time (→ scheduled) or asks for another one."""
    meeting, view = await _meeting_for(session, meeting_id, person_id)
    if view.role_of(person_id) != "mentee":
        raise NotInPair(meeting_id)
    if meeting.status != MeetingStatus.PROPOSED:
        raise WrongState(meeting.status)
    member = view.member_of(person_id)
    assert member is not None
    mentor = view.mentor.person
    if accept:
        if meeting.starts_at <= now():
            raise WrongState("past")
        meeting.status = MeetingStatus.SCHEDULED
        meeting.confirmed_at = now()
    else:
        meeting.status = MeetingStatus.CANCELLED
    await session.flush()
    if mentor is not None and view.mentor in view.reachable():
        locale = view.mentor.locale
        when = local_text(meeting.starts_at, view.programme)
        if accept:
            text = t(
                "pairs-meeting-accepted", locale, **name_args("mentee", member.name), when=when
            )
            rows = [[button(t("pairs-btn-plan", locale), "plan", view.pair.id)]]
        else:
            text = t("pairs-meeting-declined", locale, mentee=esc(member.name), when=when)
            rows = [[button(t("pairs-btn-propose", locale), "prop", view.pair.id, "n")]]
        await _notify_member(
            session,
            view,
            mentor,
            key=f"meeting-answer:{meeting.id}:{'yes' if accept else 'no'}",
            text=text,
            rows=rows,
        )
    return info(meeting, view.programme)


# ------------------------------------------------------------------ the meeting log


async def log_meeting(
    session: AsyncSession,
    person_id: int,
    pair_id: int,
    day: date,
    *,
    hour: int,
    minute: int = 0,
    fmt: str | None,
    topic: str | None,
) -> MeetingInfo:
    """The mentor records a meeting held on a local `day` at `hour`:`minute` (as the
    mentor entered them; never in the future); the mentees confirm it or say it did not
    take place.

    A scheduled (or proposed) meeting of the pair on that day becomes this record, with
    the time the mentor entered.
    """
    view = await pair_for_member(session, pair_id, person_id)
    _mentor_only(view, person_id)
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise WrongState("time")
    held_at = local_moment(view.programme, day, hour, minute)
    if held_at > now():
        raise WrongState("future")
    topic = (topic or "").strip()[:TOPIC_MAX] or None
    tz = programme_zone(view.programme)
    same_day = [
        m
        for m in (
            await session.scalars(
                select(Meeting)
                .where(
                    Meeting.pair_id == pair_id,
                    Meeting.status.in_((MeetingStatus.SCHEDULED, MeetingStatus.PROPOSED)),
                )
                .order_by(Meeting.starts_at)
            )
        ).all()
        if m.starts_at.astimezone(tz).date() == day
    ]
    any_before = await session.scalar(
        select(Meeting.id).where(
            Meeting.pair_id == pair_id,
            Meeting.status.in_((MeetingStatus.HELD, MeetingStatus.CONFIRMED)),
        )
    )
    if same_day:
        meeting = same_day[0]
    else:
        meeting = Meeting(pair_id=pair_id, created_by=view.mentor.participant.id)
        session.add(meeting)
    meeting.starts_at = held_at
    meeting.status = MeetingStatus.HELD
    meeting.format = fmt if fmt in FORMATS else meeting.format
    meeting.topic = topic or meeting.topic
    meeting.is_first = meeting.is_first or any_before is None
    meeting.reminder_day_sent = meeting.reminder_hour_sent = True
    await session.flush()
    await _ask_to_confirm(session, view, meeting)
    return info(meeting, view.programme)


def log_hours(programme: Programme, day: date) -> list[int]:
    """Hours a meeting held on `day` may have started at (up to now on today)."""
    current = now().astimezone(programme_zone(programme))
    if day > current.date():
        return []
    if day < current.date():
        return list(LOG_HOURS)
    return [h for h in LOG_HOURS if h <= current.hour]


def log_minutes(programme: Programme, day: date, hour: int) -> list[int]:
    """Minutes of `hour` on `day` that are not in the future."""
    current = now().astimezone(programme_zone(programme))
    if day == current.date() and hour == current.hour:
        return [m for m in PICKER_MINUTES if m <= current.minute]
    return list(PICKER_MINUTES) if hour in log_hours(programme, day) else []


async def _ask_to_confirm(session: AsyncSession, view: PairView, meeting: Meeting) -> None:
    for member in view.reachable():
        if member is view.mentor:
            continue
        assert member.person is not None
        locale = member.locale
        fmt = label("format", meeting.format, locale) if meeting.format else "—"
        await _notify_member(
            session,
            view,
            member.person,
            key=f"meeting-held:{meeting.id}:{member.person.id}",
            text=t(
                "pairs-meeting-logged",
                locale,
                **name_args("mentor", view.mentor.name),
                when=local_text(meeting.starts_at, view.programme),
                format=fmt,
                topic=esc(meeting.topic or "—"),
            ),
            rows=[
                [button(t("pairs-btn-confirm-held", locale), "mheld", meeting.id)],
                [button(t("pairs-btn-not-held", locale), "mmiss", meeting.id)],
            ],
        )


async def mark_held(session: AsyncSession, person_id: int, meeting_id: int) -> MeetingInfo:
    """The mentor marks a scheduled meeting as held (from /meetings)."""
    meeting, view = await _meeting_for(session, meeting_id, person_id)
    _mentor_only(view, person_id)
    if meeting.status != MeetingStatus.SCHEDULED or meeting.starts_at > now():
        raise WrongState(meeting.status)
    local = meeting.starts_at.astimezone(programme_zone(view.programme))
    return await log_meeting(
        session,
        person_id,
        view.pair.id,
        local.date(),
        hour=local.hour,
        minute=local.minute,
        fmt=meeting.format,
        topic=None,
    )


async def cancel_meeting(session: AsyncSession, person_id: int, meeting_id: int) -> MeetingInfo:
    meeting, view = await _meeting_for(session, meeting_id, person_id)
    _mentor_only(view, person_id)
    if meeting.status not in (MeetingStatus.PROPOSED, MeetingStatus.SCHEDULED):
        raise WrongState(meeting.status)
    meeting.status = MeetingStatus.CANCELLED
    await session.flush()
    for member in view.reachable():
        if member is view.mentor or member.person is None:
            continue
        await _notify_member(
            session,
            view,
            member.person,
            key=f"meeting-cancelled:{meeting.id}:{member.person.id}",
            text=t(
                "pairs-meeting-cancelled",
                member.locale,
                when=local_text(meeting.starts_at, view.programme),
            ),
        )
    return info(meeting, view.programme)


async def confirm_held(session: AsyncSession, person_id: int, meeting_id: int) -> MeetingInfo:
    """A mentee confirms with one tap that the logged meeting took place."""
    meeting, view = await _meeting_for(session, meeting_id, person_id)
    if view.role_of(person_id) != "mentee":
        raise NotInPair(meeting_id)
    if meeting.status != MeetingStatus.HELD:
        raise WrongState(meeting.status)
    meeting.status = MeetingStatus.CONFIRMED
    meeting.confirmed_at = now()
    if view.pair.last_meeting_at is None or view.pair.last_meeting_at < meeting.starts_at:
        view.pair.last_meeting_at = meeting.starts_at
    await session.flush()
    return info(meeting, view.programme)


async def report_not_held(session: AsyncSession, person_id: int, meeting_id: int) -> MeetingInfo:
    """A mentee says the meeting the mentor logged did not take place.

    It is not a confirmation: the record is marked disputed (so it counts as no meeting)
    and the curator gets a case (`cases.report_missed_meeting`). A meeting
    another member of the group already confirmed stays confirmed; the signal still goes.
    """
    from bot.services.pairwork.cases import report_missed_meeting

    meeting, view = await _meeting_for(session, meeting_id, person_id)
    if view.role_of(person_id) != "mentee":
        raise NotInPair(meeting_id)
    if meeting.status not in (MeetingStatus.HELD, MeetingStatus.CONFIRMED):
        raise WrongState(meeting.status)
    if meeting.status == MeetingStatus.HELD:
        meeting.status = MeetingStatus.DISPUTED
    member = view.member_of(person_id)
    assert member is not None
    await session.flush()
    await report_missed_meeting(
        session,
        view.pair.id,
        member.participant.id,
        when=local_text(meeting.starts_at, view.programme),
    )
    return info(meeting, view.programme)


# ------------------------------------------------------------------ the plan

PLAN_FORM = "pair_plan"


def plan_context(pair_id: int) -> str:
    return f"pair:{pair_id}"


async def plan_owner(session: AsyncSession, person_id: int, pair_id: int) -> PairView:
    """The pair behind a «План» button: the presser must be its mentor (`NotInPair`)."""
    view = await pair_for_member(session, pair_id, person_id)
    _mentor_only(view, person_id)
    return view


async def has_plan(session: AsyncSession, view: PairView) -> bool:
    found = await session.scalar(
        select(FormSession.id).where(
            FormSession.participant_id == view.mentor.participant.id,
            FormSession.form == PLAN_FORM,
            FormSession.context == plan_context(view.pair.id),
            FormSession.status == FormStatus.COMPLETED,
        )
    )
    return found is not None


async def save_plan(session: AsyncSession, pair_id: int, answers: dict[str, Any]) -> None:
    """The mentor's plan is done: keep the format on the pair, show the plan to mentees."""
    view = await load_pair(session, pair_id)
    if view is None:
        return
    fmt = answers.get("format")
    if isinstance(fmt, str) and fmt in FORMATS:
        view.pair.format = fmt
    await session.flush()
    stamp = now().strftime("%Y%m%d%H%M")
    for member in view.reachable():
        if member is view.mentor or member.person is None:
            continue
        locale = member.locale
        await _notify_member(
            session,
            view,
            member.person,
            key=f"plan:{pair_id}:{member.person.id}:{stamp}",
            text=t(
                "pairs-plan-shared",
                locale,
                **name_args("mentor", view.mentor.name),
                goals=esc(answers.get("goals") or "—"),
                tasks=esc(answers.get("tasks") or "—"),
                format=label("format", fmt, locale) if isinstance(fmt, str) else "—",
            ),
        )


@on_complete(PLAN_FORM)
async def _plan_form_done(session: AsyncSession, fs: Any, answers: dict[str, Any]) -> None:
    prefix, _, value = fs.context.partition(":")
    if prefix == "pair" and value.isdigit():
        await save_plan(session, int(value), answers)


# ------------------------------------------------------------------ what a person sees


async def meetings_of(
    session: AsyncSession, person_id: int, *, limit: int = 10
) -> list[PairMeetings]:
    """The person's pairs with their latest meetings (newest first)."""
    result: list[PairMeetings] = []
    for view in await pairs_of_person(session, person_id):
        role = view.role_of(person_id) or ""
        partners = view.mentee_names if role == "mentor" else view.mentor.name
        rows = (
            await session.scalars(
                select(Meeting)
                .where(Meeting.pair_id == view.pair.id, Meeting.status != MeetingStatus.CANCELLED)
                .order_by(Meeting.starts_at.desc())
                .limit(limit)
            )
        ).all()
        result.append(
            PairMeetings(
                pair_id=view.pair.id,
                role=role,
                partner_names=partners,
                programme_name=view.programme.name,
                format=view.pair.format,
                has_plan=await has_plan(session, view),
                meetings=[info(m, view.programme) for m in rows],
                group=len(view.mentees) > 1,
            )
        )
    return result


async def meeting_view(
    session: AsyncSession, person_id: int, meeting_id: int
) -> tuple[MeetingInfo, PairView]:
    meeting, view = await _meeting_for(session, meeting_id, person_id)
    return info(meeting, view.programme), view


# ------------------------------------------------------------------ reminders (the job)


async def _day_taken(session: AsyncSession, person_id: int, day: date) -> bool:
    found = await session.scalar(
        select(ReminderLog.id).where(
            ReminderLog.person_id == person_id, ReminderLog.local_date == day.isoformat()
        )
    )
    return found is not None


async def send_meeting_reminders(session: AsyncSession) -> int:
    """Queue the day-before and hour-before reminders that are due; returns how many."""
    from bot.infra.notify import notify

    moment = now()
    due = (
        await session.scalars(
            select(Meeting)
            .where(
                Meeting.status == MeetingStatus.SCHEDULED,
                Meeting.starts_at > moment,
                Meeting.starts_at <= moment + DAY_BEFORE,
                or_(Meeting.reminder_day_sent.is_(False), Meeting.reminder_hour_sent.is_(False)),
            )
            .order_by(Meeting.starts_at)
        )
    ).all()
    queued = 0
    for meeting in due:
        view = await load_pair(session, meeting.pair_id)
        if view is None or view.pair.status != PairStatus.CONFIRMED:
            meeting.reminder_day_sent = meeting.reminder_hour_sent = True
            continue
        tz = programme_zone(view.programme)
        quiet = quiet_window(view.programme)
        when_text = local_text(meeting.starts_at, view.programme)
        hour_window = meeting.starts_at - moment <= HOUR_BEFORE
        if not meeting.reminder_day_sent and not hour_window:
            send_at = after_quiet_hours(moment, tz, *quiet)
            for member in view.reachable():
                person = member.person
                assert person is not None
                if not person.reminders_enabled or send_at >= meeting.starts_at - HOUR_BEFORE:
                    continue
                if await _day_taken(session, person.id, send_at.astimezone(tz).date()):
                    continue
                partner = view.mentee_names if member is view.mentor else view.mentor.name
                if await notify(
                    session,
                    person=person,
                    key=f"meeting-day:{meeting.id}:{person.id}",
                    text=t("pairs-remind-day", member.locale, when=when_text, partner=esc(partner)),
                    programme=view.programme,
                    reply_markup=markup(
                        [button(t("pairs-btn-meetings", member.locale), "menu", view.pair.id, "n")]
                    ),
                    kind="meeting-reminder",
                    reminder=True,
                ):
                    queued += 1
        meeting.reminder_day_sent = True
        if hour_window and not meeting.reminder_hour_sent:
            if not in_quiet_hours(moment.astimezone(tz), *quiet):
                for member in view.reachable():
                    person = member.person
                    assert person is not None
                    if not person.reminders_enabled:
                        continue
                    partner = view.mentee_names if member is view.mentor else view.mentor.name
                    if await notify(
                        session,
                        person=person,
                        key=f"meeting-hour:{meeting.id}:{person.id}",
                        text=t(
                            "pairs-remind-hour", member.locale, when=when_text, partner=esc(partner)
                        ),
                        programme=view.programme,
                        kind="meeting-reminder",
                    ):
                        queued += 1
            meeting.reminder_hour_sent = True
    await session.flush()
    return queued
