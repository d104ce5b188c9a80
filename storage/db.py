"""Engine and sessions: SQLite (WAL, busy timeout, BEGIN IMMEDIATE) or PostgreSQL, by URL.

Personal data that is deleted must not stay readable in the database's files: SQLite
zeroes deleted content (`secure_delete`), and a transaction that erased a person asks for
the write-ahead log to be emptied after its commit (`wipe_after_commit`), since the log
keeps the earlier versions of every page it holds until a checkpoint truncates it.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Any

import aiosqlite
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.pool import NullPool

SQLITE_BUSY_TIMEOUT_MS = 30_000
# A checkpoint that truncates the log waits for readers to leave it: briefly, a few times,
# so that an erase is never held up (SQLite's own checkpoints finish the job later).
CHECKPOINT_BUSY_MS = 200
CHECKPOINT_TRIES = 10
CHECKPOINT_PAUSE_S = 0.1

log = logging.getLogger(__name__)

# The unit of work of the update being handled, so that helpers such as the FSM storage
# write in the same transaction instead of waiting for the handler's write lock.
current_session: ContextVar[AsyncSession | None] = ContextVar("current_session", default=None)
# The databases whose write lock the running task holds (see `Database.writing`).
_writing: ContextVar[frozenset[int]] = ContextVar("writing", default=frozenset())
_EXECUTES = frozenset({"execute", "executemany", "executescript"})
# Set by `Database.read(quick=True)`: the task's SQLite calls are made in the event loop.
_quick_read: ContextVar[bool] = ContextVar("quick_read", default=False)


class InlineConnection(aiosqlite.Connection):
    """aiosqlite's connection, with the calls of a task that holds the write lock made
    in the event loop's own thread.

    aiosqlite hands every call (cursor, execute, fetch, close, commit) to a thread of the
    connection's own and waits for the answer: four thread switches for a statement
    SQLite answers in microseconds, and under load the switches took most of an update's
    time, all of it inside the write transaction that every other update waits for.

    Only what cannot wait for a lock runs at once: everything of a task that holds this
    process's write lock (see `Database.writing`) once its transaction has begun (in WAL
    mode the holder of the write transaction never waits, and nor does a reader), and
    the statement that begins it when SQLite answers at once that the lock is free. If
    another process holds it, that statement, like every call of other tasks, goes to
    the thread and waits there.

    It reaches into aiosqlite's connection (`_execute`, `_thread`; aiosqlite is pinned
    below 0.23 for it) and is kept for the goal `bot_vs_echo_ratio >= 0.5` of
    `python -m benchmarks throughput`, which no library meets for us: measured on
    2026-12-02 against aiosqlite's own connection (`--people 100 --participants 2000`,
    2 cores at a load of 6-10 from other work), CPU per update of the bot 9.4-14.3 ms
    with it (median 11.1, 4 runs) and 10.0-15.8 ms without (median 13.7, 8 runs). The
    noise is large: to be measured again on a quiet machine.
    """

    async def _execute(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        sqlite = self._connection
        if self._running and sqlite is not None and _quick_read.get():
            # A short read in WAL mode never waits for a lock: no thread hop for it.
            return fn(*args, **kwargs)
        if self._running and sqlite is not None and _writing.get():
            if sqlite.in_transaction or getattr(fn, "__name__", "") not in _EXECUTES:
                return fn(*args, **kwargs)
            # The statement that begins the transaction: at once if nobody holds the
            # lock, else in the thread, waiting as long as the busy timeout says.
            sqlite.execute("PRAGMA busy_timeout=0")
            try:
                return fn(*args, **kwargs)
            except sqlite3.OperationalError as exc:
                if getattr(exc, "sqlite_errorcode", 0) & 0xFF != sqlite3.SQLITE_BUSY:
                    raise
            finally:
                sqlite.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        return await super()._execute(fn, *args, **kwargs)

    def _at_once(self) -> sqlite3.Connection | None:
        """The sqlite3 connection when a call may be made right here (see `_execute`)."""
        sqlite = self._connection
        if not self._running or sqlite is None:
            return None
        if _quick_read.get() or (_writing.get() and sqlite.in_transaction):
            return sqlite
        return None

    async def rows(self, sql: str, parameters: Sequence[Any]) -> list[Any]:
        """Every row of one statement (`storage.statements`): in the event loop when the
        task may run it there, else in the connection's thread."""
        sqlite = self._at_once()
        if sqlite is not None:
            return sqlite.execute(sql, parameters).fetchall()
        async with self.execute(sql, parameters) as cursor:
            return list(await cursor.fetchall())

    async def write(self, sql: str, parameters: Sequence[Sequence[Any]]) -> int:
        """One statement for each set of `parameters`; the rows touched (`storage.statements`)."""
        sqlite = self._at_once()
        if sqlite is not None:
            if len(parameters) == 1:
                return sqlite.execute(sql, parameters[0]).rowcount
            return sqlite.executemany(sql, parameters).rowcount
        async with self.executemany(sql, parameters) as cursor:
            return cursor.rowcount


def _inline_connector(url: str) -> Callable[[], Any]:
    from sqlalchemy.dialects.sqlite.aiosqlite import SQLiteDialect_aiosqlite

    args, options = SQLiteDialect_aiosqlite().create_connect_args(make_url(url))
    # used by the thread and by the event loop's thread, never at the same time
    options.update(timeout=SQLITE_BUSY_TIMEOUT_MS / 1000, check_same_thread=False)

    async def connect() -> InlineConnection:
        def open_sqlite() -> sqlite3.Connection:
            return sqlite3.connect(*args, **options)  # type: ignore[call-overload, no-any-return]

        connection = InlineConnection(open_sqlite, 64)
        connection._thread.daemon = True
        await connection
        return connection

    return connect


_TRANSACTION = "transaction"


def transaction_cache(session: AsyncSession | Session) -> dict[str, Any]:
    """A dict for what was read in the session's current transaction: forgotten at commit
    and at rollback, and after any INSERT, UPDATE or DELETE statement the session runs
    (the changes of ORM objects that a flush writes are not such statements)."""
    info: dict[str, Any] = session.info
    found: dict[str, Any] = info.setdefault(_TRANSACTION, {})
    return found


def hold(session: AsyncSession | Session, *objects: object) -> None:
    """Keep loaded objects in the session's identity map until the transaction ends, so
    that `session.get()` finds them there again instead of querying (the identity map
    keeps unchanged objects only while something else refers to them)."""
    transaction_cache(session).setdefault("held", []).extend(objects)


_UNSAVED = "unsaved"
# The driver's connection of the session's transaction, kept by `storage.statements`.
DRIVER_KEY = "statements.driver"


def has_unsaved_writes(session: AsyncSession | Session) -> bool:
    """Whether the session wrote (or holds changes to write) since it last committed
    or since `forget_writes`."""
    return bool(session.info.get(_UNSAVED)) or bool(session.new or session.dirty or session.deleted)


def mark_written(session: AsyncSession | Session) -> None:
    """The session wrote without the ORM (`storage.statements`): it counts for
    `has_unsaved_writes`, as a flush does."""
    session.info[_UNSAVED] = True


def forget_writes(session: AsyncSession | Session) -> None:
    """What was written so far does not count for `has_unsaved_writes` (bookkeeping of
    the update itself, such as its id, that must not be committed on its own)."""
    session.info.pop(_UNSAVED, None)


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_soft_rollback")
def _transaction_ended(session: Session, *_: Any) -> None:
    session.info.pop(_TRANSACTION, None)
    session.info.pop(_UNSAVED, None)
    session.info.pop(DRIVER_KEY, None)  # the next transaction may have another connection


@event.listens_for(Session, "after_flush")
def _flushed(session: Session, _context: Any) -> None:
    session.info[_UNSAVED] = True


_WIPE = "wipe_after_commit"


def wipe_after_commit(session: AsyncSession | Session, *tables: str) -> None:
    """Ask for the database's leftover copies of deleted rows to be destroyed once this
    transaction commits (it erased personal data from `tables`): on SQLite the log is
    emptied, on PostgreSQL the tables are vacuumed. `Database.session()` and the update
    middleware do it; whoever commits a session of their own calls
    `Database.wipe_if_asked(session)` after the commit."""
    asked: set[str] = session.info.setdefault(_WIPE, set())
    asked.update(tables)


def take_wipe_request(session: AsyncSession | Session) -> frozenset[str] | None:
    """The tables the committed transaction asked to wipe (None: it did not ask); the
    request is used up."""
    asked = session.info.pop(_WIPE, None)
    return None if asked is None else frozenset(asked)


@event.listens_for(Session, "after_soft_rollback")
def _wipe_not_needed(session: Session, *_: Any) -> None:
    session.info.pop(_WIPE, None)


@event.listens_for(Session, "do_orm_execute")
def _statement(state: ORMExecuteState) -> None:
    if not state.is_select:
        state.session.info.pop(_TRANSACTION, None)
        state.session.info[_UNSAVED] = True


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
        kwargs.setdefault("pool_use_lifo", True)
        engine = create_async_engine(url, async_creator=_inline_connector(url), **kwargs)

        @event.listens_for(engine.sync_engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            # Take transaction control from the driver so that BEGIN is ours to choose.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            # Deleted rows are overwritten with zeros, not only marked free: SQLite builds
            # differ in their default, and a withdrawn person must not stay readable.
            cur.execute("PRAGMA secure_delete=ON")
            cur.close()

        @event.listens_for(engine.sync_engine, "begin")
        def _on_begin(conn: Any) -> None:
            # Writers take the lock up front: no lock upgrade, no "database is locked" midway.
            readonly = conn.get_execution_options().get("readonly", False)
            # On the driver's cursor: a statement of no result needs none of the
            # execution's machinery, and every update begins a transaction.
            cursor = conn.connection.dbapi_connection.cursor()
            try:
                cursor.execute("BEGIN" if readonly else "BEGIN IMMEDIATE")
            finally:
                cursor.close()

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
        self._write_lock: asyncio.Lock | None = None
        self._write_lock_loop: asyncio.AbstractEventLoop | None = None

    def _lock(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        if self._write_lock is None or self._write_lock_loop is not loop:
            self._write_lock, self._write_lock_loop = asyncio.Lock(), loop
        return self._write_lock

    @asynccontextmanager
    async def writing(self) -> AsyncIterator[None]:
        """Around a write transaction. On SQLite the writers of this process take turns
        here, first come first served, so a transaction starts the moment the previous
        one ends instead of when SQLite's busy handler next wakes up to poll the lock
        (other processes still wait in the busy handler). Re-entered freely by a task
        that holds it already; nothing to do on PostgreSQL."""
        held = _writing.get()
        if not self.is_sqlite or id(self) in held:
            yield
            return
        async with self._lock():
            token = _writing.set(held | {id(self)})
            try:
                yield
            finally:
                _writing.reset(token)

    @asynccontextmanager
    async def writes_paused(self) -> AsyncIterator[None]:
        """Inside `writing()`, with no transaction open: let the other writers of this
        process in while this task waits for something else (a reply Telegram asked to
        send later), and take the turn back afterwards."""
        held = _writing.get()
        if not self.is_sqlite or id(self) not in held:
            yield
            return
        lock = self._lock()
        token = _writing.set(held - {id(self)})
        lock.release()
        try:
            yield
        finally:
            _writing.reset(token)
            taking = asyncio.ensure_future(lock.acquire())
            try:
                await asyncio.shield(taking)
            except asyncio.CancelledError:
                # The enclosing `writing()` releases the lock on the way out: hold it first.
                await taking
                raise

    def holds_write_lock(self) -> bool:
        """This task is inside a write unit of work on SQLite: another one opened now
        would wait for this one's lock, i.e. for ever."""
        return self.is_sqlite and id(self) in _writing.get()

    @asynccontextmanager
    async def joined(self) -> AsyncIterator[AsyncSession]:
        """Inside a handler, the update's own unit of work (`current_session`; flushed
        here, committed with the update); elsewhere a write unit of work of its own."""
        session = current_session.get()
        if session is not None:
            yield session
            await session.flush()
            return
        async with self.session() as own:
            yield own

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A write unit of work: committed when the block ends, rolled back on error.
        If it erased personal data (`wipe_after_commit`), the log is emptied after the
        commit, outside the write lock."""
        async with self.writing(), self.session_factory() as session:
            try:
                yield session
                await session.commit()
            except BaseException:
                await session.rollback()
                raise
            wipe = take_wipe_request(session)
        if wipe is not None:
            await self.wipe_deleted(wipe)

    async def wipe_if_asked(self, session: AsyncSession) -> None:
        """After committing a session of one's own: wipe what it asked for, if anything."""
        wipe = take_wipe_request(session)
        if wipe is not None:
            await self.wipe_deleted(wipe)

    async def wipe_deleted(self, tables: frozenset[str] = frozenset()) -> bool:
        """After a commit that erased personal data: on SQLite empty the log
        (`wipe_log`); on PostgreSQL vacuum the tables, so that the dead row versions
        are removed now rather than when autovacuum comes. Never raises."""
        if self.is_sqlite:
            return await self.wipe_log()
        return await self.vacuum(tables)

    async def vacuum(self, tables: frozenset[str]) -> bool:
        """`VACUUM` the tables on PostgreSQL (outside any transaction, as it must be).
        It frees the space of dead row versions for reuse; it does not overwrite the
        files' bytes, nor the WAL segments or backups (docs/privacy.md)."""
        names = sorted(name for name in tables if name.replace("_", "").isalnum())
        if self.is_sqlite or not names:
            return True
        try:
            async with self.engine.connect() as conn:
                auto = await conn.execution_options(isolation_level="AUTOCOMMIT")
                await auto.exec_driver_sql("VACUUM " + ", ".join(f'"{n}"' for n in names))
        except Exception as exc:  # e.g. the bot's role does not own the tables
            log.warning("vacuum after an erase failed: %s", type(exc).__name__)
            return False
        return True

    async def wipe_log(self) -> bool:
        """Empty SQLite's write-ahead log (`PRAGMA wal_checkpoint(TRUNCATE)`): its frames
        hold earlier versions of pages, deleted rows included, until a checkpoint copies
        the current pages into the database file and truncates it.

        The checkpoint waits for readers of older snapshots; it is tried a few times and
        then left to SQLite's automatic checkpoints (logged, never raised: the erase has
        committed already). True when the log was emptied; always True on PostgreSQL,
        which has nothing of the kind to do here (see docs/privacy.md)."""
        if not self.is_sqlite:
            return True
        # Through the connection's thread like any other waiting statement, even when the
        # caller holds this process's write lock (see InlineConnection).
        token = _writing.set(frozenset())
        try:
            for attempt in range(1, CHECKPOINT_TRIES + 1):
                try:
                    if await self._checkpoint():
                        return True
                except Exception as exc:  # the erase has committed: never fail it here
                    log.info("checkpoint try %s failed: %s", attempt, type(exc).__name__)
                await asyncio.sleep(CHECKPOINT_PAUSE_S)
        finally:
            _writing.reset(token)
        log.warning("the database log was not emptied after %s tries", CHECKPOINT_TRIES)
        return False

    async def _checkpoint(self) -> bool:
        async with self.engine.connect() as conn:
            raw = await conn.get_raw_connection()
            sqlite = raw.driver_connection
            assert sqlite is not None
            await sqlite.execute(f"PRAGMA busy_timeout={CHECKPOINT_BUSY_MS}")
            try:
                cursor = await sqlite.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                row = await cursor.fetchone()
                await cursor.close()
            finally:
                await sqlite.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        # (busy, frames in the log, frames checkpointed); busy 1: readers held it back
        return row is not None and row[0] == 0

    @asynccontextmanager
    async def read(self, *, quick: bool = False) -> AsyncIterator[AsyncSession]:
        """A read-only session (on SQLite it does not take the write lock).

        `quick`: a few short indexed lookups, such as the delivery worker's look at the
        outbox several times a second. On SQLite they are made in the event loop's own
        thread (in WAL mode a reader never waits for a lock): each hop to aiosqlite's
        thread and back cost more than the lookup, and under load it took the main
        thread's turn at the interpreter. Never for a read that may take long."""
        if not quick or not self.is_sqlite:
            async with self.read_factory() as session:
                yield session
            return
        token = _quick_read.set(True)
        try:
            async with self.read_factory() as session:
                yield session
        finally:
            _quick_read.reset(token)

    async def create_all(self) -> None:
        """Create every table directly (tests); production uses migrations."""
        from storage.models import Base

        async with self.engine.begin() as conn:
            await conn.run_sync(Base.metadata.create_all)

    async def dispose(self) -> None:
        await self.engine.dispose()
