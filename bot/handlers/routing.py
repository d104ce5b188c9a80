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

aiogram offers an update to each router in turn, and each checks the filters of each of
its handlers. A router whose handlers (its sub-routers' included) all need a button of
known kinds, or a message in known dialog states or with known commands, is given a first
filter of its own built from them (`Reachable`): for any other update the whole router is
skipped with one check instead of one per handler. A consent button met 45 handlers'
filters before its own, a `/start` with a code 15.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, Literal, TypeVar

from aiogram import Router
from aiogram.dispatcher.event.bases import MiddlewareType
from aiogram.dispatcher.event.telegram import TelegramEventObserver
from aiogram.filters import Command, Filter, StateFilter
from aiogram.filters.callback_data import CallbackQueryFilter
from aiogram.filters.command import CommandException
from aiogram.fsm.state import State
from aiogram.types import CallbackQuery, Message
from magic_filter import MagicFilter

Handler = TypeVar("Handler", bound=Callable[..., Any])
Step = Callable[[Router], object]
# A router with fewer handlers of an event than this gets no `Reachable` for it: its one
# check would cost about what the handlers' own do.
REACHABLE_FROM = 2


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


class Reachable(Filter):
    """Whether an update could match one of a router's handlers: a button press whose data
    has one of `prefixes`, a message in one of `states` or with one of `commands`.

    A superset of what the handlers take (a command is compared without its case), so a
    router that fails it would have taken nothing; it is skipped without its handlers'
    filters being tried one by one."""

    __slots__ = ("command_prefixes", "commands", "heads", "prefixes", "states")

    def __init__(
        self,
        *,
        prefixes: frozenset[str] = frozenset(),
        heads: tuple[str, ...] = (),
        states: frozenset[str] = frozenset(),
        commands: frozenset[str] = frozenset(),
        command_prefixes: str = "",
    ) -> None:
        self.prefixes = prefixes
        self.heads = heads
        self.states = states
        self.commands = commands
        self.command_prefixes = command_prefixes

    async def __call__(self, event: Any, raw_state: str | None = None) -> bool:
        if isinstance(event, CallbackQuery):
            data = event.data
            return isinstance(data, str) and (data in self.prefixes or data.startswith(self.heads))
        if raw_state is not None and raw_state in self.states:
            return True
        if not self.commands or not isinstance(event, Message):
            return False
        text = event.text or event.caption
        if not text or text[0] not in self.command_prefixes:
            return False
        try:
            name = Command.extract_command(text).command
        except CommandException:  # no word to read
            return False
        return name.casefold() in self.commands

    def __str__(self) -> str:
        kinds = sorted(self.prefixes) + sorted(self.states) + sorted(self.commands)
        return f"Reachable({', '.join(kinds)})"


class Needs:
    """What one handler needs of an update, as far as its filters say: a button's prefix,
    a dialog state, a command. `open` when one of them may be any (the handler may take
    any update its filters were not read for)."""

    def __init__(self, checks: list[Any]) -> None:
        self.prefix: str | None = None
        self.head = ""
        self.states: frozenset[str] | None = None
        self.commands: frozenset[str] | None = None
        self.command_prefixes = ""
        for check in checks:
            if isinstance(check, CallbackPrefix):
                self.prefix = check.prefix
                self.head = check.head
            elif isinstance(check, Command) and all(isinstance(c, str) for c in check.commands):
                self.commands = frozenset(str(c).casefold() for c in check.commands)
                self.command_prefixes = check.prefix
            elif isinstance(check, StateFilter | InLoop):
                states = _states(check)
                if states is not None:
                    self.states = states

    @property
    def open(self) -> bool:
        return self.prefix is None and self.states is None and self.commands is None


def _states(check: StateFilter | InLoop) -> frozenset[str] | None:
    """The dialog states a state filter lets through (None: any, or the idle chat)."""
    if isinstance(check, InLoop):
        given: tuple[Any, ...] = (check.check,) if isinstance(check.check, State) else ()
    else:
        given = tuple(check.states)
    names: set[str] = set()
    for each in given:
        name = each.state if isinstance(each, State) else each
        if not isinstance(name, str) or name == "*":
            return None
        names.add(name)
    return frozenset(names) if names else None


def reachable(event: str, needs: list[Needs]) -> Reachable | None:
    """The first filter for a router whose handlers of `event` need `needs` (None when
    one of them is open, or there are too few to be worth it)."""
    if len(needs) < REACHABLE_FROM or any(each.open for each in needs):
        return None
    if event == "callback_query":
        if any(each.prefix is None for each in needs):
            return None
        prefixes = frozenset(str(each.prefix) for each in needs)
        heads = tuple(sorted({each.head for each in needs}))
        return Reachable(prefixes=prefixes, heads=heads)
    if event == "message":
        states: set[str] = set()
        commands: set[str] = set()
        command_prefixes: set[str] = set()
        for each in needs:
            if each.commands is not None:
                commands |= each.commands
                command_prefixes |= set(each.command_prefixes)
            elif each.states is not None:
                states |= each.states
            else:  # a button's filter on a message: no message reaches it
                continue
        return Reachable(
            states=frozenset(states),
            commands=frozenset(commands),
            command_prefixes="".join(sorted(command_prefixes)),
        )
    return None


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
        self.owner.needs.setdefault(self.event, []).append(Needs(checks))

    def filter(self, *filters: Any) -> None:
        checks = [in_loop(each) for each in filters]
        self.owner.steps.append(lambda router: self._observer(router).filter(*checks))

    def middleware(self, middleware: MiddlewareType[Any]) -> None:
        self.owner.steps.append(lambda router: self._observer(router).middleware(middleware))

    def outer_middleware(self, middleware: MiddlewareType[Any]) -> None:
        # every update of the event meets it: the router is never skipped for that event
        self.owner.watched.add(self.event)
        self.owner.steps.append(lambda router: self._observer(router).outer_middleware(middleware))


class Handlers:
    """The record of one handler module's router; `build()` makes an aiogram Router of it."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.steps: list[Step] = []
        self.needs: dict[str, list[Needs]] = {}  # what each handler needs, by event
        self.watched: set[str] = set()  # events with an outer middleware
        self.children: list[Handlers] = []
        self.message = Observer(self, "message")
        self.edited_message = Observer(self, "edited_message")
        self.callback_query = Observer(self, "callback_query")
        self.my_chat_member = Observer(self, "my_chat_member")
        self.chat_member = Observer(self, "chat_member")
        self.chat_join_request = Observer(self, "chat_join_request")
        self.errors = Observer(self, "errors")

    def include_router(self, child: Handlers) -> Handlers:
        self.children.append(child)
        self.steps.append(lambda router: router.include_router(child.build()))
        return child

    def include_routers(self, *children: Handlers) -> None:
        for child in children:
            self.include_router(child)

    def build(self) -> Router:
        """A new aiogram Router with everything recorded, its sub-routers new as well."""
        router = Router(name=self.name)
        for event in ("message", "callback_query"):
            first = self.reachable(event)
            if first is not None:  # before the router's own filters: the cheapest
                getattr(router, event).filter(first)
        for step in self.steps:
            step(router)
        return router

    def reachable(self, event: str) -> Reachable | None:
        """The first filter the router gets for `event` (None: it is offered every one)."""
        needs = self.all_needs(event)
        return reachable(event, needs) if needs is not None else None

    def all_needs(self, event: str) -> list[Needs] | None:
        """What the handlers of `event` need, this router's and its sub-routers' (None
        when an outer middleware of one of them sees every such update)."""
        if event in self.watched:
            return None
        found = list(self.needs.get(event, ()))
        for child in self.children:
            theirs = child.all_needs(event)
            if theirs is None:
                return None
            found.extend(theirs)
        return found
