"""`python -m bot backup PATH`: an online backup of the SQLite database.

For PostgreSQL use `pg_dump` (see the README); this command says so.
"""

from __future__ import annotations

import os
import sqlite3
import sys

from sqlalchemy.engine import make_url

from bot.config import Settings


def sqlite_path(url: str) -> str | None:
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite"):
        return None
    return parsed.database or None


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


def main(path: str, settings: Settings | None = None) -> int:
    settings = settings or Settings()
    source = sqlite_path(settings.database_url)
    if source is None:
        print(
            "Резервная копия этой командой делается только для SQLite. Для PostgreSQL: "
            'pg_dump --format=custom --file=nastavnik.dump "$DATABASE_URL" '
            "(адрес без +asyncpg)",
            file=sys.stderr,
        )
        return 2
    if not os.path.exists(source):
        print(f"База данных не найдена: {source}", file=sys.stderr)
        return 2
    backup_sqlite(source, path)
    print(f"Резервная копия сохранена: {path}")
    return 0
