"""Fixtures for every test: databases on SQLite (and PostgreSQL when configured)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage.db import Database
from tests.support.databases import (
    backends,
    drop_template,
    migrated_sqlite,
    temporary_database,
)


@pytest.fixture(params=backends())
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def db_url(backend: str, tmp_path: Path) -> AsyncIterator[str]:
    async with temporary_database(backend, tmp_path) as url:
        yield url


@pytest.fixture
async def db(backend: str, tmp_path: Path) -> AsyncIterator[Database]:
    """A migrated database, on every configured backend."""
    async with temporary_database(backend, tmp_path, migrated=True) as url:
        database = Database(url)
        yield database
        await database.dispose()


@pytest.fixture
async def sqlite_db(tmp_path: Path) -> AsyncIterator[Database]:
    """A migrated SQLite database only (for tests that do not concern the backend)."""
    path = tmp_path / "only.db"
    await migrated_sqlite(path)
    database = Database(f"sqlite+aiosqlite:///{path}")
    yield database
    await database.dispose()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    drop_template()


# Under pytest-xdist (`make test`: `--dist loadfile --no-loadscope-reorder`) each worker
# takes whole files in the order collected: the folders of the long tests first (several
# processes, a whole programme each), so that none of them starts last and keeps one
# worker busy alone while the others have nothing left.
FIRST_FOLDERS = ("scale", "e2e", "emulator")


def _folder_rank(item: pytest.Item) -> int:
    parts = Path(str(item.path)).relative_to(Path(__file__).parent).parts
    return FIRST_FOLDERS.index(parts[0]) if parts[0] in FIRST_FOLDERS else len(FIRST_FOLDERS)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if hasattr(config, "workerinput"):  # an xdist worker
        items.sort(key=_folder_rank)


# The emulator's fixtures, and those that start this bot against it (in-process,
# webhook, subprocess), for end-to-end tests.
from emulator.testing import *  # noqa: E402, F403
from tests.support.bot_fixtures import *  # noqa: E402, F403
