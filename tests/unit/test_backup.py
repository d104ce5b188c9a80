"""`python -m bot backup`: the copy of a live database restores to the same data."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from bot.config import Settings
from storage.backup import expire_backups, made_at
from storage.backup import main as backup_main
from storage.db import Database
from storage.migrate import upgrade
from storage.models import Organisation, Participant
from tests.support.factories import make_participant, make_programme


def _dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


async def test_backup_restores_to_the_same_data(tmp_path: Path) -> None:
    source = tmp_path / "live.db"
    url = f"sqlite+aiosqlite:///{source}"
    await upgrade(url)
    db = Database(url)
    async with db.session() as session:
        programme = await make_programme(session)
        for index in range(20):
            await make_participant(session, programme, "mentee", name=f"Ученик {index}")
    # The bot is still connected (WAL mode) while the backup runs.
    target = tmp_path / "copies" / "backup.db"
    settings = Settings(_env_file=None, database_url=url)  # type: ignore[call-arg]
    assert backup_main(str(target), settings) == 0
    await db.dispose()
    assert _dump(target) == _dump(source)

    restored = Database(f"sqlite+aiosqlite:///{target}")
    async with restored.read() as session:
        names = sorted((await session.scalars(select(Participant.display_name))).all())
        orgs = (await session.scalars(select(Organisation.name))).all()
    await restored.dispose()
    assert names == sorted(f"Ученик {i}" for i in range(20))
    assert list(orgs) == ["МБОУ «Лицей № 1»"]


def test_backup_of_postgres_points_to_pg_dump(capsys: object) -> None:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, database_url="postgresql+asyncpg://u@h/db"
    )
    assert backup_main("/tmp/x.db", settings) == 2
    err = capsys.readouterr().err  # type: ignore[attr-defined]
    assert "pg_dump" in err


def _touch(folder: Path, name: str) -> None:
    (folder / name).write_bytes(b"SQLite format 3\x00")


def test_backups_older_than_the_setting_are_deleted(tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    now = datetime(2026, 12, 2, 6, 0, tzinfo=UTC)
    _touch(folder, "nastavnik-2026-10-31-050000.db")  # 32 days old
    _touch(folder, "nastavnik-2026-11-02-070000.db")  # 29 days 23 hours: kept
    _touch(folder, "nastavnik-2026-12-01-030000.db")
    _touch(folder, "my-own-copy.db")  # not named by the command: the operator's
    assert expire_backups(str(folder), 30, now) == ["nastavnik-2026-10-31-050000.db"]
    assert sorted(p.name for p in folder.iterdir()) == [
        "my-own-copy.db",
        "nastavnik-2026-11-02-070000.db",
        "nastavnik-2026-12-01-030000.db",
    ]
    assert expire_backups(str(folder), 0, now + timedelta(days=999)) == []


async def test_backup_without_a_path_goes_to_backup_dir_and_expires_old_ones(
    tmp_path: Path,
) -> None:
    source = tmp_path / "live.db"
    url = f"sqlite+aiosqlite:///{source}"
    await upgrade(url)
    folder = tmp_path / "backups"
    folder.mkdir()
    _touch(folder, "nastavnik-2020-01-01-000000.db")
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, database_url=url, backup_dir=str(folder), backup_keep_days=30
    )
    assert Settings(_env_file=None).backup_keep_days == 30  # type: ignore[call-arg]
    assert backup_main(None, settings) == 0
    names = [p.name for p in folder.iterdir()]
    assert len(names) == 1 and made_at(names[0]) is not None
    assert _dump(folder / names[0]) == _dump(source)
