"""The curator of a school with 300 participants, through the emulator, counting taps.

The people are made directly in the database (as the other scale stories do); the
curator's work goes through the bot as a person would do it, and every press, command
and typed message counts as a tap.
"""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.infra.scheduler import registered_jobs, run_job
from bot.services.enrolment import consent
from bot.texts import t
from storage.models import (
    FeedbackRequest,
    FeedbackRound,
    GroupMeeting,
    GroupMeetingAttendance,
    OutboxMessage,
    Participant,
    Programme,
)
from tests.support.factories import (
    make_curator,
    make_pair,
    make_participant,
    make_person,
    make_programme,
)
from tests.support.settle import read_settled
from tests.support.taps import TapCounter

IRKUTSK = ZoneInfo("Asia/Irkutsk")
CURATOR = 760_001
MENTEES = 270
MENTORS = 30


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment of October 2026 in Irkutsk time, as UTC."""
    return datetime(2026, 10, day, hour, minute, tzinfo=IRKUTSK).astimezone(UTC)


@pytest.fixture
def clock_start() -> datetime:
    return at(5, 11)  # Monday 5 October, 11:00 in Irkutsk


@pytest.fixture
def emulator_options() -> dict[str, Any]:
    # A script presses far faster than a person; the per-chat limit is not the subject.
    return {"rate_limits": False}


def mentee_name(n: int) -> str:
    return f"Ученик {n:03d}"


async def _school(bot_app: Any) -> dict[str, int]:
    """270 mentees (classes 5–11) and 30 mentors waiting for the curator's decision."""
    async with bot_app.db.session() as s:
        programme = await make_programme(s)
        await make_curator(s, programme, tg_id=CURATOR)
        for n in range(1, MENTEES + 1):
            await make_participant(s, programme, "mentee", name=mentee_name(n), grade=5 + n % 7)
        for n in range(1, MENTORS + 1):
            await make_participant(
                s, programme, "mentor", name=f"Наставник {n:02d}", grade=11, age=17
            )
        meeting = GroupMeeting(programme_id=programme.id, starts_at=at(3, 15), place="Актовый зал")
        s.add(meeting)
        await s.flush()
        return {"programme": programme.id, "meeting": meeting.id}


async def _approve_and_train(curator: TapCounter) -> str:
    """/mentors → «ждут решения» → «Выбрать всех» → «Включить выбранных» → confirm →
    «Обучение пройдено»; the confirmation screen's text."""
    await curator.command("mentors")
    await curator.wait_for("Наставники")
    await curator.press(t("registry-filter-candidate", "ru"))
    await curator.wait_for(predicate=lambda m: "• ждут решения" in m.button_texts)
    await curator.press(t("registry-btn-pick-all", "ru", count=MENTORS))
    await curator.press(t("registry-btn-approve-selected", "ru", count=MENTORS))
    asked = str((await curator.wait_for("Включить в реестр 30 наставников?")).text)
    await curator.press(t("registry-btn-confirm-approve", "ru", count=MENTORS))
    await curator.wait_for("Включено в реестр: 30")
    await curator.press(t("registry-btn-trained-selected", "ru", count=MENTORS))
    await curator.wait_for("Отмечено обучение: 30")
    return asked


async def _attendance(curator: TapCounter, absent: list[str]) -> None:
    """/meeting → «Отметить, кто пришёл» (all ticked) → the absent typed in one message →
    «Не пришли найденные» → «Готово»."""
    await curator.command("meeting")
    await curator.wait_for("Пришли: 0 из 300")  # not recorded yet
    await curator.press(t("meeting-btn-attendance", "ru"))
    await curator.wait_for("пришли 300 из 300")
    await curator.send(", ".join(absent))
    await curator.wait_for("Найдено по запросу")
    await curator.press(t("meeting-btn-none-found", "ru", count=len(absent)))
    await curator.wait_for("пришли 290 из 300")
    await curator.press(t("meeting-btn-done", "ru"))
    await curator.wait_for(t("meeting-attendance-saved", "ru"))


async def _feedback_round(bot_app: Any, programme_id: int) -> set[int]:
    """Round 1 for 30 pairs: everyone answered but the mentees of the first 12 pairs;
    the silent ones' participant ids."""
    silent: set[int] = set()
    async with bot_app.db.session() as s:
        mentors = list(
            await s.scalars(
                select(Participant)
                .where(Participant.role == "mentor")
                .order_by(Participant.display_name)
            )
        )
        mentees = list(
            await s.scalars(
                select(Participant)
                .where(Participant.role == "mentee")
                .order_by(Participant.display_name)
            )
        )
        fb_round = FeedbackRound(programme_id=programme_id, number=1, period=1)
        s.add(fb_round)
        await s.flush()
        prog = await s.get(Programme, programme_id)
        assert prog is not None
        for i, (mentor, mentee) in enumerate(zip(mentors, mentees, strict=False)):
            pair = await make_pair(s, prog, mentor, [mentee])
            for member in (mentor, mentee):
                answered = not (member is mentee and i < 12)
                s.add(
                    FeedbackRequest(
                        round_id=fb_round.id,
                        pair_id=pair.id,
                        participant_id=member.id,
                        answered_at=at(5, 10) if answered else None,
                    )
                )
                if not answered:
                    silent.add(member.id)
        await s.flush()
    return silent


async def test_the_curator_runs_a_school_of_300_in_a_few_taps(
    emulator: Any, bot_app: Any, test_clock: Any
) -> None:
    started = time.monotonic()
    ids = await _school(bot_app)
    curator = TapCounter(emulator.create_user("Мария", id=CURATOR, started=True))

    # 30 mentors approved and marked trained
    curator.taps = 0
    asked = await _approve_and_train(curator)
    assert curator.taps <= 10, curator.taps
    assert "Наставник 01" in asked and "сообщение" in asked  # who, and that they are told
    async with read_settled(bot_app) as s:
        mentors = list(await s.scalars(select(Participant).where(Participant.role == "mentor")))
        assert {(m.registry_status, m.trained) for m in mentors} == {("approved", True)}
        told = await s.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.idempotency_key.like("registry:%:approved:%"))
        )
        assert told == MENTORS

    # attendance of 300 (270 mentees and the 30 mentors now in the registry), 10 absent
    absent = [mentee_name(n) for n in (3, 17, 42, 58, 99, 120, 151, 200, 233, 269)]
    curator.taps = 0
    await _attendance(curator, absent)
    assert curator.taps <= 10, curator.taps
    async with read_settled(bot_app) as s:
        meeting = await s.get(GroupMeeting, ids["meeting"])
        assert meeting is not None and meeting.attendance_recorded
        rows = list(
            await s.execute(
                select(Participant.display_name, GroupMeetingAttendance.attended).join(
                    Participant, Participant.id == GroupMeetingAttendance.participant_id
                )
            )
        )
        assert len(rows) == 300
        assert sorted(name for name, came in rows if not came) == absent

    # the silent ones of a feedback round, listed and reminded — at 23:00, in quiet hours
    silent = await _feedback_round(bot_app, ids["programme"])
    test_clock.set(at(5, 23))
    curator.taps = 0
    await curator.command("feedback_round")
    await curator.wait_for("Обратная связь")
    await curator.press(t("silent-btn-round", "ru", number=1, count=12))
    listed = str((await curator.wait_for("Не ответили 12 из 60")).text)
    assert all(mentee_name(n) in listed for n in range(1, 13))
    assert mentee_name(13) not in listed
    await curator.press(t("silent-btn-remind", "ru", count=12))
    await curator.wait_for("Напоминания поставлены в очередь: 12")
    assert curator.taps <= 3, curator.taps
    async with read_settled(bot_app) as s:
        reminders = list(
            await s.scalars(
                select(OutboxMessage).where(
                    OutboxMessage.idempotency_key.like("silent-remind:feedback:%")
                )
            )
        )
        people = {
            p.person_id
            for p in await s.scalars(select(Participant).where(Participant.id.in_(silent)))
        }
        assert {r.person_id for r in reminders} == people
        # quiet hours 21:00–09:00: they wait for 9:00 tomorrow
        assert {r.not_before for r in reminders} == {at(6, 9)}
    # pressed again the same day: nobody gets a second one
    await curator.press(t("silent-btn-remind", "ru", count=12))
    await curator.wait_for("Напоминания поставлены в очередь: 0")
    async with read_settled(bot_app) as s:
        again = await s.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.idempotency_key.like("silent-remind:feedback:%"))
        )
        assert again == 12
    assert time.monotonic() - started < 60


async def _parent_agrees(s: Any, code: str) -> None:
    request = await consent.parent_request(s, code)
    assert request is not None
    parent = await make_person(s, name="Родитель")
    await consent.parent_decide(s, parent, code, request.link_id, agreed=True)


async def test_the_curator_gets_one_consent_digest_a_day(
    emulator: Any, bot_app: Any, test_clock: Any
) -> None:
    test_clock.set(at(6, 7))  # before the digest hour (the end of quiet hours, 9:00)
    curator = emulator.create_user("Мария", id=CURATOR, started=True)
    async with bot_app.db.session() as s:
        programme = await make_programme(s)
        await make_curator(s, programme, tg_id=CURATOR)
        children = [
            await make_participant(
                s, programme, "mentee", name=mentee_name(n), active=False, age=14
            )
            for n in range(1, 13)
        ]
        # twelve children agree and wait for a parent; eight parents agree
        codes = []
        for n, child in enumerate(children):
            assert child.person_id is not None
            result = await consent.agree(s, child.person_id, child.id)
            assert result.parent_code is not None
            codes.append(result.parent_code)
            if n < 8:
                await _parent_agrees(s, result.parent_code)
    digest_job = next(spec for spec in registered_jobs() if spec.name == "curator-digest")
    await run_job(bot_app, digest_job)
    await curator.expect_silence(within=0.5)  # 20 consent events, no message yet

    test_clock.set(at(6, 9, 5))
    await run_job(bot_app, digest_job)
    digest = await curator.wait_for("Сводка за день", timeout=10)
    assert "событий 20" in digest.text
    assert "Ждут согласия родителя (12)" in digest.text
    assert "Родитель дал согласие (8)" in digest.text
    assert mentee_name(1) in digest.text

    # later the same day: a new consent waits for tomorrow's digest
    test_clock.set(at(6, 15))
    async with bot_app.db.session() as s:
        await _parent_agrees(s, codes[8])
    await run_job(bot_app, digest_job)
    await curator.expect_silence(within=0.5)
    test_clock.set(at(7, 9, 30))
    await run_job(bot_app, digest_job)
    second = await curator.wait_for("событий 1", timeout=10)
    assert "Родитель дал согласие (1)" in second.text
    digests = [m for m in curator.messages if "Сводка за день" in m.text]
    assert len(digests) == 2  # one a day, however many consents
    async with read_settled(bot_app) as s:
        keys = list(
            await s.scalars(
                select(OutboxMessage.idempotency_key).where(OutboxMessage.chat_id == CURATOR)
            )
        )
        assert all(k.startswith("news-digest:") for k in keys), keys


async def test_the_unpaired_assigned_in_one_pass_and_confirmed_after_a_look(
    emulator: Any, bot_app: Any
) -> None:
    from storage.models import Pair

    async with bot_app.db.session() as s:
        programme = await make_programme(s)
        await make_curator(s, programme, tg_id=CURATOR)
        for n in range(1, 4):
            await make_participant(
                s,
                programme,
                "mentor",
                name=f"Наставник {n:02d}",
                approved=True,
                grade=11,
                age=17,
                category="student",
            )
            await make_participant(
                s, programme, "mentee", name=mentee_name(n), grade=8, category="school_student"
            )
    curator = TapCounter(emulator.create_user("Мария", id=CURATOR, started=True))
    await curator.command("pairs")
    await curator.wait_for("Пары")
    await curator.press(t("pairs-btn-run", "ru"))
    await curator.wait_for("Подбор готов. Предложено пар и групп: 0, без пары — 3")
    # nothing fits by the profiles alone: the bot suggests, the curator assigns in one pass
    await curator.press(re.compile("Без пары"))
    await curator.wait_for("Можно предложить")
    await curator.press(t("pairs-btn-assign-all", "ru"))
    await curator.wait_for("Назначено по подсказкам: 3")
    await curator.press(t("pairs-btn-confirm-all", "ru"))
    asked = str((await curator.wait_for("Подтвердить все предложенные пары (3)?")).text)
    assert "получат 6 участников" in asked
    assert all(f"Наставник {n:02d}" in asked for n in range(1, 4))
    async with read_settled(bot_app) as s:
        assert set(await s.scalars(select(Pair.status))) == {"proposed"}  # not yet
        before = await s.scalar(select(func.count()).select_from(OutboxMessage))
    await curator.press(t("pairs-btn-confirm-all-yes", "ru", people=6))
    await curator.wait_for("Подтверждено пар и групп: 3")
    async with read_settled(bot_app) as s:
        assert set(await s.scalars(select(Pair.status))) == {"confirmed"}
        after = await s.scalar(select(func.count()).select_from(OutboxMessage))
        assert (after or 0) > (before or 0)
    assert curator.taps == 6  # /pairs, run, without a pair, assign all, confirm, yes
