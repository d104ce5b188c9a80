"""Calls for help and concerns as cases, through the emulator: the person's words reach the
curator, the curator's answer reaches the person, the case stays in /alerts and /report
until it is closed, an open case is escalated on the test clock (curator, then
coordinator), no text says «нет сигналов» while one is open, and a concern holds the
pair's proactive messages until the curator decides."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.infra.scheduler import run_all_jobs
from bot.playbook import participant as people
from bot.playbook.hands import has
from bot.services.pairwork.cycle import on_pairs_confirmed
from storage.models import Case, OutboxMessage, Pair, Participant, StaffMember
from tests.support.factories import make_person
from tests.support.pairwork import WorkingPair, make_working_pair

IRKUTSK = ZoneInfo("Asia/Irkutsk")
# Expected texts are the curator's and the person's view of the shipped locale.
NO_SIGNALS = ("Тревожных сигналов нет", "Открытых сигналов нет")
WORDS = "Никак не получается встретиться <после уроков> & в выходные"


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment of October 2026 in Irkutsk, as UTC."""
    return datetime(2026, 10, day, hour, minute, tzinfo=IRKUTSK).astimezone(UTC)


@pytest.fixture
def clock_start() -> datetime:
    return at(5, 11)


@pytest.fixture
def emulator_options() -> dict[str, Any]:
    return {"rate_limits": False}


def _feedback(difficulty: str | None) -> dict[str, Any]:
    # The shipped feedback form: «Были ли трудности?» (text) comes before «Нужна ли помощь».
    return {
        "meeting_happened": "no",
        "usefulness": 3,
        "comfort": 3,
        "progress": 3,
        "difficulty": difficulty,
        "wants_help": "yes",
    }


async def _pair(emulator: Any, bot_app: Any, test_clock: Any) -> tuple[Any, Any, Any, WorkingPair]:
    """Мария (curator), Анна (mentor) → Миша (mentee); the pair confirmed on 5 October."""
    test_clock.set(at(5, 11))
    curator = emulator.create_user("Мария", started=True)
    mentor = emulator.create_user("Анна", started=True)
    mentee = emulator.create_user("Миша", started=True)
    async with bot_app.db.session() as s:
        wp = await make_working_pair(
            s, mentor_tg=mentor.id, mentee_tg=mentee.id, curator_tg=curator.id
        )
        await on_pairs_confirmed(s, [wp.pair.id])
    await mentee.wait_for("У вас появился наставник", timeout=10)
    return curator, mentor, mentee, wp


async def _ask_for_help(bot_app: Any, test_clock: Any, mentee: Any, difficulty: str | None) -> None:
    """Two weeks on, the feedback form comes; the mentee asks for the curator's help."""
    test_clock.set(at(19, 11))
    await run_all_jobs(bot_app)
    await people.fill_feedback(mentee, _feedback(difficulty))


async def _received(emulator: Any, user: Any, text: str) -> Any:
    """The bot's first message to `user` containing `text`, received already or within
    10 s. Not `wait_for`: the form's thanks and this message are sent side by side, and
    filling the form reads past whatever came before its thanks."""

    def found() -> Any:
        return next((m for m in user.messages if text in m.text), None)

    await emulator.wait_until(lambda: found() is not None, 10)
    return found()


async def _case_ids(bot_app: Any) -> list[int]:
    async with bot_app.db.read() as s:
        return list((await s.scalars(select(Case.id).order_by(Case.id))).all())


def _no_signals_claim(texts: list[str]) -> list[str]:
    return [text for text in texts if any(claim in text for claim in NO_SIGNALS)]


async def _report(curator: Any) -> str:
    curator.mark_read()
    await curator.send("/report")
    await curator.wait_for("Обращения к куратору", timeout=10)
    return "\n".join(m.text for m in curator.messages[-8:])


async def test_help_words_reach_the_curator_and_the_answer_reaches_the_person(
    emulator: Any, bot_app: Any, test_clock: Any
) -> None:
    curator, mentor, mentee, _wp = await _pair(emulator, bot_app, test_clock)
    await _ask_for_help(bot_app, test_clock, mentee, WORDS)

    # The person is told at once who will contact them and when.
    told = await _received(emulator, mentee, "в течение двух рабочих дней")
    assert "Куратор Мария Ивановна" in told.text
    # The curator gets the words, escaped, with «Ответить» and «Закрыть».
    alert = await curator.wait_for("просит помощи куратора", timeout=10)
    assert WORDS in alert.text and "Анна Петровна Смирнова — Миша Иванов" in alert.text
    assert alert.find_button("✉️ Ответить") and alert.find_button("✅ Закрыть")
    (case_id,) = await _case_ids(bot_app)

    # Buttons are checked against the presser: the mentor and the mentee cannot act.
    for stranger in (mentor, mentee):
        for action in ("cans", "ccl", "cclx"):
            answer = await stranger.press_data(f"pw:{action}:{case_id}:")
            assert "устарела" in answer.text

    # The curator answers through the bot; only the mentee gets it, with the name.
    await curator.press("✉️ Ответить", message=alert)
    await curator.wait_for("Напишите ответ для Миши Иванова")
    await curator.send("Миша, давай созвонимся завтра в 15:00 <обсудим>")
    await curator.wait_for("Ответ отправлен")
    answer = await mentee.wait_for("Ответ куратора", timeout=10)
    assert "Куратор Мария Ивановна" in answer.text
    assert "Миша, давай созвонимся завтра в 15:00 <обсудим>" in answer.text
    assert not any("давай созвонимся" in m.text for m in mentor.messages)
    # The person can answer back; the words join the case and reach the curator.
    await mentee.press("✉️ Ответить куратору", message=answer)
    await mentee.wait_for("Напишите, что ответить куратору")
    await mentee.send("Хорошо, завтра в 15:00 смогу")
    await mentee.wait_for("Куратор получит ваш ответ")
    back = await curator.wait_for("Хорошо, завтра в 15:00 смогу", timeout=10)
    assert back.find_button("✉️ Ответить")

    # The case is in /alerts and in /report while it is open …
    curator.mark_read()
    await curator.send("/alerts")
    listing = await curator.wait_for("Обращения")
    assert "просит помощи куратора" in listing.text and WORDS in listing.text
    assert not _no_signals_claim([listing.text])
    report = await _report(curator)
    assert "Открыто: 1, закрыто: 0" in report and "просит помощи куратора" in report
    assert not _no_signals_claim([report])

    # … and after the programme is finished (the final report): still no «нет сигналов».
    await curator.send("/finish")
    await curator.wait_for("Завершение программы")
    await curator.press("🎓 Начать завершение")
    await curator.wait_for("Разослать итоговую анкету")
    await curator.press("✅ Да, разослать")
    await curator.wait_for("Идёт завершение")
    curator.mark_read()
    await curator.send("/finish")
    status = await curator.wait_for("Идёт завершение")
    assert "Открытых обращений: 1" in status.text
    await curator.press("🏁 Завершить программу")
    await curator.wait_for("Отменить это нельзя")
    await curator.press("✅ Да, завершить")
    await curator.wait_for("завершена")
    final = await _report(curator)
    assert "Открыто: 1, закрыто: 0" in final
    assert not _no_signals_claim([final])

    # Closed with a note: out of the open list, counted as closed.
    curator.mark_read()
    await curator.send("/alerts")
    await curator.wait_for("Обращения")
    await curator.press("✅ Закрыть: 1")
    await curator.wait_for("чем закончилось")
    await curator.send("Созвонились, договорились о встречах по вторникам")
    await curator.wait_for("Обращение закрыто")
    await mentee.wait_for("Куратор закрыл ваше обращение", timeout=10)
    curator.mark_read()
    await curator.send("/alerts")
    listing = await curator.wait_for("Обращения — открыто: 0, закрыто: 1")
    assert "договорились о встречах по вторникам" in listing.text
    assert listing.find_button("✉️ Ответить: 1") is None
    report = await _report(curator)
    assert "Открыто: 0, закрыто: 1" in report


async def test_help_without_words_asks_what_happened(
    emulator: Any, bot_app: Any, test_clock: Any
) -> None:
    curator, _mentor, mentee, _wp = await _pair(emulator, bot_app, test_clock)
    await _ask_for_help(bot_app, test_clock, mentee, None)
    asked = await _received(emulator, mentee, "Опишите коротко, что случилось")
    assert "Куратор Мария Ивановна" in asked.text
    await curator.wait_for("Своих слов к сигналу пока нет", timeout=10)
    await mentee.send("Наставник не отвечает на сообщения")
    await mentee.wait_for("куратор получит ваши слова")
    update = await curator.wait_for("Наставник не отвечает на сообщения", timeout=10)
    assert update.find_button("✉️ Ответить")


async def test_an_open_case_is_escalated_to_the_curator_then_the_coordinator(
    emulator: Any, bot_app: Any, test_clock: Any
) -> None:
    curator, _mentor, mentee, _wp = await _pair(emulator, bot_app, test_clock)
    coordinator = emulator.create_user("Ирина", started=True)
    async with bot_app.db.session() as s:
        person = await make_person(s, tg_id=coordinator.id, name="Ирина Павловна")
        s.add(StaffMember(person_id=person.id, role="coordinator", organisation_id=None))
    await _ask_for_help(bot_app, test_clock, mentee, WORDS)
    await curator.wait_for("просит помощи куратора", timeout=10)

    again = "Открыто больше 48 часов"
    test_clock.set(at(21, 10))  # 47 hours: not yet
    await run_all_jobs(bot_app)
    await curator.expect_silence(0.5)
    test_clock.set(at(21, 11, 30))  # past 48 hours: the curator again, once
    await run_all_jobs(bot_app)
    reminder = await curator.wait_for(again, timeout=10)
    assert WORDS in reminder.text
    await run_all_jobs(bot_app)
    await curator.expect_silence(0.5)
    await coordinator.expect_silence(0.1)

    test_clock.set(at(22, 11))  # 23.5 hours after the reminder: not yet
    await run_all_jobs(bot_app)
    await coordinator.expect_silence(0.5)
    test_clock.set(at(22, 12))  # a day after the reminder: the coordinator, once
    await run_all_jobs(bot_app)
    told = await coordinator.wait_for("ждёт ответа больше трёх суток", timeout=10)
    assert "Куратор Мария Ивановна" in told.text and "Наставничество 2026/27" in told.text
    await run_all_jobs(bot_app)
    await coordinator.expect_silence(0.5)
    assert sum(again in m.text for m in curator.messages) == 1
    assert sum("трёх суток" in m.text for m in coordinator.messages) == 1
    # The coordinator's /report names the programme with the open case.
    await coordinator.send("/report")
    overview = await coordinator.wait_for("Открытые обращения к кураторам: 1", timeout=10)
    assert "Наставничество 2026/27: 1" in overview.text


async def test_a_minors_concern_holds_the_pair_until_the_curator_decides(
    emulator: Any, bot_app: Any, test_clock: Any
) -> None:
    curator, mentor, mentee, wp = await _pair(emulator, bot_app, test_clock)
    async with bot_app.db.session() as s:
        row = await s.get(Participant, wp.mentee.id)
        assert row is not None
        row.is_minor = True
    # An adult's older case, to see the minor's listed first.
    from bot.services.pairwork.cases import open_case

    async with bot_app.db.session() as s:
        await open_case(
            s,
            programme_id=wp.programme.id,
            participant_id=wp.mentor.id,
            kind="help",
            pair_id=wp.pair.id,
            words="Нужен совет по плану",
        )
    await curator.wait_for("Нужен совет по плану", timeout=10)

    # «Мне некомфортно» is in /profile too; nobody can report for someone else.
    await mentee.send("/profile")
    await mentee.wait_for(predicate=has("😟 Мне некомфортно"))
    forged = await mentor.press_data(f"pw:cw:{wp.mentee.id}:")
    assert "устарела" in forged.text
    forged = await curator.press_data(f"pw:cwn:{wp.mentee.id}:")
    assert "устарела" in forged.text

    # 23:00 in Irkutsk, inside quiet hours: the curator still hears of it at once.
    test_clock.set(at(12, 23))
    await mentee.send("/help")
    menu = await mentee.wait_for(predicate=has("😟 Мне некомфортно"))
    await mentee.press("😟 Мне некомфортно", message=menu)
    await mentee.wait_for("расскажите куратору")
    await mentee.send("Наставник пишет мне ночью <и просит фото>")
    told = await mentee.wait_for("Это увидит только куратор")
    assert "Куратор Мария Ивановна" in told.text
    alert = await curator.wait_for("Мне некомфортно", timeout=10)
    assert alert.text.startswith("🆘") and "🔴" in alert.text
    assert "Наставник пишет мне ночью <и просит фото>" in alert.text
    assert "остановлены" in alert.text
    assert not any("ночью" in m.text for m in mentor.messages)

    # The minor's case is on top of /alerts.
    curator.mark_read()
    await curator.send("/alerts")
    listing = await curator.wait_for("Обращения — открыто: 2")
    assert listing.text.index("🔴") < listing.text.index("Нужен совет по плану")
    assert "1) 🔴" in listing.text

    # The feedback round is due: nothing goes to this pair while the concern is open.
    mentee.mark_read()
    mentor.mark_read()
    test_clock.set(at(19, 11))
    await run_all_jobs(bot_app)
    await run_all_jobs(bot_app)
    await mentee.expect_silence(0.6)
    async with bot_app.db.read() as s:
        keys = (
            await s.scalars(
                select(OutboxMessage.idempotency_key).where(
                    OutboxMessage.idempotency_key.like(f"feedback:{wp.pair.id}:%")
                )
            )
        ).all()
    assert keys == []
    assert not any("Пара минут о ваших встречах" in m.text for m in mentor.messages[-3:])

    # The curator resumes the pair; the next round reaches both again.
    await curator.press("▶️ Возобновить пару и закрыть", message=alert)
    await curator.press("Закрыть без заметки")
    await curator.wait_for("Обращение закрыто")
    curator.mark_read()
    await curator.send("/feedback_round")
    await curator.wait_for("Обратная связь")
    await curator.press("📨 Отправить анкеты всем сейчас")
    await curator.wait_for("прямо сейчас?")
    await curator.press("📨 Отправить")
    await curator.wait_for("начат")
    await mentee.wait_for("Пара минут о ваших встречах", timeout=10)
    await mentor.wait_for("Пара минут о ваших встречах", timeout=10)


async def test_the_curator_ends_a_pair_after_a_concern(
    emulator: Any, bot_app: Any, test_clock: Any
) -> None:
    curator, mentor, mentee, wp = await _pair(emulator, bot_app, test_clock)
    async with bot_app.db.session() as s:
        row = await s.get(Participant, wp.mentee.id)
        assert row is not None
        row.is_minor = False
    test_clock.set(at(7, 12))
    await mentor.send("/help")
    menu = await mentor.wait_for(predicate=has("😟 Мне некомфортно"))
    await mentor.press("😟 Мне некомфортно", message=menu)
    prompt = await mentor.wait_for("расскажите куратору")
    await mentor.press("Отправить без подробностей", message=prompt)
    await mentor.wait_for("Это увидит только куратор")
    alert = await curator.wait_for("Мне некомфортно", timeout=10)
    assert "🔴" not in alert.text and "Своих слов к сигналу пока нет" in alert.text
    (case_id,) = await _case_ids(bot_app)
    forged = await mentee.press_data(f"pw:cendy:{case_id}:")
    assert "устарела" in forged.text

    await curator.press("⛔ Завершить пару", message=alert)
    confirm = await curator.wait_for("Завершить пару Анна Петровна Смирнова — Миша Иванов?")
    await curator.press("⛔ Да, завершить пару", message=confirm)
    await curator.wait_for("Пара завершена, обращение закрыто")
    async with bot_app.db.read() as s:
        pair = await s.get(Pair, wp.pair.id)
        case = await s.get(Case, case_id)
    assert pair is not None and pair.status == "ended"
    assert case is not None and case.status == "closed" and case.closing_note == "пара завершена"
