"""Pair work services: introductions, meetings and their reminders, feedback, alerts,
completion — on every configured database backend, with a frozen clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.infra.clock import TestClock
from bot.services.access import AccessDenied
from bot.services.completion import finish as completion
from bot.services.feedback import alerts
from bot.services.feedback import rounds as feedback
from bot.services.pairwork import meetings as pair_meetings
from bot.services.pairwork.cycle import NotInPair, WrongState, on_pairs_confirmed
from storage.db import Database
from storage.models import (
    Alert,
    AuditRecord,
    Case,
    FeedbackAnswer,
    FeedbackRequest,
    FeedbackRound,
    Meeting,
    NominationVote,
    Pair,
    Participant,
    Programme,
    ReminderLog,
)
from tests.support.factories import make_participant, make_person
from tests.support.pairwork import make_working_pair, outbox

# Monday 5 October 2026, 11:00 in Irkutsk (UTC+8).
START = datetime(2026, 10, 5, 3, 0, tzinfo=UTC)
IRKUTSK = ZoneInfo("Asia/Irkutsk")


@pytest.fixture
def clock_start() -> datetime:
    # the shared `clock` fixture (tests/support/bot_fixtures.py) starts here
    return START


async def test_confirmation_introduces_both_sides_once(db: Database, clock: TestClock) -> None:
    async with db.session() as s:
        wp = await make_working_pair(s, materials_link="https://school.example/mentors.pdf")
        await on_pairs_confirmed(s, [wp.pair.id])
        await on_pairs_confirmed(s, [wp.pair.id])  # a second call sends nothing twice
    async with db.read() as s:
        rows = await outbox(s, "intro:")
        pair = await s.get(Pair, wp.pair.id)
    assert {r.idempotency_key for r in rows} == {
        f"intro:{wp.pair.id}:{wp.mentor_person.id}",
        f"intro:{wp.pair.id}:{wp.mentee_person.id}",
    }
    by_person = {r.person_id: r.payload["text"] for r in rows}
    mentee_text = by_person[wp.mentee_person.id]
    mentor_text = by_person[wp.mentor_person.id]
    assert "Анна Петровна Смирнова" in mentee_text and "+7 900 000-00-00" in mentee_text
    assert "Миша Иванов" in mentor_text and "Куратор Мария Ивановна" in mentor_text
    assert "https://school.example/mentors.pdf" in mentor_text  # tips and materials: mentor only
    assert "school.example" not in mentee_text
    mentor_buttons = str(next(r for r in rows if r.person_id == wp.mentor_person.id).payload)
    assert f"pw:prop:{wp.pair.id}:" in mentor_buttons
    assert pair is not None and pair.next_feedback_at == START + timedelta(days=14)


async def test_first_meeting_proposed_accepted_logged_and_confirmed(
    db: Database, clock: TestClock
) -> None:
    async with db.session() as s:
        wp = await make_working_pair(s)
        await on_pairs_confirmed(s, [wp.pair.id])
        when = pair_meetings.local_moment(
            wp.programme, pair_meetings.local_today(wp.programme) + timedelta(days=2), 16, 30
        )
        with pytest.raises(NotInPair):  # the mentee does not propose
            await pair_meetings.propose_meeting(s, wp.mentee_person.id, wp.pair.id, when)
        proposed = await pair_meetings.propose_meeting(s, wp.mentor_person.id, wp.pair.id, when)
        assert proposed.is_first and proposed.local == "07.10.2026 16:30"
        with pytest.raises(NotInPair):  # the mentor does not accept for the mentee
            await pair_meetings.answer_proposal(s, wp.mentor_person.id, proposed.id, accept=True)
        accepted = await pair_meetings.answer_proposal(
            s, wp.mentee_person.id, proposed.id, accept=True
        )
        assert accepted.status == "scheduled"
        with pytest.raises(WrongState):  # a second tap on the same button
            await pair_meetings.answer_proposal(s, wp.mentee_person.id, proposed.id, accept=True)
    clock.advance(days=2, hours=6)  # after the meeting
    async with db.session() as s:
        logged = await pair_meetings.log_meeting(
            s,
            wp.mentor_person.id,
            wp.pair.id,
            pair_meetings.local_today(wp.programme),
            hour=16,  # the time the mentor enters: the scheduled one here
            minute=30,
            fmt="online",
            topic="Знакомство <и цели>",
        )
        assert logged.id == proposed.id  # the scheduled meeting became the record
        assert logged.status == "held" and logged.starts_at == when
        stranger = await make_person(s, name="Чужой")
        with pytest.raises(NotInPair):
            await pair_meetings.confirm_held(s, stranger.id, logged.id)
        confirmed = await pair_meetings.confirm_held(s, wp.mentee_person.id, logged.id)
        assert confirmed.status == "confirmed"
    async with db.read() as s:
        pair = await s.get(Pair, wp.pair.id)
        asked = await outbox(s, f"meeting-held:{logged.id}:")
        listing = await pair_meetings.meetings_of(s, wp.mentee_person.id)
    assert pair is not None and pair.last_meeting_at == when
    assert len(asked) == 1 and "&lt;и цели&gt;" in asked[0].payload["text"]
    assert [m.status for m in listing[0].meetings] == ["confirmed"]
    assert listing[0].role == "mentee" and listing[0].partner_names == "Анна Петровна Смирнова"

    # The next proposal: the mentee asks for another time, the mentor is told.
    async with db.session() as s:
        when = clock.now() + timedelta(days=1, hours=3)
        proposed = await pair_meetings.propose_meeting(s, wp.mentor_person.id, wp.pair.id, when)
        assert not proposed.is_first
        declined = await pair_meetings.answer_proposal(
            s, wp.mentee_person.id, proposed.id, accept=False
        )
        with pytest.raises(WrongState):  # a time in the past
            await pair_meetings.propose_meeting(
                s, wp.mentor_person.id, wp.pair.id, clock.now() - timedelta(hours=1)
            )
        outsider = await make_participant(s, wp.programme, "mentor", name="Чужой наставник")
        with pytest.raises(NotInPair):  # a mentor of the programme, not of this pair
            await pair_meetings.propose_meeting(s, outsider.person_id or 0, wp.pair.id, when)
        with pytest.raises(WrongState):  # a forged feedback button
            await feedback.open_request(s, wp.mentee_person.id, 999_999)
    async with db.read() as s:
        told = await outbox(s, f"meeting-answer:{proposed.id}:")
    assert declined.status == "cancelled"
    assert [r.person_id for r in told] == [wp.mentor_person.id]
    assert f"pw:prop:{wp.pair.id}:n" in str(told[0].payload)


async def _scheduled(db: Database, wp: object, when: datetime) -> int:
    async with db.session() as s:
        meeting = Meeting(
            pair_id=wp.pair.id,  # type: ignore[attr-defined]
            starts_at=when,
            status="scheduled",
        )
        s.add(meeting)
        await s.flush()
        return meeting.id


async def test_reminders_day_before_and_hour_before_exactly_once(
    db: Database, clock: TestClock
) -> None:
    async with db.session() as s:
        wp = await make_working_pair(s)
    # Wednesday 7 October, 16:00 in Irkutsk.
    meeting_id = await _scheduled(db, wp, datetime(2026, 10, 7, 16, tzinfo=IRKUTSK))
    async with db.session() as s:
        assert await pair_meetings.send_meeting_reminders(s) == 0  # two days ahead: nothing
    clock.set(datetime(2026, 10, 6, 17, tzinfo=IRKUTSK).astimezone(UTC))  # 23 h before
    for _ in range(2):  # a second run (a restart) sends nothing again
        async with db.session() as s:
            await pair_meetings.send_meeting_reminders(s)
    async with db.read() as s:
        day = await outbox(s, f"meeting-day:{meeting_id}:")
        assert await outbox(s, f"meeting-hour:{meeting_id}:") == []
    assert {r.person_id for r in day} == {wp.mentor_person.id, wp.mentee_person.id}
    assert all("07.10.2026 16:00" in r.payload["text"] for r in day)
    clock.set(datetime(2026, 10, 7, 15, 10, tzinfo=IRKUTSK).astimezone(UTC))
    for _ in range(2):
        async with db.session() as s:
            await pair_meetings.send_meeting_reminders(s)
    async with db.read() as s:
        hour = await outbox(s, f"meeting-hour:{meeting_id}:")
        meeting = await s.get(Meeting, meeting_id)
    assert len(hour) == 2 and all(r.not_before == clock.now() for r in hour)
    assert meeting is not None and meeting.reminder_day_sent and meeting.reminder_hour_sent


async def test_reminders_keep_quiet_hours_in_the_programme_time_zone(
    db: Database, clock: TestClock
) -> None:
    """Vladivostok (UTC+10): an 08:30 meeting gets no 07:30 message, and a reminder due
    at night waits for the morning."""
    tz = ZoneInfo("Asia/Vladivostok")
    async with db.session() as s:
        wp = await make_working_pair(s, timezone="Asia/Vladivostok")
    meeting_id = await _scheduled(db, wp, datetime(2026, 10, 8, 8, 30, tzinfo=tz))
    clock.set(datetime(2026, 10, 7, 23, 0, tzinfo=tz).astimezone(UTC))  # night there
    async with db.session() as s:
        await pair_meetings.send_meeting_reminders(s)
    async with db.read() as s:
        day = await outbox(s, f"meeting-day:{meeting_id}:")
    # 09:00 local is after the meeting's last hour: the day-before one is not sent at all.
    assert day == []
    clock.set(datetime(2026, 10, 8, 7, 35, tzinfo=tz).astimezone(UTC))
    async with db.session() as s:
        await pair_meetings.send_meeting_reminders(s)
    async with db.read() as s:
        assert await outbox(s, f"meeting-hour:{meeting_id}:") == []
        meeting = await s.get(Meeting, meeting_id)
    assert meeting is not None and meeting.reminder_hour_sent

    # A 15:00 meeting seen at 23:00 the evening before: the reminder goes at 09:00 local.
    later_id = await _scheduled(db, wp, datetime(2026, 10, 9, 15, 0, tzinfo=tz))
    clock.set(datetime(2026, 10, 8, 23, 0, tzinfo=tz).astimezone(UTC))
    async with db.session() as s:
        await pair_meetings.send_meeting_reminders(s)
    async with db.read() as s:
        day = await outbox(s, f"meeting-day:{later_id}:")
    assert len(day) == 2
    assert {r.not_before.astimezone(tz) for r in day} == {datetime(2026, 10, 9, 9, 0, tzinfo=tz)}


async def test_reminders_respect_the_setting_and_one_a_day(db: Database, clock: TestClock) -> None:
    async with db.session() as s:
        wp = await make_working_pair(s)
        mentor = await s.get(type(wp.mentor_person), wp.mentor_person.id)
        assert mentor is not None
        mentor.reminders_enabled = False
        # The mentee already had a reminder today (local date in Irkutsk).
        s.add(ReminderLog(person_id=wp.mentee_person.id, local_date="2026-10-05", kind="x"))
    meeting_id = await _scheduled(db, wp, datetime(2026, 10, 6, 10, tzinfo=IRKUTSK))
    async with db.session() as s:
        await pair_meetings.send_meeting_reminders(s)
    async with db.read() as s:
        assert await outbox(s, f"meeting-day:{meeting_id}:") == []
    clock.set(datetime(2026, 10, 6, 9, 15, tzinfo=IRKUTSK).astimezone(UTC))
    async with db.session() as s:
        await pair_meetings.send_meeting_reminders(s)
    async with db.read() as s:
        hour = await outbox(s, f"meeting-hour:{meeting_id}:")
    assert [r.person_id for r in hour] == [wp.mentee_person.id]  # reminders off: none


async def test_biweekly_rounds_answers_alerts_and_one_reminder(
    db: Database, clock: TestClock
) -> None:
    async with db.session() as s:
        wp = await make_working_pair(s)
        await on_pairs_confirmed(s, [wp.pair.id])
        assert await feedback.start_due_rounds(s) == []
    clock.advance(days=14)
    for _ in range(2):  # the job twice: one round
        async with db.session() as s:
            await feedback.start_due_rounds(s)
    async with db.read() as s:
        rounds = (await s.scalars(select(FeedbackRound))).all()
        requests = (await s.scalars(select(FeedbackRequest).order_by(FeedbackRequest.id))).all()
        sent = await outbox(s, "feedback:")
        pair = await s.get(Pair, wp.pair.id)
    assert len(rounds) == 1 and rounds[0].number == 1 and not rounds[0].manual
    assert len(requests) == 2
    assert {r.idempotency_key for r in sent} == {
        f"feedback:{wp.pair.id}:{rounds[0].id}:{wp.mentor_person.id}",
        f"feedback:{wp.pair.id}:{rounds[0].id}:{wp.mentee_person.id}",
    }
    assert pair is not None and pair.next_feedback_at == clock.now() + timedelta(days=14)
    mentee_request = next(r for r in requests if r.participant_id == wp.mentee.id)
    async with db.session() as s:
        await feedback.submit_feedback(
            s,
            mentee_request.id,
            {
                "meeting_happened": "no",
                "usefulness": 2,
                "comfort": 4,
                "progress": 1,
                "difficulty": "Не можем найти время",
                "wants_help": "yes",
            },
        )
    async with db.read() as s:
        answer = await s.scalar(select(FeedbackAnswer))
        found = (await s.scalars(select(Alert).order_by(Alert.id))).all()
    assert answer is not None and answer.round_number == 1
    assert (answer.meeting_happened, answer.usefulness, answer.comfort, answer.progress) == (
        False,
        2,
        4,
        1,
    )
    assert answer.wants_help and answer.difficulty == "Не можем найти время"
    assert [(a.kind, a.details) for a in found] == [("low_score", "usefulness,progress")]
    async with db.read() as s:  # the call for help is a case, with the words of the form
        cases = (await s.scalars(select(Case))).all()
    assert [(c.kind, c.words, c.status) for c in cases] == [
        ("help", "Не можем найти время", "open")
    ]
    clock.advance(days=2, minutes=1)
    for _ in range(2):
        async with db.session() as s:
            await feedback.send_feedback_reminders(s)
    async with db.read() as s:
        reminders = await outbox(s, "feedback-reminder:")
    assert [r.person_id for r in reminders] == [wp.mentor_person.id]  # only the silent one


async def test_curator_round_now_for_one_pair_and_the_overview(
    db: Database, clock: TestClock
) -> None:
    async with db.session() as s:
        wp = await make_working_pair(s)
        other = await make_working_pair(
            s, programme=wp.programme, curator=wp.curator, mentor_name="Олег", mentee_name="Катя"
        )
        await on_pairs_confirmed(s, [wp.pair.id, other.pair.id])
        with pytest.raises(AccessDenied):
            await feedback.start_round_now(s, wp.mentor_person, wp.programme.id)
        result = await feedback.start_round_now(
            s, wp.curator, wp.programme.id, pair_id=other.pair.id
        )
        assert result.pair_ids == [other.pair.id] and result.requests == 2
        overview = await feedback.feedback_overview(s, wp.curator, wp.programme.id)
        audit = await s.scalar(select(AuditRecord).where(AuditRecord.action == "feedback_round"))
    assert overview.requests == 2 and overview.answered == 0 and overview.response_rate == 0
    assert overview.rounds[0].manual
    schedule = {p.pair_id: p.next_feedback_at for p in overview.pairs}
    assert schedule[wp.pair.id] == START + timedelta(days=14)
    assert schedule[other.pair.id] == START + timedelta(days=14)  # moved from now
    assert audit is not None and audit.actor_person_id == wp.curator.id


async def test_no_meeting_alert_instant_and_digest(db: Database, clock: TestClock) -> None:
    async with db.session() as s:
        wp = await make_working_pair(s)
        digest_curator = await make_person(s, name="Второй куратор", alert_mode="digest")
        from storage.models import ProgrammeCurator

        s.add(ProgrammeCurator(programme_id=wp.programme.id, person_id=digest_curator.id))
    clock.advance(days=13)
    async with db.session() as s:
        assert await alerts.check_no_meetings(s) == []
    clock.advance(days=1, hours=1)
    for _ in range(2):
        async with db.session() as s:
            await alerts.check_no_meetings(s)
            await alerts.dispatch_alerts(s)
    async with db.read() as s:
        found = (await s.scalars(select(Alert))).all()
        instant = await outbox(s, "alert:")
    assert [a.kind for a in found] == ["no_meeting"]
    assert [r.person_id for r in instant] == [wp.curator.id]  # the digest curator waits
    assert "Анна Петровна Смирнова — Миша Иванов" in instant[0].payload["text"]
    async with db.session() as s:
        await alerts.send_digests(s)
        await alerts.send_digests(s)
    async with db.read() as s:
        digests = await outbox(s, "alert-digest:")
    assert [r.person_id for r in digests] == [digest_curator.id]
    async with db.session() as s:
        view = await alerts.resolve_alert(s, wp.curator, found[0].id)
        assert view.resolved
        assert await alerts.open_alerts(s, wp.curator, wp.programme.id) == []
        with pytest.raises(AccessDenied):
            await alerts.resolve_alert(s, wp.mentor_person, found[0].id)


async def test_a_held_meeting_keeps_the_alert_away(db: Database, clock: TestClock) -> None:
    async with db.session() as s:
        wp = await make_working_pair(s)
    clock.advance(days=10)
    async with db.session() as s:
        await pair_meetings.log_meeting(
            s,
            wp.mentor_person.id,
            wp.pair.id,
            pair_meetings.local_today(wp.programme),
            hour=0,
            fmt="in_person",
            topic=None,
        )
    clock.advance(days=10)
    async with db.session() as s:
        assert await alerts.check_no_meetings(s) == []
    clock.advance(days=5)
    async with db.session() as s:
        assert len(await alerts.check_no_meetings(s)) == 1


async def test_completion_survey_vote_next_cycle_and_finish(db: Database, clock: TestClock) -> None:
    async with db.session() as s:
        wp = await make_working_pair(s)
        other = await make_working_pair(
            s, programme=wp.programme, curator=wp.curator, mentor_name="Олег", mentee_name="Катя"
        )
        with pytest.raises(AccessDenied):
            await completion.start_completion(s, wp.mentor_person, wp.programme.id)
        status = await completion.start_completion(s, wp.curator, wp.programme.id)
        assert status.status == "finishing" and status.participants == 4
        with pytest.raises(WrongState):  # no second start
            await completion.start_completion(s, wp.curator, wp.programme.id)
    async with db.read() as s:
        finals = await outbox(s, f"final:{wp.programme.id}:")
        votes = await outbox(s, f"vote:{wp.programme.id}:")
        asks = await outbox(s, "next-cycle:")
        continues = await outbox(s, "continue:")
    assert len(finals) == 4 and len(asks) == 2 and len(votes) == 2 and len(continues) == 2
    assert f"pw:vote:{wp.mentor.id}:{other.mentor.id}" in str(votes[0].payload)
    async with db.session() as s:
        with pytest.raises(WrongState):  # no vote for oneself
            await completion.cast_vote(s, wp.mentor_person.id, wp.mentor.id, wp.mentor.id)
        with pytest.raises(WrongState):  # nor on someone else's behalf
            await completion.cast_vote(s, other.mentor_person.id, wp.mentor.id, other.mentor.id)
        await completion.cast_vote(s, wp.mentor_person.id, wp.mentor.id, other.mentor.id)
        await completion.cast_vote(s, wp.mentor_person.id, wp.mentor.id, other.mentor.id)
        await completion.cast_vote(s, other.mentor_person.id, other.mentor.id, wp.mentor.id)
        await completion.answer_next_cycle(s, wp.mentee_person.id, wp.mentee.id, yes=True)
        # a mentor says they will mentor again: the long-term base, not «wants to mentor»
        again = await completion.answer_next_cycle(s, wp.mentor_person.id, wp.mentor.id, yes=True)
        assert again.in_long_term_base and not again.wants_to_mentor
        with pytest.raises(WrongState):  # nor for someone else
            await completion.answer_next_cycle(s, wp.mentee_person.id, wp.mentor.id, yes=True)
        status = await completion.completion_status(s, wp.curator, wp.programme.id)
    assert status.voters == 2 and status.want_to_mentor == 1
    assert sorted((r.name, r.votes) for r in status.results) == [
        ("Анна Петровна Смирнова", 1),
        ("Олег", 1),
    ]
    async with db.session() as s:
        done = await completion.finish_programme(s, wp.curator, wp.programme.id)
    async with db.read() as s:
        programme = await s.get(Programme, wp.programme.id)
        pairs = (await s.scalars(select(Pair.status))).all()
        thanks = await outbox(s, f"thanks:{wp.programme.id}:")
        mentee = await s.get(Participant, wp.mentee.id)
        votes_n = await s.scalar(select(func.count(NominationVote.id)))
    assert done.status == "finished"
    assert programme is not None and programme.status == "finished"
    assert programme.finished_at == clock.now()
    assert set(pairs) == {"ended"} and len(thanks) == 2 and votes_n == 2
    assert mentee is not None and mentee.wants_to_mentor and mentee.in_long_term_base


async def test_service_buttons_unpack_as_pair_actions() -> None:
    from bot.handlers.pairwork.callbacks import PairAction
    from bot.keyboards.buttons import callback_data
    from bot.services.pairwork.cycle import button

    data = callback_data(button("x", "vote", 12, "34"))
    parsed = PairAction.unpack(data)
    assert (parsed.action, parsed.id, parsed.arg) == ("vote", 12, "34")
    assert PairAction.unpack(callback_data(button("x", "menu", 5))).arg == ""
