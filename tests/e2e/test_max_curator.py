"""The curator's console in MAX: /feedback_round sends the forms through the outbox to a
pair in MAX, /report's chart and /export's workbook arrive as MAX files, /pairs lists
the pair — with no request refused by MAX's schema."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any

import openpyxl
import pytest

from bot.max.ids import user_to_core
from bot.playbook import curator as console
from bot.services.pair_events import on_pairs_confirmed
from tests.support.max import max_app, max_emulator, max_settings
from tests.support.pairwork import make_working_pair

__all__ = ["max_app", "max_emulator", "max_settings"]

ASK = "Пара минут о ваших встречах"  # the feedback form's invitation (pairs-feedback-ask)


@pytest.fixture
def clock_start() -> datetime:
    return datetime(2026, 10, 5, 4, 0, tzinfo=UTC)  # 12:00 in Irkutsk, outside quiet hours


@pytest.fixture
def max_emulator_options() -> dict[str, Any]:
    return {"rate_limits": False}


async def test_feedback_round_report_export_and_pairs_in_max(
    max_emulator: Any, max_app: Any
) -> None:
    curator = max_emulator.create_user("Мария", started=True)
    mentor = max_emulator.create_user("Анна", started=True)
    mentee = max_emulator.create_user("Миша", started=True)
    async with max_app.db.session() as s:
        wp = await make_working_pair(
            s,
            curator_tg=user_to_core(curator.id),
            mentor_tg=user_to_core(mentor.id),
            mentee_tg=user_to_core(mentee.id),
        )
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
