"""/documents through the emulator: a curator picks documents from buttons and gets Word
files; one pair's programme goes to its mentor; the coordinator gets the municipal
report; nobody else gets anything."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import select

from bot.keyboards.curator import DocCb
from bot.texts import t
from storage.models import Pair, Person, StaffMember
from tests.support.documents_check import assert_no_tags, read_docx
from tests.support.factories import make_person
from tests.support.report_fixture import NOW, build_report_fixture, build_second_organisation
from tests.support.settle import read_settled

TIMEOUT = 30


@pytest.fixture
def clock_start() -> datetime:
    return NOW


def _has_document(message: Any) -> bool:
    return message.document is not None


async def test_a_curator_gets_documents_and_sends_a_pairs_programme_to_its_mentor(
    emulator: Any, bot_app: Any, test_clock: Any
) -> None:
    test_clock.set(NOW)
    curator = emulator.create_user("Мария", language_code="ru")
    async with bot_app.db.session() as session:
        fx = await build_report_fixture(session, curator_tg_id=curator.id)
        anna = await session.get(Person, fx.people["T1"].person_id)
        assert anna is not None
        anna_tg = anna.tg_id
    mentor = emulator.create_user("Анна", id=anna_tg, language_code="ru", started=True)

    await curator.command("documents")
    await curator.wait_for("Документы для школы", timeout=TIMEOUT)
    await curator.press(t("documents-btn-order", "ru"))
    message = await curator.wait_for(predicate=_has_document, timeout=TIMEOUT)
    assert message.document is not None
    assert message.document.filename == f"prikaz-pary-{fx.programme.id}-2026-11-16.docx"
    assert "Готово: Приказ об утверждении наставнических пар (групп)" in message.text
    order = read_docx(message.document.content)
    assert_no_tags(order)
    async with read_settled(bot_app) as session:
        mentors = (
            await session.scalars(
                select(Pair.mentor_id).where(
                    Pair.programme_id == fx.programme.id, Pair.status == "confirmed"
                )
            )
        ).all()
    assert len(order.table_with("Наставник")) == len(mentors) == 3

    await curator.press(t("documents-btn-pair", "ru"))
    await curator.wait_for("Чью программу подготовить", timeout=TIMEOUT)
    await curator.press(f"№{fx.pairs['P1']} Иванова Анна → Алексеев Борис")
    pair_file = await curator.wait_for(predicate=_has_document, timeout=TIMEOUT)
    assert pair_file.document is not None
    assert f"Пара № {fx.pairs['P1']}" in read_docx(pair_file.document.content).paragraphs
    await curator.press(t("documents-btn-send-mentor", "ru"), message=pair_file)
    await curator.wait_for("Программа поставлена в очередь", timeout=TIMEOUT)

    received = await mentor.wait_for(predicate=_has_document, timeout=TIMEOUT)
    assert received.document is not None
    assert "Персонализированная программа наставничества" in received.text
    text = read_docx(received.document.content).text
    assert "Иванова Анна" in text and "Алексеев Борис" in text

    # a forged button for a pair of another organisation: refused, no file
    async with bot_app.db.session() as session:
        other = await build_second_organisation(session)
        foreign = await session.scalar(select(Pair.id).where(Pair.programme_id == other.id))
    before = len(curator.documents)
    answer = await curator.press_data(DocCb(action="pair", id=foreign or 0).pack())
    assert answer.show_alert and answer.text == t("curator-denied", "ru")
    await curator.expect_silence(0.5)
    assert len(curator.documents) == before


async def test_the_coordinator_gets_the_municipal_report_and_an_outsider_nothing(
    emulator: Any, bot_app: Any, test_clock: Any
) -> None:
    test_clock.set(NOW)
    coordinator = emulator.create_user("Ольга")
    outsider = emulator.create_user("Пётр")
    async with bot_app.db.session() as session:
        await build_report_fixture(session, curator_tg_id=emulator.create_user("Мария").id)
        await build_second_organisation(session)
        person = await make_person(session, tg_id=coordinator.id, name="Ольга Координатор")
        session.add(StaffMember(person_id=person.id, role="coordinator"))

    await coordinator.command("documents")
    await coordinator.wait_for("Документы для школы", timeout=TIMEOUT)
    await coordinator.press(t("documents-btn-municipal", "ru"))
    message = await coordinator.wait_for(predicate=_has_document, timeout=TIMEOUT)
    assert message.document is not None
    read = read_docx(message.document.content)
    assert_no_tags(read)
    organisations = {row[1] for row in read.table_with("Организация")}
    assert organisations == {"МБОУ «Лицей № 1»", "ГБПОУ «Политехнический колледж»"}

    await outsider.command("documents")
    answer = await outsider.next_message(timeout=TIMEOUT)
    assert answer.text == t("unknown-command", "ru")
    assert outsider.documents == []


async def test_a_broken_school_template_is_named_to_the_curator_and_no_file_comes(
    emulator: Any, bot_app: Any, test_clock: Any, tmp_path: Any
) -> None:
    import zipfile

    from bot.services.reporting import docx_render

    test_clock.set(NOW)
    curator = emulator.create_user("Мария", language_code="ru")
    async with bot_app.db.session() as session:
        await build_report_fixture(session, curator_tg_id=curator.id)
    source = docx_render.SHIPPED_DIR / "order.docx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(tmp_path / "order.docx", "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(b"{{ row.mentees }}", b"{{ row.mentees_list }}")
            zout.writestr(item, data)
    docx_render.configure(tmp_path)
    try:
        await curator.command("documents")
        await curator.wait_for("Документы для школы", timeout=TIMEOUT)
        await curator.press(t("documents-btn-order", "ru"))
        message = await curator.wait_for("Документ не собран", timeout=TIMEOUT)
        assert "order.docx" in message.text and "{{ row.mentees_list }}" in message.text
        await curator.expect_silence(0.5)
        assert curator.documents == []
    finally:
        docx_render.configure(None)
