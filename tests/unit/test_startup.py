"""Before serving: the Bot API address is checked, and a refused token is not waited for."""

from __future__ import annotations

import asyncio

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

from bot.startup import TokenRefused, api_url_problem, wait_for_api
from emulator import Emulator


@pytest.mark.parametrize(
    "url", ["http//127.0.0.1:1", "127.0.0.1:8081", "ftp://x", "http://[bad", "http://a:99999"]
)
def test_an_address_that_cannot_work_is_named(url: str) -> None:
    message = api_url_problem(url)
    assert message is not None and "TELEGRAM_API_URL задан неверно" in message


@pytest.mark.parametrize(
    "url", ["https://api.telegram.org", "http://127.0.0.1:8081", "http://127.0.0.1:8081/"]
)
def test_a_working_address_passes(url: str) -> None:
    assert api_url_problem(url) is None


async def test_a_token_telegram_refuses_is_not_waited_for(emulator: Emulator) -> None:
    bot = Bot(
        "999999:not-this-bot", session=AiohttpSession(api=TelegramAPIServer.from_base(emulator.url))
    )
    try:
        with pytest.raises(TokenRefused):
            await asyncio.wait_for(wait_for_api(bot, asyncio.Event()), 10)
    finally:
        await bot.session.close()


async def test_a_reachable_api_is_answered_at_once(emulator: Emulator) -> None:
    bot = Bot(emulator.token, session=AiohttpSession(api=TelegramAPIServer.from_base(emulator.url)))
    try:
        assert await asyncio.wait_for(wait_for_api(bot, asyncio.Event()), 10)
    finally:
        await bot.session.close()


def test_the_bot_runs_on_uvloop_unless_told_otherwise() -> None:
    import uvloop
    from pydantic import ValidationError

    from bot.__main__ import _loop_factory
    from bot.config import Settings

    factory = _loop_factory(Settings(_env_file=None))
    assert factory is not None
    with asyncio.Runner(loop_factory=factory) as runner:
        assert isinstance(runner.get_loop(), uvloop.Loop)
        assert runner.run(asyncio.sleep(0, result="ran")) == "ran"
    assert _loop_factory(Settings(_env_file=None, event_loop="asyncio")) is None
    with pytest.raises(ValidationError):
        Settings(_env_file=None, event_loop="trio")
