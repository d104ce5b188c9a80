"""`python -m bot backup [PATH]`: an online backup of the SQLite database; old ones expire.

A backup keeps everyone who was in the database when it was made, people who withdrew
their consent later included: backups therefore live `BACKUP_KEEP_DAYS` days (30 by
default) and are then deleted, by the next backup and by the bot's daily housekeeping.
Only files named as this command names them (`nastavnik-YYYY-MM-DD-HHMMSS.db`) expire;
a copy saved under another name is the operator's to delete.

For PostgreSQL use `pg_dump` (see the README); this command says so.
"""

from __future__ import annotations

import os
import re
import sqlite3
import sys
from datetime import UTC, datetime, timedelta

from sqlalchemy.engine import make_url

from bot.config import Settings

_NAME = re.compile(r"nastavnik-(\d{4}-\d{2}-\d{2}-\d{6})\.db")


def sqlite_path(url: str) -> str | None:
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite"):
        return None
    return parsed.database or None


def backup_name(moment: datetime) -> str:
    """The file name of a backup made at `moment` (UTC)."""
    return f"nastavnik-{moment.astimezone(UTC):%Y-%m-%d-%H%M%S}.db"


def made_at(name: str) -> datetime | None:
    """When a backup with this file name was made; None for other files."""
    found = _NAME.fullmatch(name)
    if found is None:
        return None
    return datetime.strptime(found.group(1), "%Y-%m-%d-%H%M%S").replace(tzinfo=UTC)


def expire_backups(folder: str, keep_days: int, now: datetime | None = None) -> list[str]:
    """Delete the backups in `folder` made more than `keep_days` days before `now`.
    `keep_days` 0 or less keeps them all. Returns the names deleted."""
    if keep_days <= 0 or not os.path.isdir(folder):
        return []
    cutoff = (now or datetime.now(UTC)) - timedelta(days=keep_days)
    removed: list[str] = []
    for entry in os.scandir(folder):
        moment = made_at(entry.name)
        if moment is not None and moment < cutoff and entry.is_file():
            os.remove(entry.path)
            removed.append(entry.name)
    return sorted(removed)


def backup_sqlite(source: str, target: str) -> None:
    """Copy a live SQLite database page by page (readers and writers may go on)."""
    folder = os.path.dirname(os.path.abspath(target))
    os.makedirs(folder, exist_ok=True)
    tmp = f"{target}.partial"
    if os.path.exists(tmp):
        os.remove(tmp)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(tmp)
    try:
        with dst:
            src.backup(dst, pages=1024)
    finally:
        dst.close()
        src.close()
    os.replace(tmp, target)


def _target(path: str | None, settings: Settings, now: datetime) -> str:
    """PATH as given; a folder (or nothing: BACKUP_DIR) gets a dated file name."""
    if path is None:
        return os.path.join(settings.backup_dir, backup_name(now))
    if path.endswith(("/", os.sep)) or os.path.isdir(path):
        return os.path.join(path, backup_name(now))
    return path


def main(path: str | None = None, settings: Settings | None = None) -> int:
    settings = settings or Settings()
    source = sqlite_path(settings.database_url)
    if source is None:
        print(
            "Резервная копия этой командой делается только для SQLite. Для PostgreSQL: "
            'pg_dump --format=custom --file=nastavnik.dump "$DATABASE_URL" '
            "(адрес без +asyncpg); старые копии удаляйте сами (см. README).",
            file=sys.stderr,
        )
        return 2
    if not os.path.exists(source):
        print(f"База данных не найдена: {source}", file=sys.stderr)
        return 2
    now = datetime.now(UTC)
    target = _target(path, settings, now)
    backup_sqlite(source, target)
    print(f"Резервная копия сохранена: {target}")
    folders = {os.path.dirname(os.path.abspath(target)), os.path.abspath(settings.backup_dir)}
    removed = [
        name
        for folder in sorted(folders)
        for name in expire_backups(folder, settings.backup_keep_days, now)
    ]
    if removed:
        print(
            f"Удалены копии старше {settings.backup_keep_days} дн.: {len(removed)} "
            f"({', '.join(removed)})"
        )
    return 0
