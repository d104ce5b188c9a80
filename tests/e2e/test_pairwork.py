"""The pair work cycle through the emulator: confirmation → first meeting → plan →
reminders → meeting log → two feedback rounds → alerts → completion, with the test clock
moving two weeks in seconds; quiet hours of meeting reminders in another time zone; and
the curator naming «Лучшая пара» at completion."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.infra.scheduler import run_all_jobs
from bot.playbook import participant as people
from bot.playbook.forms import fill_form
from bot.playbook.hands import eventually, has
from bot.services.pairwork.cycle import on_pairs_confirmed
from storage.models import (
    Alert,
    FeedbackAnswer,
    Meeting,
    Pair,
    Participant,
    Programme,
)
from tests.support.factories import make_curator, make_programme
from tests.support.pairwork import (
    WorkingPair,
    add_feedback,
    add_meetings,
    make_working_pair,
    outbox,
)

IRKUTSK = ZoneInfo("Asia/Irkutsk")


def at(day: int, hour: int, minute: int = 0, tz: ZoneInfo = IRKUTSK) -> datetime:
    """A moment of October 2026 in local time, as UTC."""
    return datetime(2026, 10, day, hour, minute, tzinfo=tz).astimezone(UTC)


@pytest.fixture
def clock_start() -> datetime:
    # The story starts on 5 October: the bot's background jobs never see time go back.
    return at(5, 11)


@pytest.fixture
def emulator_options() -> dict[str, Any]:
    return {"rate_limits": False}  # a script answers faster than people; limits are tested apart


async def two_pairs(emulator: Any, db: Any) -> tuple[list[Any], WorkingPair, WorkingPair]:
    """Users Мария (curator), Анна → Миша and Олег → Катя: two pairs of one programme."""
    names = ("Мария", "Анна", "Миша", "Олег", "Катя")
    users = [emulator.create_user(name, started=True) for name in names]
    curator, mentor, mentee, mentor2, mentee2 = users
    async with db.session() as s:
        wp = await make_working_pair(
            s, mentor_tg=mentor.id, mentee_tg=mentee.id, curator_tg=curator.id
        )
        other = await make_working_pair(
            s,
            programme=wp.programme,
            curator=wp.curator,
            mentor_tg=mentor2.id,
            mentee_tg=mentee2.id,
            mentor_name="Олег Сергеевич",
            mentee_name="Катя",
            mentor_contacts=None,
        )
    return users, wp, other


def _feedback(scores: tuple[int, int, int], *, help_: bool) -> dict[str, Any]:
    usefulness, comfort, progress = scores
    return {
        "meeting_happened": "yes",
        "usefulness": usefulness,
        "comfort": comfort,
        "progress": progress,
        "difficulty": "Никак не совпадает расписание" if help_ else None,
        "wants_help": "yes" if help_ else "no",
    }


async def test_a_pair_from_confirmation_to_completion(
    emulator: Any, bot_app: Any, test_clock: Any
) -> None:
    test_clock.set(at(5, 11))  # Monday 5 October, 11:00 in Irkutsk
    db = bot_app.db
    (curator, mentor, mentee, mentor2, mentee2), wp, other = await two_pairs(emulator, db)
    async with db.session() as s:
        await on_pairs_confirmed(s, [wp.pair.id, other.pair.id])  # what /pairs calls

    # Introductions: names, contacts, the curator, the next step; tips for the mentor.
    intro = await mentor.wait_for("У вас появилась пара", timeout=10)
    assert "Миша Иванов" in intro.text and "Куратор Мария Ивановна" in intro.text
    assert "советов наставнику" in intro.text
    intro_mentee = await mentee.wait_for("У вас появился наставник")
    assert "Анна Петровна Смирнова" in intro_mentee.text and "+7 900 000-00-00" in intro_mentee.text
    assert "советов" not in intro_mentee.text
    await mentee2.wait_for("У вас появился наставник")

    # The mentor proposes Wednesday 16:30; the mentee asks for another time.
    await mentor.press("🗓 Предложить встречу")
    await mentor.wait_for("В какой день встретиться")
    await mentor.press("ср 07.10")
    await mentor.wait_for("во сколько")
    await mentor.press("16:00")
    await mentor.wait_for("выберите минуты")
    await mentor.press("16:30")
    await mentor.wait_for("Предложение отправлено")
    proposal = await mentee.wait_for("предлагает первую встречу")
    assert "07.10.2026 16:30" in proposal.text
    await mentee.press("🔁 Другое время")
    await mentee.wait_for("нужно другое время")
    await mentor.wait_for("просит другое время")
    # … so Thursday 15:00, accepted.
    await mentor.press("🗓 Предложить встречу")
    await mentor.wait_for("В какой день встретиться")
    await mentor.press("чт 08.10")
    await mentor.press("15:00")
    await mentor.press("15:00")
    await mentor.wait_for("Предложение отправлено")
    await mentee.wait_for("08.10.2026 15:00")
    await mentee.press("✅ Подходит")
    await mentee.wait_for("Отлично, встреча")
    await mentor.wait_for("Миша Иванов подтвердил встречу")

    # The plan, through the questionnaire engine; the mentee sees it.
    await mentor.press("📝 План работы")
    plan_answers = {
        "goals": "Подтянуть алгебру до четвёрки",
        "tasks": "Решать по пять задач в неделю",
        "format": "online",
        "frequency": "weekly",
        "until": None,
    }
    saved = await fill_form(mentor, "pair_plan", plan_answers)
    assert "План сохранён" in saved.text
    plan = await mentee.wait_for("План работы")
    assert "Подтянуть алгебру" in plan.text and "онлайн" in plan.text

    # Reminders: the day before and an hour before.
    test_clock.set(at(7, 16))
    await run_all_jobs(bot_app)
    assert "08.10.2026 15:00" in (await mentee.wait_for("Напоминаю о встрече")).text
    await mentor.wait_for("Напоминаю о встрече")
    test_clock.set(at(8, 14, 10))
    await run_all_jobs(bot_app)
    await mentee.wait_for("Через час")
    await mentor.wait_for("Через час")

    # After the meeting: the mentor marks it held, the mentee confirms with one tap.
    test_clock.set(at(8, 17))
    await mentor.send("/meetings")
    await mentor.wait_for("Встречи")
    await mentor.press("✍️ Встреча 08.10 состоялась")
    logged = await people.confirm_meeting(mentee, date(2026, 10, 8))
    assert "08.10.2026 15:00" in logged

    # A second meeting logged afterwards, with a topic typed in.
    test_clock.set(at(15, 18))
    await people.log_meeting(mentor, date(2026, 10, 15), "in_person", "Разбор контрольной <№2>")
    logged = await people.confirm_meeting(mentee, date(2026, 10, 15))
    assert "<№2>" in logged

    async def meetings_recorded() -> bool:
        async with db.read() as s:
            pair = await s.get(Pair, wp.pair.id)
            statuses = (
                await s.scalars(select(Meeting.status).where(Meeting.pair_id == wp.pair.id))
            ).all()
        assert pair is not None and pair.format == "online"
        return (
            sorted(statuses) == ["cancelled", "confirmed", "confirmed"]
            and pair.last_meeting_at is not None
            and pair.last_meeting_at.astimezone(IRKUTSK).day == 15
        )

    await eventually(meetings_recorded)

    # Two weeks after confirmation: the first feedback round.
    test_clock.set(at(19, 11))
    await run_all_jobs(bot_app)
    await mentor.wait_for("Пара минут о ваших встречах")
    # The other pair has not met at all: the curator hears of it at once.
    silent = await curator.wait_for("нет встреч 14 дней")
    assert "Олег Сергеевич — Катя" in silent.text and "05.10.2026" in silent.text
    await people.fill_feedback(mentee, _feedback((5, 5, 4), help_=False))
    # The mentor is silent for two days: one gentle reminder, only for the mentor.
    test_clock.set(at(21, 12))
    await run_all_jobs(bot_app)
    await run_all_jobs(bot_app)
    await people.fill_feedback(mentor, _feedback((2, 4, 3), help_=True), reminded=True)
    await mentee.expect_silence(0.5)
    # The call for help is a case told at once, with the words; the low score follows.
    help_signal = await curator.wait_for("просит помощи")
    assert "Анна Петровна Смирнова — Миша Иванов" in help_signal.text
    assert "Никак не совпадает расписание" in help_signal.text
    await run_all_jobs(bot_app)
    low = await curator.wait_for("низкая оценка")
    assert "полезность" in low.text and "Анна Петровна Смирнова — Миша Иванов" in low.text

    # The curator sees the schedule and the response rate and starts round 2 now.
    curator.mark_read()
    await curator.send("/feedback_round")
    screen = await curator.wait_for("Обратная связь")
    assert "Ответили: 2 из 4 (50%)" in screen.text  # round 1 of both pairs
    await curator.press("📨 Отправить анкеты всем сейчас")
    await curator.wait_for("прямо сейчас?")
    await curator.press("📨 Отправить")
    assert "Раунд 2 начат" in (await curator.wait_for("Раунд 2")).text
    await people.fill_feedback(mentee, _feedback((5, 4, 5), help_=False))

    async def three_answers() -> bool:
        async with db.read() as s:
            answers = (
                await s.scalars(
                    select(FeedbackAnswer)
                    .where(FeedbackAnswer.pair_id == wp.pair.id)
                    .order_by(FeedbackAnswer.id)
                )
            ).all()
        return [(a.round_number, a.usefulness, a.wants_help) for a in answers] == [
            (1, 5, False),
            (1, 2, True),
            (2, 5, False),
        ]

    await eventually(three_answers)

    # No meeting for 14 days: the curator is told, and deals with it in /alerts.
    test_clock.set(at(30, 12))
    await run_all_jobs(bot_app)
    quiet_pair = await curator.wait_for("нет встреч 14 дней")
    assert "Анна Петровна Смирнова — Миша Иванов" in quiet_pair.text
    curator.mark_read()
    await curator.send("/alerts")
    listing = await curator.wait_for("Сигналы")
    assert "нет встреч 14 дней" in listing.text

    async def open_alerts() -> int:
        async with db.read() as s:
            return len((await s.scalars(select(Alert).where(Alert.resolved_at.is_(None)))).all())

    assert await open_alerts() == 3  # two without meetings, a low score (help is a case)
    await curator.press("✔️ Разобрано: 1")

    async def one_resolved() -> bool:
        return await open_alerts() == 2

    await eventually(one_resolved)

    # Completion: survey, next cycle, the vote, thanks, programme finished.
    curator.mark_read()
    await curator.send("/finish")
    await curator.wait_for("Завершение программы")
    await curator.press("🎓 Начать завершение")
    await curator.wait_for("Разослать итоговую анкету")
    await curator.press("✅ Да, разослать")
    await curator.wait_for("Идёт завершение")
    await people.complete_programme(mentor, None, vote=lambda names: "Олег Сергеевич")
    survey = {
        "expectations": 9,
        "comfort": 10,
        "usefulness": 9,
        "goals_reached": 8,
        "most_valuable": "Поверил в себя",
        "improve": None,
    }
    done = await people.complete_programme(mentee, survey, wants_to_mentor=True)
    assert done is not None and "следующую программу лучше" in done.text

    curator.mark_read()
    await curator.send("/finish")
    status = await curator.wait_for("Идёт завершение")
    assert "Итоговая анкета: 1 из 4 (25%)" in status.text
    assert (
        "Олег Сергеевич — голосов: 1" in status.text
        and "Хотят стать наставниками: 1" in status.text
    )
    await curator.press("🏁 Завершить программу")
    await curator.wait_for("Отменить это нельзя")
    await curator.press("✅ Да, завершить")
    await curator.wait_for("завершена")
    await mentor.wait_for("Спасибо вам за время")
    await mentor2.wait_for("Спасибо вам за время")
    async with db.read() as s:
        programme = await s.get(Programme, wp.programme.id)
        mentee_row = await s.get(Participant, wp.mentee.id)
    assert programme is not None and programme.status == "finished"
    assert programme.finished_at == test_clock.now()
    assert mentee_row is not None and mentee_row.in_long_term_base


async def test_meeting_reminders_keep_quiet_hours_far_east(
    emulator: Any, bot_app: Any, test_clock: Any
) -> None:
    """Vladivostok (UTC+10): nothing at night; a reminder due at night comes at 09:00, and
    an 08:30 meeting gets no 07:30 message."""
    vl = ZoneInfo("Asia/Vladivostok")
    test_clock.set(at(6, 12, tz=vl))
    mentor = emulator.create_user("Анна", started=True)
    mentee = emulator.create_user("Миша", started=True)
    async with bot_app.db.session() as s:
        wp = await make_working_pair(
            s, timezone="Asia/Vladivostok", mentor_tg=mentor.id, mentee_tg=mentee.id
        )
        s.add(Meeting(pair_id=wp.pair.id, starts_at=at(8, 8, 30, tz=vl), status="scheduled"))
        s.add(Meeting(pair_id=wp.pair.id, starts_at=at(8, 18, 0, tz=vl), status="scheduled"))

    test_clock.set(at(7, 23, tz=vl))  # both meetings are within a day; it is night there
    await run_all_jobs(bot_app)
    await mentee.expect_silence(0.6)
    test_clock.set(at(8, 7, 35, tz=vl))  # an hour before the 08:30 meeting: still quiet
    await run_all_jobs(bot_app)
    await mentee.expect_silence(0.6)
    test_clock.set(at(8, 9, 0, tz=vl))  # quiet hours are over: the queued reminder goes
    await run_all_jobs(bot_app)
    remind = await mentee.wait_for("Напоминаю о встрече")
    assert "08.10.2026 18:00" in remind.text
    await mentor.wait_for("Напоминаю о встрече")
    await mentee.expect_silence(0.4)
    assert not any("08:30" in (m.text or "") for m in mentee.messages)
    test_clock.set(at(8, 17, 5, tz=vl))  # an hour before the evening meeting
    await run_all_jobs(bot_app)
    assert "18:00" in (await mentee.wait_for("Через час")).text


async def test_materials_alert_mode_and_forged_buttons(
    emulator: Any, bot_app: Any, test_clock: Any
) -> None:
    test_clock.set(at(5, 11))
    db = bot_app.db
    curator = emulator.create_user("Мария", started=True)
    mentor = emulator.create_user("Анна", started=True)
    mentee = emulator.create_user("Миша", started=True)
    async with db.session() as s:
        wp = await make_working_pair(
            s, mentor_tg=mentor.id, mentee_tg=mentee.id, curator_tg=curator.id
        )

    # The curator attaches a file and a link for mentors.
    await curator.send("/materials")
    await curator.wait_for("Материалы для наставников")
    await curator.send("где-то в интернете")
    await curator.wait_for("ссылку, которая начинается с https://")
    await curator.send("https://school.example/guide")
    await curator.wait_for("Сохранено")
    await curator.send("/materials")
    await curator.send_document(b"%PDF-1.4 guide", "guide.pdf")
    await curator.wait_for("Сохранено")

    async with db.session() as s:
        await on_pairs_confirmed(s, [wp.pair.id])
    intro = await mentor.wait_for("У вас появилась пара")
    assert "https://school.example/guide" in intro.text
    await mentor.press("📎 Материалы")
    await mentor.wait_for(predicate=lambda m: m.document is not None)
    assert mentor.documents[-1].document.content == b"%PDF-1.4 guide"

    # Forged and foreign buttons change nothing.
    await mentee.wait_for("У вас появился наставник")
    answer = await mentee.press_data(f"pw:prop:{wp.pair.id}:n")
    assert "устарела" in answer.text
    answer = await mentee.press_data("pw:mat:999:")
    assert "устарела" in answer.text
    answer = await mentee.press_data(f"pw:frgo:{wp.programme.id}:all")
    assert "устарела" in answer.text
    await mentee.send("/feedback_round")
    assert "не знаю такой команды" in (await mentee.wait_for("команды")).text
    async with db.read() as s:
        assert (await s.scalars(select(Meeting))).all() == []

    # Alerts as a daily digest instead of one by one.
    await curator.send("/alerts")
    await curator.wait_for("Открытых сигналов нет")
    await curator.press("🗞 Присылать сводкой раз в день")
    await curator.wait_for("сводкой раз в день")
    test_clock.set(at(20, 7))  # early morning: the pair has not met for two weeks
    await run_all_jobs(bot_app)
    await curator.expect_silence(0.6)
    test_clock.set(at(20, 9, 5))
    await run_all_jobs(bot_app)
    digest = await curator.wait_for("Сводка за день")
    assert "Анна Петровна Смирнова — Миша Иванов" in digest.text

    # A topic prompt left open for hours does not swallow a later message.
    test_clock.set(at(21, 12))
    await mentor.send("/meetings")
    await mentor.wait_for(predicate=has("✍️ Записать встречу"))
    await mentor.press("✍️ Записать встречу")
    await mentor.press("ср 21.10")
    await mentor.press("11:…")
    await mentor.press("11:30")
    await mentor.press("онлайн")
    await mentor.wait_for("тему встречи")
    test_clock.set(at(21, 15))
    await mentor.send("Спасибо за материалы!")
    await mentor.wait_for("не понял")
    async with db.read() as s:
        assert (await s.scalars(select(Meeting))).all() == []


async def test_curator_names_the_best_pair(emulator: Any, bot_app: Any, test_clock: Any) -> None:
    test_clock.set(at(5, 11))
    db = bot_app.db
    (curator, mentor, mentee, _, mentee2), wp, other = await two_pairs(emulator, db)
    stranger = emulator.create_user("Ирина", started=True)
    async with db.session() as s:
        await add_meetings(s, wp.pair, "confirmed", "confirmed", "held", "confirmed", "held")
        await add_feedback(s, wp.pair, wp.mentor, 1, (5, 4, 5))
        await add_feedback(s, wp.pair, wp.mentee, 1, (5, 5, 4))
        await add_meetings(s, other.pair, "held")
        # a curator of another school's programme
        await make_curator(s, await make_programme(s, name="Другая школа"), tg_id=stranger.id)
    pid, best, second = wp.programme.id, wp.pair.id, other.pair.id

    await curator.send("/finish")
    await curator.wait_for("Завершение программы")
    await curator.press("🎓 Начать завершение")
    await curator.press("✅ Да, разослать")
    await curator.wait_for("«Лучшая пара» пока не выбрана")
    await curator.press("🏆 «Лучшая пара»")
    screen = await curator.wait_for("Решение за вами")
    assert screen.text.index("Анна Петровна Смирнова → Миша Иванов") < screen.text.index(
        "Олег Сергеевич → Катя"
    )
    assert "5 встреч, средняя оценка 4,7 из 5" in screen.text
    assert "1 встреча, оценок пока нет" in screen.text
    await curator.press("1. Анна Петровна Смирнова — Миша Иванов")
    await curator.wait_for("Наградить «Лучшей парой»")
    await curator.press("⬅️ Назад")  # a second thought, then the same choice
    await curator.wait_for("Решение за вами")
    await curator.press("1. Анна Петровна Смирнова — Миша Иванов")
    await curator.wait_for("Наградить «Лучшей парой»")
    answer = await curator.press("✅ Да, наградить")
    assert "Поздравление отправлено" in answer.text
    await curator.wait_for("🏆 1. Анна Петровна Смирнова")
    for member in (mentor, mentee):
        congrats = await member.wait_for("стала «Лучшей парой»")
        assert "Анна Петровна Смирнова и Миша Иванов" in congrats.text

    # Forged buttons: another school's curator (on their own /finish screen) and a
    # participant change nothing.
    await stranger.send("/finish")
    await stranger.wait_for("Другая школа")
    for someone in (stranger, mentee2):
        answer = await someone.press_data(f"pw:bpy:{pid}:{second}")
        assert "устарела" in answer.text
    assert "устарела" in (await stranger.press_data(f"pw:bp:{pid}:")).text
    async with db.read() as s:
        named = (await s.scalars(select(Pair.id).where(Pair.best_pair_at.is_not(None)))).all()
        congratulated = {m.person_id for m in await outbox(s, "best-pair:")}
    assert named == [best]
    assert congratulated == {wp.mentor_person.id, wp.mentee_person.id}

    curator.mark_read()
    await curator.send("/finish")
    status = await curator.wait_for("Идёт завершение")
    assert "🏆 «Лучшая пара»: Анна Петровна Смирнова → Миша Иванов" in status.text
