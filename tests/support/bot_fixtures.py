"""Fixtures that start this project's bot against the emulator (emulator.testing).

In a conftest, after `from emulator.testing import *`: `from tests.support.bot_fixtures
import *`. Fixtures:

- `clock_start`: where the test clock starts (None: now); a test module overrides it;
- `clock`: the services' clock (`bot.infra.clock.now()`), a TestClock from
  `clock_start`, for tests without the emulator;
- `test_clock`: a TestClock shared by the bot and the emulator;
- `bot_settings`: the bot's Settings pointed at the emulator, SQLite in tmp_path;
- `bot_app`: the real bot (bot.app.factory.build_app) polling in-process;
- `bot_app_webhook`: the same in webhook mode, the emulator delivering over HTTP;
- `bot_process`: `python -m bot run` as a subprocess (BotProcess); `bot_process_factory`
  starts any command the same way, with the bot's environment.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from bot.app.factory import BotApp, build_app
from bot.config import Settings
from bot.infra import clock as clock_module
from bot.infra.clock import FileClock, TestClock
from emulator import Emulator
from emulator.server import free_port
from emulator.testing import BotProcess, InProcessBot

__all__ = [
    "bot_app",
    "bot_app_webhook",
    "bot_process",
    "bot_process_factory",
    "bot_settings",
    "clock",
    "clock_offset_file",
    "clock_start",
    "test_clock",
]


@pytest.fixture
def clock_start() -> datetime | None:
    """Where the test clock starts (None: now). Override it in a test module whose story
    happens on fixed dates, so that time only moves forward once the bot is running."""
    return None


@pytest.fixture
def clock(clock_start: datetime | None) -> Iterator[TestClock]:
    """The services' clock for a test without the emulator: it starts at `clock_start`
    and moves only when the test moves it (from the real time when that is None)."""
    previous = clock_module.get_clock()
    moment = TestClock(clock_start)
    clock_module.set_clock(moment)
    try:
        yield moment
    finally:
        clock_module.set_clock(previous)


@pytest.fixture
def test_clock(emulator: Emulator, clock_start: datetime | None) -> Iterator[TestClock]:
    """The bot's clock for this test (also the process-wide one), shared with the emulator."""
    clock = TestClock(clock_start)
    emulator.clock = clock
    previous = clock_module.get_clock()
    clock_module.set_clock(clock)
    yield clock
    clock_module.set_clock(previous)


@pytest.fixture
def bot_settings(emulator: Emulator, tmp_path: Path) -> Any:
    """Settings of the real bot, pointed at the emulator, with a fresh SQLite database."""
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        bot_token=emulator.token,
        telegram_api_url=emulator.url,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        webhook_secret="emulator-secret",
    )


async def _build_real_app(settings: Settings, clock: TestClock) -> BotApp:
    return await build_app(settings, clock=clock)


@pytest.fixture
async def bot_app(emulator: Emulator, bot_settings: Any, test_clock: Any) -> AsyncIterator[Any]:
    """The real bot polling the emulator in this event loop; yields its BotApp."""
    app = await _build_real_app(bot_settings, test_clock)
    runner = InProcessBot(app, emulator, mode="polling")
    await runner.start()
    try:
        yield app
    finally:
        await runner.stop()


@pytest.fixture
async def bot_app_webhook(
    emulator: Emulator, bot_settings: Any, test_clock: Any
) -> AsyncIterator[Any]:
    """The real bot serving a webhook the emulator delivers to; yields its BotApp."""
    port = free_port()
    settings = bot_settings.model_copy(
        update={
            "webhook_base_url": f"http://127.0.0.1:{port}",
            "webhook_host": "127.0.0.1",
            "webhook_port": port,
        }
    )
    app = await _build_real_app(settings, test_clock)
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
    runner = InProcessBot(
        app,
        emulator,
        mode="webhook",
        webhook_path=settings.webhook_path,
        webhook_secret=secret,
        webhook_port=port,
    )
    await runner.start()
    try:
        yield app
    finally:
        await runner.stop()


@pytest.fixture
def clock_offset_file(tmp_path: Path) -> Path:
    return tmp_path / "clock_offset"


# How long a start (or restart) of a bot process is waited for. `python -m bot` spends
# seconds of CPU before it polls (aiogram builds its types, the migrations run); on a busy
# machine, with the tests in parallel and other work alongside, many more. Nothing
# measures the start: it is only waited for.
START_TIMEOUT = 90.0


class _BotProcess(BotProcess):
    """A BotProcess whose starts and restarts wait up to START_TIMEOUT."""

    async def start(self, timeout: float = START_TIMEOUT) -> None:
        await super().start(timeout)

    async def restart(self, sig: int = signal.SIGTERM, timeout: float = START_TIMEOUT) -> None:
        await super().restart(sig, timeout)


@pytest.fixture
async def bot_process_factory(
    emulator: Emulator, tmp_path: Path, clock_offset_file: Path
) -> AsyncIterator[Callable[..., Awaitable[BotProcess]]]:
    """`await factory(cmd=None, mode="polling", env=None, start=True)` -> BotProcess.

    The default command is `python -m bot run` (`python -m bot webhook` for mode
    "webhook") with TELEGRAM_API_URL, BOT_TOKEN, DATABASE_URL (SQLite in tmp_path) and
    CLOCK_OFFSET_FILE set; the emulator's clock follows the same file.
    """
    processes: list[BotProcess] = []
    emulator.clock = FileClock(str(clock_offset_file))

    async def launch(
        cmd: list[str] | None = None,
        *,
        mode: str = "polling",
        env: dict[str, str] | None = None,
        start: bool = True,
        timeout: float = START_TIMEOUT,
    ) -> BotProcess:
        port = free_port()
        base_env = {
            "TELEGRAM_API_URL": emulator.url,
            "BOT_TOKEN": emulator.token,
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
            "CLOCK_OFFSET_FILE": str(clock_offset_file),
            "PYTHONUNBUFFERED": "1",
        }
        if mode == "webhook":
            base_env.update(
                WEBHOOK_BASE_URL=f"http://127.0.0.1:{port}",
                WEBHOOK_HOST="127.0.0.1",
                WEBHOOK_PORT=str(port),
                WEBHOOK_SECRET="emulator-secret",
            )
        if cmd is None:
            cmd = [sys.executable, "-m", "bot", "webhook" if mode == "webhook" else "run"]
        process = _BotProcess(
            cmd,
            emulator=emulator,
            env={**base_env, **(env or {})},
            mode=mode,
            log_path=tmp_path / f"bot-process-{len(processes)}.log",
            clock_file=clock_offset_file,
            webhook_port=port,
        )
        processes.append(process)
        if start:
            await process.start(timeout)
        return process

    try:
        yield launch
    finally:
        for process in processes:
            await process.kill(signal.SIGKILL)


@pytest.fixture
async def bot_process(
    bot_process_factory: Callable[..., Awaitable[BotProcess]],
) -> BotProcess:
    """The real bot as a subprocess (`python -m bot run`), started and polling."""
    return await bot_process_factory()
