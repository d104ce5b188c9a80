"""MAX's message ids survive a restart: a message sent before it can be edited by the
id the core was given for it (a call whose result it read), and the buttons of a
message still edit it in place (PUT /messages with its mid). A reply sent after the
commit, whose result nobody reads, gets its id when an update first names it."""

from __future__ import annotations

from typing import Any

import pytest

from bot.app.factory import build_app
from bot.max.ids import user_to_core
from emulator.testing import InProcessBot
from tests.support.journey import programme_with_invitations
from tests.support.max import max_emulator, max_settings

__all__ = ["max_emulator", "max_settings"]


@pytest.fixture
def max_emulator_options() -> dict[str, Any]:
    return {"rate_limits": False}


async def _running(settings: Any, emu: Any, clock: Any) -> InProcessBot:
    emu.clock = clock
    runner = InProcessBot(await build_app(settings, clock=clock), emu)  # type: ignore[arg-type]
    await runner.start()
    return runner


async def test_a_multiple_choice_sent_before_a_restart_is_edited_after_it(
    max_emulator: Any, max_settings: Any, test_clock: Any
) -> None:
    emu = max_emulator
    runner = await _running(max_settings, emu, test_clock)
    try:
        setup = await programme_with_invitations(runner.app.db, 700_001)
        user = emu.create_user("Вася")
        await user.start(setup.mentee_code)
        await user.next_message()
        await user.next_message()
        await user.send("Василий Петров")
        await user.next_message()
        await user.press("✅ Даю согласие, мне уже есть 18")
        await user.wait_for("Сколько вам полных лет")
        await user.send("24")
        await user.next_message()
        await user.press("молодой педагог")
        await user.next_message()
        await user.send("Математика")
        await user.next_message()
        await user.send("2")
        requests = await user.wait_for("С чем вам хотелось бы помощи")
        # A message whose id the core reads (sent outside an update's replies).
        sent = await runner.app.bot.send_message(user_to_core(user.id), "Вопрос 1")
        first_q = user.messages[-1]
        assert first_q.text == "Вопрос 1"
        old_id = sent.message_id
    finally:
        await runner.stop()

    # The same database, a new process: nothing of the old one in memory.
    runner = await _running(max_settings, emu, test_clock)
    try:
        # The id from before the restart still names that message, and no other.
        await runner.app.bot.edit_message_text(
            "Вопрос 1: ответ сохранён", chat_id=user_to_core(user.id), message_id=old_id
        )
        assert first_q.text == "Вопрос 1: ответ сохранён" and first_q.edits == 1
        before = len(user.messages)
        await user.press("выбор профессии", message=requests)
        await emu.wait_until(lambda: requests.edits >= 1)
        assert "выбор профессии" in " ".join(requests.button_texts)  # marked as chosen
        assert len(user.messages) == before  # edited in place, no new message
        await user.press("✅ Готово", message=requests)
        assert "интересны" in (await user.wait_for("интересны")).text
    finally:
        await runner.stop()
    assert emu.rejections == []
