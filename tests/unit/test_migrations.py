"""Migrations: the stairway (up, down, up for every revision) and models == migrations."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from storage.db import make_engine
from storage.migrate import alembic_config, downgrade, upgrade
from storage.models import Base


def _revisions() -> list[str]:
    script = ScriptDirectory.from_config(alembic_config())
    revs = [rev.revision for rev in script.walk_revisions("base", "heads")]
    return list(reversed(revs))


def test_single_head() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    assert len(script.get_heads()) == 1


async def test_stairway(db_url: str) -> None:
    revisions = _revisions()
    assert revisions, "no migrations found"
    for index, revision in enumerate(revisions):
        previous = revisions[index - 1] if index else "base"
        await upgrade(db_url, revision)
        await downgrade(db_url, previous)
        await upgrade(db_url, revision)


async def test_models_match_migrations(db_url: str) -> None:
    await upgrade(db_url)
    engine = make_engine(db_url)

    def diff(sync_conn: Any) -> list[Any]:
        context = MigrationContext.configure(sync_conn, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))

    async with engine.connect() as conn:
        changes = await conn.run_sync(diff)
    await engine.dispose()
    assert changes == [], f"models and migrations differ: {changes}"
