"""Pytest fixtures and runners for tests that run a bot against the emulator.

In a conftest: `from emulator.testing import *`. Fixtures:

- `emulator`: a started Emulator on a free port (options from the `emulator_options`
  fixture, which a test module may override, and from `@pytest.mark.emulator(...)`).

Runners: `InProcessBot` (an app with the BotApp shape in this event loop), `BotProcess`
(any command as a subprocess: kill, terminate, restart, advance_clock), `RawClient`.

The emulator knows nothing of the bot it serves: the fixtures that start this project's
bot (`bot_app`, `bot_process`, `test_clock`, ...) are in tests/support/bot_fixtures.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from collections.abc import AsyncIterator, Awaitable
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
    "emulator",
    "emulator_options",
    "pytest_configure",
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
        # The file holds the offset in seconds as text, replaced whole (a reader never
        # sees half a number): the format the bot's FileClock reads.
        tmp = self.clock_file.with_name(self.clock_file.name + ".tmp")
        tmp.write_text(str(seconds), encoding="utf-8")
        os.replace(tmp, self.clock_file)

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
