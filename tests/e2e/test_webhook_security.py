"""Webhook mode: no start without WEBHOOK_SECRET; requests without it are refused.

An outsider who knows the webhook's address posts an update "from" the curator running
/invite; without the secret it must change nothing and make the bot say nothing.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp

from emulator import Emulator
from emulator.testing import BotProcess
from tests.support.fake_api import FakeBotAPI

ROOT = Path(__file__).resolve().parents[2]
CURATOR = 7001
HEADER = "X-Telegram-Bot-Api-Secret-Token"


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WEBHOOK_", "BOT_TOKEN"))}
    env.update(
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        PYTHONUNBUFFERED="1",
        PYTHONPATH=str(ROOT),
        BOT_TOKEN="123456:TEST",
    )
    env.update(extra)
    return env


async def _run_webhook(tmp_path: Path, api_url: str, **extra: str) -> tuple[int | None, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "webhook",
        cwd=tmp_path,  # no .env there
        env=_env(tmp_path, TELEGRAM_API_URL=api_url, **extra),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        out, err = await asyncio.wait_for(proc.communicate(), 30)
    except TimeoutError:
        proc.kill()
        out, err = await proc.communicate()
    return proc.returncode, (out + err).decode()


async def test_webhook_without_a_secret_exits_2_and_says_how_to_make_one(
    tmp_path: Path,
) -> None:
    api = FakeBotAPI()
    await api.start()
    try:
        for extra in ({}, {"WEBHOOK_SECRET": ""}):
            code, output = await _run_webhook(tmp_path, api.url, **extra)
            assert code == 2, output
            assert "WEBHOOK_SECRET не задан" in output
            assert "secrets.token_urlsafe(32)" in output and ".env" in output
            assert "Traceback" not in output
        assert "setwebhook" not in api.calls  # it never got as far as the API
    finally:
        await api.stop()


def _forged_invite(update_id: int) -> dict[str, Any]:
    person = {"id": CURATOR, "is_bot": False, "first_name": "Куратор", "language_code": "ru"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": 900000 + update_id,
            "date": int(time.time()),
            "chat": {"id": CURATOR, "type": "private", "first_name": "Куратор"},
            "from": person,
            "text": "/invite",
            "entities": [{"type": "bot_command", "offset": 0, "length": 7}],
        },
    }


async def test_webhook_refuses_an_update_without_the_secret(
    emulator: Emulator, bot_process_factory: Callable[..., Awaitable[BotProcess]]
) -> None:
    curator = emulator.create_user("Куратор", id=CURATOR, started=True)
    process = await bot_process_factory(mode="webhook", env={"CURATOR_IDS": str(CURATOR)})
    url = f"http://127.0.0.1:{process.webhook_port}/telegram/webhook"
    sent_before = emulator.calls("sendMessage")
    async with aiohttp.ClientSession() as http:
        for n, headers in enumerate(({}, {HEADER: "guessed"}, {HEADER: ""}), start=1):
            async with http.post(url, json=_forged_invite(800000 + n), headers=headers) as resp:
                assert resp.status == 401, (headers, resp.status)
        await curator.expect_silence(1.5)
        assert emulator.calls("sendMessage") == sent_before
        # The same update with the secret Telegram was given is served: what was refused
        # above was refused for the missing secret alone.
        async with http.post(
            url, json=_forged_invite(800010), headers={HEADER: "emulator-secret"}
        ) as resp:
            assert resp.status == 200
    await curator.next_message(10)
    assert emulator.calls("sendMessage") == sent_before + 1
