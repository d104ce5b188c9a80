"""/export workbook: sheets, columns, local dates, consent-only rows, progress."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from bot.infra.clock import TestClock
from bot.services.reporting.export import build_export, format_answer
from storage.db import Database
from tests.support.export_check import SHEETS, all_text, assert_matches_database, read_workbook
from tests.support.report_fixture import (
    NOW,
    ReportFixture,
    build_report_fixture,
    build_second_organisation,
)


@pytest.fixture
async def fixture(db: Database, test_clock: TestClock) -> ReportFixture:
    test_clock.set(NOW)
    async with db.session() as session:
        return await build_report_fixture(session, curator_tg_id=700_000_101)


async def test_workbook_matches_the_database(
    db: Database, fixture: ReportFixture, tmp_path: Path
) -> None:
    path = tmp_path / "out.xlsx"
    seen: list[int] = []

    async def progress(percent: int) -> None:
        seen.append(percent)

    async with db.read() as session:
        result = await build_export(
            session, [fixture.programme.id], path, now=NOW, progress=progress
        )
    assert result.rows["mentors"] == 4 and result.rows["mentees"] == 6
    assert result.rows["pairs"] == 4 and result.rows["meetings"] == 5
    assert result.rows["feedback"] == 6 and result.rows["final"] == 3
    assert result.rows["audit"] == 2
    assert seen[0] == 0 and seen == sorted(set(seen)) and max(seen) <= 99 and len(seen) >= 3

    sheets = read_workbook(path)
    async with db.read() as session:
        await assert_matches_database(session, sheets, fixture.programme.id, "Asia/Irkutsk")

    # nobody without consent, and not the one who withdrew it
    text = all_text(sheets)
    for name in ("Отозвавший", "Жуков", "Зайцева", "Ильин", "Лебедев"):
        assert name not in text

    anna = sheets["Реестр наставников"][0]
    assert anna["ФИО"] == "Иванова Анна Петровна"
    assert anna["Место работы и должность"] == "МБОУ «Лицей № 1», учитель информатики"
    assert anna["Предпочтительный возраст наставляемых"] == "14–17 лет"
    assert anna["Компетенции"] == "выбор профессии, цифровые навыки"
    assert anna["Интересы"] == "IT и программирование, робототехника"
    assert anna["Ресурс времени, ч/мес"] == 6
    assert anna["Контакты"] == "@anna_iv"
    assert anna["Статус в реестре"] == "в реестре"
    boris = sheets["База наставляемых"][0]
    assert boris["Запросы"] == "выбор профессии, олимпиады и конкурсы"
    assert boris["Наставник"] == "Иванова Анна"
    assert boris["Класс / группа"] == 9

    pairs = {row["Пара №"]: row for row in sheets["Пары и группы"]}
    group = pairs[fixture.pairs["P2"]]
    assert group["Пара / группа"] == "группа"
    assert group["Наставляемые"] == "Борисова Вера, Васильев Глеб"
    assert group["Внимание"] == "нет встреч 14 дней, оценка 2 и ниже, просят помощи куратора"
    first = pairs[fixture.pairs["P1"]]
    assert first["Встреч всего"] == 2
    # 3 days before 16.11.2026 10:00 UTC is 13.11 18:00 in Irkutsk (UTC+8)
    assert first["Последняя встреча"] == datetime(2026, 11, 13, 18, 0)

    final = sheets["Итоговые анкеты"]
    assert [r["Участник"] for r in final] == ["Алексеев Борис", "Иванова Анна", "Борисова Вера"]
    assert final[0]["Оправдались ожидания (1–10)"] == 9
    assert final[0]["Самое ценное"] == "Поддержка и советы"
    assert final[2]["Заполнена"] is None

    checklist = sheets["Чек-лист"]
    assert any(
        r["Пункт"] == "Нормативно-правовое оформление программы" and r["Выполнено"] == "да"
        for r in checklist
    )
    summary_text = all_text({"s": sheets["Сводка"]})
    assert "6 из 9, 67%" in summary_text
    assert "по времени Иркутска, UTC+8" in summary_text and "Asia/" not in summary_text


async def test_coordinator_workbook_has_every_organisation(
    db: Database, fixture: ReportFixture, tmp_path: Path
) -> None:
    async with db.session() as session:
        second = await build_second_organisation(session)
    path = tmp_path / "all.xlsx"
    async with db.read() as session:
        await build_export(
            session, [fixture.programme.id, second.id], path, now=NOW, all_organisations=True
        )
    sheets = read_workbook(path)
    assert list(sheets) == SHEETS
    orgs = [r["Организация"] for r in sheets["Реестр наставников"]]
    assert orgs == ["МБОУ «Лицей № 1»"] * 4 + ["ГБПОУ «Политехнический колледж»"]
    summary = [r["Программа"] for r in sheets["Сводка"]]
    # a table per organisation: its name, then its programmes
    assert summary[:2] == ["МБОУ «Лицей № 1»", "Наставничество 2026/27"]
    assert "ГБПОУ «Политехнический колледж»" in summary
    assert "Наставничество в колледже" in summary


def test_answers_are_shown_with_their_labels() -> None:
    assert format_answer(["career", "Своё"], "request", "ru") == "выбор профессии, Своё"
    assert format_answer({"codes": ["it"], "other": "шахматы"}, "interest", "ru") == (
        "IT и программирование; шахматы"
    )
    assert format_answer(5, None, "ru") == 5
    assert format_answer(None, "format", "ru") is None
