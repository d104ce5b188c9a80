"""The compiled statements of the hot paths find their rows by an index, as SQLite's own
planner says (EXPLAIN QUERY PLAN on the migrated schema): none of them walks a table
that grows with the school (participants, persons, forms, answers, the journals), nor
every row of a programme in one (a search by the programme alone).

An ORDER BY once made SQLite walk every participant of a programme, by the index on the
programme alone, for each /start with a code; nothing else noticed it.
"""

from __future__ import annotations

import importlib
import pkgutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.dialects import sqlite

import bot
import storage
from storage.migrate import upgrade
from storage.statements import Objects, Statement

# Tables whose size grows with the people, their answers and their messages.
GROWING = (
    "participants",
    "persons",
    "form_sessions",
    "form_answers",
    "consents",
    "processed_updates",
    "pending_replies",
    "max_message_ids",
    "outbox",
    "invitations",
)


def _statements() -> dict[str, Statement]:
    found: dict[str, Statement] = {}
    for package in (bot, storage):
        for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            module = importlib.import_module(info.name)
            for name, value in vars(module).items():
                if isinstance(value, Objects):
                    value = value.statement
                if isinstance(value, Statement):
                    found.setdefault(f"{info.name}.{name}", value)
    return found


STATEMENTS = _statements()


@pytest.fixture(scope="module")
def schema(tmp_path_factory: pytest.TempPathFactory) -> sqlite3.Connection:
    import asyncio

    path = Path(tmp_path_factory.mktemp("plans")) / "plans.db"
    asyncio.run(upgrade(f"sqlite+aiosqlite:///{path}"))
    return sqlite3.connect(path)


def test_the_hot_paths_statements_are_found() -> None:
    # The discovery itself: the statements of /start, the questionnaire and the person.
    for name in (
        "bot.services.enrolment.joining._PARTS_IN_PROGRAMME",
        "bot.services.enrolment.invitations._BY_CODE",
        "bot.services.people._PERSON_AND_STAFF",
        "bot.services.forms.engine._AWAITING_INPUT",
    ):
        assert name in STATEMENTS


@pytest.mark.parametrize("name", sorted(STATEMENTS))
def test_no_statement_walks_a_growing_table(schema: sqlite3.Connection, name: str) -> None:
    compiled = STATEMENTS[name].core.compile(dialect=sqlite.dialect())
    values = [None] * len(compiled.positiontup or ())
    plan = [row[3] for row in schema.execute("EXPLAIN QUERY PLAN " + compiled.string, values)]
    walks = [
        step
        for step in plan
        if step.split()[0] in ("SCAN", "SEARCH")
        and step.split()[1] in GROWING
        and (step.startswith("SCAN") or step.endswith("(programme_id=?)"))
    ]
    assert not walks, (name, plan)
