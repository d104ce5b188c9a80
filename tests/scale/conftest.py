"""Scale tests: several real bot processes sharing PostgreSQL and Redis.

The whole folder is skipped unless TEST_DATABASE_URL (PostgreSQL) and TEST_REDIS_URL are
set, as CI does: postgresql+asyncpg://postgres@127.0.0.1:5432/test and
redis://127.0.0.1:6379/0. Every test gets a fresh PostgreSQL database and an empty Redis
database number of its own.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tests.scale.cluster import claim_redis_db, release_redis_db
from tests.support.databases import temporary_database

HERE = Path(__file__).resolve().parent
MISSING = [name for name in ("TEST_DATABASE_URL", "TEST_REDIS_URL") if not os.environ.get(name)]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not MISSING:
        return
    skip = pytest.mark.skip(
        reason=f"scale tests need PostgreSQL and Redis: set {' and '.join(MISSING)}"
    )
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(skip)


@pytest.fixture
def emulator_options() -> dict[str, Any]:
    # Deliveries to a dead replica are retried soon, on the next replica of the rotation.
    return {
        "rate_limits": False,
        "webhook_retry_delay": 0.05,
        "webhook_retry_max_delay": 0.5,
        "webhook_timeout": 60.0,
        "callback_timeout": 600.0,
    }


@pytest.fixture
async def pg_url(tmp_path: Path) -> AsyncIterator[str]:
    """A fresh, migrated PostgreSQL database."""
    from storage.migrate import upgrade

    async with temporary_database("postgresql", tmp_path) as url:
        await upgrade(url)
        yield url


@pytest.fixture
async def redis_url() -> AsyncIterator[str]:
    """An empty Redis database number of this test's own (flushed afterwards)."""
    url = await claim_redis_db(os.environ["TEST_REDIS_URL"])
    try:
        yield url
    finally:
        await release_redis_db(url)
