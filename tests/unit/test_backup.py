"""`python -m bot backup`: the copy of a live database restores to the same data."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import select

from bot.config import Settings
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
