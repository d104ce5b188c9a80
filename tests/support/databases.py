"""Throwaway databases: a SQLite file, or a fresh PostgreSQL database per test."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import tempfile
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

PG_ENV = "TEST_DATABASE_URL"


def backends() -> list[str]:
    """SQLite always; PostgreSQL when TEST_DATABASE_URL is set."""
    return ["sqlite", "postgresql"] if os.environ.get(PG_ENV) else ["sqlite"]


def _asyncpg_dsn(url: str, database: str | None = None) -> str:
    parsed = make_url(url)
    if database is not None:
        parsed = parsed.set(database=database)
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


_template: str | None = None
_sqlite_template: Path | None = None


async def migrated_sqlite(path: Path) -> None:
    """Make `path` a migrated SQLite database: a copy of one migrated once per test
    process (the same file a migration leaves, without migrating every time)."""
    global _sqlite_template
    if _sqlite_template is None:
        from storage.migrate import upgrade

        template = Path(tempfile.mkdtemp(prefix="nastavnik-tpl-")) / "template.db"
        await upgrade(f"sqlite+aiosqlite:///{template}")
        # All of it in the main file: nothing left in a write-ahead log beside it.
        with contextlib.closing(sqlite3.connect(template)) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        _sqlite_template = template
    shutil.copyfile(_sqlite_template, path)


async def _migrated_template(base: str) -> str:
    """A migrated PostgreSQL database to copy from (once per test process)."""
    global _template
    if _template is None:
        from storage.migrate import upgrade

        name = f"nastavnik_tpl_{uuid.uuid4().hex[:12]}"
        admin = await asyncpg.connect(_asyncpg_dsn(base))
        try:
            await admin.execute(f'CREATE DATABASE "{name}"')
        finally:
            await admin.close()
        await upgrade(make_url(base).set(database=name).render_as_string(hide_password=False))
        _template = name
    return _template


@asynccontextmanager
async def temporary_database(
    backend: str, tmp_path: Path, *, migrated: bool = False
) -> AsyncIterator[str]:
    """Yield a SQLAlchemy URL of a database that is dropped afterwards.

    Empty by default; `migrated=True` gives the current schema, copied from a template
    made once per test process, which is much faster than migrating every time.
    """
    if backend == "sqlite":
        path = tmp_path / "test.db"
        if migrated:
            await migrated_sqlite(path)
        yield f"sqlite+aiosqlite:///{path}"
        return
    base = os.environ[PG_ENV]
    name = f"nastavnik_t_{uuid.uuid4().hex[:12]}"
    template = await _migrated_template(base) if migrated else None
    admin = await asyncpg.connect(_asyncpg_dsn(base))
    try:
        suffix = f' TEMPLATE "{template}"' if template else ""
        await admin.execute(f'CREATE DATABASE "{name}"{suffix}')
    finally:
        await admin.close()
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        admin = await asyncpg.connect(_asyncpg_dsn(base))
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()


def drop_template() -> None:
    """Drop the template databases at the end of the test session."""
    global _template, _sqlite_template
    if _sqlite_template is not None:
        shutil.rmtree(_sqlite_template.parent, ignore_errors=True)
        _sqlite_template = None
    if _template is None:
        return
    name, _template = _template, None

    async def _drop() -> None:
        admin = await asyncpg.connect(_asyncpg_dsn(os.environ[PG_ENV]))
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()

    import asyncio

    asyncio.run(_drop())
