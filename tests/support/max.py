"""Fixtures of the MAX mode: the MAX emulator and the real bot serving MAX through it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from emulator.max import MaxEmulator
from emulator.testing import InProcessBot


@pytest.fixture
async def max_emulator(request: pytest.FixtureRequest) -> AsyncIterator[MaxEmulator]:
    """A started MAX emulator; a module's `max_emulator_options` fixture gives its options."""
    try:
        options = dict(request.getfixturevalue("max_emulator_options"))
    except pytest.FixtureLookupError:
        options = {}
    emu = MaxEmulator(**options)
    await emu.start()
    try:
        yield emu
    finally:
        await emu.stop()


@pytest.fixture
def max_settings(max_emulator: MaxEmulator, tmp_path: Path) -> Any:
    """Settings of the real bot serving MAX alone, pointed at the MAX emulator."""
    return settings_for(max_emulator, tmp_path)


def settings_for(max_emulator: MaxEmulator, tmp_path: Path) -> Any:
    from bot.config import Settings

    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        max_bot_token=max_emulator.token,
        max_api_url=max_emulator.url,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        webhook_secret="emulator-secret",
    )


@pytest.fixture
async def max_app(
    max_emulator: MaxEmulator, max_settings: Any, test_clock: Any
) -> AsyncIterator[Any]:
    """The real bot polling the MAX emulator in this event loop; yields its BotApp."""
    from bot.app.factory import build_app

    max_emulator.clock = test_clock
    app = await build_app(max_settings, clock=test_clock)
    runner = InProcessBot(app, max_emulator)  # type: ignore[arg-type]
    await runner.start()
    try:
        yield app
    finally:
        await runner.stop()
        assert max_emulator.rejections == [], (
            f"requests MAX's schema refuses: {max_emulator.rejections}"
        )
