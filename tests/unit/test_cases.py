"""Cases in the service layer: the same open case absorbs new words, a concern pauses the
pair, the escalation stages run once each, and /forget_me takes the words away."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.infra.clock import TestClock
from bot.services.access import AccessDenied
from bot.services.pairwork import cases
from bot.services.pairwork.cycle import load_pair
from bot.services.privacy import forget
from storage.db import Database
from storage.models import Case, CaseKind, OutboxMessage, Person, StaffMember
from tests.support.factories import make_person
from tests.support.pairwork import make_working_pair, outbox

START = datetime(2026, 10, 5, 3, 0, tzinfo=UTC)  # 11:00 in Irkutsk


@pytest.fixture
def clock_start() -> datetime:
    # the shared `clock` fixture (tests/support/bot_fixtures.py) starts here
    return START


async def test_a_second_signal_joins_the_open_case(db: Database, clock: TestClock) -> None:
    async with db.session() as s:
        wp = await make_working_pair(s)
        first = await cases.open_case(
            s,
            programme_id=wp.programme.id,
            participant_id=wp.mentee.id,
            kind=CaseKind.MISSED_MEETING,
            pair_id=wp.pair.id,
            words="Встречи 08.10 не было",
        )
        second = await cases.open_case(
            s,
            programme_id=wp.programme.id,
            participant_id=wp.mentee.id,
            kind=CaseKind.MISSED_MEETING,
            pair_id=wp.pair.id,
            words="И 15.10 тоже",
        )
        assert first.id == second.id
        assert second.words == "Встречи 08.10 не было\n\nИ 15.10 тоже"
        view = await load_pair(s, wp.pair.id)
        assert view is not None and not view.paused  # only a concern holds the pair
        told = await outbox(s, "case-opened:")
        assert len(told) == 1 and "встречи не было" in told[0].payload["text"]


async def test_a_concern_pauses_the_pair_until_closed(db: Database, clock: TestClock) -> None:
    async with db.session() as s:
        wp = await make_working_pair(s)
        case = await cases.report_concern(s, wp.mentee_person.id, wp.mentee.id, None)
        view = await load_pair(s, wp.pair.id)
        assert view is not None and view.paused and view.reachable() == []
        with pytest.raises(AccessDenied):  # the mentor cannot close it
            await cases.close_case(s, wp.mentor_person, case.id)
        with pytest.raises(cases.CaseNotYours):  # nor report for the mentee
            await cases.report_concern(s, wp.mentor_person.id, wp.mentee.id, None)
        await cases.close_case(s, wp.curator, case.id, "Поговорили, всё в порядке")
        view = await load_pair(s, wp.pair.id)
        assert view is not None and not view.paused and len(view.reachable()) == 2


async def test_escalation_runs_each_stage_once(db: Database, clock: TestClock) -> None:
    async with db.session() as s:
        wp = await make_working_pair(s)
        coordinator = await make_person(s, name="Координатор")
        s.add(StaffMember(person_id=coordinator.id, role="coordinator", organisation_id=None))
        case = await cases.open_case(
            s,
            programme_id=wp.programme.id,
            participant_id=wp.mentee.id,
            kind=CaseKind.HELP,
            pair_id=wp.pair.id,
            words="Помогите",
        )
    for hours, again, coordinators in ((47, 0, 0), (49, 1, 0), (72, 1, 0), (73.5, 1, 1)):
        clock.set(START + timedelta(hours=hours))
        for _ in range(2):  # a rerun sends nothing twice
            async with db.session() as s:
                await cases.escalate_cases(s)
        async with db.read() as s:
            assert len(await outbox(s, f"case:{case.id}:again:")) == again, hours
            assert len(await outbox(s, f"case:{case.id}:coordinator:")) == coordinators, hours


async def test_forget_me_takes_the_words_away(db: Database, clock: TestClock) -> None:
    async with db.session() as s:
        wp = await make_working_pair(s)
        await cases.open_case(
            s,
            programme_id=wp.programme.id,
            participant_id=wp.mentee.id,
            kind=CaseKind.HELP,
            pair_id=wp.pair.id,
            words="Секретные слова Миши",
        )
    async with db.session() as s:
        person = await s.get(Person, wp.mentee_person.id)
        assert person is not None
        await forget.forget_person(s, person)
    async with db.read() as s:
        case = await s.scalar(select(Case))
        texts = (await s.scalars(select(OutboxMessage.payload))).all()
    assert case is not None and case.words is None and case.status == "open"
    assert not any("Секретные слова" in str(p) for p in texts)
