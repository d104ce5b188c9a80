"""Honest meeting records through the emulator: the mentor enters the date and time of a
meeting and exactly that is stored and shown; a mentee's «Встречи не было» reaches the
curator and records no meeting; a mentee who answers «Нет» to «Была ли у вас встреча» is
not asked how useful the meetings were."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml
from sqlalchemy import select

from bot.handlers.pairwork.callbacks import LogPick
from bot.infra.scheduler import run_all_jobs
from bot.playbook import participant as people
from bot.playbook.hands import eventually
from bot.services.forms import Question
from bot.services.pairwork.cycle import on_pairs_confirmed
from bot.texts import t
from storage.models import Case, FeedbackAnswer, Meeting, Pair
from tests.support.pairwork import make_working_pair

IRKUTSK = ZoneInfo("Asia/Irkutsk")
FEEDBACK_YAML = Path(__file__).resolve().parents[2] / "bot" / "forms" / "feedback.yaml"
FEEDBACK = yaml.safe_load(FEEDBACK_YAML.read_text(encoding="utf-8"))


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment of October 2026 in the programme's local time, as UTC."""
    return datetime(2026, 10, day, hour, minute, tzinfo=IRKUTSK).astimezone(UTC)


@pytest.fixture
def clock_start() -> datetime:
    return at(5, 11)


@pytest.fixture
def emulator_options() -> dict[str, Any]:
    return {"rate_limits": False}


def _code(question: str, label: str) -> str:
    """An option code of the shipped feedback form, by its Russian label."""
    found = next(q for q in FEEDBACK["questions"] if q["id"] == question)
    return next(o["code"] for o in found["options"] if o["ru"] == label)


async def test_the_entered_time_is_kept_a_missed_meeting_is_a_signal_and_no_skips_usefulness(
    emulator: Any, bot_app: Any, test_clock: Any
) -> None:
    db = bot_app.db
    curator, mentor, mentee = (
        emulator.create_user(name, started=True) for name in ("Мария", "Анна", "Миша")
    )
    async with db.session() as s:
        wp = await make_working_pair(
            s, mentor_tg=mentor.id, mentee_tg=mentee.id, curator_tg=curator.id
        )
        await on_pairs_confirmed(s, [wp.pair.id])  # what /pairs calls
    await mentee.wait_for("У вас появился наставник", timeout=10)

    # 8 October, evening: the mentor records the meeting held at 16:30 that day.
    test_clock.set(at(8, 19))
    answer = await people.log_meeting(mentor, date(2026, 10, 8), "online", None, time(16, 30))
    assert "08.10.2026 16:30" in answer.text
    note = await people.confirm_meeting(mentee, date(2026, 10, 8))
    assert "08.10.2026 16:30" in note
    async with db.read() as s:
        first = (await s.scalars(select(Meeting).where(Meeting.pair_id == wp.pair.id))).one()
        assert first.starts_at == at(8, 16, 30) and first.status == "confirmed"

    # Forged log buttons: a time still ahead, or pressed by the mentee, record nothing.
    test_clock.set(at(12, 20))
    stale = t("button-stale", "ru")
    ahead = LogPick(
        step="notopic", pair=wp.pair.id, day="20261012", hour=21, minute=0, fmt="online"
    )
    past = LogPick(step="notopic", pair=wp.pair.id, day="20261012", hour=9, minute=0, fmt="online")
    assert (await mentor.press_data(ahead.pack())).alert == stale
    assert (await mentee.press_data(past.pack())).alert == stale
    async with db.read() as s:
        assert len((await s.scalars(select(Meeting))).all()) == 1

    # 12 October: another one «held» at 17:45; the mentee says it did not take place.
    await people.log_meeting(mentor, date(2026, 10, 12), "in_person", "Олимпиада", time(17, 45))
    note = await people.deny_meeting(mentee, date(2026, 10, 12))
    assert "12.10.2026 17:45" in note
    async with db.read() as s:
        meetings = (await s.scalars(select(Meeting).where(Meeting.pair_id == wp.pair.id))).all()
        statuses = sorted(m.status for m in meetings)
        pair = await s.get(Pair, wp.pair.id)
        assert statuses == ["confirmed", "disputed"]  # the second is not a meeting
        assert pair is not None and pair.last_meeting_at == at(8, 16, 30)
    await run_all_jobs(bot_app)
    signal = await curator.wait_for("не было")
    assert "Миша Иванов" in signal.text and "12.10.2026 17:45" in signal.text
    async with db.read() as s:
        case = (await s.scalars(select(Case).where(Case.kind == "missed_meeting"))).one()
        assert case.participant_id == wp.mentee.id and case.pair_id == wp.pair.id
        assert case.status == "open"

    # What the mentor sees in /meetings: the times as entered, the second one disputed.
    await mentor.send("/meetings")
    screen = await mentor.wait_for("12.10.2026 17:45")
    assert "08.10.2026 16:30" in screen.text
    assert "наставляемый ответил, что встречи не было" in screen.text

    # 19 October: the feedback round; «Нет» to the meeting question skips usefulness.
    test_clock.set(at(19, 11))
    await run_all_jobs(bot_app)
    asked: list[str] = []
    no = _code("meeting_happened", "Нет")
    fine = _code("wants_help", "Нет, всё в порядке")

    def answer_as_mentee(question: Question) -> Any:
        asked.append(question.id)
        return {
            "meeting_happened": no,
            "usefulness": 5,
            "comfort": 4,
            "progress": 3,
            "difficulty": None,
            "wants_help": fine,
        }[question.id]

    await people.fill_feedback(mentee, answer_as_mentee)
    assert asked == ["meeting_happened", "comfort", "progress", "difficulty", "wants_help"]

    async def stored() -> bool:
        async with db.read() as s:
            row = await s.scalar(
                select(FeedbackAnswer).where(FeedbackAnswer.participant_id == wp.mentee.id)
            )
        return row is not None and row.meeting_happened is False and row.usefulness is None

    await eventually(stored)
