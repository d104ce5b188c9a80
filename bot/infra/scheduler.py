"""The scheduler: APScheduler is the clock; what is due lives in the database.

Jobs are plain async functions `job(ctx) -> None` registered by name with an interval in
real seconds; `ctx` is a `JobContext` (the database, the bot, the clock and the settings),
not the whole app. Each run asks the database what is due by the bot's `Clock`, so a restart
catches up missed work exactly once and the test clock can move time forward.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from apscheduler.schedulers.asyncio import AsyncIOScheduler

if TYPE_CHECKING:
    from aiogram import Bot

    from bot.config import Settings
    from bot.infra.clock import Clock
    from storage.db import Database

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobContext:
    """What a scheduled job may use."""

    db: Database
    bot: Bot
    clock: Clock
    settings: Settings


class HasJobContext(Protocol):
    """A running bot (`BotApp`): tests and the demo run jobs with it."""

    @property
    def job_context(self) -> JobContext: ...


Job = Callable[[JobContext], Awaitable[Any]]


@dataclass(frozen=True)
class JobSpec:
    name: str
    func: Job
    seconds: float


_JOBS: dict[str, JobSpec] = {}


def scheduled(name: str, seconds: float) -> Callable[[Job], Job]:
    """Register a periodic job: `@scheduled("feedback-rounds", seconds=30)`."""

    def wrap(func: Job) -> Job:
        _JOBS[name] = JobSpec(name, func, seconds)
        return func

    return wrap


def registered_jobs() -> list[JobSpec]:
    return sorted(_JOBS.values(), key=lambda spec: spec.name)


def _context(of: JobContext | HasJobContext) -> JobContext:
    return of if isinstance(of, JobContext) else of.job_context


async def run_job(ctx: JobContext | HasJobContext, spec: JobSpec) -> None:
    try:
        await spec.func(_context(ctx))
    except asyncio.CancelledError:
        # The process is stopping: the job's transaction is rolled back and the job asks
        # the database again next time, so nothing is lost and nothing is worth a traceback.
        log.info("scheduled job %s stopped with the process", spec.name)
    except Exception:
        log.exception("scheduled job %s failed", spec.name)


async def run_all_jobs(ctx: JobContext | HasJobContext) -> None:
    """Run every job once now (tests and the demo call this after moving the clock)."""
    for spec in registered_jobs():
        await run_job(ctx, spec)


class Scheduler:
    """Runs every registered job on its interval while started (only on the leader)."""

    def __init__(self, ctx: JobContext, *, speed: float = 1.0) -> None:
        self.ctx = ctx
        self.speed = speed  # tests run jobs more often
        self._scheduler: AsyncIOScheduler | None = None
        self._in_flight: set[asyncio.Task[Any]] = set()

    @property
    def running(self) -> bool:
        return self._scheduler is not None and self._scheduler.running

    def start(self) -> None:
        if self.running:
            return
        # A fresh APScheduler each time: leadership may come and go during a process.
        self._scheduler = AsyncIOScheduler(timezone="UTC")
        for spec in registered_jobs():
            self._scheduler.add_job(
                self._run,
                "interval",
                seconds=max(spec.seconds / self.speed, 0.2),
                args=[self.ctx, spec],
                id=spec.name,
                max_instances=1,
                coalesce=True,
                misfire_grace_time=None,
                # The first run right away: work that fell due while no one led is
                # caught up now (jobs ask the database what is due, so once).
                next_run_time=datetime.now(UTC),
            )
        self._scheduler.start()

    async def _run(self, ctx: JobContext, spec: JobSpec) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._in_flight.add(task)
        try:
            await run_job(ctx, spec)
        finally:
            if task is not None:
                self._in_flight.discard(task)

    async def stop(self, timeout: float = 4.0) -> None:
        """Stop starting jobs and let those already running finish (a job is one unit of
        work in the database: cancelling it half-way only costs a rollback and a log)."""
        if self._scheduler is not None and self._scheduler.running:
            self._scheduler.shutdown(wait=False)
        self._scheduler = None
        if self._in_flight:
            await asyncio.wait(set(self._in_flight), timeout=timeout)
