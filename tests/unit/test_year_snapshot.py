"""«Итоги года»: frozen figures stay as they were when the data changes afterwards, and
only those who manage the programme can freeze them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.infra.clock import TestClock
from bot.services.access import AccessDenied
from bot.services.reporting.reports import Share, compute_report, curator_report, render_report
from bot.services.reporting.year_snapshot import freeze_year, latest_snapshot
from storage.db import Database
from storage.models import Meeting, Person
from tests.support.factories import make_curator, make_pair, make_participant, make_programme
from tests.support.report_fixture import NOW, ReportFixture, build_report_fixture


@pytest.fixture
async def fixture(db: Database, test_clock: TestClock) -> ReportFixture:
    test_clock.set(NOW)
    async with db.session() as session:
        return await build_report_fixture(session, curator_tg_id=700_000_401)


async def test_the_frozen_year_does_not_change_with_the_data(
    db: Database, fixture: ReportFixture, test_clock: TestClock
) -> None:
    pid = fixture.programme.id
    async with db.session() as session:
        curator = await session.get(Person, fixture.curator_id)
        assert curator is not None
        frozen = await freeze_year(session, curator, pid, NOW)
    # the fixture by hand: 3 working pairs (one a group), 4 of 6 mentees paired (M1–M4),
    # 3 meetings held or confirmed, 6 of 12 feedback answers, 2 final surveys of 7
    assert (frozen.pairs, frozen.groups, frozen.meetings_total) == (3, 1, 3)
    assert frozen.mentees_paired == Share(4, 6)
    assert frozen.feedback_response == Share(6, 12)
    assert frozen.indicators["students"] == (5, 20)

    # Later: a new pair for M5 meets twice.
    test_clock.set(NOW + timedelta(days=3))
    async with db.session() as session:
        from storage.models import Participant

        mentee = await session.get(Participant, fixture.people["M5"].id)
        mentor = await make_participant(
            session, fixture.programme, "mentor", name="Новый Наставник"
        )
        assert mentee is not None
        pair = await make_pair(session, fixture.programme, mentor, [mentee])
        for days in (1, 2):
            session.add(
                Meeting(pair_id=pair.id, starts_at=NOW + timedelta(days=days), status="held")
            )
    later = NOW + timedelta(days=3)
    async with db.session() as session:
        live = await compute_report(session, pid, later)
        kept = await latest_snapshot(session, pid)
        curator = await session.get(Person, fixture.curator_id)
        assert curator is not None
        shown = await curator_report(session, curator, pid, later)
    assert live.pairs_confirmed == 4 and live.meetings_total == 5
    assert kept == frozen
    text = "\n".join(render_report(shown, "ru"))
    assert "Итоги года, зафиксированные 16.11.2026" in text
    assert "Пар и групп: 3 (групп — 1); наставляемые в паре: 4 из 6, 67%; встреч: 3" in text


async def test_only_those_who_manage_the_programme_freeze_it(
    db: Database, fixture: ReportFixture
) -> None:
    async with db.session() as session:
        stranger = await make_curator(session, await make_programme(session, name="Другая"))
        with pytest.raises(AccessDenied):
            await freeze_year(session, stranger, fixture.programme.id, NOW)
    async with db.read() as session:
        assert await latest_snapshot(session, fixture.programme.id) is None
