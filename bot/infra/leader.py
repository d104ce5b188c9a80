"""Who runs scheduled work and the delivery worker when several replicas share a database.

```
leadership = Leadership(db, "scheduler")
if await leadership.acquire():   # try (again): True while we hold it
    ...
await leadership.release()
```

- PostgreSQL: a session-level advisory lock (`pg_try_advisory_lock`) taken on a
  dedicated connection that stays open. When the process dies its connection closes,
  the lock goes with it, and the next replica that polls takes over.
- SQLite: a lease row (`SchedulerLease`) that the holder renews; it is free when it
  has expired, or at once when its holder was a process on this machine that is gone.

Call `acquire()` every `POLL_SECONDS` (or use `hold()`, which does and calls back on
gain and loss): it takes the lock when it is free and renews or checks it when held.
Leases run on wall-clock time on purpose: they are about live processes, not about the
programme's time that tests move forward.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from storage.db import Database, make_engine
from storage.models import SchedulerLease

log = logging.getLogger(__name__)

POLL_SECONDS = 2.0
LEASE_SECONDS = 8.0  # with a 2 s poll another replica takes over within 10 s


def lock_key(name: str) -> int:
    """A stable signed 64-bit advisory lock key for a name."""
    digest = hashlib.sha256(f"nastavnik:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _wall() -> datetime:
    return datetime.now(UTC)


def holder_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _holder_gone(holder: str) -> bool:
    """Was the holder a process on this machine that no longer exists?"""
    try:
        host, pid_text, _token = holder.rsplit(":", 2)
        pid = int(pid_text)
    except ValueError:
        return False
    if host != socket.gethostname() or pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


class Leadership:
    """One named lock among replicas: `acquire()`, `release()`, `is_leader`."""

    def __init__(
        self,
        db: Database,
        name: str = "scheduler",
        *,
        holder: str | None = None,
        lease_seconds: float = LEASE_SECONDS,
        wall: Callable[[], datetime] = _wall,
    ) -> None:
        self.db = db
        self.name = name
        self.holder = holder or holder_id()
        self.lease = timedelta(seconds=lease_seconds)
        self.wall = wall
        self.key = lock_key(name)
        self._held = False
        self._expires: datetime | None = None
        self._engine: AsyncEngine | None = None
        self._conn: AsyncConnection | None = None
        self._lock = asyncio.Lock()

    @property
    def is_leader(self) -> bool:
        if not self._held:
            return False
        if self.db.is_sqlite:
            return self._expires is not None and self.wall() < self._expires
        return self._conn is not None

    async def acquire(self) -> bool:
        """Take the lock if it is free, keep it if held; True while we are the leader."""
        async with self._lock:
            was = self._held
            try:
                if self.db.is_sqlite:
                    self._held = await self._lease()
                else:
                    self._held = await self._advisory()
            except Exception as exc:
                log.warning("leadership %s: %s", self.name, type(exc).__name__)
                if not self.db.is_sqlite:
                    await self._drop_connection()
                    self._held = False
            if self._held != was:
                log.info("leadership %s %s", self.name, "taken" if self._held else "lost")
            return self.is_leader

    async def release(self) -> None:
        """Give the lock up so that another replica can take it at once."""
        async with self._lock:
            if self.db.is_sqlite:
                if self._held:
                    with contextlib.suppress(Exception):
                        async with self.db.session() as session:
                            await session.execute(
                                delete(SchedulerLease).where(
                                    SchedulerLease.name == self.name,
                                    SchedulerLease.holder == self.holder,
                                )
                            )
            elif self._conn is not None:
                with contextlib.suppress(Exception):
                    await self._conn.execute(
                        text("SELECT pg_advisory_unlock(:key)"), {"key": self.key}
                    )
            await self._drop_connection()
            if self._engine is not None:
                await self._engine.dispose()
                self._engine = None
            self._held = False
            self._expires = None

    async def hold(
        self,
        on_gain: Callable[[], Awaitable[None]],
        on_loss: Callable[[], Awaitable[None]],
        *,
        poll: float = POLL_SECONDS,
    ) -> None:
        """Poll forever: call `on_gain` when leadership is taken, `on_loss` when lost.

        Cancel the task to stop; the lock is released on the way out (after `on_loss`
        if we were leading).
        """
        leading = False
        try:
            while True:
                now_leading = await self.acquire()
                if now_leading and not leading:
                    await on_gain()
                elif leading and not now_leading:
                    await on_loss()
                leading = now_leading
                await asyncio.sleep(poll)
        finally:
            if leading:
                with contextlib.suppress(Exception):
                    await on_loss()
            await self.release()

    # ------------------------------------------------------------------ SQLite

    async def _lease(self) -> bool:
        now = self.wall()
        async with self.db.session() as session:
            row = await session.get(SchedulerLease, self.name)
            if row is None:
                session.add(
                    SchedulerLease(name=self.name, holder=self.holder, expires_at=now + self.lease)
                )
            elif row.holder == self.holder or row.expires_at <= now or _holder_gone(row.holder):
                row.holder = self.holder
                row.expires_at = now + self.lease
            else:
                return False
        self._expires = now + self.lease
        return True

    # ------------------------------------------------------------------ PostgreSQL

    async def _advisory(self) -> bool:
        if self._conn is not None:
            await self._conn.execute(text("SELECT 1"))  # still connected: still ours
            return True
        if self._engine is None:
            self._engine = make_engine(self.db.url, null_pool=True)
        conn = await self._engine.connect()
        conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
        got = await conn.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": self.key})
        if got:
            self._conn = conn
            return True
        await conn.close()
        return False

    async def _drop_connection(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(Exception):
                await conn.close()
