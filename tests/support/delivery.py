"""Helpers for the delivery tests: a clock the services read, a fake Bot API sender."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest
from aiogram.methods import SendMessage

from bot.infra import clock as clock_module
from bot.infra.clock import TestClock


@pytest.fixture
def service_clock() -> Iterator[TestClock]:
    """A TestClock that `bot.infra.clock.now()` reads (the services' time)."""
    previous = clock_module.get_clock()
    clock = TestClock(datetime.now(UTC))  # frozen: moves only when a test moves it
    clock_module.set_clock(clock)
    yield clock
    clock_module.set_clock(previous)


def method(chat_id: int = 1) -> SendMessage:
    return SendMessage(chat_id=chat_id, text="x")


@dataclass
class _Message:
    message_id: int


@dataclass
class FakeSender:
    """Stands in for aiogram's Bot: records sends; `script[chat]` raises or delays."""

    delay: float = 0.0
    script: dict[int, list[Callable[[], Any]]] = field(default_factory=dict)
    sent: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    calls: list[int] = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0
    chats_in_flight: set[int] = field(default_factory=set)
    same_chat_overlap: int = 0

    async def send_message(self, chat_id: int, **payload: Any) -> _Message:
        self.calls.append(chat_id)
        if chat_id in self.chats_in_flight:
            self.same_chat_overlap += 1
        self.chats_in_flight.add(chat_id)
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if self.delay:
                await asyncio.sleep(self.delay)
            steps = self.script.get(chat_id)
            if steps:
                step = steps.pop(0)
                result = step()
                if asyncio.iscoroutine(result):
                    await result
            self.sent.append((chat_id, payload))
            return _Message(len(self.sent))
        finally:
            self.in_flight -= 1
            self.chats_in_flight.discard(chat_id)

    def raise_(self, exc: BaseException) -> Callable[[], Any]:
        def step() -> Any:
            raise exc

        return step
