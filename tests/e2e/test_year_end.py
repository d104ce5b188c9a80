"""The end of the year through the emulator, on the test clock: a programme goes through
/finish; the final report and the workbook still count the cycle's pairs, meetings and
feedback, analyse the final survey and name «Наставник года»; stage 7 of the checklist is
✅ once the final report is produced."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.playbook import participant as people
from storage.models import FeedbackRequest
from tests.support.export_check import read_workbook
from tests.support.pairwork import add_feedback, add_meetings, make_working_pair

IRKUTSK = ZoneInfo("Asia/Irkutsk")
START = datetime(2026, 10, 5, 11, 0, tzinfo=IRKUTSK).astimezone(UTC)


@pytest.fixture
def clock_start() -> datetime:
    return START


@pytest.fixture
def emulator_options() -> dict[str, Any]:
    return {"rate_limits": False}


def _survey(expectations: int, valuable: str, improve: str | None) -> dict[str, Any]:
    return {
        "expectations": expectations,
        "comfort": 10,
        "usefulness": 9,
        "goals_reached": 8,
        "most_valuable": valuable,
        "improve": improve,
    }


def _has_document(message: Any) -> bool:
    return message.document is not None


async def test_a_finished_programme_reports_its_whole_cycle(
    emulator: Any, bot_app: Any, test_clock: Any
) -> None:
    test_clock.set(START)
    db = bot_app.db
    names = ("Мария", "Анна", "Миша", "Олег", "Катя")
    curator, mentor, mentee, mentor2, mentee2 = (
        emulator.create_user(name, started=True) for name in names
    )
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
        # The cycle by hand: three meetings held, three feedback answers.
        await add_meetings(s, wp.pair, "held", "confirmed")
        await add_meetings(s, other.pair, "held")
        await add_feedback(s, wp.pair, wp.mentee, 1, (5, 4, 5))
        await add_feedback(s, wp.pair, wp.mentor, 1, (4, 4, 4))
        await add_feedback(s, other.pair, other.mentee, 1, (3, 3, 3))
        for request in (await s.scalars(select(FeedbackRequest))).all():
            request.answered_at = START

    # Completion: the final survey, Анна votes for Олег, the mentees answer.
    await curator.send("/finish")
    await curator.wait_for("Завершение программы")
    await curator.press("🎓 Начать завершение")
    await curator.wait_for("Разослать итоговую анкету")
    await curator.press("✅ Да, разослать")
    await curator.wait_for("Идёт завершение")
    await people.complete_programme(
        mentor,
        _survey(10, "Видеть, как растёт наставляемый", None),
        vote=lambda _: "Олег Сергеевич",
    )
    await people.complete_programme(mentor2, _survey(8, "Новые идеи для уроков", "Больше встреч"))
    # Next year's base: Анна will mentor again.
    ask = next(m for m in mentor.messages if "Будете ли вы наставником" in (m.text or ""))
    await mentor.press("Да", message=ask)
    await mentor.wait_for("Вы в базе наставников на следующий год")
    await people.complete_programme(
        mentee, _survey(9, "Поверил в себя", "Чаще встречаться"), wants_to_mentor=True
    )
    await people.complete_programme(
        mentee2, _survey(6, "Помощь с выбором профессии", None), wants_to_mentor=False
    )

    test_clock.set(START + timedelta(days=1))
    curator.mark_read()
    await curator.send("/finish")
    await curator.wait_for("Идёт завершение")
    await curator.press("🏁 Завершить программу")
    await curator.wait_for("Отменить это нельзя")
    await curator.press("✅ Да, завершить")
    await curator.wait_for("завершена")
    congrats = await mentor2.wait_for("«Наставником года»")
    assert "Спасибо" in congrats.text

    # The closing event happened outside the bot: the curator ticks it.
    curator.mark_read()
    await curator.send("/checklist")
    await curator.wait_for("Чек-лист программы")
    await curator.press("7")
    await curator.wait_for("Этап 7")
    await curator.press("☑️ Отметить: Итоговое мероприятие")
    stage = await curator.wait_for("Итоговое мероприятие")
    assert "✅ Наставники поощрены" in stage.text  # the finish thanked them
    curator.mark_read()
    await curator.send("/checklist")
    before = await curator.wait_for("Чек-лист программы")
    assert "✅ 7. Завершение наставничества" not in before.text  # no final report yet

    curator.mark_read()
    await curator.send("/report")
    await curator.wait_for("Отчёт по программе")
    await curator.wait_for(predicate=lambda m: m.photo is not None or "/export" in m.text)
    text = "\n".join(m.text for m in curator.messages if m.text)
    assert "Работали до конца программы пар и групп: 2 (пар — 2, групп — 0)" in text
    assert "Работают: 0" not in text
    assert "Наставляемые в паре или группе: 2 из 2, 100%" in text
    assert "Встречи за всю программу" in text
    assert "Всего встреч: 3, в среднем 1,5 на пару." in text
    assert "Ответили на анкеты: 3 из 3, 100%" in text
    # The final survey: expectations of mentees (9 + 6) / 2 and of mentors (10 + 8) / 2.
    assert "Наставляемые (2): Оправдались ожидания (1–10) — 7,5 из 10" in text
    assert "Наставники (2): Оправдались ожидания (1–10) — 9,0 из 10" in text
    assert "«Поверил в себя»" in text and "«Чаще встречаться»" in text
    assert "«Наставник года»: Олег Сергеевич" in text
    assert "Наставники, готовые продолжить в следующем году: 1 из 2, 50%" in text

    curator.mark_read()
    await curator.send("/checklist")
    after = await curator.wait_for("Чек-лист программы")
    assert "✅ 7. Завершение наставничества" in after.text

    curator.mark_read()
    await curator.send("/export")
    message = await curator.wait_for(predicate=_has_document, timeout=30)
    assert message.document is not None
    sheets = read_workbook(message.document.content)
    summary = {row["Показатель"]: row["Значение"] for row in sheets["Сводка"]}
    assert summary["Работающие пары и группы"] == 2
    assert summary["Встреч за всю программу"] == 3
    assert summary["Отклик на анкеты обратной связи"] == "3 из 3, 100%"
    assert summary["«Наставник года»"] == "Олег Сергеевич"
    pairs = sheets["Пары и группы"]
    assert [(r["Статус"], r["Встреч всего"]) for r in pairs] == [("завершена", 2), ("завершена", 1)]
    assert len(sheets["Обратная связь"]) == 3
    final = sheets["Итоговые анкеты"]
    assert {r["Самое ценное"] for r in final} >= {"Поверил в себя", "Новые идеи для уроков"}
    checklist = {r["Пункт"]: r["Выполнено"] for r in sheets["Чек-лист"]}
    assert checklist["Результаты мониторинга подведены"] == "да"


async def test_the_coordinator_enters_the_numbers_and_sees_the_indicators(
    emulator: Any, bot_app: Any, test_clock: Any
) -> None:
    from storage.models import StaffMember
    from tests.support.factories import make_person
    from tests.support.report_fixture import NOW, build_report_fixture, build_second_organisation

    test_clock.set(NOW)
    coordinator = emulator.create_user("Ольга", started=True)
    curator = emulator.create_user("Мария", started=True)
    async with bot_app.db.session() as s:
        await build_report_fixture(s, curator_tg_id=curator.id)
        college = await build_second_organisation(s)
        person = await make_person(s, tg_id=coordinator.id, name="Координатор")
        s.add(StaffMember(person_id=person.id, role="coordinator"))

    await coordinator.command("report")
    overview = await coordinator.wait_for("Сводка по всем организациям")
    text = "\n".join(m.text for m in coordinator.messages if m.text)
    assert "Итого по муниципалитету" in text
    assert "Согл." not in text and "БезП." not in text
    # the college: one student (Фролова, 17) in its programme, its number not entered yet
    assert "обучающиеся 10–19 лет вовлечены в наставничество: в программах 1" in text
    del overview
    # the chart of the three indicators per organisation against their targets
    chart = await coordinator.wait_for("пунктир — цель")
    assert chart.photo is not None and chart.photo.content[:8] == b"\x89PNG\r\n\x1a\n"

    await coordinator.press("✏️ Численность: ГБПОУ «Политехнический колледж»")
    await coordinator.wait_for("Напишите два числа")
    await coordinator.send("десять")
    await coordinator.wait_for("Не получилось прочитать")
    await coordinator.send("10 -")
    await coordinator.wait_for("Сохранено")
    coordinator.mark_read()
    await coordinator.command("report")
    await coordinator.wait_for("Итого по муниципалитету")
    text = "\n".join(m.text for m in coordinator.messages[-3:] if m.text)
    assert "обучающиеся 10–19 лет вовлечены в наставничество: 1 из 10, 10%, цель — 70%" in text

    await coordinator.press("📌 Зафиксировать итоги года для всех")
    assert "для программ: 2" in (await coordinator.wait_for("зафиксированы")).text
    # the numbers change after the freeze: the overview keeps the frozen indicators
    await coordinator.press("✏️ Численность: ГБПОУ «Политехнический колледж»")
    await coordinator.wait_for("Напишите два числа")
    await coordinator.send("20 -")
    await coordinator.wait_for("Сохранено")
    coordinator.mark_read()
    await coordinator.command("report")
    await coordinator.wait_for("Итого по муниципалитету")
    text = "\n".join(m.text for m in coordinator.messages[-4:] if m.text)
    assert "обучающиеся 10–19 лет вовлечены в наставничество: 1 из 10, 10%, цель — 70%" in text
    assert "Итоги года зафиксированы 16.11.2026" in text
    # a curator cannot enter another organisation's numbers: the button is refused
    await curator.command("report")
    await curator.wait_for("Отчёт по программе")
    answer = await curator.press_data(f"cy:totals:{college.organisation_id}")
    assert "нет прав куратора" in answer.text
    async with bot_app.db.read() as s:
        from storage.models import Organisation

        organisation = await s.get(Organisation, college.organisation_id)
    assert organisation is not None and organisation.students_total == 20
