"""An update the bot cannot read (a "poison" update) stops nobody.

aiogram reads a getUpdates answer as a whole: one update it cannot parse failed the whole
batch, and asking again at the same offset failed forever, so nobody was answered. The
webhook answered 500 to it (and to any body that is not an update), which Telegram sends
again and again.
"""

from __future__ import annotations

import logging
from typing import Any

import aiohttp
import pytest

from emulator import Emulator

MARKER = "ядовитое-сообщение-Пети"


def _poison(user: Any) -> dict[str, Any]:
    """A message without its date and with a message_id that is not a number (Bot API:
    both are required integers)."""
    return {
        "message": {
            "message_id": "не число",
            "chat": {"id": user.id, "type": "private", "first_name": user.first_name},
            "from": {"id": user.id, "is_bot": False, "first_name": user.first_name},
            "text": MARKER,
        }
    }


async def test_an_unreadable_update_is_skipped_and_the_others_are_served(
    emulator: Emulator, bot_app: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    petya = emulator.create_user("Петя")
    anya = emulator.create_user("Аня")
    poison = emulator.emit_raw(_poison(petya), key=petya.id)
    await anya.start()
    assert "Здравствуйте" in (await anya.wait_for("Здравствуйте", timeout=5)).text

    # Poison last in a batch after a readable update: the offset still goes past it.
    boris, vera = emulator.create_user("Борис"), emulator.create_user("Вера")
    # Both queued before the bot's waiting getUpdates can return: one batch.
    emulator.user_message(boris.record, boris.chat, emulator.text_content("/start"))
    second = emulator.emit_raw(_poison(petya), key=petya.id)
    await boris.wait_for("Здравствуйте", timeout=5)
    await emulator.wait_idle(5)  # the unreadable one is confirmed too, not asked for again
    await vera.start()
    await vera.wait_for("Здравствуйте", timeout=5)
    await emulator.wait_idle(5)
    assert emulator.pending_update_count == 0
    assert len([m for m in boris.messages if "Здравствуйте" in str(m.text)]) == 1

    logged = [r.getMessage() for r in caplog.records if r.name == "bot.polling"]
    for update in (poison, second):
        assert any(str(update["update_id"]) in line for line in logged), logged
    assert MARKER not in caplog.text and "не число" not in caplog.text
    assert petya.messages == []


async def test_the_webhook_answers_400_to_a_body_that_is_not_an_update(
    emulator: Emulator, bot_app_webhook: Any
) -> None:
    settings = bot_app_webhook.settings
    url = f"http://127.0.0.1:{settings.webhook_port}{settings.webhook_path}"
    headers = {"X-Telegram-Bot-Api-Secret-Token": "emulator-secret"}
    bodies = [
        b"{not json",
        b"\xff\xfe",
        b"[1, 2]",
        b'"text"',
        b'{"hello": 1}',
        b'{"update_id": "7"}',
    ]
    async with aiohttp.ClientSession() as http:
        for body in bodies:
            async with http.post(url, data=body, headers=headers) as resp:
                # Telegram sends again what was answered 5xx: these would never get better.
                assert resp.status == 400, (body, resp.status)


async def test_the_webhook_confirms_an_unreadable_update_and_serves_the_others(
    emulator: Emulator, bot_app_webhook: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    petya, anya = emulator.create_user("Петя"), emulator.create_user("Аня")
    poison = emulator.emit_raw(_poison(petya), key=petya.id)
    await anya.start()
    await anya.wait_for("Здравствуйте", timeout=5)
    await emulator.wait_idle(5)
    assert emulator.stats.webhook_failures == 0  # answered 200 the first time
    assert any(
        str(poison["update_id"]) in r.getMessage()
        for r in caplog.records
        if r.name == "bot.app.webhook"
    )
    assert MARKER not in caplog.text
