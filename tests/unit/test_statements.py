"""Compiled statements (storage.statements) against SQLAlchemy's own reading and writing.

Every expected value comes from the ORM or a Core query of the same rows, on every
configured backend: on SQLite the statement runs on the driver, elsewhere through Core.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import bindparam, insert, inspect, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import object_session

from storage import statements
from storage.db import Database, has_unsaved_writes
from storage.models import (
    FormAnswer,
    FormSession,
    FormStatus,
    Organisation,
    Participant,
    Person,
    Programme,
    Role,
)
from storage.statements import Statement, adopt, columns_of, store_changes

MOMENT = datetime(2026, 9, 1, 9, 30, 15, 123456, tzinfo=timezone(timedelta(hours=7)))


async def _participant(db: Database) -> tuple[int, int]:
    """A person taking part in a programme, written through the ORM: (person, participant)."""
    async with db.session() as session:
        org = Organisation(name="Школа № 5")
        session.add(org)
        await session.flush()
        programme = Programme(organisation_id=org.id, name="Программа", forms=["x"])
        person = Person(tg_id=5_550_001, full_name="Анна Смирнова", locale="ru")
        session.add_all([programme, person])
        await session.flush()
        participant = Participant(
            programme_id=programme.id, person_id=person.id, role=Role.MENTEE, age=15
        )
        participant.is_minor = True
        session.add(participant)
        await session.flush()
        return person.id, participant.id


_PARTICIPANT = Statement(
    select(*columns_of(Participant)).where(Participant.id == bindparam("participant_id"))
)


async def test_a_read_gives_what_core_gives(db: Database) -> None:
    _, participant_id = await _participant(db)
    core = select(*columns_of(Participant)).where(Participant.id == participant_id)
    async with db.session() as session:
        fast = await _PARTICIPANT.all(session, {"participant_id": participant_id})
        slow = list((await session.execute(core)).all())
    assert [tuple(row) for row in fast] == [tuple(row) for row in slow]
    (row,) = fast
    named = dict(zip([c.key for c in columns_of(Participant)], row, strict=True))
    assert named["is_minor"] is True  # SQLite's 1 read back as a boolean, as Core does
    assert named["created_at"].tzinfo is not None  # times read back aware, in UTC


async def test_writes_read_back_through_the_orm(db: Database) -> None:
    _, participant_id = await _participant(db)
    table = FormAnswer.metadata.tables[FormAnswer.__tablename__]
    add = Statement(
        insert(table).values(
            session_id=bindparam("session_id"),
            question_id=bindparam("question_id"),
            value=bindparam("value"),
            answered_at=bindparam("answered_at"),
        )
    )
    async with db.session() as session:
        form = FormSession(participant_id=participant_id, form="x", current_question="q1")
        session.add(form)
        await session.flush()
        await add.run_many(
            session,
            [
                {
                    "session_id": form.id,
                    "question_id": "goals",
                    "value": ["a", "б"],
                    "answered_at": MOMENT,
                },
                {
                    "session_id": form.id,
                    "question_id": "skipped",
                    "value": None,
                    "answered_at": MOMENT,
                },
            ],
        )
        assert has_unsaved_writes(session)
        form_id = form.id
    async with db.read() as session:
        answers = {
            a.question_id: a
            for a in await session.scalars(
                select(FormAnswer).where(FormAnswer.session_id == form_id)
            )
        }
    assert answers["goals"].value == ["a", "б"]
    assert answers["skipped"].value is None
    assert answers["goals"].answered_at == MOMENT
    assert answers["goals"].answered_at.utcoffset() == timedelta(0)


async def test_a_duplicate_key_is_sqlalchemys_integrity_error(db: Database) -> None:
    person_id, _ = await _participant(db)
    table = Person.metadata.tables[Person.__tablename__]
    add = Statement(insert(table).values(tg_id=bindparam("tg_id"), created_at=bindparam("at")))
    with pytest.raises(IntegrityError):
        async with db.session() as session:
            await add.run(session, {"tg_id": 5_550_001, "at": datetime.now(UTC)})
    async with db.read() as session:
        assert await session.get(Person, person_id) is not None


async def test_store_changes_writes_only_the_changed_columns_and_leaves_nothing_to_flush(
    db: Database,
) -> None:
    _, participant_id = await _participant(db)
    async with db.session() as session:
        form = FormSession(participant_id=participant_id, form="x", current_question="q1")
        session.add(form)
        await session.flush()
        form_id = form.id
    async with db.session() as session:
        form = await session.get(FormSession, form_id)
        assert form is not None
        form.current_question = "q2"
        form.version += 1
        form.touched_at = MOMENT
        await store_changes(session, form)
        assert form not in session.dirty  # nothing left for the ORM to write
        # The row changed in the database, in this transaction.
        found = await Statement(
            select(FormSession.current_question, FormSession.version, FormSession.status).where(
                FormSession.id == bindparam("form_id")
            )
        ).first(session, {"form_id": form_id})
        assert found == ("q2", 1, FormStatus.IN_PROGRESS)
    async with db.read() as session:
        again = await session.get(FormSession, form_id)
        assert again is not None
        assert (again.current_question, again.version, again.touched_at) == ("q2", 1, MOMENT)


async def test_adopt_gives_a_loaded_object_or_the_one_the_session_holds(db: Database) -> None:
    person_id, participant_id = await _participant(db)
    async with db.session() as session:
        row = await _PARTICIPANT.first(session, {"participant_id": participant_id})
        assert row is not None
        participant = adopt(session, Participant, row)
        assert object_session(participant) is session.sync_session
        assert participant not in session.dirty and participant not in session.new
        assert participant.age == 15 and participant.person_id == person_id
        # Loaded, not set: no attribute has a history and the session has nothing to flush.
        state = inspect(participant)
        assert state.persistent and not state.modified
        assert all(not attr.history.has_changes() for attr in state.attrs)
        assert not session.sync_session.identity_map.check_modified()
        # The same row again is the same object; the ORM finds it without a query.
        assert adopt(session, Participant, row) is participant
        assert await session.get(Participant, participant_id) is participant
        # A change to the adopted object is written by the ORM's flush as usual.
        participant.age = 16
    async with db.read() as session:
        stored = await session.get(Participant, participant_id)
        assert stored is not None and stored.age == 16


async def test_get_returns_the_held_object_or_reads_it(db: Database) -> None:
    _, participant_id = await _participant(db)
    async with db.session() as session:
        first = await statements.get(session, Participant, participant_id)
        assert first is not None and first.age == 15  # read from the database
        assert await statements.get(session, Participant, participant_id) is first
        assert await statements.get(session, Participant, participant_id + 1000) is None


def _columns(obj: object) -> dict[str, object]:
    return {c.key: getattr(obj, c.key) for c in columns_of(type(obj))}


async def test_get_reads_what_the_orm_reads(db: Database) -> None:
    _, participant_id = await _participant(db)
    async with db.read() as session:
        by_orm = await session.get(Participant, participant_id)
        assert by_orm is not None
        expected = _columns(by_orm)
    async with db.read() as session:
        found = await statements.get(session, Participant, participant_id)
        assert found is not None
        assert _columns(found) == expected
        assert found not in session.dirty
        assert await session.get(Participant, participant_id) is found  # held by the session


async def test_get_refreshes_an_expired_object_as_the_orm_does(db: Database) -> None:
    _, participant_id = await _participant(db)
    async with db.session() as session:
        held = await statements.get(session, Participant, participant_id)
        assert held is not None
        await session.execute(
            Participant.__table__.update()
            .where(Participant.__table__.c.id == participant_id)
            .values(age=17)
        )
        session.expire(held)
        again = await statements.get(session, Participant, participant_id)
        assert again is held and again.age == 17


async def test_save_new_leaves_the_object_as_add_and_flush_do(db: Database) -> None:
    person_id, participant_id = await _participant(db)
    async with db.read() as session:
        first = await session.get(Participant, participant_id)
        assert first is not None
        programme_id = first.programme_id
    async with db.session() as session:
        by_orm = Participant(programme_id=programme_id, person_id=person_id, role=Role.MENTOR)
        session.add(by_orm)
        await session.flush()
        ours = FormSession(participant_id=participant_id, form="x", current_question="q1")
        await statements.save_new(session, ours)
        theirs = FormSession(participant_id=participant_id, form="y", current_question="q1")
        session.add(theirs)
        await session.flush()
        other = Person(tg_id=5_550_002)
        await statements.save_new(session, other)
        mine = Participant(programme_id=programme_id, person_id=other.id, role=Role.MENTEE)
        await statements.save_new(session, mine)
        assert ours.id is not None and mine.id is not None
        assert object_session(ours) is session.sync_session
        assert ours not in session.new and ours not in session.dirty
        assert mine not in session.new and mine not in session.dirty
        assert has_unsaved_writes(session)
        # The Python defaults filled in as the ORM fills them in.
        for a, b in ((ours, theirs), (mine, by_orm)):
            got, want = _columns(a), _columns(b)
            for key in ("id", "form", "role", "person_id"):
                got.pop(key, None)
                want.pop(key, None)
            # times are the moment of writing: both set, aware, or both not set
            for key in [k for k, v in want.items() if isinstance(v, datetime)]:
                assert isinstance(got.pop(key), datetime) and want.pop(key).tzinfo is not None
            assert got == want
        written = _columns(ours)
        mine_written = _columns(mine)
        assert await session.get(FormSession, ours.id) is ours
        ours_id, mine_id = ours.id, mine.id
    async with db.read() as session:
        stored = await session.get(FormSession, ours_id)
        stored_participant = await session.get(Participant, mine_id)
        assert stored is not None and stored_participant is not None
        assert _columns(stored) == written
        assert _columns(stored_participant) == mine_written
