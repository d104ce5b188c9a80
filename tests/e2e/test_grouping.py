"""Who may be grouped, through the emulator: the matching keeps a 12-year-old away from a
mentor who asked for adults and from a group of young teachers; the curator's manual
assignment that breaks these rules shows a warning naming them and needs a confirmation."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from bot.texts import t
from storage.models import AuditRecord, FormAnswer, FormSession, Pair, PairMember, Participant
from tests.support.factories import make_curator, make_participant, make_programme
from tests.support.settle import read_settled

CURATOR = 760_001


@pytest.fixture
def emulator_options() -> dict[str, Any]:
    return {"rate_limits": False}


async def _answers(session: Any, participant: Participant, form: str, **answers: Any) -> None:
    fs = FormSession(participant_id=participant.id, form=form, status="completed")
    session.add(fs)
    await session.flush()
    for question, value in answers.items():
        session.add(FormAnswer(session_id=fs.id, question_id=question, value=value))
    await session.flush()


async def test_the_curator_is_warned_before_putting_a_child_in_a_group_of_adults(
    emulator: Any, bot_app: Any
) -> None:
    async with bot_app.db.session() as s:
        programme = await make_programme(
            s, forms=["student_student", "teacher_teacher"], is_group=True
        )
        await make_curator(s, programme, tg_id=CURATOR)
        mentor = await make_participant(
            s, programme, "mentor", name="Ирина Петровна", approved=True, category="teacher"
        )
        mentor.capacity = 3
        # «18–25 лет, взрослые», as in the mentor's questionnaire.
        await _answers(
            s, mentor, "mentor_profile", mentee_ages=["18_25", "adult"], interests=["robotics"]
        )
        kid = await make_participant(
            s, programme, "mentee", name="Петя Малышев", age=12, grade=6, category="school_student"
        )
        await _answers(s, kid, "mentee_profile", interests=["robotics"])
        teacher = await make_participant(
            s, programme, "mentee", name="Анна Учителева", age=24, category="young_teacher"
        )
        await _answers(s, teacher, "mentee_profile", interests=["robotics"])
        ids = (mentor.id, kid.id, teacher.id)
    mentor_id, kid_id, teacher_id = ids

    curator = emulator.create_user("Куратор", id=CURATOR, started=True)
    await curator.command("pairs")
    await curator.wait_for(regex=r"Пары и группы|Подбор|пар")
    await curator.press(t("pairs-btn-run", "ru"))
    await curator.wait_for(t("pairs-ran", "ru", proposed=1, unmatched=1))

    async with read_settled(bot_app) as s:
        pair = await s.scalar(select(Pair).where(Pair.mentor_id == mentor_id))
        assert pair is not None and pair.mentoring_form == "teacher_teacher"
        members = set(await s.scalars(select(PairMember.mentee_id)))
        assert members == {teacher_id}

    await curator.press(t("pairs-btn-lonely", "ru", count=1))
    lonely = await curator.wait_for("Без пары: 1")
    assert t("match-unmatched-ages", "ru") in lonely.text
    await curator.press(t("pairs-btn-assign", "ru", name="Петя Малышев"))
    await curator.wait_for(t("pairs-assign-ask", "ru"))
    # The mentor is offered, marked: choosing them breaks rules.
    await curator.press(t("pairs-warned-mentor", "ru", label="Ирина Петровна (2)"))
    warning = await curator.wait_for("нарушает правила подбора")
    assert t("match-constraint-group-category", "ru") in warning.text
    assert t("match-constraint-age", "ru") in warning.text
    async with read_settled(bot_app) as s:
        members = set(await s.scalars(select(PairMember.mentee_id)))
        assert members == {teacher_id}, "nothing changes before the curator confirms"

    await curator.press(t("pairs-btn-override", "ru"))
    await curator.wait_for(t("pairs-done-assign", "ru"))
    async with read_settled(bot_app) as s:
        members = set(await s.scalars(select(PairMember.mentee_id)))
        assert members == {teacher_id, kid_id}
        record = await s.scalar(select(AuditRecord).where(AuditRecord.action == "pair_assigned"))
        assert record is not None
        assert record.details["rules_overridden"] == ["group-category", "age"]
