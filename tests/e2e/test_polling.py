"""Long polling keeps each batch until it is processed (bot.polling).

A process that dies while an update is in hand has already asked Telegram for the next
batch, which confirms the update: without `received_updates` it would be lost.
"""

from __future__ import annotations

from typing import Any

from aiogram.types import Update
from sqlalchemy import func, select

from bot.polling import store_batch
from emulator.testing import InProcessBot
from storage.models import FailedUpdate, ProcessedUpdate, ReceivedUpdate
from tests.support.journey import programme_with_invitations, start_update


async def _count(db: Any, model: Any) -> int:
    async with db.read() as s:
        return int(await s.scalar(select(func.count()).select_from(model)) or 0)


async def test_an_update_taken_before_a_crash_is_handled_at_the_next_start(
    emulator: Any, bot_settings: Any, test_clock: Any
) -> None:
    from bot.app.factory import build_app

    app = await build_app(bot_settings, clock=test_clock)
    await app.start()  # migrates
    setup = await programme_with_invitations(app.db, 700_011)
    user = emulator.create_user("Лена", started=True)  # its /start reached Telegram
    # What a killed process leaves: the update stored, confirmed to Telegram, not processed.
    await store_batch(
        app.db, [Update.model_validate(start_update(990_001, user, f"/start {setup.mentee_code}"))]
    )
    await app.stop()

    app = await build_app(bot_settings, clock=test_clock)
    runner = InProcessBot(app, emulator)
    await runner.start()
    try:
        assert "Добро пожаловать" in (await user.wait_for("Добро пожаловать", timeout=10)).text
        await user.wait_for("Как вас зовут", timeout=10)
        await user.send("Лена")  # an ordinary update afterwards: handled, its row gone too
        await user.wait_for("Согласие на обработку", timeout=10)
        await emulator.wait_idle(10)
        async with app.db.read() as s:
            assert await s.get(ProcessedUpdate, 990_001) is not None
        for _ in range(50):  # the last commit lands just after the reply
            if await _count(app.db, ReceivedUpdate) == 0:
                break
            await _pause()
        assert await _count(app.db, ReceivedUpdate) == 0  # nothing personal stays behind
    finally:
        await runner.stop()


async def test_a_failed_update_is_not_kept_for_the_next_start(
    emulator: Any, bot_app: Any, monkeypatch: Any
) -> None:
    from bot.handlers import common

    async def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(common, "staff_roles", broken)
    user = emulator.create_user("Гоша")
    await user.command("help")
    await user.wait_for("что-то пошло не так", timeout=10)
    await emulator.wait_idle(10)
    assert await _count(bot_app.db, FailedUpdate) == 1
    for _ in range(50):
        if await _count(bot_app.db, ReceivedUpdate) == 0:
            break
        await _pause()
    assert await _count(bot_app.db, ReceivedUpdate) == 0


async def _pause() -> None:
    import asyncio

    await asyncio.sleep(0.02)
