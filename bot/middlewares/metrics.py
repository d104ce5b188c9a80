"""Counts and times every update, and knows how many are in hand (for a graceful stop)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update

from bot import metrics


class InFlight:
    """How many updates this process is handling; `wait_idle()` waits until none."""

    def __init__(self) -> None:
        self.count = 0
        self._idle = asyncio.Event()
        self._idle.set()

    def enter(self) -> None:
        self.count += 1
        self._idle.clear()
        metrics.UPDATES_IN_PROGRESS.inc()

    def leave(self) -> None:
        self.count -= 1
        metrics.UPDATES_IN_PROGRESS.dec()
        if self.count <= 0:
            self.count = 0
            self._idle.set()

    async def wait_idle(self, timeout: float) -> bool:
        """True when nothing is in hand (at once or within `timeout` seconds)."""
        try:
            await asyncio.wait_for(self._idle.wait(), timeout)
        except TimeoutError:
            return False
        return True


def _kind(event: TelegramObject) -> str:
    if not isinstance(event, Update):
        return "unknown"
    try:
        return event.event_type
    except Exception:  # an update type newer than aiogram
        return "unknown"


class MetricsMiddleware(BaseMiddleware):
    """The outermost of our update middlewares: sees failures before the error handler."""

    def __init__(self, in_flight: InFlight | None = None) -> None:
        self.in_flight = in_flight or InFlight()
        # prometheus_client's `labels()` checks and locks on each call: each series once
        self.timers: dict[str, Any] = {}
        self.counters: dict[tuple[str, str], Any] = {}

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        kind = _kind(event)
        started = time.perf_counter()
        self.in_flight.enter()
        outcome = "failed"
        try:
            result = await handler(event, data)
            outcome = "duplicate" if data.get("duplicate_update") else "handled"
            return result
        finally:
            self.in_flight.leave()
            timer = self.timers.get(kind)
            if timer is None:
                timer = self.timers[kind] = metrics.HANDLER_SECONDS.labels(type=kind)
            timer.observe(time.perf_counter() - started)
            counter = self.counters.get((kind, outcome))
            if counter is None:
                counter = metrics.UPDATES.labels(type=kind, outcome=outcome)
                self.counters[(kind, outcome)] = counter
            counter.inc()
