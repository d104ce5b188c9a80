"""Throwaway databases: a SQLite file, or a fresh PostgreSQL database per test."""

from __future__ import annotations

import os
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

    Empty by default; `migrated=True` gives the current schema (on PostgreSQL, copied from
    a template made once, which is much faster than migrating every time).
    """
    if backend == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"
        if migrated:
            from storage.migrate import upgrade

            await upgrade(url)
        yield url
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
    """Drop the template database at the end of the test session."""
    global _template
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
