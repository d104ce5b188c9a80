"""Apply Alembic migrations programmatically (at start and from `python -m bot migrate`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config

from storage.db import make_engine

ROOT = Path(__file__).resolve().parent.parent


def alembic_config(url: str | None = None) -> Config:
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "storage" / "migrations"))
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


async def _run(url: str, fn: Any, *args: Any) -> None:
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:

            def _do(sync_conn: Any) -> None:
                cfg = alembic_config(url)
                cfg.attributes["connection"] = sync_conn
                fn(cfg, *args)

            await conn.run_sync(_do)
            await conn.commit()
    finally:
        await engine.dispose()


async def upgrade(url: str, revision: str = "head") -> None:
    await _run(url, command.upgrade, revision)


async def downgrade(url: str, revision: str) -> None:
    await _run(url, command.downgrade, revision)
