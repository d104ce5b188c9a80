"""`python -m bot run` at start: the token is never printed, and an unreachable Bot API
is waited for (with a growing pause) instead of ending the process."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from emulator import Emulator
from emulator.server import free_port

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123456:SECRETtokenNOBODYmaySEE"


def _env(tmp_path: Path, api_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("BOT_TOKEN", "DATABASE_URL")}
    env.update(
        BOT_TOKEN=TOKEN,
        TELEGRAM_API_URL=api_url,
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        PYTHONUNBUFFERED="1",
        PYTHONPATH=str(ROOT),
        CURATOR_IDS="",
        COORDINATOR_IDS="",
        REDIS_URL="",
    )
    return env


async def test_a_malformed_api_address_stops_the_start_without_printing_the_token(
    tmp_path: Path,
) -> None:
    # The address from the report: the bot printed `http//127.0.0.1:1/bot123456:…/deleteWebhook`.
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=tmp_path,  # no .env there
        env=_env(tmp_path, "http//127.0.0.1:1"),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        out, err = await asyncio.wait_for(proc.communicate(), 60)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    output = (out + err).decode()
    assert proc.returncode == 2, output
    assert "TELEGRAM_API_URL задан неверно" in output and "https://api.telegram.org" in output
    assert "SECRET" not in output and "123456:" not in output
    assert "Traceback" not in output


async def test_the_bot_waits_for_an_api_that_comes_up_later_and_then_serves(
    tmp_path: Path,
) -> None:
    port = free_port()
    log_path = tmp_path / "bot.log"
    with log_path.open("wb") as log:
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            cwd=ROOT,
            env=_env(tmp_path, f"http://127.0.0.1:{port}"),
            stdout=log,
            stderr=asyncio.subprocess.STDOUT,
        )
    emulator = Emulator(token=TOKEN)
    try:
        for _ in range(600):  # the process imports and tries the API (slow on a busy machine)
            if log_path.read_text().count("API unreachable") >= 2 or proc.returncode is not None:
                break
            await asyncio.sleep(0.1)
        assert proc.returncode is None, log_path.read_text()
        assert "retry in" in log_path.read_text()
        await emulator.start(port=port)
        user = emulator.create_user("Оля")
        await user.start()
        answer = await user.wait_for("Здравствуйте", timeout=90)
        assert "приглашение" in answer.text
    finally:
        if proc.returncode is None:
            proc.terminate()
            try:
                await asyncio.wait_for(proc.wait(), 15)
            except TimeoutError:
                proc.kill()
                await proc.wait()
        await emulator.stop()
    output = log_path.read_text()
    assert "SECRET" not in output and "123456:" not in output, output
