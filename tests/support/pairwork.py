"""A working pair for pair-work tests: programme, curator, mentor and mentee."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.infra import clock as clock_module
from bot.infra.clock import TestClock
from storage.models import (
    FeedbackAnswer,
    FeedbackRequest,
    FeedbackRound,
    FormAnswer,
    FormSession,
    Meeting,
    OutboxMessage,
    Pair,
    Participant,
    Person,
    Programme,
)
from tests.support.factories import (
    make_curator,
    make_pair,
    make_participant,
    make_programme,
)


@dataclass
class WorkingPair:
    programme: Programme
    curator: Person
    mentor: Participant
    mentee: Participant
    pair: Pair
    mentor_person: Person
    mentee_person: Person


@contextmanager
def frozen_clock(start: datetime) -> Iterator[TestClock]:
    previous = clock_module.get_clock()
    clock = TestClock(start)
    clock_module.set_clock(clock)
    try:
        yield clock
    finally:
        clock_module.set_clock(previous)


async def make_working_pair(
    session: AsyncSession,
    *,
    timezone: str = "Asia/Irkutsk",
    mentor_tg: int | None = None,
    mentee_tg: int | None = None,
    curator_tg: int | None = None,
    mentor_contacts: str | None = "+7 900 000-00-00",
    mentor_shares: bool = True,
    programme: Programme | None = None,
    curator: Person | None = None,
    mentor_name: str = "Анна Петровна Смирнова",
    mentee_name: str = "Миша Иванов",
    **programme_fields: Any,
) -> WorkingPair:
    if programme is None:
        programme = await make_programme(session, timezone=timezone, **programme_fields)
    if curator is None:
        curator = await make_curator(session, programme, tg_id=curator_tg)
    mentor = await make_participant(
        session, programme, "mentor", name=mentor_name, tg_id=mentor_tg, approved=True
    )
    mentee = await make_participant(session, programme, "mentee", name=mentee_name, tg_id=mentee_tg)
    if mentor_contacts:
        fs = FormSession(
            participant_id=mentor.id, form="mentor_profile", context="", status="completed"
        )
        session.add(fs)
        await session.flush()
        session.add(FormAnswer(session_id=fs.id, question_id="contacts", value=mentor_contacts))
        if mentor_shares:
            session.add(FormAnswer(session_id=fs.id, question_id="share_contacts", value="yes"))
    pair = await make_pair(session, programme, mentor, [mentee])
    mentor_person = await session.get(Person, mentor.person_id)
    mentee_person = await session.get(Person, mentee.person_id)
    assert mentor_person is not None and mentee_person is not None
    await session.flush()
    return WorkingPair(programme, curator, mentor, mentee, pair, mentor_person, mentee_person)


async def outbox(session: AsyncSession, prefix: str = "") -> list[OutboxMessage]:
    rows = await session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.idempotency_key.like(f"{prefix}%"))
        .order_by(OutboxMessage.id)
    )
    return list(rows.all())


async def add_meetings(session: AsyncSession, pair: Pair, *statuses: str) -> None:
    """Meetings of the pair on the days before now, one per status given."""
    from bot.infra.clock import now

    for n, status in enumerate(statuses):
        session.add(
            Meeting(pair_id=pair.id, starts_at=now() - timedelta(days=n + 1), status=status)
        )
    await session.flush()


async def add_feedback(
    session: AsyncSession,
    pair: Pair,
    participant: Participant,
    number: int,
    scores: tuple[int, int, int],
) -> None:
    """One answered feedback form of round `number`: usefulness, progress, comfort."""
    round_ = FeedbackRound(programme_id=pair.programme_id, pair_id=pair.id, number=number)
    session.add(round_)
    await session.flush()
    request = FeedbackRequest(round_id=round_.id, pair_id=pair.id, participant_id=participant.id)
    session.add(request)
    await session.flush()
    usefulness, progress, comfort = scores
    session.add(
        FeedbackAnswer(
            request_id=request.id,
            pair_id=pair.id,
            participant_id=participant.id,
            round_number=number,
            meeting_happened=True,
            usefulness=usefulness,
            progress=progress,
            comfort=comfort,
        )
    )
    await session.flush()
