"""/report and /export through the emulator: a curator, a coordinator and an outsider."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

import pytest
from PIL import Image

from bot.infra.charts import PNG_SIGNATURE
from storage.models import StaffMember
from tests.support.export_check import SHEETS, assert_matches_database, read_workbook
from tests.support.factories import make_person
from tests.support.report_fixture import NOW, build_report_fixture, build_second_organisation
from tests.support.settle import read_settled

TIMEOUT = 30


@pytest.fixture
def clock_start() -> datetime:
    # The fixture's figures are computed for NOW: the bot runs on that clock from the start.
    return NOW


def _has_document(message: Any) -> bool:
    return message.document is not None


def _has_photo(message: Any) -> bool:
    return message.photo is not None


async def test_curator_gets_the_report_and_the_workbook(
    emulator: Any, bot_app: Any, test_clock: Any
) -> None:
    test_clock.set(NOW)
    curator = emulator.create_user("Мария", language_code="ru")
    async with bot_app.db.session() as session:
        fx = await build_report_fixture(session, curator_tg_id=curator.id)

    await curator.command("report")
    first = await curator.wait_for("Отчёт по программе", timeout=TIMEOUT)
    assert "Наставничество 2026/27" in first.text
    await curator.wait_for(predicate=_has_photo, timeout=TIMEOUT)
    text = "\n".join(m.text for m in curator.messages)
    assert "наставляемые — 6 из 9, 67%" in text
    assert "Ответили на анкеты: 6 из 12, 50%" in text
    assert "Петров Пётр → Борисова Вера, Васильев Глеб" in text
    assert "Отозвавший" not in text
    assert all(len(m.text) <= 4096 for m in curator.messages)
    photo = curator.photos[-1].photo
    assert photo is not None and photo.content.startswith(PNG_SIGNATURE)
    with Image.open(io.BytesIO(photo.content)) as image:
        assert image.size[0] >= 800

    await curator.command("export")
    message = await curator.wait_for(predicate=_has_document, timeout=TIMEOUT)
    assert message.document is not None
    assert message.document.filename == f"nastavnik-{fx.programme.id}-2026-11-16.xlsx"
    assert "Готово" in message.text
    progress = [m for m in curator.messages if m.text.startswith("Готовлю выгрузку")]
    assert len(progress) == 1
    assert progress[0].text == "Готовлю выгрузку… 100%"
    assert progress[0].edit_count >= 1  # it moved while the file was being built

    sheets = read_workbook(message.document.content)
    async with read_settled(bot_app) as session:
        await assert_matches_database(session, sheets, fx.programme.id, "Asia/Irkutsk")


async def test_coordinator_sees_every_organisation_and_others_see_nothing(
    emulator: Any, bot_app: Any, test_clock: Any
) -> None:
    test_clock.set(NOW)
    coordinator = emulator.create_user("Ольга")
    outsider = emulator.create_user("Пётр")
    curator = emulator.create_user("Мария")
    async with bot_app.db.session() as session:
        await build_report_fixture(session, curator_tg_id=curator.id)
        await build_second_organisation(session)
        person = await make_person(session, tg_id=coordinator.id, name="Координатор")
        session.add(StaffMember(person_id=person.id, role="coordinator"))

    await coordinator.command("report")
    overview = await coordinator.wait_for("Сводка по всем организациям", timeout=TIMEOUT)
    assert "МБОУ «Лицей № 1»" in overview.text
    assert "ГБПОУ «Политехнический колледж»" in overview.text
    assert overview.text.count("<pre>") == 0  # the formatting is applied, not shown

    await coordinator.command("export")
    message = await coordinator.wait_for(predicate=_has_document, timeout=TIMEOUT)
    assert message.document is not None
    sheets = read_workbook(message.document.content)
    assert list(sheets) == SHEETS
    organisations = {row["Организация"] for row in sheets["Реестр наставников"]}
    assert organisations == {"МБОУ «Лицей № 1»", "ГБПОУ «Политехнический колледж»"}

    for command in ("report", "export"):
        await outsider.command(command)
        answer = await outsider.next_message(timeout=TIMEOUT)
        assert answer.text == "Я не знаю такой команды. Список команд — в /help."
    assert outsider.documents == []
