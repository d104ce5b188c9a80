"""Handler modules declare their handlers once; each dispatcher gets routers of its own.

aiogram attaches a router to one parent only, and a process may build the bot more than
once (tests, the demo). A handler module therefore keeps a `Handlers` (the same decorators
as aiogram's `Router`: `@router.message(...)`, `router.callback_query.filter(...)`,
`include_router`) that only records what is registered; `build()` makes a new aiogram
`Router` from the record, through aiogram's public API, each time it is called.

Plain (not async) filters such as `F.chat.type == "private"` are registered as async
`aiogram.filters.Filter`s (`InLoop`): aiogram runs a plain callable in a worker thread
(`asyncio.to_thread`), which is right for a handler that may block but costs a thread hop
for every filter of every update, and these filters are pure checks of the event that take
microseconds. (This replaces an edit of aiogram's handler objects; `python -m benchmarks
throughput --people 100 --participants 2000` on 2026-12-02, 2 cores at a load of 4-9:
9.5 and 9.8 ms of CPU per update before, 9.3 and 10.5 after; no change above the noise.)
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, Literal, TypeVar

from aiogram import Router
from aiogram.dispatcher.event.bases import MiddlewareType
from aiogram.dispatcher.event.telegram import TelegramEventObserver
from aiogram.filters import Filter
from aiogram.filters.callback_data import CallbackQueryFilter
from aiogram.types import CallbackQuery
from magic_filter import MagicFilter

Handler = TypeVar("Handler", bound=Callable[..., Any])
Step = Callable[[Router], object]


class InLoop(Filter):
    """A plain check of the event, run in the event loop (see the module's docstring)."""

    def __init__(self, check: Callable[..., Any]) -> None:
        if isinstance(check, MagicFilter):
            self.check: Callable[..., Any] = check.resolve
            self.params: frozenset[str] = frozenset()
            self.varkw = False
            return
        self.check = check
        signature = inspect.signature(check)
        parameters = list(signature.parameters.values())
        # The first parameter is the event; the rest are taken by name from the data,
        # as aiogram does for any filter.
        self.params = frozenset(p.name for p in parameters[1:] if p.kind != p.VAR_KEYWORD)
        self.varkw = any(p.kind == p.VAR_KEYWORD for p in parameters)

    async def __call__(self, event: Any, **data: Any) -> Any:
        if self.varkw:
            return self.check(event, **data)
        if not self.params:
            return self.check(event)
        return self.check(event, **{k: v for k, v in data.items() if k in self.params})

    def __str__(self) -> str:
        return f"InLoop({self.check!r})"


class CallbackPrefix(CallbackQueryFilter):
    """aiogram's filter of a CallbackData (`XCb.filter()`), looking at the prefix first.

    A button press meets the filters of every router before its own: each of them
    parsed the press's data and failed with an exception. The same answer without it
    for data of another kind; data of this kind goes to aiogram's filter as it is.
    """

    __slots__ = ("head", "prefix")

    def __init__(self, original: CallbackQueryFilter) -> None:
        super().__init__(callback_data=original.callback_data, rule=original.rule)
        kind = original.callback_data
        self.prefix: str = kind.__prefix__
        self.head: str = kind.__prefix__ + kind.__separator__

    async def __call__(self, query: CallbackQuery) -> Literal[False] | dict[str, Any]:
        data = getattr(query, "data", None)
        if isinstance(data, str) and (data.startswith(self.head) or data == self.prefix):
            return await super().__call__(query)
        return False


def in_loop(event_filter: Any) -> Any:
    """The filter as aiogram should run it: async ones as they are, plain ones in the loop
    (and a CallbackData's with a look at the prefix first)."""
    if type(event_filter) is CallbackQueryFilter:
        return CallbackPrefix(event_filter)
    if isinstance(event_filter, Filter):
        return event_filter
    if isinstance(event_filter, MagicFilter):
        return InLoop(event_filter)
    if inspect.iscoroutinefunction(inspect.unwrap(event_filter)):
        return event_filter
    return InLoop(event_filter)


class Observer:
    """What one event type of a `Handlers` records: handlers, filters, middlewares."""

    def __init__(self, owner: Handlers, event: str) -> None:
        self.owner = owner
        self.event = event

    def _observer(self, router: Router) -> TelegramEventObserver:
        observer: TelegramEventObserver = getattr(router, self.event)
        return observer

    def __call__(
        self, *filters: Any, flags: dict[str, Any] | None = None
    ) -> Callable[[Handler], Handler]:
        def record(callback: Handler) -> Handler:
            self.register(callback, *filters, flags=flags)
            return callback

        return record

    def register(self, callback: Callable[..., Any], *filters: Any, flags: Any = None) -> None:
        checks = [in_loop(each) for each in filters]

        def step(router: Router) -> None:
            # aiogram adds the filters' flags to the dict it is given: a copy per router
            own = dict(flags) if flags else None
            self._observer(router).register(callback, *checks, flags=own)

        self.owner.steps.append(step)

    def filter(self, *filters: Any) -> None:
        checks = [in_loop(each) for each in filters]
        self.owner.steps.append(lambda router: self._observer(router).filter(*checks))

    def middleware(self, middleware: MiddlewareType[Any]) -> None:
        self.owner.steps.append(lambda router: self._observer(router).middleware(middleware))

    def outer_middleware(self, middleware: MiddlewareType[Any]) -> None:
        self.owner.steps.append(lambda router: self._observer(router).outer_middleware(middleware))


class Handlers:
    """The record of one handler module's router; `build()` makes an aiogram Router of it."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.steps: list[Step] = []
        self.message = Observer(self, "message")
        self.edited_message = Observer(self, "edited_message")
        self.callback_query = Observer(self, "callback_query")
        self.my_chat_member = Observer(self, "my_chat_member")
        self.chat_member = Observer(self, "chat_member")
        self.chat_join_request = Observer(self, "chat_join_request")
        self.errors = Observer(self, "errors")

    def include_router(self, child: Handlers) -> Handlers:
        self.steps.append(lambda router: router.include_router(child.build()))
        return child

    def include_routers(self, *children: Handlers) -> None:
        for child in children:
            self.include_router(child)

    def build(self) -> Router:
        """A new aiogram Router with everything recorded, its sub-routers new as well."""
        router = Router(name=self.name)
        for step in self.steps:
            step(router)
        return router
