"""/pairs services keep one category of mentees per mentor across matching runs and
refuse a rule-breaking manual placement until the curator confirms it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.services.matching import review as pairs
from storage.db import Database
from storage.models import FormAnswer, FormSession, Pair, PairMember
from tests.support.factories import make_curator, make_pair, make_participant, make_programme


async def test_a_mentor_with_young_teachers_gets_no_school_student_on_a_new_run(
    db: Database,
) -> None:
    async with db.session() as s:
        programme = await make_programme(
            s, forms=["student_student", "teacher_teacher"], is_group=True
        )
        curator = await make_curator(s, programme)
        mentor = await make_participant(
            s, programme, "mentor", name="Ирина", approved=True, category="teacher"
        )
        mentor.capacity = 4
        teacher = await make_participant(
            s, programme, "mentee", name="Анна", age=24, category="young_teacher"
        )
        await make_pair(s, programme, mentor, [teacher])
        kid = await make_participant(
            s, programme, "mentee", name="Петя", age=12, grade=6, category="school_student"
        )
        summary = await pairs.propose(s, curator, programme.id)
        assert (summary.proposed, summary.unmatched) == (0, 1)
        with pytest.raises(pairs.PlacementNeedsConfirmation) as warned:
            await pairs.assign(s, curator, programme.id, kid.id, mentor.id)
        assert warned.value.rules == ["group-category"]
        assert (await s.scalars(select(PairMember.mentee_id))).all() == [teacher.id]
        placed = await pairs.assign(s, curator, programme.id, kid.id, mentor.id, confirmed=True)
        assert placed.directive and placed.mentoring_form == "student_student"
        members = (
            await s.scalars(select(PairMember.mentee_id).join(Pair).where(Pair.id == placed.id))
        ).all()
        assert members == [kid.id]


async def test_moving_a_child_to_a_mentor_who_asked_for_adults_needs_confirmation(
    db: Database,
) -> None:
    async with db.session() as s:
        programme = await make_programme(s, forms=["student_student"], is_group=True)
        curator = await make_curator(s, programme)
        first = await make_participant(s, programme, "mentor", name="Олег", approved=True)
        adults_only = await make_participant(
            s, programme, "mentor", name="Ирина", approved=True, category="teacher"
        )
        s.add(FormSession(participant_id=adults_only.id, form="mentor_profile", status="completed"))
        await s.flush()
        session_id = await s.scalar(
            select(FormSession.id).where(FormSession.participant_id == adults_only.id)
        )
        s.add(FormAnswer(session_id=session_id, question_id="mentee_ages", value=["18_25"]))
        kid = await make_participant(
            s, programme, "mentee", name="Петя", age=12, grade=6, category="school_student"
        )
        pair = await make_pair(s, programme, first, [kid])
        with pytest.raises(pairs.PlacementNeedsConfirmation) as warned:
            await pairs.move(s, curator, pair.id, kid.id, adults_only.id)
        assert warned.value.rules == ["age"]
        still = await s.scalar(select(PairMember.pair_id).where(PairMember.mentee_id == kid.id))
        assert still == pair.id
        moved = await pairs.move(s, curator, pair.id, kid.id, adults_only.id, confirmed=True)
        assert moved.mentor_id == adults_only.id
