"""Pytest fixtures for tests that run a bot against the emulator.

In a conftest: `from emulator.testing import *`. Fixtures:

- `emulator`: a started Emulator on a free port (options from the `emulator_options`
  fixture, which a test module may override, and from `@pytest.mark.emulator(...)`).
- `bot_settings`: the bot's Settings pointed at the emulator, SQLite in tmp_path.
- `test_clock`: a TestClock shared by the bot and the emulator.
- `bot_app`: the real bot (bot.factory.build_app) polling in-process.
- `bot_app_webhook`: the same in webhook mode, the emulator delivering over HTTP.
- `bot_process`: `python -m bot run` as a subprocess (BotProcess: kill, terminate,
  restart, advance_clock); `bot_process_factory` starts any command the same way.

The bot package is imported only inside the fixtures that need it.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any, Protocol

import aiohttp
import pytest
from aiohttp import web

from .api import Emulator
from .errors import WaitTimeout
from .server import free_port

__all__ = [
    "BotProcess",
    "InProcessBot",
    "RawClient",
    "bot_app",
    "bot_app_webhook",
    "bot_process",
    "bot_process_factory",
    "bot_settings",
    "clock_offset_file",
    "clock_start",
    "emulator",
    "emulator_options",
    "pytest_configure",
    "test_clock",
]

REPO_ROOT = Path(__file__).resolve().parent.parent


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "emulator(**options): options for the emulator fixture (see Emulator)"
    )


class BotAppLike(Protocol):
    bot: Any
    dispatcher: Any

    async def start(self) -> None: ...
    async def run_polling(self) -> None: ...
    def webhook_app(self) -> web.Application: ...
    async def stop(self) -> None: ...


# ----------------------------------------------------------------------------- raw HTTP


class RawClient:
    """Plain HTTP calls to the emulator, to see exactly what it answers."""

    def __init__(self, emulator: Emulator, session: aiohttp.ClientSession) -> None:
        self.emulator = emulator
        self.session = session

    def url(self, method: str, token: str | None = None) -> str:
        return f"{self.emulator.url}/bot{token or self.emulator.token}/{method}"

    async def json(self, method: str, **params: Any) -> tuple[int, dict[str, Any]]:
        async with self.session.post(self.url(method), json=params) as resp:
            return resp.status, await resp.json()

    async def form(self, method: str, data: Any) -> tuple[int, dict[str, Any]]:
        async with self.session.post(self.url(method), data=data) as resp:
            return resp.status, await resp.json()

    async def ok(self, method: str, **params: Any) -> Any:
        status, body = await self.json(method, **params)
        assert status == 200 and body["ok"], body
        return body["result"]

    async def error(self, method: str, **params: Any) -> tuple[int, str]:
        status, body = await self.json(method, **params)
        assert not body["ok"], body
        assert body["error_code"] == status
        return status, body["description"]


# ----------------------------------------------------------------------------- in-process


class InProcessBot:
    """Runs an app with the BotApp shape (the real bot or the echo bot) in this loop."""

    def __init__(
        self,
        app: BotAppLike,
        emulator: Emulator,
        *,
        mode: str = "polling",
        webhook_path: str = "/webhook",
        webhook_secret: str | None = None,
        webhook_port: int | None = None,
    ) -> None:
        if mode not in ("polling", "webhook"):
            raise ValueError("mode is 'polling' or 'webhook'")
        self.app = app
        self.emulator = emulator
        self.mode = mode
        self.webhook_path = webhook_path
        self.webhook_secret = webhook_secret
        self.webhook_port = webhook_port or free_port()
        self._task: asyncio.Task[None] | None = None
        self._runner: web.AppRunner | None = None

    @property
    def webhook_url(self) -> str:
        return f"http://127.0.0.1:{self.webhook_port}{self.webhook_path}"

    async def start(self, timeout: float = 15.0) -> None:
        await self.app.start()
        if self.mode == "polling":
            self._task = asyncio.create_task(self.app.run_polling())
            await self._wait(self.emulator.wait_for_polling(timeout))
            return
        self._runner = web.AppRunner(self.app.webhook_app())
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.webhook_port).start()
        if self.emulator.webhook.url is None:
            await self.app.bot.set_webhook(
                self.webhook_url,
                secret_token=self.webhook_secret,
                allowed_updates=self.app.dispatcher.resolve_used_update_types(),
            )

    async def _wait(self, waiting: Awaitable[None]) -> None:
        assert self._task is not None
        waiter = asyncio.ensure_future(waiting)
        done, _ = await asyncio.wait({waiter, self._task}, return_when=asyncio.FIRST_COMPLETED)
        if self._task in done:
            waiter.cancel()
            self._task.result()  # raises what stopped the bot
            raise RuntimeError("the bot stopped before it started polling")
        waiter.result()

    async def stop(self) -> None:
        with contextlib.suppress(Exception):
            await self.app.stop()
        if self._task is not None:
            try:
                await asyncio.wait_for(self._task, 10)
            except (TimeoutError, asyncio.CancelledError):
                self._task.cancel()
            except Exception:  # the test's own failure matters more
                pass
        if self._runner is not None:
            await self._runner.cleanup()


# ----------------------------------------------------------------------------- subprocess


class BotProcess:
    """A bot running as a separate process, with its output in a log file."""

    def __init__(
        self,
        cmd: list[str],
        *,
        emulator: Emulator,
        env: dict[str, str] | None = None,
        mode: str = "polling",
        log_path: Path,
        cwd: Path | None = None,
        clock_file: Path | None = None,
        webhook_port: int | None = None,
    ) -> None:
        self.cmd = cmd
        self.emulator = emulator
        self.env = {**os.environ, **(env or {})}
        self.mode = mode
        self.log_path = log_path
        self.cwd = cwd or REPO_ROOT
        self.clock_file = clock_file
        self.webhook_port = webhook_port
        self.proc: asyncio.subprocess.Process | None = None
        self.starts = 0

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc is not None else None

    @property
    def returncode(self) -> int | None:
        return self.proc.returncode if self.proc is not None else None

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.returncode is None

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""

    async def start(self, timeout: float = 30.0) -> None:
        """Start the process and wait until it polls (or has set its webhook)."""
        if self.running:
            raise RuntimeError("the bot process is running already")
        polls_before = self.emulator.calls("getUpdates")
        webhooks_before = self.emulator.calls("setWebhook")
        self.starts += 1
        with self.log_path.open("ab") as log:
            log.write(f"\n=== start #{self.starts}: {' '.join(self.cmd)}\n".encode())
            log.flush()
            self.proc = await asyncio.create_subprocess_exec(
                *self.cmd,
                cwd=str(self.cwd),
                env=self.env,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log,
                stderr=asyncio.subprocess.STDOUT,
            )

        def ready() -> bool:
            if not self.running:
                return True
            if self.mode == "webhook":
                return (
                    self.emulator.calls("setWebhook") > webhooks_before
                    and self.emulator.webhook.url is not None
                )
            return self.emulator.polling and self.emulator.calls("getUpdates") > polls_before

        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not ready():
            if loop.time() > deadline:
                raise WaitTimeout(
                    f"the bot process did not start in {timeout:g}s\n{self.log_text()}"
                )
            await asyncio.sleep(0.02)
        if not self.running:
            raise RuntimeError(f"the bot process exited with {self.returncode}\n{self.log_text()}")

    async def kill(self, sig: int = signal.SIGKILL, timeout: float = 10.0) -> int | None:
        """Send a signal and wait for the process to exit; returns its exit code."""
        if not self.running:
            return self.returncode
        assert self.proc is not None
        self.proc.send_signal(sig)
        try:
            await asyncio.wait_for(self.proc.wait(), timeout)
        except TimeoutError:
            self.proc.kill()
            await self.proc.wait()
        return self.returncode

    async def terminate(self, timeout: float = 10.0) -> int | None:
        return await self.kill(signal.SIGTERM, timeout)

    async def restart(self, sig: int = signal.SIGTERM, timeout: float = 30.0) -> None:
        await self.kill(sig)
        await self.start(timeout)

    def set_clock_offset(self, seconds: float) -> None:
        """Move the bot's clock (CLOCK_OFFSET_FILE) to now + seconds."""
        if self.clock_file is None:
            raise RuntimeError("the process was started without CLOCK_OFFSET_FILE")
        from bot.services.clock import FileClock

        FileClock.write_offset(str(self.clock_file), seconds)

    def advance_clock(self, seconds: float) -> float:
        """Move the bot's clock forward by `seconds`; returns the new offset."""
        current = 0.0
        if self.clock_file is not None and self.clock_file.exists():
            current = float(self.clock_file.read_text().strip() or 0)
        self.set_clock_offset(current + seconds)
        return current + seconds


# ----------------------------------------------------------------------------- fixtures


@pytest.fixture
def emulator_options() -> dict[str, Any]:
    """Keyword arguments for Emulator; override in a test module or conftest."""
    return {}


@pytest.fixture
async def emulator(
    request: pytest.FixtureRequest, emulator_options: dict[str, Any]
) -> AsyncIterator[Emulator]:
    options = dict(emulator_options)
    marker = request.node.get_closest_marker("emulator")
    if marker is not None:
        options.update(marker.kwargs)
    emu = Emulator(**options)
    await emu.start()
    try:
        yield emu
    finally:
        await emu.stop()


@pytest.fixture
def clock_start() -> Any:
    """Where the test clock starts (None: now). Override it in a test module whose story
    happens on fixed dates, so that time only moves forward once the bot is running."""
    return None


@pytest.fixture
def test_clock(emulator: Emulator, clock_start: Any) -> Iterator[Any]:
    """The bot's clock for this test (also the process-wide one), shared with the emulator."""
    from bot.services import clock as clock_module

    clock = clock_module.TestClock(clock_start)
    emulator.clock = clock
    previous = clock_module.get_clock()
    clock_module.set_clock(clock)
    yield clock
    clock_module.set_clock(previous)


@pytest.fixture
def bot_settings(emulator: Emulator, tmp_path: Path) -> Any:
    """Settings of the real bot, pointed at the emulator, with a fresh SQLite database."""
    from bot.config import Settings

    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        bot_token=emulator.token,
        telegram_api_url=emulator.url,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        webhook_secret="emulator-secret",
    )


async def _build_real_app(settings: Any, clock: Any) -> Any:
    from bot.factory import build_app

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
    try:
        from bot.services.clock import FileClock

        emulator.clock = FileClock(str(clock_offset_file))
    except ImportError:  # pragma: no cover - the bot package is not there
        pass

    async def launch(
        cmd: list[str] | None = None,
        *,
        mode: str = "polling",
        env: dict[str, str] | None = None,
        start: bool = True,
        timeout: float = 30.0,
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
        process = BotProcess(
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
