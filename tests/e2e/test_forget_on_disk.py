"""/forget_me through the emulator leaves none of the person in the database's files.

The real bot runs on a SQLite file in WAL mode. A person fills in the profile with a
name, a phone, an e-mail and answers that occur nowhere else, then withdraws consent.
While the bot is still running, the raw bytes of the database file, its `-wal` and its
`-shm` are searched for every one of them: as UTF-8 (SQLite's text), as UTF-16 (the other
text encodings SQLite allows), and in the `\\uXXXX` form of JSON, in which raw Telegram
updates are kept (`received_updates`).
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from bot.playbook.hands import expect, has, pattern, phrase, tap
from bot.playbook.participant import arrive, join
from tests.support.journey import programme_with_invitations

NAME = "Серафима Пантелеймоновна Журавлёва"
PHONE = "+7 914 271-82-81"
EMAIL = "serafima.zhuravleva.1987@example.org"
SUBJECT = "Астрофизика и небесная механика"
HOBBY = "Реставрирую старинные часы с кукушкой"
GOAL = "Научиться вести кружок про экзопланеты"
TG_FIRST, TG_LAST, USERNAME = "Симочка", "Журавушкина", "sima_zhuravushka_tg"

ANSWERS = {
    "full_name": NAME,
    "age": 34,
    "category": "young_teacher",
    "subject": SUBJECT,
    "experience_years": 3,
    "requests": ["career"],
    "interests": ["it"],
    "hobbies": HOBBY,
    "format": "online",
    "times": ["weekday_evening"],
    "goals": GOAL,
    "contact": f"{PHONE}, {EMAIL}",
    "share_contact": "yes",
}
SECRETS = (NAME, PHONE, EMAIL, SUBJECT, HOBBY, GOAL, TG_FIRST, TG_LAST, USERNAME)


@pytest.fixture
def emulator_options() -> dict[str, Any]:
    return {"rate_limits": False}


def _forms(secret: str) -> set[bytes]:
    """The byte sequences a text may be stored as."""
    escaped = json.dumps(secret)[1:-1]  # ensure_ascii: Cyrillic as \\u0441
    return {
        secret.encode("utf-8"),
        secret.encode("utf-16-le"),
        secret.encode("utf-16-be"),
        escaped.encode("ascii"),
        escaped.upper().replace("\\U", "\\u").encode("ascii"),
        json.dumps(secret, ensure_ascii=False)[1:-1].encode("utf-8"),
    }


def _database_files(app: Any) -> list[Path]:
    main = Path(str(make_url(app.db.url).database))
    return [main, Path(f"{main}-wal"), Path(f"{main}-shm"), Path(f"{main}-journal")]


def _found(files: list[Path]) -> list[str]:
    """`secret in file` for every secret found, in any of its forms."""
    hits: list[str] = []
    for path in files:
        if not path.exists():
            continue
        data = path.read_bytes()
        for secret in SECRETS:
            if any(form in data for form in _forms(secret)):
                hits.append(f"{secret!r} in {path.name}")
    return hits


async def test_forget_me_leaves_nothing_in_the_database_files(emulator: Any, bot_app: Any) -> None:
    setup = await programme_with_invitations(bot_app.db, 700_014)
    user = emulator.create_user(TG_FIRST, last_name=TG_LAST, username=USERNAME)
    await arrive(user, setup.mentee_code)
    await join(user, "mentee_profile", ANSWERS)

    files = _database_files(bot_app)
    # The scan sees the person while they are there (else it would prove nothing).
    before = " ".join(_found(files))
    for secret in (NAME, PHONE, EMAIL, GOAL, USERNAME, TG_FIRST):
        assert repr(secret) in before, secret

    await user.command("forget_me")
    ask = await expect(user, predicate=has(phrase("journey-forget-btn-yes")))
    await tap(user, phrase("journey-forget-btn-yes"), ask)
    await expect(user, regex=pattern("journey-forget-done"))

    # The bot keeps running; the files are clean once the forget has committed.
    hits = _found(files)
    for _ in range(200):
        if not hits:
            break
        await asyncio.sleep(0.05)
        hits = _found(files)
    assert hits == []
    assert emulator.polling  # the scan was made while the bot was running
