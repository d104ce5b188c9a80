"""An update the bot cannot read (a "poison" update) stops nobody.

aiogram reads a getUpdates answer as a whole: one update it cannot parse failed the whole
batch, and asking again at the same offset failed forever, so nobody was answered.
"""

from __future__ import annotations

import logging
from typing import Any

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
