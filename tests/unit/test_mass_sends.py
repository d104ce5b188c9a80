"""Curator actions that send to many people, pressed twice or by two curators at once:
one round, one message per person (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.services import feedback
from bot.services.clock import TestClock
from bot.services.feedback import RoundResult
from bot.services.pair_events import on_pairs_confirmed
from storage.db import Database
from storage.models import FeedbackRequest, FeedbackRound, Person
from tests.support.factories import make_co_curator
from tests.support.pairwork import WorkingPair, frozen_clock, make_working_pair, outbox

START = datetime(2026, 10, 5, 3, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> Iterator[TestClock]:
    with frozen_clock(START) as c:
        yield c


async def _two_pairs(db: Database) -> tuple[WorkingPair, WorkingPair, int]:
    """Two working pairs of one programme, its curator and a co-curator (their ids)."""
    async with db.session() as s:
        wp = await make_working_pair(s)
        other = await make_working_pair(
            s, programme=wp.programme, curator=wp.curator, mentor_name="Олег", mentee_name="Катя"
        )
        co = await make_co_curator(s, wp.programme)
        await on_pairs_confirmed(s, [wp.pair.id, other.pair.id])
    return wp, other, co.id


async def _press(db: Database, actor_id: int, programme_id: int, number: int) -> RoundResult:
    async with db.session() as s:
        actor = await s.get(Person, actor_id)
        assert actor is not None
        return await feedback.start_round_now(s, actor, programme_id, period=number)


async def _one_form_each(db: Database, wp: WorkingPair, other: WorkingPair) -> None:
    async with db.read() as s:
        rounds = (await s.scalars(select(FeedbackRound))).all()
        requests = (await s.scalars(select(FeedbackRequest))).all()
        forms = Counter(m.person_id for m in await outbox(s, "feedback:"))
    assert len(rounds) == 1 and rounds[0].number == 1
    assert len(requests) == 4  # two pairs, two members each
    people = {wp.mentor_person.id, wp.mentee_person.id}
    people |= {other.mentor_person.id, other.mentee_person.id}
    assert forms == dict.fromkeys(people, 1)


async def test_two_curators_press_send_at_once(db: Database, clock: TestClock) -> None:
    wp, other, co_id = await _two_pairs(db)
    async with db.read() as s:
        number = await feedback.next_round_number(s, wp.programme.id)
    assert number == 1
    results = await asyncio.gather(
        _press(db, wp.curator.id, wp.programme.id, number),
        _press(db, co_id, wp.programme.id, number),
    )
    assert sorted(r.already_going for r in results) == [False, True]
    await _one_form_each(db, wp, other)


async def test_the_second_press_waits_for_the_first_and_sends_nothing(
    db: Database, clock: TestClock
) -> None:
    """The first press's transaction is still open when the second comes: the database
    makes the second wait (SQLite: the write lock; PostgreSQL: the unique round), and it
    then finds the round going out."""
    wp, other, co_id = await _two_pairs(db)
    async with db.session() as s:
        actor = await s.get(Person, wp.curator.id)
        assert actor is not None
        first = await feedback.start_round_now(s, actor, wp.programme.id, period=1)
        second = asyncio.create_task(_press(db, co_id, wp.programme.id, 1))
        await asyncio.sleep(0.5)
        assert not second.done()
    assert not first.already_going and len(first.pair_ids) == 2
    result = await asyncio.wait_for(second, 30)
    assert result.already_going and result.requests == 0
    assert sorted(result.already) == sorted([wp.pair.id, other.pair.id])
    await _one_form_each(db, wp, other)


async def test_one_pair_then_all_on_the_same_screen_round(db: Database, clock: TestClock) -> None:
    """«One pair» and «all» offered for the same round: the pair is not asked twice."""
    wp, other, _ = await _two_pairs(db)
    async with db.session() as s:
        actor = await s.get(Person, wp.curator.id)
        assert actor is not None
        one = await feedback.start_round_now(
            s, actor, wp.programme.id, pair_id=other.pair.id, period=1
        )
    assert one.pair_ids == [other.pair.id]
    result = await _press(db, wp.curator.id, wp.programme.id, 1)
    assert result.pair_ids == [wp.pair.id] and result.already == [other.pair.id]
    await _one_form_each(db, wp, other)
    # A new screen offers the next round: a deliberate second round is still possible.
    async with db.read() as s:
        assert await feedback.next_round_number(s, wp.programme.id) == 2
