"""The curator's console in MAX: /feedback_round sends the forms through the outbox to a
pair in MAX, /report's chart and /export's workbook arrive as MAX files, /pairs lists
the pair; a file the curator sends (/materials) is downloadable and reaches a mentor —
with no request refused by MAX's schema."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any

import openpyxl
import pytest

from bot.max.files import MaxFile
from bot.max.ids import user_to_core
from bot.playbook import curator as console
from bot.services.pairwork.cycle import on_pairs_confirmed
from storage.models import Programme
from tests.support.max import max_app, max_emulator, max_settings
from tests.support.pairwork import make_working_pair
from tests.support.settle import read_settled

__all__ = ["max_app", "max_emulator", "max_settings"]

ASK = "Пара минут о ваших встречах"  # the feedback form's invitation (pairs-feedback-ask)
GUIDE = b"%PDF-1.4 guide for mentors"
PHOTO = b"\x89PNG\r\n\x1a\n a photo of the timetable"


@pytest.fixture
def clock_start() -> datetime:
    return datetime(2026, 10, 5, 4, 0, tzinfo=UTC)  # 12:00 in Irkutsk, outside quiet hours


@pytest.fixture
def max_emulator_options() -> dict[str, Any]:
    return {"rate_limits": False}


async def _pair_in_max(emu: Any, app: Any) -> tuple[Any, Any, Any, Any]:
    """A curator, a mentor and a mentee in MAX, the two a working pair."""
    curator = emu.create_user("Мария", started=True)
    mentor = emu.create_user("Анна", started=True)
    mentee = emu.create_user("Миша", started=True)
    async with app.db.session() as s:
        wp = await make_working_pair(
            s,
            curator_tg=user_to_core(curator.id),
            mentor_tg=user_to_core(mentor.id),
            mentee_tg=user_to_core(mentee.id),
        )
    return curator, mentor, mentee, wp


async def test_feedback_round_report_export_and_pairs_in_max(
    max_emulator: Any, max_app: Any
) -> None:
    curator, mentor, mentee, wp = await _pair_in_max(max_emulator, max_app)
    async with max_app.db.session() as s:
        await on_pairs_confirmed(s, [wp.pair.id])

    await curator.command("feedback_round")
    await curator.wait_for("Обратная связь")
    await curator.press("📨 Отправить анкеты всем сейчас")
    await curator.wait_for("прямо сейчас?")
    await curator.press("📨 Отправить")
    await curator.wait_for("начат")
    # Both members of the pair get the form in MAX, through the outbox.
    assert ASK in (await mentor.wait_for(ASK, timeout=15)).text
    assert ASK in (await mentee.wait_for(ASK, timeout=15)).text

    await curator.command("pairs")
    await curator.wait_for("Подтверждено: 1")
    await curator.press("🤝 Подтверждённые (1)")
    listing = await curator.wait_for("Анна Петровна Смирнова", timeout=10)
    assert "Миша Иванов" in listing.text

    blocks, chart = await console.report(curator)
    assert blocks and chart.photo is not None
    assert chart.photo.content[:8] == b"\x89PNG\r\n\x1a\n"
    workbook = await console.export(curator)
    assert workbook.document is not None
    assert (workbook.document.filename or "").endswith(".xlsx")
    book = openpyxl.load_workbook(io.BytesIO(workbook.document.content), read_only=True)
    assert len(book.sheetnames) > 1


async def test_materials_sent_in_max_reach_a_mentor_and_can_be_downloaded(
    max_emulator: Any, max_app: Any
) -> None:
    emu = max_emulator
    curator, mentor, mentee, wp = await _pair_in_max(emu, max_app)

    await curator.command("materials")
    await curator.wait_for("Материалы для наставников")
    await curator.send_document(GUIDE, "guide.pdf")
    await curator.wait_for("Сохранено")
    async with read_settled(max_app) as s:
        programme = await s.get(Programme, wp.programme.id)
    assert programme is not None and programme.materials_file_id

    # The core can download what the curator sent (MAX's attachment URL).
    found = await max_app.bot.get_file(programme.materials_file_id)
    assert (await max_app.bot.download(found)).read() == GUIDE

    # The mentor gets the very file, attached again by its token: nothing uploaded.
    async with max_app.db.session() as s:
        await on_pairs_confirmed(s, [wp.pair.id])
    await mentor.wait_for("У вас появилась пара", timeout=10)
    await mentor.press("📎 Материалы")
    await mentor.wait_for(predicate=lambda m: m.document is not None, timeout=10)
    assert mentor.documents[-1].document.content == GUIDE
    assert mentor.documents[-1].document.filename == "guide.pdf"
    assert emu.requests_of("/uploads") == 0

    # A photo a person sends is downloadable the same way.
    sent = await mentee.send_photo(PHOTO)
    payload = sent.attachments[0]["payload"]
    photo_id = MaxFile("image", payload["token"], payload["url"]).file_id
    found = await max_app.bot.get_file(photo_id)
    assert (await max_app.bot.download(found)).read() == PHOTO
