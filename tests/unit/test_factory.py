"""The composition root can build the bot twice in one process (tests, the demo)."""

from __future__ import annotations

from pathlib import Path

from bot.config import Settings
from bot.factory import create_dispatcher
from bot.handlers import get_routers
from storage.db import Database


async def test_two_dispatchers_in_one_process(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, bot_token="1:T")  # type: ignore[call-arg]
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    first = create_dispatcher(settings, db)
    second = create_dispatcher(settings, db)
    routers = get_routers()
    assert all(router.parent_router is second for router in routers)
    assert not any(router in first.sub_routers for router in routers)
    await db.dispose()
