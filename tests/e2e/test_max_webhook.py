"""`python -m bot webhook` with MAX_BOT_TOKEN: MAX's subscription, the secret checked."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from bot.max.webhook import SECRET_HEADER, subscribe
from emulator.server import free_port
from tests.support.journey import programme_with_invitations
from tests.support.max import max_emulator

__all__ = ["max_emulator"]

SECRET = "max-webhook-secret_1"


@pytest.fixture
async def hooked(max_emulator: Any, test_clock: Any, tmp_path: Path) -> AsyncIterator[Any]:
    from bot.app.factory import build_app
    from bot.config import Settings

    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        max_bot_token=max_emulator.token,
        max_api_url=max_emulator.url,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        webhook_secret=SECRET,
    )
    max_emulator.clock = test_clock
    app = await build_app(settings, clock=test_clock)
    await app.start()
    runner = web.AppRunner(app.webhook_app())
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    url = f"http://127.0.0.1:{port}{settings.max_webhook_path}"
    await subscribe(app, url, SECRET)
    try:
        yield app, url
    finally:
        await app.stop()
        await runner.cleanup()
        assert max_emulator.rejections == []


async def test_max_updates_arrive_by_webhook_and_strangers_are_refused(
    max_emulator: Any, hooked: Any
) -> None:
    app, url = hooked
    assert [s["url"] for s in max_emulator.subscriptions] == [url]
    setup = await programme_with_invitations(app.db, 700_001)
    user = max_emulator.create_user("Вася")
    await user.start(setup.mentee_code)
    assert "Наставничество 2026/27" in (await user.next_message(timeout=10)).text

    forged = {"update_type": "bot_started", "timestamp": 1, "chat_id": 1,
              "user": {"user_id": 1, "first_name": "X", "is_bot": False}}  # fmt: skip
    async with aiohttp.ClientSession() as http:
        async with http.post(url, json=forged) as answer:
            assert answer.status == 401
        async with http.post(url, json=forged, headers={SECRET_HEADER: "guess"}) as answer:
            assert answer.status == 401
        async with http.post(url, data="not json", headers={SECRET_HEADER: SECRET}) as answer:
            assert answer.status == 400


async def test_an_update_max_sends_again_is_handled_once(max_emulator: Any, hooked: Any) -> None:
    # MAX sends an update again, unchanged, when the webhook's answer did not reach it:
    # the person's answer must not be taken twice (here, as the answer to the next step).
    app, url = hooked
    setup = await programme_with_invitations(app.db, 700_001)
    user = max_emulator.create_user("Вася")
    await user.start(setup.mentee_code)
    await user.wait_for("Как вас зовут")
    await user.send("Василий Петров")
    await user.wait_for("Согласие")
    copy = next(u for u in reversed(max_emulator.queued) if u["update_type"] == "message_created")
    assert copy["message"]["body"]["text"] == "Василий Петров"
    seen = len(user.chat.messages)
    async with aiohttp.ClientSession() as http:
        async with http.post(url, json=copy, headers={SECRET_HEADER: SECRET}) as answer:
            assert answer.status == 200
    await user.expect_silence(1.5)
    assert len(user.chat.messages) == seen
