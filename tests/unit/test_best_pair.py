"""«Лучшая пара»: the ranking by meetings and scores, and the rules of the curator's award."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.infra.clock import TestClock
from bot.services.access import AccessDenied
from bot.services.completion import best_pair
from bot.services.completion import finish as completion
from bot.services.completion.best_pair import PairFigures, final_on_five, rank
from bot.services.pairwork.cycle import WrongState
from bot.services.reporting.export import build_export
from bot.services.reporting.reports import compute_report, render_report
from storage.db import Database
from storage.models import (
    AuditRecord,
    FormAnswer,
    FormSession,
    Pair,
    PairMember,
    Participant,
)
from tests.support.export_check import assert_matches_database, read_workbook
from tests.support.factories import make_curator, make_participant, make_programme
from tests.support.pairwork import (
    WorkingPair,
    add_feedback,
    add_meetings,
    make_working_pair,
    outbox,
)

START = datetime(2026, 10, 5, 3, 0, tzinfo=UTC)  # 11:00 in Irkutsk


@pytest.fixture
def clock_start() -> datetime:
    # the shared `clock` fixture (tests/support/bot_fixtures.py) starts here
    return START


def test_ranking_weighs_meetings_and_scores() -> None:
    figures = [
        PairFigures(1, meetings=6, feedback=5.0, final=5.0),  # 40 + 60
        PairFigures(2, meetings=3, feedback=3.0),  # 20 + 30
        PairFigures(3, meetings=6),  # no scores yet: 40 + 0
        PairFigures(4, meetings=0, feedback=5.0, final=5.0),  # never met: not a candidate
        PairFigures(5, meetings=3, feedback=4.0, final=2.0),  # same points as 2: older first
        PairFigures(6, meetings=1, feedback=4.0),
        PairFigures(7, meetings=2, feedback=1.0),
    ]
    ranked = rank(figures)
    assert [(f.pair_id, points) for f, points in ranked] == [
        (1, 100.0),
        (6, 51.7),  # 6.7 + 45
        (2, 50.0),  # a tie in points: more meetings first, then the older pair
        (5, 50.0),
        (3, 40.0),
    ]
    assert len(rank(figures, limit=10)) == 6  # everyone who met, nobody else
    assert PairFigures(9, 2, feedback=4.0, final=None).average == 4.0
    assert PairFigures(9, 2, feedback=4.0, final=5.0).average == 4.5
    assert rank([PairFigures(1, 0)]) == []
    tie = rank([PairFigures(1, 2, feedback=5.0), PairFigures(2, 4, feedback=11 / 3)])
    assert [(f.pair_id, points) for f, points in tie] == [(2, 80.0), (1, 80.0)]


def test_final_survey_scale_is_put_on_five() -> None:
    assert final_on_five(1) == 1.0 and final_on_five(10) == 5.0
    assert final_on_five("10") == 5.0
    assert final_on_five(0) is None and final_on_five(11) is None
    assert final_on_five(True) is None and final_on_five("много") is None


async def _final(s: AsyncSession, participant: Participant, scales: tuple[int, ...]) -> None:
    fs = FormSession(
        participant_id=participant.id,
        form="final_survey",
        context=f"programme:{participant.programme_id}",
        status="completed",
    )
    s.add(fs)
    await s.flush()
    for question, value in zip(best_pair.FINAL_SCALES, scales, strict=True):
        s.add(FormAnswer(session_id=fs.id, question_id=question, value=value))
    s.add(FormAnswer(session_id=fs.id, question_id="most_valuable", value="Поддержка"))
    await s.flush()


async def test_figures_count_held_meetings_and_both_sides_equally(
    db: Database, clock: TestClock
) -> None:
    async with db.session() as s:
        wp = await make_working_pair(s)
        await add_meetings(s, wp.pair, "confirmed", "held", "held", "scheduled", "cancelled")
        # the mentor answers three times with fives, the mentee once with threes:
        # each side weighs the same, so the feedback average is 4, not 4.5
        for n in (1, 2, 3):
            await add_feedback(s, wp.pair, wp.mentor, n, (5, 5, 5))
        await add_feedback(s, wp.pair, wp.mentee, 1, (3, 3, 3))
        await _final(s, wp.mentee, (10, 10, 10, 10))  # 5 of 5; the mentor did not answer
        # a group: a mentee who withdrew takes their scores away with them
        group = await make_working_pair(
            s, programme=wp.programme, curator=wp.curator, mentor_name="Олег", mentee_name="Катя"
        )
        gone = await make_participant(s, wp.programme, "mentee", name="Ушедший")
        s.add(PairMember(pair_id=group.pair.id, mentee_id=gone.id))
        await add_meetings(s, group.pair, "held")
        await add_feedback(s, group.pair, gone, 1, (1, 1, 1))
        await add_feedback(s, group.pair, group.mentee, 1, (4, 4, 4))
        gone.status = "withdrawn"
        lonely = await make_working_pair(
            s, programme=wp.programme, curator=wp.curator, mentor_name="Ира", mentee_name="Петя"
        )
        await add_meetings(s, lonely.pair, "held")
        lonely.mentee.status = "withdrawn"  # the pair has nobody left to award
        await s.flush()
        figures = await best_pair.pair_figures(s, [wp.pair.id, group.pair.id, lonely.pair.id])
    assert figures == [
        PairFigures(wp.pair.id, meetings=3, feedback=4.0, final=5.0),
        PairFigures(group.pair.id, meetings=1, feedback=4.0, final=None),
    ]


async def _two_pairs_finishing(s: AsyncSession) -> tuple[WorkingPair, WorkingPair]:
    wp = await make_working_pair(s)
    other = await make_working_pair(
        s, programme=wp.programme, curator=wp.curator, mentor_name="Олег", mentee_name="Катя"
    )
    await add_meetings(s, wp.pair, "confirmed", "confirmed", "held")
    await add_feedback(s, wp.pair, wp.mentee, 1, (5, 4, 5))
    await add_meetings(s, other.pair, "held")
    return wp, other


async def test_award_rules(db: Database, clock: TestClock, tmp_path: Path) -> None:
    async with db.session() as s:
        wp, other = await _two_pairs_finishing(s)
        silent = await make_working_pair(
            s, programme=wp.programme, curator=wp.curator, mentor_name="Ира", mentee_name="Петя"
        )
        foreign_programme = await make_programme(s, name="Чужая программа")
        stranger_curator = await make_curator(s, foreign_programme)
        with pytest.raises(WrongState):  # not before the completion has started
            await best_pair.best_pair_overview(s, wp.curator, wp.programme.id)
        with pytest.raises(WrongState):
            await best_pair.award_best_pair(s, wp.curator, wp.programme.id, wp.pair.id)
        await completion.start_completion(s, wp.curator, wp.programme.id)

        overview = await best_pair.best_pair_overview(s, wp.curator, wp.programme.id)
        assert overview.editable and overview.awarded is None
        assert [c.figures.pair_id for c in overview.candidates] == [wp.pair.id, other.pair.id]
        assert overview.candidates[0].names.mentee_names == ("Миша Иванов",)
        for actor, pair_id in (
            (wp.mentor_person, wp.pair.id),  # a participant
            (stranger_curator, wp.pair.id),  # the curator of another programme
        ):
            with pytest.raises(AccessDenied):
                await best_pair.award_best_pair(s, actor, wp.programme.id, pair_id)
            with pytest.raises(AccessDenied):
                await best_pair.award_preview(s, actor, wp.programme.id, pair_id)
        foreign_pair = await make_working_pair(s, programme=foreign_programme)
        for pair_id in (foreign_pair.pair.id, silent.pair.id, 10_000):  # not ours / never met
            with pytest.raises(WrongState):
                await best_pair.award_best_pair(s, wp.curator, wp.programme.id, pair_id)

        preview = await best_pair.award_preview(s, wp.curator, wp.programme.id, other.pair.id)
        assert preview.current is None and preview.figures.meetings == 1
        await best_pair.award_best_pair(s, wp.curator, wp.programme.id, other.pair.id)
        preview = await best_pair.award_preview(s, wp.curator, wp.programme.id, wp.pair.id)
        assert preview.current is not None and preview.current.pair_id == other.pair.id
        overview = await best_pair.award_best_pair(s, wp.curator, wp.programme.id, wp.pair.id)
        await best_pair.award_best_pair(s, wp.curator, wp.programme.id, wp.pair.id)  # again
        assert overview.awarded is not None and overview.awarded.figures.pair_id == wp.pair.id
        status = await completion.completion_status(s, wp.curator, wp.programme.id)
        assert status.best_pair is not None and status.best_pair.pair_id == wp.pair.id

    async with db.read() as s:
        named = (await s.scalars(select(Pair.id).where(Pair.best_pair_at.is_not(None)))).all()
        congrats = await outbox(s, "best-pair:")
        audit = (
            await s.scalars(select(AuditRecord).where(AuditRecord.action == "best_pair_award"))
        ).all()
        report = await compute_report(s, wp.programme.id, clock.now())
    assert named == [wp.pair.id]  # one pair per programme
    assert sorted(m.person_id for m in congrats) == sorted(
        [wp.mentor_person.id, wp.mentee_person.id, other.mentor_person.id, other.mentee_person.id]
    )
    mine = next(m for m in congrats if m.person_id == wp.mentee_person.id)
    text = mine.payload["text"]
    assert "ваша пара — Анна Петровна Смирнова и Миша Иванов — стала «Лучшей парой»" in text
    assert [a.details["pair"] for a in audit] == [other.pair.id, wp.pair.id]
    assert audit[1].details["replaced"] == [other.pair.id]
    assert report.best_pair is not None and report.best_pair.pair_id == wp.pair.id
    assert "«Лучшая пара» программы: Анна Петровна Смирнова → Миша Иванов" in "".join(
        render_report(report, "ru")
    )

    path = tmp_path / "out.xlsx"
    async with db.read() as s:
        await build_export(s, [wp.programme.id], path, now=clock.now())
    sheets = read_workbook(path)
    async with db.read() as s:
        await assert_matches_database(s, sheets, wp.programme.id, "Asia/Irkutsk")
    marks = {r["Пара №"]: r["Лучшая пара"] for r in sheets["Пары и группы"]}
    assert marks == {wp.pair.id: "да", other.pair.id: "нет", silent.pair.id: "нет"}

    # Once the programme is finished the choice stays and cannot change.
    async with db.session() as s:
        await completion.finish_programme(s, wp.curator, wp.programme.id)
    async with db.session() as s:
        overview = await best_pair.best_pair_overview(s, wp.curator, wp.programme.id)
        assert not overview.editable
        assert overview.awarded is not None and overview.awarded.figures.pair_id == wp.pair.id
        assert [c.figures.pair_id for c in overview.candidates] == [wp.pair.id, other.pair.id]
        with pytest.raises(WrongState):
            await best_pair.award_best_pair(s, wp.curator, wp.programme.id, other.pair.id)
    async with db.read() as s:
        assert await s.scalar(select(func.count()).select_from(AuditRecord)) == 4
