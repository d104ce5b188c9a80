"""The group meeting (stage 5): announcement, the reminder on the day, attendance."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.infra.clock import now
from bot.infra.notify import notify, person_locale, programme_zone, quiet_window
from bot.infra.once import add_once
from bot.services.access import require_programme
from bot.services.enrolment.registry import NotAllowedNow, NotInProgramme
from bot.services.privacy import audit
from bot.texts import esc, t
from storage.models import (
    GroupMeeting,
    GroupMeetingAttendance,
    Participant,
    ParticipantStatus,
    Person,
    Programme,
    RegistryStatus,
    Role,
)

PLACE_LIMIT = 500
PAGE_SIZE = 8


async def eligible_participants(
    session: AsyncSession, programme_id: int, role: str | None = None
) -> list[Participant]:
    """Who takes part in the group stage: active mentees and approved active mentors."""
    query = select(Participant).where(
        Participant.programme_id == programme_id,
        Participant.status == ParticipantStatus.ACTIVE,
        Participant.person_id.is_not(None),
    )
    if role is not None:
        query = query.where(Participant.role == role)
    rows = await session.scalars(query.order_by(Participant.role, Participant.display_name))
    return [
        p
        for p in rows
        if p.role == Role.MENTEE
        or (p.role == Role.MENTOR and p.registry_status == RegistryStatus.APPROVED)
    ]


async def latest_meeting(session: AsyncSession, programme_id: int) -> GroupMeeting | None:
    return await session.scalar(
        select(GroupMeeting)
        .where(GroupMeeting.programme_id == programme_id)
        .order_by(GroupMeeting.id.desc())
        .limit(1)
    )


def local_moment(programme: Programme, day: date, at: time) -> datetime:
    """A local date and time of the programme as a UTC moment."""
    zone = programme_zone(programme)
    return datetime.combine(day, at, tzinfo=zone).astimezone(now().tzinfo)


def announce_key(starts_at: datetime, place: str) -> str:
    """The same meeting (time and place) has the same key: announced once."""
    moment = starts_at.astimezone(UTC).isoformat()
    return hashlib.sha256(f"{moment}\n{place}".encode()).hexdigest()


@dataclass(frozen=True)
class Announcement:
    meeting: GroupMeeting
    invited: int


async def announce(
    session: AsyncSession,
    actor: Person,
    programme_id: int,
    *,
    day: date,
    at: time,
    place: str,
) -> Announcement:
    programme = await require_programme(session, actor.id, programme_id)
    place = (place or "").strip()
    if not place:
        raise NotAllowedNow("meeting-error-place")
    if len(place) > PLACE_LIMIT:
        raise NotAllowedNow("meeting-error-place-long")
    starts_at = local_moment(programme, day, at)
    if starts_at <= now():
        raise NotAllowedNow("meeting-error-past")
    meeting = GroupMeeting(
        programme_id=programme.id,
        starts_at=starts_at,
        place=place,
        announced_by=actor.id,
        announce_key=announce_key(starts_at, place),
    )
    if not await add_once(session, meeting):  # announced already: a second press
        raise NotAllowedNow("meeting-error-already")
    zone = programme_zone(programme)
    local = starts_at.astimezone(zone)
    # The reminder goes in the morning of the day (end of quiet hours), or at once if later.
    morning = datetime.combine(local.date(), quiet_window(programme)[1], tzinfo=zone)
    remind_at = max(morning.astimezone(starts_at.tzinfo), now())
    people = await eligible_participants(session, programme.id)
    invited = 0
    for participant in people:
        person = await session.get(Person, participant.person_id)
        if person is None:
            continue
        loc = person_locale(person, participant)
        args = {
            "programme": esc(programme.name),
            "date": f"{local:%d.%m.%Y}",
            "time": f"{local:%H:%M}",
            "place": esc(place),
        }
        await notify(
            session,
            person=person,
            key=f"groupmeeting:{meeting.id}:{person.id}:announce",
            text=t("meeting-notify-announce", loc, **args),
            programme=programme,
            by_curator=True,
        )
        if remind_at < starts_at:
            await notify(
                session,
                person=person,
                key=f"groupmeeting:{meeting.id}:{person.id}:remind",
                text=t("meeting-notify-remind", loc, **args),
                programme=programme,
                by_curator=True,
                not_before=remind_at,
            )
        invited += 1
    await audit.record(
        session,
        programme_id=programme.id,
        actor_id=actor.id,
        action="group_meeting_announced",
        meeting_id=meeting.id,
        invited=invited,
    )
    return Announcement(meeting, invited)


async def _meeting(session: AsyncSession, actor: Person, meeting_id: int) -> GroupMeeting:
    meeting = await session.get(GroupMeeting, meeting_id)
    if meeting is None:
        raise NotInProgramme(meeting_id)
    await require_programme(session, actor.id, meeting.programme_id)
    return meeting


@dataclass(frozen=True)
class AttendanceRow:
    participant: Participant
    attended: bool


@dataclass(frozen=True)
class AttendancePage:
    meeting: GroupMeeting
    rows: list[AttendanceRow]
    page: int
    pages: int
    came: int
    total: int
    query: str = ""
    found: int = 0  # how many the search found (all when there is no search)


QUERY_LIMIT = 500


def search_terms(query: str) -> list[str]:
    """A search is one or several names or classes, separated by commas or new lines."""
    parts = query[:QUERY_LIMIT].replace("\n", ",").replace(";", ",").split(",")
    return [p.strip().casefold() for p in parts if p.strip()]


def matches(participant: Participant, terms: list[str]) -> bool:
    """By name (any part of it) or by class: «8» or «8 класс» finds the eighth grade."""
    if not terms:
        return True
    name = (participant.display_name or "").casefold()
    for term in terms:
        if term in name:
            return True
        number = term.split()[0].rstrip("абвгдежзиклмн")
        if number.isdigit() and participant.grade == int(number):
            return True
        if participant.category and term == participant.category.casefold():
            return True
    return False


async def attended_ids(session: AsyncSession, meeting_id: int) -> set[int]:
    rows = await session.scalars(
        select(GroupMeetingAttendance.participant_id).where(
            GroupMeetingAttendance.meeting_id == meeting_id,
            GroupMeetingAttendance.attended.is_(True),
        )
    )
    return set(rows)


async def _marks(session: AsyncSession, meeting_id: int) -> dict[int, GroupMeetingAttendance]:
    rows = await session.scalars(
        select(GroupMeetingAttendance).where(GroupMeetingAttendance.meeting_id == meeting_id)
    )
    return {row.participant_id: row for row in rows}


def _came(meeting: GroupMeeting, marks: dict[int, GroupMeetingAttendance], pid: int) -> bool:
    """Until attendance is saved, everyone invited counts as come unless unticked: the
    curator marks the few who did not come, not the many who did."""
    row = marks.get(pid)
    if row is not None:
        return row.attended
    return not meeting.attendance_recorded


async def attendance(
    session: AsyncSession, actor: Person, meeting_id: int, page: int = 0, query: str = ""
) -> AttendancePage:
    meeting = await _meeting(session, actor, meeting_id)
    people = await eligible_participants(session, meeting.programme_id)
    marks = await _marks(session, meeting.id)
    terms = search_terms(query)
    shown = [p for p in people if matches(p, terms)]
    pages = max(1, -(-len(shown) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    rows = [
        AttendanceRow(p, _came(meeting, marks, p.id))
        for p in shown[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    ]
    came = len([p for p in people if _came(meeting, marks, p.id)])
    return AttendancePage(
        meeting, rows, page, pages, came, len(people), query.strip()[:QUERY_LIMIT], len(shown)
    )


async def _set(
    session: AsyncSession,
    meeting: GroupMeeting,
    marks: dict[int, GroupMeetingAttendance],
    participant_id: int,
    attended: bool,
) -> None:
    row = marks.get(participant_id)
    if row is None:
        row = GroupMeetingAttendance(
            meeting_id=meeting.id, participant_id=participant_id, attended=attended
        )
        session.add(row)
        marks[participant_id] = row
    else:
        row.attended = attended


async def toggle_attendance(
    session: AsyncSession, actor: Person, meeting_id: int, participant_id: int
) -> bool:
    """Flip whether a participant came; returns the new value."""
    meeting = await _meeting(session, actor, meeting_id)
    eligible = {p.id for p in await eligible_participants(session, meeting.programme_id)}
    if participant_id not in eligible:
        raise NotInProgramme(participant_id)
    marks = await _marks(session, meeting.id)
    attended = not _came(meeting, marks, participant_id)
    await _set(session, meeting, marks, participant_id, attended)
    await session.flush()
    await audit.record(
        session,
        programme_id=meeting.programme_id,
        actor_id=actor.id,
        action="attendance",
        meeting_id=meeting.id,
        participant_id=participant_id,
        attended=attended,
    )
    return attended


async def mark_found(
    session: AsyncSession, actor: Person, meeting_id: int, query: str, attended: bool
) -> int:
    """Tick (or untick) everyone the search finds, or everyone when there is no search;
    the number changed."""
    meeting = await _meeting(session, actor, meeting_id)
    terms = search_terms(query)
    people = [
        p for p in await eligible_participants(session, meeting.programme_id) if matches(p, terms)
    ]
    marks = await _marks(session, meeting.id)
    changed = 0
    for p in people:
        if _came(meeting, marks, p.id) != attended:
            changed += 1
        await _set(session, meeting, marks, p.id, attended)
    await session.flush()
    await audit.record(
        session,
        programme_id=meeting.programme_id,
        actor_id=actor.id,
        action="attendance_bulk",
        meeting_id=meeting.id,
        attended=attended,
        count=len(people),
    )
    return changed


async def finish_attendance(session: AsyncSession, actor: Person, meeting_id: int) -> GroupMeeting:
    """Save: whoever was not unticked came."""
    meeting = await _meeting(session, actor, meeting_id)
    if not meeting.attendance_recorded:
        marks = await _marks(session, meeting.id)
        for p in await eligible_participants(session, meeting.programme_id):
            if p.id not in marks:
                await _set(session, meeting, marks, p.id, True)
    meeting.attendance_recorded = True
    await session.flush()
    return meeting


def calendar_month(year: int, month: int) -> list[list[date | None]]:
    """Weeks (Monday first) of a month; None outside the month."""
    first = date(year, month, 1)
    days_in = ((first.replace(day=28) + timedelta(days=4)).replace(day=1) - first).days
    cells: list[date | None] = [None] * first.weekday()
    cells += [date(year, month, d) for d in range(1, days_in + 1)]
    cells += [None] * (-len(cells) % 7)
    return [cells[i : i + 7] for i in range(0, len(cells), 7)]
