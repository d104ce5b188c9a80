"""Curator actions that send to many people, pressed twice or by two curators at once:
one round, one message per person (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, time
from typing import TypeVar

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.infra.clock import TestClock
from bot.services.community import group_meeting
from bot.services.enrolment.registry import NotAllowedNow
from bot.services.feedback import rounds as feedback
from bot.services.feedback.rounds import RoundResult
from bot.services.matching import preference_round
from bot.services.pairwork.cycle import on_pairs_confirmed
from bot.services.programme import broadcast
from storage.db import Database
from storage.models import (
    FeedbackRequest,
    FeedbackRound,
    GroupMeeting,
    Person,
    PreferenceRound,
)
from tests.support.curator import CuratorWorld, make_world
from tests.support.factories import make_co_curator
from tests.support.pairwork import WorkingPair, make_working_pair, outbox

START = datetime(2026, 10, 5, 3, 0, tzinfo=UTC)
T = TypeVar("T")


@pytest.fixture
def clock_start() -> datetime:
    # the shared `clock` fixture (tests/support/bot_fixtures.py) starts here
    return START


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


# ------------------------------------------------------------------ other mass sends


async def _world_with_co_curator(db: Database) -> tuple[CuratorWorld, int]:
    async with db.session() as s:
        world = await make_world(s, mentors=2, mentees=2)
        co = await make_co_curator(s, world.programme)
    return world, co.id


async def _as(
    db: Database, actor_id: int, action: Callable[[AsyncSession, Person], Awaitable[T]]
) -> T:
    async with db.session() as s:
        actor = await s.get(Person, actor_id)
        assert actor is not None
        return await action(s, actor)


def _refusals(results: list[object]) -> list[str]:
    return [r.key for r in results if isinstance(r, NotAllowedNow)]


async def _messages_per_person(db: Database, prefix: str) -> Counter[int | None]:
    async with db.read() as s:
        return Counter(m.person_id for m in await outbox(s, prefix))


async def test_a_group_meeting_announced_twice_at_once_is_one_meeting(
    db: Database, clock: TestClock
) -> None:
    world, co_id = await _world_with_co_curator(db)

    async def announce(s: AsyncSession, actor: Person) -> object:
        return await group_meeting.announce(
            s, actor, world.programme.id, day=date(2026, 10, 9), at=time(15), place="Актовый зал"
        )

    results = await asyncio.gather(
        _as(db, world.curator.id, announce), _as(db, co_id, announce), return_exceptions=True
    )
    assert _refusals(results) == ["meeting-error-already"]
    async with db.read() as s:
        assert len((await s.scalars(select(GroupMeeting))).all()) == 1
    invited = await _messages_per_person(db, "groupmeeting:")
    # four people, an announcement and a reminder on the day each
    assert sorted(invited.values()) == [2, 2, 2, 2]


async def test_a_preference_round_opened_twice_at_once_is_one_round(
    db: Database, clock: TestClock
) -> None:
    world, co_id = await _world_with_co_curator(db)

    async def open_round(s: AsyncSession, actor: Person) -> object:
        return await preference_round.open_round(s, actor, world.programme.id)

    results = await asyncio.gather(
        _as(db, world.curator.id, open_round), _as(db, co_id, open_round), return_exceptions=True
    )
    assert _refusals(results) == ["prefs-error-already-open"]
    async with db.read() as s:
        assert len((await s.scalars(select(PreferenceRound))).all()) == 1
    assert sorted((await _messages_per_person(db, "prefs:")).values()) == [1, 1, 1, 1]


async def test_a_broadcast_sent_twice_at_once_reaches_each_person_once(
    db: Database, clock: TestClock
) -> None:
    world, _ = await _world_with_co_curator(db)
    draft = broadcast.new_draft()

    async def send(s: AsyncSession, actor: Person) -> object:
        return await broadcast.send(
            s, actor, world.programme.id, "all", "Завтра собрание в 15:00", draft=draft
        )

    results = await asyncio.gather(
        _as(db, world.curator.id, send), _as(db, world.curator.id, send), return_exceptions=True
    )
    assert 4 in results
    assert all(r in (4, 0) or isinstance(r, NotAllowedNow) for r in results)
    assert sorted((await _messages_per_person(db, "broadcast:")).values()) == [1, 1, 1, 1]
    # pressed again later
    with pytest.raises(NotAllowedNow, match="broadcast-already"):
        await _as(db, world.curator.id, send)
    assert sorted((await _messages_per_person(db, "broadcast:")).values()) == [1, 1, 1, 1]
