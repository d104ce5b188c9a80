"""`python -m bot run` as a real process: no token, /start and /help, a clean stop."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from pathlib import Path

from tests.support.fake_api import FakeBotAPI

ROOT = Path(__file__).resolve().parents[2]


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("BOT_TOKEN", "DATABASE_URL")}
    env.update(
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        PYTHONUNBUFFERED="1",
        CURATOR_IDS="",
        COORDINATOR_IDS="",
        REDIS_URL="",
    )
    env.update(extra)
    return env


async def test_run_without_token_exits_2_with_one_clear_line(tmp_path: Path) -> None:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=tmp_path,  # no .env there
        env=_env(tmp_path, PYTHONPATH=str(ROOT)),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _out, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == 2
    lines = [line for line in err.decode().splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert "BOT_TOKEN" in lines[0] and "@BotFather" in lines[0] and "make demo" in lines[0]
    assert "Traceback" not in err.decode()


async def test_run_answers_start_and_help_in_russian_and_stops_on_sigterm(
    tmp_path: Path,
) -> None:
    api = FakeBotAPI()
    await api.start()
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=ROOT,
        env=_env(tmp_path, BOT_TOKEN="123456:TEST", TELEGRAM_API_URL=api.url),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        api.send_text(555, "/start", language="ru")
        sent = await api.wait_sent(1, timeout=60)
        assert sent[0]["chat_id"] == 555
        assert "Здравствуйте" in sent[0]["text"]
        assert "приглашение" in sent[0]["text"]
        api.send_text(555, "/help", language="ru")
        sent = await api.wait_sent(2)
        assert "/profile" in sent[1]["text"] and "Что я умею" in sent[1]["text"]
        assert "setmycommands" in api.calls
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        await asyncio.wait_for(proc.wait(), 10)
        assert time.monotonic() - started < 5
        assert proc.returncode == 0
        err = (await proc.stderr.read()).decode() if proc.stderr else ""
        assert "Traceback" not in err, err
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
        await api.stop()
