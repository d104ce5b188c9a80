"""Storage on every backend: rows round-trip, times stay UTC, the outbox is idempotent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from bot.infra.outbox import enqueue, pending_count
from bot.services.people import TelegramUser, bootstrap_staff, get_or_create_person, staff_roles
from storage.db import Database
from storage.models import (
    Consent,
    Organisation,
    OutboxMessage,
    Participant,
    Person,
    Programme,
    Role,
    StaffMember,
)


async def test_programme_and_participant_round_trip(db: Database) -> None:
    moment = datetime(2026, 9, 1, 9, 30, tzinfo=timezone(timedelta(hours=7)))
    async with db.session() as session:
        org = Organisation(name="Лицей № 1")
        session.add(org)
        await session.flush()
        programme = Programme(organisation_id=org.id, name="Наставничество 2026/27", forms=["x"])
        session.add(programme)
        person = await get_or_create_person(session, TelegramUser(id=10_000_000_001))
        await session.flush()
        participant = Participant(
            programme_id=programme.id, person_id=person.id, role=Role.MENTEE, age=14
        )
        session.add(participant)
        await session.flush()
        session.add(
            Consent(
                participant_id=participant.id,
                kind="self",
                decision="agreed",
                text_version="2026-1",
                decided_at=moment,
            )
        )
    async with db.read() as session:
        consent = await session.scalar(select(Consent))
        assert consent is not None
        assert consent.decided_at == moment
        assert consent.decided_at.tzinfo is not None
        assert consent.decided_at.utcoffset() == timedelta(0)
        participant = await session.scalar(select(Participant))
        assert participant is not None and participant.age == 14
        assert participant.status == "consent_pending"


async def test_unique_participation(db: Database) -> None:
    with pytest.raises(IntegrityError):
        async with db.session() as session:
            org = Organisation(name="Школа")
            session.add(org)
            await session.flush()
            programme = Programme(organisation_id=org.id, name="П")
            person = Person(tg_id=5)
            session.add_all([programme, person])
            await session.flush()
            for _ in range(2):
                session.add(
                    Participant(programme_id=programme.id, person_id=person.id, role=Role.MENTOR)
                )
            await session.flush()


async def test_naive_datetime_is_refused(db: Database) -> None:
    with pytest.raises(Exception, match="naive"):
        async with db.session() as session:
            session.add(Organisation(name="X", created_at=datetime(2026, 1, 1)))
            await session.flush()


async def test_outbox_idempotency_key(db: Database) -> None:
    async with db.session() as session:
        first = await enqueue(session, key="feedback:1:1:1", chat_id=1, text="Привет")
        second = await enqueue(session, key="feedback:1:1:1", chat_id=1, text="Привет")
        third = await enqueue(session, key="feedback:1:1:2", chat_id=2, text="Привет")
    assert (first, second, third) == (True, False, True)
    async with db.read() as session:
        assert await pending_count(session) == 2
        row = await session.scalar(
            select(OutboxMessage).where(OutboxMessage.idempotency_key == "feedback:1:1:2")
        )
        assert row is not None
        assert row.payload == {"text": "Привет", "parse_mode": "HTML"}
        assert row.not_before.tzinfo == UTC


async def test_bootstrap_staff_is_idempotent(db: Database) -> None:
    for _ in range(2):
        async with db.session() as session:
            await bootstrap_staff(
                session, curator_ids=[101, 102], coordinator_ids=[201], default_organisation="Орг"
            )
    async with db.read() as session:
        assert await session.scalar(select(func.count()).select_from(StaffMember)) == 3
        assert await session.scalar(select(func.count()).select_from(Organisation)) == 1
        curator = await session.scalar(select(Person).where(Person.tg_id == 101))
        assert curator is not None
        assert await staff_roles(session, curator.id) == {"curator"}


async def test_read_session_sees_committed_data(db: Database) -> None:
    async with db.session() as session:
        session.add(Organisation(name="А"))
    async with db.read() as session:
        assert await session.scalar(select(func.count()).select_from(Organisation)) == 1
