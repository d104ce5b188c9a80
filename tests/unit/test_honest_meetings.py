"""Meeting records: the time the mentor enters is stored as entered (never a future one);
«Встречи не было» is a signal to the curator, only from a mentee of the pair."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from bot.infra.clock import TestClock
from bot.services.pairwork import cases
from bot.services.pairwork import meetings as pair_meetings
from bot.services.pairwork.cycle import NotInPair, WrongState
from storage.db import Database
from storage.models import Case, Meeting, Pair
from tests.support.factories import make_person
from tests.support.pairwork import make_working_pair

# Thursday 8 October 2026, 19:00 in Irkutsk (UTC+8).
START = datetime(2026, 10, 8, 11, 0, tzinfo=UTC)
TODAY = date(2026, 10, 8)


@pytest.fixture
def clock_start() -> datetime:
    # the shared `clock` fixture (tests/support/bot_fixtures.py) starts here
    return START


async def test_the_entered_time_is_stored_and_a_future_one_refused(
    db: Database, clock: TestClock
) -> None:
    async with db.session() as s:
        wp = await make_working_pair(s)
        mentor = wp.mentor_person.id
        with pytest.raises(WrongState):  # 19:15 has not come yet
            await pair_meetings.log_meeting(
                s, mentor, wp.pair.id, TODAY, hour=19, minute=15, fmt="online", topic=None
            )
        with pytest.raises(WrongState):
            await pair_meetings.log_meeting(
                s, mentor, wp.pair.id, TODAY, hour=25, minute=0, fmt="online", topic=None
            )
        logged = await pair_meetings.log_meeting(
            s, mentor, wp.pair.id, TODAY, hour=14, minute=45, fmt="online", topic=None
        )
    # 14:45 in Irkutsk is 06:45 UTC; not midday, not «now».
    assert logged.starts_at == datetime(2026, 10, 8, 6, 45, tzinfo=UTC)
    assert logged.local == "08.10.2026 14:45"
    assert pair_meetings.log_minutes(wp.programme, TODAY, 19) == [0]
    assert pair_meetings.log_hours(wp.programme, date(2026, 10, 9)) == []


async def test_not_held_is_a_signal_only_a_mentee_can_give(db: Database, clock: TestClock) -> None:
    async with db.session() as s:
        wp = await make_working_pair(s)
        logged = await pair_meetings.log_meeting(
            s, wp.mentor_person.id, wp.pair.id, TODAY, hour=16, fmt="online", topic=None
        )
        stranger = await make_person(s, name="Чужой")
        for someone in (wp.mentor_person.id, stranger.id):
            with pytest.raises(NotInPair):
                await pair_meetings.report_not_held(s, someone, logged.id)
        denied = await pair_meetings.report_not_held(s, wp.mentee_person.id, logged.id)
        assert denied.status == "disputed"
        with pytest.raises(WrongState):  # confirming afterwards is not possible
            await pair_meetings.confirm_held(s, wp.mentee_person.id, logged.id)
    async with db.read() as s:
        found = (await s.scalars(select(Case))).all()
        meeting = await s.get(Meeting, logged.id)
        pair = await s.get(Pair, wp.pair.id)
    assert [(c.kind, c.pair_id, c.participant_id, c.status) for c in found] == [
        ("missed_meeting", wp.pair.id, wp.mentee.id, "open")
    ]
    assert found[0].words is not None and "08.10.2026 16:00" in found[0].words
    assert meeting is not None and meeting.status == "disputed"
    assert pair is not None and pair.last_meeting_at is None


async def test_report_missed_meeting_opens_one_case(db: Database, clock: TestClock) -> None:
    async with db.session() as s:
        wp = await make_working_pair(s)
        first = await cases.report_missed_meeting(s, wp.pair.id, wp.mentee.id, when="x")
        again = await cases.report_missed_meeting(s, wp.pair.id, wp.mentee.id, when="y")
        assert first is not None and again is not None and first.id == again.id
        assert first.kind == "missed_meeting" and first.status == "open"
        assert await cases.report_missed_meeting(s, 10**9, wp.mentee.id, when="x") is None
