"""The SQL FSM storage keeps state and data across storage instances (a restart)."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup
from aiogram.fsm.storage.base import StorageKey

from storage.db import Database
from storage.fsm import SQLStorage


class Form(StatesGroup):
    answering = State()


async def test_state_and_data_survive_a_new_storage(db: Database) -> None:
    key = StorageKey(bot_id=1, chat_id=42, user_id=42)
    first = SQLStorage(db)
    await first.set_state(key, Form.answering)
    await first.set_data(key, {"question": "age", "answers": {"name": "Вася"}})

    second = SQLStorage(db)
    assert await second.get_state(key) == "Form:answering"
    assert await second.get_data(key) == {"question": "age", "answers": {"name": "Вася"}}

    other = StorageKey(bot_id=1, chat_id=43, user_id=43)
    assert await second.get_state(other) is None
    assert await second.get_data(other) == {}

    await second.set_state(key, None)
    await second.set_data(key, {})
    assert await first.get_state(key) is None
    assert await first.get_data(key) == {}


async def test_clear_user(db: Database) -> None:
    storage = SQLStorage(db)
    mine = StorageKey(bot_id=1, chat_id=7, user_id=7)
    theirs = StorageKey(bot_id=1, chat_id=77, user_id=77)
    for key in (mine, theirs):
        await storage.set_data(key, {"x": 1})
    await storage.clear_user(7)
    assert await storage.get_data(mine) == {}
    assert await storage.get_data(theirs) == {"x": 1}


async def test_inside_a_unit_of_work_it_shares_the_transaction(db: Database) -> None:
    """A handler's FSM writes must not wait for the handler's own write lock."""
    from storage.db import current_session

    storage = SQLStorage(db)
    key = StorageKey(bot_id=1, chat_id=9, user_id=9)
    async with db.session() as session:
        token = current_session.set(session)
        try:
            await storage.set_state(key, Form.answering)
            await storage.set_data(key, {"step": 2})
            assert await storage.get_state(key) == "Form:answering"
        finally:
            current_session.reset(token)
    assert await SQLStorage(db).get_data(key) == {"step": 2}


async def test_rolled_back_update_leaves_no_state(db: Database) -> None:
    from storage.db import current_session

    storage = SQLStorage(db)
    key = StorageKey(bot_id=1, chat_id=10, user_id=10)
    try:
        async with db.session() as session:
            token = current_session.set(session)
            try:
                await storage.set_state(key, Form.answering)
                raise RuntimeError("handler failed")
            finally:
                current_session.reset(token)
    except RuntimeError:
        pass
    assert await storage.get_state(key) is None
