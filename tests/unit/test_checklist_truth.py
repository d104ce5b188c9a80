"""The checklist tells the truth: meetings regularity as the 14-day signal sees it, a
finished programme keeps its stages 5–6, ticks carry who, when and a note, the current
stage is the first one not done, and the final survey is analysed per role.

Expected values are worked out by hand from the fixtures' definitions
(tests/support/report_fixture.py, tests/support/pairwork.py)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from bot.infra.clock import TestClock
from bot.services.completion.finish import VoteResult, mentor_of_year_choice
from bot.services.programme import checklist
from bot.services.reporting.reports import compute_report
from storage.db import Database
from storage.models import Pair, Person, Programme
from tests.support.pairwork import add_meetings, make_working_pair
from tests.support.report_fixture import NOW, ReportFixture, build_report_fixture


@pytest.fixture
async def fixture(db: Database, test_clock: TestClock) -> ReportFixture:
    test_clock.set(NOW)
    async with db.session() as session:
        return await build_report_fixture(session, curator_tg_id=700_000_301)


def _item(data: checklist.StageChecklist, key: str) -> checklist.ChecklistItem:
    return next(i for s in data.stages for i in s.items if i.key == key)


async def _checklist_and_report(
    db: Database, fx: ReportFixture
) -> tuple[checklist.StageChecklist, Any]:
    async with db.read() as session:
        data = await checklist.compute_checklist(session, fx.programme.id)
        report = await compute_report(session, fx.programme.id, NOW)
    return data, report


async def test_meetings_regularity_agrees_with_the_signal_of_14_days(
    db: Database, fixture: ReportFixture
) -> None:
    # P1 met 3 and 10 days ago; P2's only meeting was 20 days ago (confirmed 30 days ago):
    # the 14-day signal; P3 was confirmed 5 days ago: not due yet. So 2 of 3 are on track.
    data, report = await _checklist_and_report(db, fixture)
    meetings = _item(data, "meetings")
    assert not meetings.done
    assert meetings.figure_args == {"done": 2, "total": 3, "percent": 67}
    no_meeting = [p for p, reasons in report.risk_reasons.items() if "no_meeting" in reasons]
    assert no_meeting == [fixture.pairs["P2"]]


async def test_a_tick_keeps_who_when_and_the_order_number(
    db: Database, fixture: ReportFixture, test_clock: TestClock
) -> None:
    async with db.session() as session:
        curator = await session.get(Person, fixture.curator_id)
        assert curator is not None
        await checklist.note_mark(
            session, curator, fixture.programme.id, "documents", "приказ № 12 от 01.09.2026"
        )
    async with db.read() as session:
        data = await checklist.compute_checklist(session, fixture.programme.id)
    documents = _item(data, "documents")
    assert documents.done and documents.note == "приказ № 12 от 01.09.2026"
    assert documents.marked_by == curator.full_name and documents.marked_at == NOW
    # untick: the note goes with the tick
    async with db.session() as session:
        curator = await session.get(Person, fixture.curator_id)
        assert curator is not None
        assert not await checklist.toggle_mark(session, curator, fixture.programme.id, "documents")
    async with db.read() as session:
        data = await checklist.compute_checklist(session, fixture.programme.id)
    assert not _item(data, "documents").done and _item(data, "documents").note is None
    # the first stage not done is the current one: stage 1 now lacks its documents
    assert data.current_stage == 1


async def test_a_finished_programme_keeps_its_pairs_and_stages(
    db: Database, test_clock: TestClock
) -> None:
    test_clock.set(NOW)
    async with db.session() as session:
        wp = await make_working_pair(session)
        wp.pair.format = "online"
        await add_meetings(session, wp.pair, "held")
        programme = await session.get(Programme, wp.programme.id)
        assert programme is not None
        # as `finish_programme` leaves it: the pair ended at the moment of the finish
        programme.status = "finished"
        programme.finished_at = NOW
        pair = await session.get(Pair, wp.pair.id)
        assert pair is not None
        pair.status, pair.ended_at = "ended", NOW
    test_clock.set(NOW + timedelta(days=40))  # long after: the cycle is judged at its end
    async with db.read() as session:
        data = await checklist.compute_checklist(session, wp.programme.id)
        report = await compute_report(session, wp.programme.id, NOW + timedelta(days=40))
    for key in ("pairs", "unmatched", "format", "meetings"):
        assert _item(data, key).done, key
    assert report.pairs_confirmed == 1 and report.mentees_without_pair == 0
    assert report.meetings_total == 1 and report.pairs_at_risk_total == 0


async def test_final_survey_is_analysed_per_role(db: Database, fixture: ReportFixture) -> None:
    # M1 (mentee) answered expectations 9, T1 (mentor) 10; M2 did not finish hers.
    async with db.read() as session:
        report = await compute_report(session, fixture.programme.id, NOW)
    final = report.final
    assert final is not None
    assert final.answered == {"mentee": 1, "mentor": 1}
    assert final.averages["mentee"]["expectations"] == 9
    assert final.averages["mentor"]["expectations"] == 10
    assert final.averages["mentee"]["comfort"] is None
    assert final.texts["most_valuable"] == ["Поддержка и советы"]
    assert final.texts["improve"] == ["Больше встреч"]


def test_mentor_of_year_is_the_single_leader() -> None:
    assert mentor_of_year_choice([VoteResult(5, "А", 3), VoteResult(6, "Б", 1)]) == 5
    assert mentor_of_year_choice([VoteResult(5, "А", 2), VoteResult(6, "Б", 2)]) is None
    assert mentor_of_year_choice([]) is None


async def test_a_curator_note_supports_each_mentee_without_a_pair(
    db: Database, fixture: ReportFixture
) -> None:
    from bot.services.access import AccessDenied
    from bot.services.enrolment import registry
    from tests.support.factories import make_curator, make_programme

    # M5 and M6 are the active mentees without a working pair.
    async with db.read() as session:
        assert not _item(
            await checklist.compute_checklist(session, fixture.programme.id), "unmatched"
        ).done
    async with db.session() as session:
        curator = await session.get(Person, fixture.curator_id)
        stranger = await make_curator(session, await make_programme(session, name="Другая"))
        assert curator is not None
        with pytest.raises(AccessDenied):
            await registry.set_curator_note(session, stranger, fixture.people["M5"].id, "чужая")
        for key in ("M5", "M6"):
            await registry.set_curator_note(
                session, curator, fixture.people[key].id, "Классный руководитель: ищем наставника"
            )
    async with db.read() as session:
        data = await checklist.compute_checklist(session, fixture.programme.id)
    assert _item(data, "unmatched").done


async def test_the_final_survey_item_counts_those_it_was_sent_to(
    db: Database, fixture: ReportFixture
) -> None:
    """/finish sends the final survey to the members of the working pairs P1–P3: M1–M4 and
    T1–T3 (M10 withdrew). M1 and T1 completed it: 2 of 7, as /report says — not 2 of the
    10 active people, and far from the 70% the item asks."""
    data, report = await _checklist_and_report(db, fixture)
    item = _item(data, "final-survey")
    assert not item.done
    assert item.figure_args == {"done": 2, "total": 7, "percent": 29}
    assert (report.final_survey.part, report.final_survey.base) == (2, 7)
