"""The composition root can build the bot twice in one process (tests, the demo)."""

from __future__ import annotations

from pathlib import Path

from aiogram import F, Router
from aiogram.filters import Filter

from bot.app.factory import create_dispatcher
from bot.config import Settings
from bot.handlers.routing import Handlers, InLoop
from storage.db import Database


def _routers(root: Router) -> list[Router]:
    found = [root]
    for child in root.sub_routers:
        found.extend(_routers(child))
    return found


async def test_two_dispatchers_in_one_process(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, bot_token="1:T")  # type: ignore[call-arg]
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    first = create_dispatcher(settings, db)
    second = create_dispatcher(settings, db)
    # Each dispatcher has routers of its own, attached to it alone, with the same handlers.
    first_ids = {id(router) for router in _routers(first)}
    assert not first_ids & {id(router) for router in _routers(second)}
    assert [r.name for r in _routers(first)][1:] == [r.name for r in _routers(second)][1:]
    assert len(_routers(first)) > 20
    assert all(router.parent_router is second for router in second.sub_routers)
    await db.dispose()


def _has_document(message: object, tag: str) -> bool:
    return tag == "doc"


async def test_plain_filters_are_registered_as_async_filters() -> None:
    """aiogram runs a plain filter in a worker thread; ours are checks of microseconds."""
    handlers = Handlers("x")

    @handlers.message(F.text == "hi", _has_document)
    async def answer() -> None:
        return None

    handlers.message.filter(F.chat.type == "private")
    router = handlers.build()
    (handler,) = router.message.handlers
    assert handler.filters is not None
    assert all(isinstance(each.callback, Filter) and each.awaitable for each in handler.filters)
    magic, plain = (each.callback for each in handler.filters)
    assert isinstance(magic, InLoop) and isinstance(plain, InLoop)
    assert await magic(type("M", (), {"text": "hi"})()) is True
    assert await magic(type("M", (), {"text": "no"})()) is False
    assert await plain(object(), tag="doc", other=1) is True
    assert await plain(object(), tag="pdf") is False
    # a second build is a second router with the same handler
    assert handlers.build() is not router
    assert handlers.build().message.handlers[0].callback is answer


async def test_a_button_filter_answers_as_aiograms_own() -> None:
    """A CallbackData's filter looks at the prefix before parsing: the same answers as
    aiogram's filter, for data of its kind and of every other."""
    from datetime import UTC, datetime

    from aiogram.filters.callback_data import CallbackQueryFilter
    from aiogram.types import CallbackQuery, Chat, Message, User

    from bot.handlers.routing import CallbackPrefix
    from bot.keyboards.forms import FormCb

    handlers = Handlers("x")

    @handlers.callback_query(FormCb.filter(F.a == "pick"))
    async def pick() -> None:
        return None

    (check,) = (each.callback for each in handlers.build().callback_query.handlers[0].filters)
    assert isinstance(check, CallbackPrefix)
    original = FormCb.filter(F.a == "pick")
    assert isinstance(original, CallbackQueryFilter)
    message = Message(message_id=1, date=datetime.now(UTC), chat=Chat(id=1, type="private"))
    user = User(id=1, is_bot=False, first_name="x")
    picked = FormCb(s=7, v=2, a="pick", i=1).pack()
    opened = FormCb(s=7, v=2, a="open", i=0).pack()
    prefix = picked.split(":")[0]
    for data in (picked, opened, prefix, prefix + ":", prefix + "x:1:2:pick:1", "pa:1:2", ""):
        query = CallbackQuery(id="1", from_user=user, chat_instance="1", data=data, message=message)
        assert await check(query) == await original(query), data
    query = CallbackQuery(id="1", from_user=user, chat_instance="1", data=picked, message=message)
    assert await check(query) == {"callback_data": FormCb(s=7, v=2, a="pick", i=1)}
