"""Throughput of the bot against a bare aiogram echo bot, on SQLite, in the same run.

`python -m benchmarks throughput [--people 200] [--participants 10000] [--warmup 10]`
starts one emulator (in this process, with the scripted people) and, one after the
other, two webhook processes on it:

- the echo bot (`python -m emulator.echo_bot`): each person sends /start with a payload,
  four texts and three presses of a button, 7 updates;
- the bot (`python -m bot webhook`, SQLite, the short questionnaire of tests/scale/forms):
  each person sends /start <invitation code> and fills in the questionnaire (name, age,
  consent, category, goals, confirmation), 7 updates as well.

N people (200 by default) act at the same time, each waiting for the answer before the
next step, as people do. The database already holds a programme with 10,000 participants.
Figures:

- `bot_updates_per_s`, `echo_updates_per_s`: updates handled per second of the load;
- `bot_vs_echo_ratio`: the first ÷ the second;
- `p95_ms` (and `p50_ms`): from a person's action to the bot's answer;
- `rss_mb_10k`: resident memory of the bot process after the load, with 10,000
  participants in the database;
- `bot_cpu_ms_per_update`, `echo_cpu_ms_per_update`: CPU time of each process per
  update, which does not depend on what else the machine is doing;
- `paced_p95_ms` (and `paced_p50_ms`, `paced_updates_per_s`): the same bot process, then
  N other people at once who each take 1 to 3 seconds (at random) before every action,
  as people reading a question and tapping an answer do; the time to the answer, the
  pause not counted. The figures above are for people who act again the instant the
  answer arrives, which no assembly of real people does.

On a 2-core machine the emulator and the people share the cores with the bot, so the
echo bot's rate is mostly the emulator's; the CPU figures say what each bot costs.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.common import REPO_ROOT, free_port, participant_rows, percentile

GOALS: dict[str, str] = {
    "bot_vs_echo_ratio": ">= 0.5",
    "p95_ms": "<= 500",
    "rss_mb_10k": "report",
}

# Where the time goes when a goal is not met (`python -m benchmarks._profile`: the bot in a
# process of its own under cProfile, the short questionnaire, SQLite, 10,000 participants;
# statements counted with an engine event, CPU time of the process without the profiler).
_WHERE_THE_TIME_GOES = (
    "Seven runs of this code, each after one of the code before this round in the same "
    "minute (2026-12-02 18:38-18:45, a quiet machine whose speed wandered by half from "
    "one minute to the next): median ratio 0.417 (0.291-0.604; before 0.342), median "
    "4.92 ms of CPU per update (3.31-6.03; before 6.19) against 1.81 ms for the echo "
    "bot. `python -m benchmarks._profile` counts 4,760 Python calls per update (5,900 "
    "before) and 0.04 statements through SQLAlchemy's execution (2.6 before): /start "
    "with a code, the consent and the first contact now read and write through "
    "compiled statements too (storage.statements: Objects, get, save_new), the bot "
    "runs on uvloop, and a MAX reply sent after the commit stores no message id. Of "
    "the bot's busy time under cProfile: the unit of work 68% (the handlers 41%), "
    "the replies sent after the commit 12%; SQLAlchemy is 25% by package: the "
    "session's begin, commit and close 13%, and the ORM objects the handlers work "
    "with, built from rows and kept in step with what is written (adopt, "
    "store_changes, save_new), 17%; aiohttp 15%, aiogram 10%. The rate of one "
    "process is about one over its CPU per update while the emulator and its 200 "
    "people take most of the other core: for 0.5 the bot needs about 3.5 ms per update "
    "on this machine, which one run of the seven reached. On 2026-12-03 adopt() was made "
    "cheaper (4,369 Python calls per update against 4,747); three pairs of runs on a "
    "shared machine showed no difference beyond the spread of one code from run to run "
    "(4.3-6.1 ms). What is left is spread thin: no part of an update but the handlers "
    "themselves, the session's begin and commit, and the replies' HTTP calls (about 1.7 "
    "per update, each needed) takes more than a few percent."
)
GAPS: dict[str, str] = {
    "bot_vs_echo_ratio": _WHERE_THE_TIME_GOES,
    "p95_ms": (
        "200 people act at once, each waiting for the answer before the next step, and "
        "one process handles their updates in turn: the mean time to an answer is 200 "
        "over the rate, so the 95th percentile falls only with the CPU per update "
        "(median 1.19 s against 1.88 s for the code before, in the same minutes; 0.84 s "
        "in the best run). The echo bot itself, with the emulator as its limit, answers "
        "in 0.70-0.84 s at the 95th percentile in this benchmark (echo_p95_ms): 500 ms "
        "with 200 people at once is beyond what this 2-core machine gives any bot here "
        "(the echo bot: 593-1390 ms in every run on 2026-12-03). People who take 1-3 s "
        "before each action, as people do, are answered in 61-262 ms at the 95th "
        "percentile by the same process (paced_p95_ms). " + _WHERE_THE_TIME_GOES
    ),
}

CURATOR_TG = 700_400
UPDATES_PER_PERSON = 7
ECHO_SECRET = "echo-secret"
THINK_SECONDS = (1.0, 3.0)  # the paced people's pause before each action


def fill_participants(path: Path, programme_id: int, n: int) -> None:
    """Bulk-insert `n` people taking part in the programme (after the migrations)."""
    from sqlalchemy import create_engine, func, insert, select

    from storage.models import Participant, Person

    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as conn:
            first = int(conn.scalar(select(func.max(Person.id))) or 0) + 1
            persons, participants = participant_rows(
                n,
                mentors=n // 2,
                programme_id=programme_id,
                created_at=datetime.now(UTC),
                first_id=first,
            )
            conn.execute(insert(Person), persons)
            conn.execute(insert(Participant), participants)
    finally:
        engine.dispose()


async def _timed(action: Awaitable[Any], waiting: Callable[[], Awaitable[Any]] | None) -> float:
    loop = asyncio.get_running_loop()
    started = loop.time()
    await action
    if waiting is not None:
        await waiting()
    return loop.time() - started


async def echo_person(user: Any, index: int, latencies: list[float] | None = None) -> None:
    """7 updates to the echo bot: /start, four texts and three button presses."""
    timeout = 300.0

    async def step(action: Awaitable[Any], reply: str | None = None) -> None:
        waiting = None if reply is None else lambda: user.wait_for(reply, timeout=timeout)
        seconds = await _timed(action, waiting)
        if latencies is not None:
            latencies.append(seconds)

    await step(user.start(f"code{index}"), "Hello")
    await step(user.send(f"Меня зовут Участник {index}"), "echo:")
    await step(user.send(str(20 + index % 40)), "echo:")
    await step(user.press("Ping", answer_timeout=timeout))
    await step(user.press("Ping", answer_timeout=timeout))
    await step(user.send(f"Цель номер {index}"), "echo:")
    await step(user.press("Ping", answer_timeout=timeout))


def _cpu_seconds(pid: int) -> float:
    import psutil

    times = psutil.Process(pid).cpu_times()
    return float(times.user + times.system)


async def _load(
    emulator: Any,
    pid: int,
    journey: Callable[[Any, int, list[float] | None], Awaitable[None]],
    *,
    people: int,
    warmup: int,
    first_index: int,
) -> dict[str, Any]:
    """Warm the process up, then let `people` people go through `journey` at once."""
    warm = [emulator.create_user(f"Разминка{first_index + i}") for i in range(warmup)]
    await asyncio.gather(*(journey(u, first_index + i, None) for i, u in enumerate(warm)))
    users = [emulator.create_user(f"Человек{first_index + i}") for i in range(people)]
    latencies: list[float] = []
    cpu_before = _cpu_seconds(pid)
    started = time.perf_counter()
    await asyncio.gather(
        *(journey(user, first_index + warmup + i, latencies) for i, user in enumerate(users))
    )
    elapsed = time.perf_counter() - started
    cpu = _cpu_seconds(pid) - cpu_before
    updates = people * UPDATES_PER_PERSON
    return {
        "updates": updates,
        "seconds": elapsed,
        "updates_per_s": updates / elapsed,
        "cpu_ms_per_update": cpu / updates * 1000,
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": percentile(latencies, 0.95) * 1000,
    }


async def _echo(emulator: Any, work: Path, people: int, warmup: int) -> dict[str, Any]:
    from emulator.testing import BotProcess

    port = free_port()
    process = BotProcess(
        [
            sys.executable,
            "-m",
            "emulator.echo_bot",
            "--api",
            emulator.url,
            "--token",
            emulator.token,
            "--webhook-port",
            str(port),
            "--secret",
            ECHO_SECRET,
        ],
        emulator=emulator,
        mode="webhook",
        log_path=work / "echo.log",
        cwd=REPO_ROOT,
        webhook_port=port,
    )
    await process.start(60)
    try:
        assert process.pid is not None
        return await _load(
            emulator, process.pid, echo_person, people=people, warmup=warmup, first_index=0
        )
    finally:
        await process.kill(signal.SIGTERM)


async def _bot(
    emulator: Any,
    url: str,
    code: str,
    work: Path,
    people: int,
    warmup: int,
    think: tuple[float, float],
) -> dict[str, Any]:
    import psutil

    from tests.scale.cluster import Cluster, fill_questionnaire

    async def journey(user: Any, index: int, latencies: list[float] | None) -> None:
        await fill_questionnaire(user, code, index, latencies)

    pauses = random.Random(7)

    async def paced(user: Any, index: int, latencies: list[float] | None) -> None:
        await fill_questionnaire(user, code, index, latencies, think=lambda: pauses.uniform(*think))

    cluster = Cluster(
        emulator,
        database_url=url,
        redis_url="",  # the embedded mode: FSM in the database
        replicas=1,
        log_dir=work,
        env={"LOG_LEVEL": "WARNING"},
    )
    try:
        await cluster.start()
        pid = cluster.processes[0].pid
        assert pid is not None
        figures = await _load(
            emulator, pid, journey, people=people, warmup=warmup, first_index=10_000
        )
        figures["rss_mb"] = psutil.Process(pid).memory_info().rss / 2**20
        figures["paced"] = await _load(
            emulator, pid, paced, people=people, warmup=0, first_index=50_000
        )
        return figures
    finally:
        await cluster.stop()
        emulator.webhook_round_robin = []


async def _completed_forms(url: str) -> int:
    from sqlalchemy import func, select

    from storage.db import Database
    from storage.models import FormSession, FormStatus

    db = Database(url)
    try:
        async with db.read() as session:
            return int(
                await session.scalar(
                    select(func.count(FormSession.id)).where(
                        FormSession.status == FormStatus.COMPLETED
                    )
                )
                or 0
            )
    finally:
        await db.dispose()


async def prepare(work: Path, participants: int) -> tuple[str, Any]:
    """The bot's SQLite database in `work`: migrated, a programme with invitations
    (`tests.support.journey.Setup`) and `participants` people taking part in it."""
    from storage.db import Database
    from storage.migrate import upgrade
    from tests.support.journey import programme_with_invitations

    path = work / "bot.db"
    url = f"sqlite+aiosqlite:///{path}"
    await upgrade(url)
    db = Database(url)
    try:
        setup = await programme_with_invitations(db, CURATOR_TG)
    finally:
        await db.dispose()
    fill_participants(path, setup.programme_id, participants)
    return url, setup


async def measure(
    work: Path,
    *,
    people: int = 200,
    participants: int = 10_000,
    warmup: int = 10,
    think: tuple[float, float] = THINK_SECONDS,
) -> dict[str, Any]:
    """The whole benchmark in `work` (a folder for the database and the logs)."""
    from emulator.api import Emulator

    url, setup = await prepare(work, participants)
    emulator = Emulator(rate_limits=False, webhook_timeout=60, callback_timeout=600)
    await emulator.start()
    try:
        echo = await _echo(emulator, work, people, warmup)
        bot = await _bot(emulator, url, setup.mentee_code, work, people, warmup, think)
    finally:
        await emulator.stop()
    return {
        "bot_updates_per_s": round(bot["updates_per_s"], 1),
        "echo_updates_per_s": round(echo["updates_per_s"], 1),
        "bot_vs_echo_ratio": round(bot["updates_per_s"] / echo["updates_per_s"], 3),
        "p95_ms": round(bot["p95_ms"], 1),
        "p50_ms": round(bot["p50_ms"], 1),
        "echo_p95_ms": round(echo["p95_ms"], 1),
        "rss_mb_10k": round(bot["rss_mb"], 1),
        "bot_cpu_ms_per_update": round(bot["cpu_ms_per_update"], 2),
        "echo_cpu_ms_per_update": round(echo["cpu_ms_per_update"], 2),
        "paced_p95_ms": round(bot["paced"]["p95_ms"], 1),
        "paced_p50_ms": round(bot["paced"]["p50_ms"], 1),
        "paced_updates_per_s": round(bot["paced"]["updates_per_s"], 1),
        "people": people,
        "updates_each": bot["updates"],
        "participants": participants,
        "completed_forms": await _completed_forms(url),
        "load_average_1m": round(os.getloadavg()[0], 2),
    }


def main(argv: list[str]) -> dict[str, Any]:
    parser = argparse.ArgumentParser(prog="python -m benchmarks throughput", description=__doc__)
    parser.add_argument("--people", type=int, default=200, help="people acting at once")
    parser.add_argument("--participants", type=int, default=10_000, help="already in the database")
    parser.add_argument("--warmup", type=int, default=10, help="people before the clock runs")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-throughput-") as folder:
        return asyncio.run(
            measure(
                Path(folder),
                people=args.people,
                participants=args.participants,
                warmup=args.warmup,
            )
        )
