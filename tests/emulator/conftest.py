"""Fixtures for the emulator's own tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

from emulator import Emulator
from emulator.echo_bot import build_echo_app
from emulator.testing import *  # noqa: F403
from emulator.testing import InProcessBot, RawClient


@pytest.fixture
def emulator_options() -> dict[str, Any]:
    return {"rate_limits": False}


@pytest.fixture
async def raw(emulator: Emulator) -> AsyncIterator[RawClient]:
    async with aiohttp.ClientSession() as session:
        yield RawClient(emulator, session)


@pytest.fixture
async def api_bot(emulator: Emulator) -> AsyncIterator[Bot]:
    """aiogram's own client pointed at the emulator."""
    session = AiohttpSession(api=TelegramAPIServer.from_base(emulator.url), timeout=5)
    bot = Bot(emulator.token, session=session)
    try:
        yield bot
    finally:
        await bot.session.close()


@pytest.fixture
async def echo_polling(emulator: Emulator) -> AsyncIterator[InProcessBot]:
    runner = InProcessBot(build_echo_app(emulator.url, emulator.token), emulator, mode="polling")
    await runner.start()
    try:
        yield runner
    finally:
        await runner.stop()


@pytest.fixture
async def echo_webhook(emulator: Emulator) -> AsyncIterator[InProcessBot]:
    app = build_echo_app(emulator.url, emulator.token, webhook_secret="s3cret")
    runner = InProcessBot(app, emulator, mode="webhook", webhook_secret="s3cret")
    await runner.start()
    try:
        yield runner
    finally:
        await runner.stop()
