"""The composition root can build the bot twice in one process (tests, the demo)."""

from __future__ import annotations

from pathlib import Path

from aiogram import F, Router
from aiogram.filters import Filter

from bot.config import Settings
from bot.factory import create_dispatcher
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
