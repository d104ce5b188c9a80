"""The running bot's lifecycle: start, leadership (only the replica holding it runs the
delivery worker and the scheduler), long polling, drain and stop.

`BotApp` (bot/app/factory.py) is built there and runs here: the methods below use the parts
the composition root made.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING, Any

from bot.commands import mini_app_url, set_default_commands, set_staff_commands, set_staff_menu
from bot.infra.leader import POLL_SECONDS
from bot.polling import Poller
from bot.services.people import bootstrap_staff, staff_tg_ids

if TYPE_CHECKING:
    from aiogram import Bot, Dispatcher

    from bot.config import Settings
    from bot.infra.delivery import DeliveryWorker
    from bot.infra.leader import Leadership
    from bot.infra.scheduler import Scheduler
    from bot.middlewares.metrics import InFlight
    from storage.db import Database

log = logging.getLogger(__name__)

# The first organisation has no name until its curator gives it one in /program: a
# placeholder would reach parents in the consent text.
DEFAULT_ORGANISATION = ""


class Lifecycle:
    """Start, lead, poll, drain, stop: one lifecycle for the parts of a `BotApp`."""

    settings: Settings
    db: Database
    bot: Bot
    max_bot: Bot | None
    dispatcher: Dispatcher
    delivery: DeliveryWorker
    scheduler: Scheduler
    leadership: Leadership
    in_flight: InFlight
    started: bool
    stopping: bool
    poller: Poller | None
    pollers: list[Poller]
    _tasks: list[asyncio.Task[Any]]
    _delivery_task: asyncio.Task[None] | None
    _leading_task: asyncio.Task[None] | None
    _stopped: asyncio.Event

    async def start(self, *, migrate: bool = True) -> None:
        if migrate:
            from storage.migrate import upgrade

            await upgrade(self.settings.database_url)
        async with self.db.session() as session:
            await bootstrap_staff(
                session,
                curator_ids=self.settings.curator_ids,
                coordinator_ids=self.settings.coordinator_ids,
                default_organisation=DEFAULT_ORGANISATION,
            )
        async with self.db.read() as session:
            staff = await staff_tg_ids(session)
        await self._remember_bots()
        try:
            await set_default_commands(self.bot)
            menu = mini_app_url(self.settings.dashboard_base_url, self.settings.webhook_base_url)
            for tg_id, _role in staff:
                await set_staff_commands(self.bot, tg_id)
                if menu is not None:
                    await set_staff_menu(self.bot, tg_id, menu)
        except Exception as exc:  # commands are a convenience: never block the start
            log.warning("could not set command menus: %s", type(exc).__name__)
        if self.settings.workers_enabled:
            # Try at once so a single process starts its workers without waiting a poll.
            if await self.leadership.acquire():
                self.start_workers()
            self._leading_task = asyncio.create_task(self._keep_leadership(), name="leader")
        self.started = True

    async def _remember_bots(self) -> None:
        """The messengers served and their bots' names: with both, links are offered
        for both; outside an update a link follows its person (bot.services.messenger)."""
        from bot.services.messenger import MAX, TELEGRAM, remember_bots

        bots = {TELEGRAM: self.bot if self.settings.serves_telegram else None}
        bots[MAX] = self.max_bot
        usernames = {name: "" for name, bot in bots.items() if bot is not None}
        try:
            for name, bot in bots.items():
                if bot is not None:
                    usernames[name] = (await bot.me()).username or ""
        except Exception as exc:  # the links of the update's own bot still work
            log.warning("could not read the bots' names: %s", type(exc).__name__)
        remember_bots(usernames)

    @property
    def workers_running(self) -> bool:
        return self._delivery_task is not None and not self._delivery_task.done()

    def start_workers(self) -> None:
        """Start the delivery worker and the scheduler (call only while leading)."""
        if not self.workers_running:
            self._delivery_task = asyncio.create_task(self.delivery.run(), name="delivery")
        self.scheduler.start()

    async def stop_workers(self) -> None:
        """Stop them gracefully: sends in flight finish, claimed rows go back."""
        await self.scheduler.stop()
        task, self._delivery_task = self._delivery_task, None
        if task is not None:
            self.delivery.stop()
            try:
                await asyncio.wait_for(task, timeout=4.0)
            except (TimeoutError, asyncio.CancelledError):
                pass
            except Exception:
                log.exception("the delivery worker failed")

    async def _keep_leadership(self) -> None:
        while True:
            await asyncio.sleep(POLL_SECONDS)
            try:
                leading = await self.leadership.acquire()
                if leading and not self.workers_running:
                    self.start_workers()
                elif not leading and self.workers_running:
                    await self.stop_workers()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("leadership check failed")

    async def run_polling(self) -> None:
        """Long polling until `drain()`; no update is lost if the process dies.

        One poller per messenger, side by side, feeding the one dispatcher."""
        allowed = self.dispatcher.resolve_used_update_types()
        runs = []
        if self.settings.serves_telegram:
            self.poller = Poller(self.dispatcher, self.bot, self.db, allowed_updates=allowed)
            self.pollers.append(self.poller)
            runs.append(self.poller.run())
        if self.max_bot is not None:
            from bot.max.polling import MaxPoller

            max_poller = MaxPoller(self.dispatcher, self.max_bot, self.db, allowed_updates=allowed)
            self.poller = self.poller or max_poller
            self.pollers.append(max_poller)
            runs.append(max_poller.run())
        await asyncio.gather(*runs)

    async def drain(self, timeout: float | None = None) -> bool:
        """Take no new updates and wait for the ones in hand; True if all finished."""
        self.stopping = True
        for poller in self.pollers:
            await poller.stop()
        wait = self.settings.shutdown_timeout if timeout is None else timeout
        finished = await self.in_flight.wait_idle(wait)
        if not finished:
            log.warning("stopping with %d updates still in hand", self.in_flight.count)
        return finished

    async def stop(self) -> None:
        if self._stopped.is_set():
            return
        self._stopped.set()
        await self.drain()  # the updates in hand finish and are answered first
        if self._leading_task is not None:
            self._leading_task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._leading_task
        await self.stop_workers()
        with contextlib.suppress(Exception):
            await self.leadership.release()
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        await self.dispatcher.storage.close()
        await self.bot.session.close()
        await self.db.dispose()
        from bot.services.messenger import remember_bots

        remember_bots({})  # nothing served any more (the next start remembers anew)
