"""Replicas of the real bot (`python -m bot webhook` processes) behind the emulator's
round-robin webhook delivery, sharing one PostgreSQL database and one Redis database.

Used by tests/scale and by `python -m benchmarks replicas`.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import signal
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
from sqlalchemy.engine import make_url

from emulator.api import Emulator
from emulator.scripted import ScriptedUser
from emulator.server import free_port
from emulator.testing import REPO_ROOT, BotProcess

FORMS_DIR = Path(__file__).resolve().parent / "forms"
CLAIM_KEY = "nastavnik:test-claim"
DONE_TEXT = "Анкета сохранена"


# ----------------------------------------------------------------------------- Redis


def _with_db(url: str, number: int) -> str:
    parsed = make_url(url)
    return parsed.set(database=str(number)).render_as_string(hide_password=False)


async def claim_redis_db(base_url: str) -> str:
    """A Redis URL of an empty database number nobody else is using (claimed by a key)."""
    from redis.asyncio import Redis

    numbers = list(range(1, 16))
    random.shuffle(numbers)
    for number in numbers:
        url = _with_db(base_url, number)
        client = Redis.from_url(url)
        try:
            if await client.set(CLAIM_KEY, str(os.getpid()), nx=True, ex=1800):
                if await client.dbsize() == 1:
                    return url
                await client.delete(CLAIM_KEY)
        finally:
            await client.aclose()
    raise RuntimeError("no empty Redis database among numbers 1..15")


async def release_redis_db(url: str) -> None:
    from redis.asyncio import Redis

    client = Redis.from_url(url)
    try:
        await client.flushdb()
    finally:
        await client.aclose()


# ----------------------------------------------------------------------------- replicas


class Cluster:
    """N replicas; `start()` sets the emulator's round robin to their webhooks."""

    def __init__(
        self,
        emulator: Emulator,
        *,
        database_url: str,
        redis_url: str,
        replicas: int,
        log_dir: Path,
        env: dict[str, str] | None = None,
    ) -> None:
        self.emulator = emulator
        self.processes: list[BotProcess] = []
        for index in range(replicas):
            port = free_port()
            self.processes.append(
                BotProcess(
                    [sys.executable, "-m", "bot", "webhook"],
                    emulator=emulator,
                    env={
                        "TELEGRAM_API_URL": emulator.url,
                        "BOT_TOKEN": emulator.token,
                        "DATABASE_URL": database_url,
                        "REDIS_URL": redis_url,
                        "WEBHOOK_BASE_URL": f"http://127.0.0.1:{port}",
                        "WEBHOOK_HOST": "127.0.0.1",
                        "WEBHOOK_PORT": str(port),
                        "WEBHOOK_SECRET": "emulator-secret",
                        "FORMS_DIR": str(FORMS_DIR),
                        "LOG_JSON": "true",
                        "PYTHONUNBUFFERED": "1",
                        **(env or {}),
                    },
                    mode="webhook",
                    log_path=log_dir / f"replica-{index}.log",
                    cwd=REPO_ROOT,
                    webhook_port=port,
                )
            )
        self._http: aiohttp.ClientSession | None = None

    def url(self, index: int, path: str = "/telegram/webhook") -> str:
        return f"http://127.0.0.1:{self.processes[index].webhook_port}{path}"

    async def start(self, timeout: float = 90.0) -> None:
        self.emulator.webhook_round_robin = [self.url(i) for i in range(len(self.processes))]
        await asyncio.gather(*(p.start(timeout) for p in self.processes))
        for index in range(len(self.processes)):
            await self.wait_healthy(index, timeout)

    async def http(self) -> aiohttp.ClientSession:
        if self._http is None or self._http.closed:
            self._http = aiohttp.ClientSession()
        return self._http

    async def health(self, index: int) -> dict[str, Any] | None:
        """The replica's /healthz, or None when it does not answer."""
        session = await self.http()
        try:
            async with session.get(
                self.url(index, "/healthz"), timeout=aiohttp.ClientTimeout(total=5)
            ) as resp:
                return dict(await resp.json())
        except (aiohttp.ClientError, TimeoutError, ValueError):
            return None

    async def metrics(self, index: int) -> str:
        session = await self.http()
        async with session.get(self.url(index, "/metrics")) as resp:
            return await resp.text()

    async def wait_healthy(self, index: int, timeout: float = 60.0) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            report = await self.health(index)
            if report is not None and report.get("ok"):
                return
            if loop.time() > deadline or not self.processes[index].running:
                raise RuntimeError(
                    f"replica {index} is not healthy: {report}\n"
                    f"{self.processes[index].log_text()[-3000:]}"
                )
            await asyncio.sleep(0.2)

    async def leaders(self) -> list[int]:
        found = []
        for index, process in enumerate(self.processes):
            if process.running:
                report = await self.health(index)
                if report is not None and report.get("leader"):
                    found.append(index)
        return found

    async def wait_for_leader(
        self,
        timeout: float = 30.0,
        exclude: int | None = None,
    ) -> int:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            found = [i for i in await self.leaders() if i != exclude]
            if found:
                assert len(found) == 1, f"more than one leader: {found}"
                return found[0]
            if loop.time() > deadline:
                raise TimeoutError(f"no leader within {timeout:g}s")
            await asyncio.sleep(0.2)

    async def kill(self, index: int, sig: int = signal.SIGKILL) -> None:
        await self.processes[index].kill(sig)

    def logs(self) -> str:
        return "\n".join(p.log_text() for p in self.processes)

    async def stop(self) -> None:
        for process in self.processes:
            with contextlib.suppress(Exception):
                await process.kill(signal.SIGTERM, timeout=15)
        if self._http is not None:
            await self._http.close()


# ----------------------------------------------------------------------------- people


def person_name(index: int) -> str:
    return f"Участник Номер{index:04d}"


def person_goal(index: int) -> str:
    return f"Цель номер {index:04d}: подготовиться к олимпиаде"


def expected_answers(index: int) -> dict[str, Any]:
    return {
        "full_name": person_name(index),
        "age": 20 + index % 40,
        "category": "college_student",
        "goals": person_goal(index),
    }


async def fill_questionnaire(
    user: ScriptedUser,
    code: str,
    index: int,
    latencies: list[float] | None = None,
    *,
    think: Callable[[], float] | None = None,
) -> None:
    """/start <code> and the short questionnaire of tests/scale/forms, as a person does.

    Waits for each question by its text: a replica killed mid-update may have sent a
    prompt before it died, and the redelivered update sends it again. `latencies` gets
    the seconds from each action to the bot's reply. `think`: the seconds the person
    takes before each action (reading, typing), not counted in `latencies`; none by
    default.
    """
    timeout = 300.0  # a busy shared machine can be very slow; nothing here is timed
    answers = expected_answers(index)
    loop = asyncio.get_running_loop()

    async def step(action: Awaitable[Any], reply: str) -> None:
        if think is not None:
            await asyncio.sleep(think())
        started = loop.time()
        await action
        await user.wait_for(reply, timeout=timeout)
        if latencies is not None:
            latencies.append(loop.time() - started)

    await step(user.start(code), "Как вас зовут")
    await step(user.send(answers["full_name"]), "Согласие на обработку")
    await step(
        user.press("✅ Даю согласие, мне уже есть 18", answer_timeout=timeout),
        "Сколько вам полных лет",
    )
    await step(user.send(str(answers["age"])), "Кто вы в программе")
    await step(user.press("студент колледжа", answer_timeout=timeout), "Чего вы хотите достичь")
    await step(user.send(answers["goals"]), "проверьте ответы")
    await step(user.press("✅ Подтвердить", answer_timeout=timeout), DONE_TEXT)


UPDATES_PER_QUESTIONNAIRE = 7
