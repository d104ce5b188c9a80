"""A router whose handlers all need known buttons, dialog states or commands is skipped,
with one check, by an update none of them could take (bot.handlers.routing.Reachable)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aiogram import F, Router
from aiogram.filters import Command, CommandStart, StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Chat, Message, User

from bot.handlers.routing import Handlers, Reachable


class AlphaCb(CallbackData, prefix="al"):
    action: str


class BetaCb(CallbackData, prefix="be"):
    n: int


class Talk(StatesGroup):
    topic = State()
    note = State()


USER = User(id=1, is_bot=False, first_name="x")
CHAT = Chat(id=1, type="private")


def _message(text: str | None = None, caption: str | None = None) -> Message:
    return Message(
        message_id=1, date=datetime.now(UTC), chat=CHAT, from_user=USER, text=text, caption=caption
    )


def _press(data: str | None) -> CallbackQuery:
    return CallbackQuery(id="1", from_user=USER, chat_instance="1", data=data, message=_message())


def _feature() -> Handlers:
    """A feature router: buttons of two kinds, commands and dialog states, in two levels."""
    root = Handlers("feature")
    child = Handlers("feature.child")

    @root.callback_query(AlphaCb.filter(F.action == "go"))
    async def go() -> None: ...

    @root.callback_query(AlphaCb.filter())
    async def other() -> None: ...

    @child.callback_query(Talk.topic, BetaCb.filter())
    async def beta() -> None: ...

    @root.message(Command("alpha", "Beta"))
    async def command() -> None: ...

    @child.message(Talk.topic, F.text)
    async def topic() -> None: ...

    @child.message(StateFilter(Talk.note), F.text)
    async def note() -> None: ...

    root.include_router(child)
    return root


async def _any_handler_takes(router: Router, event: Any, raw_state: str | None) -> bool:
    """Whether a handler of the router (or of its sub-routers) has its filters passed."""
    observer = router.callback_query if isinstance(event, CallbackQuery) else router.message
    data = {"raw_state": raw_state, "bot": None}
    for handler in observer.handlers:
        passed = True
        for each in handler.filters or ():
            if isinstance(each.callback, CommandStart | Command):
                # without a bot: the command's name is what this test varies
                text = event.text or event.caption or ""
                name = Command.extract_command(text).command if text.strip() else ""
                passed = text[:1] == "/" and name in each.callback.commands
            else:
                passed = bool(await each.call(event, **data))
            if not passed:
                break
        if passed:
            return True
    for child in router.sub_routers:
        if await _any_handler_takes(child, event, raw_state):
            return True
    return False


async def test_a_router_is_skipped_only_by_updates_none_of_its_handlers_takes() -> None:
    feature = _feature()
    router = feature.build()
    presses = feature.reachable("callback_query")
    messages = feature.reachable("message")
    assert isinstance(presses, Reachable) and isinstance(messages, Reachable)
    states = (None, Talk.topic.state, Talk.note.state, "Other:state")
    updates: list[Any] = [
        _press(data)
        for data in (
            AlphaCb(action="go").pack(),
            AlphaCb(action="x").pack(),
            BetaCb(n=3).pack(),
            "al",
            "be",
            "alx:1",
            "ga:1",
            "",
            None,
        )
    ]
    updates += [
        _message(text)
        for text in ("/alpha", "/Beta now", "/beta", "/alpha@bot x", "/gamma", "/", "hi", "")
    ]
    updates += [_message(caption="/alpha"), _message()]
    for update in updates:
        for raw_state in states:
            takes = await _any_handler_takes(router, update, raw_state)
            check = presses if isinstance(update, CallbackQuery) else messages
            passes = await check(update, raw_state=raw_state)
            assert passes or not takes, (update, raw_state)  # never skips a taker
    # and it does skip: another button, a message in no dialog with no command of theirs
    assert await presses(_press("ga:1")) is False
    assert await messages(_message("/gamma")) is False
    assert await messages(_message("hi"), raw_state=None) is False
    assert await messages(_message("hi"), raw_state=Talk.topic.state) is True
    # the router built carries it: aiogram's own first check now says no
    passed, _ = await router.callback_query.check_root_filters(_press("ga:1"), raw_state=None)
    assert not passed
    passed, _ = await router.callback_query.check_root_filters(_press("be:1"), raw_state=None)
    assert passed


def test_an_open_handler_leaves_its_router_and_the_parents_without_a_first_check() -> None:
    root = Handlers("top")
    root.include_router(_feature())
    child = Handlers("feature.open")

    @child.callback_query(F.data == "anything")
    async def anything() -> None: ...

    @child.message(F.text)
    async def text() -> None: ...

    root.include_router(child)
    assert root.reachable("callback_query") is None
    assert root.reachable("message") is None
    # the feature beside it keeps its own
    assert root.children[0].reachable("callback_query") is not None
    assert root.children[0].reachable("message") is not None


def test_an_outer_middleware_leaves_the_router_without_a_first_check() -> None:
    root = _feature()

    async def seen(handler: Any, event: Any, data: dict[str, Any]) -> Any:
        return await handler(event, data)

    root.callback_query.outer_middleware(seen)
    assert root.reachable("callback_query") is None
    assert root.reachable("message") is not None


def test_the_bots_routers() -> None:
    """The fallback (unknown commands, stale buttons) is never skipped; the features a
    questionnaire's update passes by are."""
    from bot.handlers import common, curator
    from bot.handlers import pairwork as pairs

    assert common.router.reachable("message") is None
    assert common.router.reachable("callback_query") is None
    assert pairs.router.reachable("message") is not None
    assert pairs.router.reachable("callback_query") is not None
    assert curator.router.reachable("callback_query") is not None
