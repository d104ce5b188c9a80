"""Engine and sessions: SQLite (WAL, busy timeout, BEGIN IMMEDIATE) or PostgreSQL, by URL."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import NullPool

SQLITE_BUSY_TIMEOUT_MS = 30_000

# The unit of work of the update being handled, so that helpers such as the FSM storage
# write in the same transaction instead of waiting for the handler's write lock.
current_session: ContextVar[AsyncSession | None] = ContextVar("current_session", default=None)


def _prepare_sqlite_path(url: str) -> None:
    parsed = make_url(url)
    db = parsed.database
    if db and db != ":memory:" and not db.startswith("file:"):
        folder = os.path.dirname(os.path.abspath(db))
        os.makedirs(folder, exist_ok=True)


def make_engine(url: str, **kwargs: Any) -> AsyncEngine:
    """An async engine; on SQLite every connection gets WAL, a busy timeout and foreign keys."""
    if url.startswith("sqlite"):
        _prepare_sqlite_path(url)
        engine = create_async_engine(
            url,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
            **kwargs,
        )

        @event.listens_for(engine.sync_engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            # Take transaction control from the driver so that BEGIN is ours to choose.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        @event.listens_for(engine.sync_engine, "begin")
        def _on_begin(conn: Any) -> None:
            # Writers take the lock up front: no lock upgrade, no "database is locked" midway.
            readonly = conn.get_execution_options().get("readonly", False)
            conn.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")

        return engine
    if "poolclass" not in kwargs and kwargs.pop("null_pool", False):
        kwargs["poolclass"] = NullPool
    kwargs.setdefault("pool_pre_ping", True)
    return create_async_engine(url, **kwargs)


class Database:
    """The engine and two session factories: `session()` writes, `read()` only reads."""

    def __init__(self, url: str, **engine_kwargs: Any) -> None:
        self.url = url
        self.engine = make_engine(url, **engine_kwargs)
        self.is_sqlite = url.startswith("sqlite")
        self.session_factory = async_sessionmaker(self.engine, expire_on_commit=False)
        self.read_factory = async_sessionmaker(
            self.engine.execution_options(readonly=True), expire_on_commit=False
        )

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A write unit of work: committed when the block ends, rolled back on error."""
        async with self.session_factory() as session:
            try:
                yield session
                await session.commit()
            except BaseException:
                await session.rollback()
                raise

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        """A read-only session (on SQLite it does not take the write lock)."""
        async with self.read_factory() as session:
            yield session

    async def create_all(self) -> None:
        """Create every table directly (tests); production uses migrations."""
        from storage.models import Base

        async with self.engine.begin() as conn:
            await conn.run_sync(Base.metadata.create_all)

    async def dispose(self) -> None:
        await self.engine.dispose()
