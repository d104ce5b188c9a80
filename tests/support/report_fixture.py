"""A programme with known figures for the report and export tests.

The programme «Наставничество 2026/27» (Asia/Irkutsk, 20 students in total, the number of
young teachers not set), looked at on NOW = 16.11.2026 10:00 UTC:

Mentees  M1–M6 active (M1–M4 school students, M5 a college student, M6 a young teacher;
         M1 and M2 want to mentor; M6's profile is not complete),
         M7 waits for consent, M8 waits for a parent, M9 declined consent,
         M10 withdrew (the row is kept with its name to prove it never shows; one
         `Withdrawal` trace).
Mentors  T1–T4 active (T1–T3 approved, T1–T2 trained; T4's profile is not complete),
         T5 waits for consent.
Pairs    P1 T1→M1 confirmed 30 days ago: meetings held 3 and confirmed 10 days ago, one
           scheduled ahead and one only proposed;
         P2 T2→M2, M3, M10 (a group) confirmed 30 days ago: its only meeting 20 days ago;
         P3 T3→M4 confirmed 5 days ago, no meetings, M4 blocked the bot;
         P4 T4→M5 proposed; P5 T4→M6 rejected.
Feedback round 1: requests to T1, M1, T2, M2, M3 and M10; answered by
           T1 (4, 5, 3, wants help), M1 (5, 5, 4), T2 (3, 4, 3) and M10 (1, 1, 1);
         round 2: requests to T1, M1, T2, M2, M3, T3, M4; answered by
           T1 (5, 5, 4), M1 (5, 4, 5), M2 (2, 3, 3, wants help).
Final    M1 and T1 completed the final survey, M2 started it.
Audit    two curator actions; one checklist item ticked by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    AuditRecord,
    ChecklistMark,
    FeedbackAnswer,
    FeedbackRequest,
    FeedbackRound,
    FormAnswer,
    FormSession,
    Meeting,
    Participant,
    Person,
    Programme,
    Withdrawal,
)
from tests.support.factories import (
    make_curator,
    make_pair,
    make_participant,
    make_programme,
)

NOW = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)


@dataclass
class ReportFixture:
    programme: Programme
    curator_id: int
    curator_tg_id: int
    people: dict[str, Participant] = field(default_factory=dict)
    pairs: dict[str, int] = field(default_factory=dict)


def days_ago(n: float) -> datetime:
    return NOW - timedelta(days=n)


async def _form(
    session: AsyncSession,
    participant: Participant,
    form: str,
    answers: dict[str, Any],
    *,
    completed: bool = True,
) -> None:
    fs = FormSession(
        participant_id=participant.id,
        form=form,
        status="completed" if completed else "in_progress",
        started_at=days_ago(40),
        completed_at=days_ago(39) if completed else None,
    )
    session.add(fs)
    await session.flush()
    for qid, value in answers.items():
        session.add(FormAnswer(session_id=fs.id, question_id=qid, value=value))
    await session.flush()


async def build_report_fixture(session: AsyncSession, *, curator_tg_id: int) -> ReportFixture:
    programme = await make_programme(session, students_total=20)
    curator = await make_curator(session, programme, tg_id=curator_tg_id)
    fx = ReportFixture(programme, curator.id, curator_tg_id)
    p = fx.people
    mentee = "mentee"
    specs = [
        ("M1", "Алексеев Борис", dict(category="school_student", wants_to_mentor=True)),
        ("M2", "Борисова Вера", dict(category="school_student", wants_to_mentor=True)),
        ("M3", "Васильев Глеб", dict(category="school_student")),
        ("M4", "Григорьева Дарья", dict(category="school_student")),
        ("M5", "Дмитриев Егор", dict(category="college_student", age=19)),
        ("M6", "Егорова Жанна", dict(category="young_teacher", age=26, profile_complete=False)),
    ]
    for key, name, extra in specs:
        age = extra.pop("age", None)
        complete = extra.pop("profile_complete", True)
        p[key] = await make_participant(session, programme, mentee, name=name, age=age, **extra)
        p[key].profile_complete = complete
    p["M7"] = await make_participant(
        session, programme, mentee, name="Жуков Захар", active=False, category="school_student"
    )
    p["M8"] = await make_participant(
        session, programme, mentee, name="Зайцева Ирина", active=False, category="school_student"
    )
    p["M8"].status = "parent_pending"
    p["M9"] = await make_participant(
        session, programme, mentee, name="Ильин Кирилл", active=False, category="school_student"
    )
    p["M9"].status = "declined_consent"
    p["M10"] = await make_participant(
        session, programme, mentee, name="Отозвавший Согласие", category="school_student"
    )
    p["M10"].status = "withdrawn"
    session.add(Withdrawal(programme_id=programme.id, role=mentee, withdrawn_at=days_ago(2)))

    mentor = "mentor"
    p["T1"] = await make_participant(
        session, programme, mentor, name="Иванова Анна", approved=True, trained=True
    )
    p["T2"] = await make_participant(
        session, programme, mentor, name="Петров Пётр", approved=True, trained=True, capacity=3
    )
    p["T3"] = await make_participant(
        session, programme, mentor, name="Сидорова Ольга", approved=True
    )
    p["T4"] = await make_participant(session, programme, mentor, name="Козлов Семён")
    p["T4"].profile_complete = False
    p["T5"] = await make_participant(session, programme, mentor, name="Лебедев Юрий", active=False)
    await session.flush()

    pairs = fx.pairs
    pair1 = await make_pair(session, programme, p["T1"], [p["M1"]])
    pair2 = await make_pair(session, programme, p["T2"], [p["M2"], p["M3"], p["M10"]])
    pair3 = await make_pair(session, programme, p["T3"], [p["M4"]])
    pair4 = await make_pair(session, programme, p["T4"], [p["M5"]], status="proposed")
    pair5 = await make_pair(session, programme, p["T4"], [p["M6"]], status="rejected")
    pair1.confirmed_at = pair2.confirmed_at = days_ago(30)
    pair3.confirmed_at = days_ago(5)
    pair1.format = "online"
    pair1.explanation = "общие интересы: IT"
    for key, pair in (("P1", pair1), ("P2", pair2), ("P3", pair3), ("P4", pair4), ("P5", pair5)):
        pairs[key] = pair.id
    person_m4 = await session.get(Person, p["M4"].person_id)
    assert person_m4 is not None
    person_m4.unreachable = True

    for pair_id, when, status in (
        (pair1.id, days_ago(3), "held"),
        (pair1.id, days_ago(10), "confirmed"),
        (pair1.id, NOW + timedelta(days=2), "scheduled"),
        (pair1.id, days_ago(2), "proposed"),
        (pair2.id, days_ago(20), "held"),
    ):
        session.add(
            Meeting(
                pair_id=pair_id, starts_at=when, status=status, topic="Знакомство", format="online"
            )
        )

    round1 = FeedbackRound(programme_id=programme.id, number=1, started_at=days_ago(15))
    round2 = FeedbackRound(programme_id=programme.id, number=2, started_at=days_ago(1))
    session.add_all([round1, round2])
    await session.flush()
    # (round, pair, member, scores or None when not answered, wants help)
    feedback: list[tuple[FeedbackRound, Any, str, tuple[int, int, int] | None, bool]] = [
        (round1, pair1, "T1", (4, 5, 3), True),
        (round1, pair1, "M1", (5, 5, 4), False),
        (round1, pair2, "T2", (3, 4, 3), False),
        (round1, pair2, "M2", None, False),
        (round1, pair2, "M3", None, False),
        (round1, pair2, "M10", (1, 1, 1), True),
        (round2, pair1, "T1", (5, 5, 4), False),
        (round2, pair1, "M1", (5, 4, 5), False),
        (round2, pair2, "T2", None, False),
        (round2, pair2, "M2", (2, 3, 3), True),
        (round2, pair2, "M3", None, False),
        (round2, pair3, "T3", None, False),
        (round2, pair3, "M4", None, False),
    ]
    for rnd, pair, who, scores, wants_help in feedback:
        answered = rnd.started_at + timedelta(hours=5) if scores else None
        request = FeedbackRequest(
            round_id=rnd.id,
            pair_id=pair.id,
            participant_id=p[who].id,
            sent_at=rnd.started_at,
            answered_at=answered,
        )
        session.add(request)
        await session.flush()
        if scores and answered:
            session.add(
                FeedbackAnswer(
                    request_id=request.id,
                    pair_id=pair.id,
                    participant_id=p[who].id,
                    round_number=rnd.number,
                    meeting_happened=True,
                    usefulness=scores[0],
                    comfort=scores[1],
                    progress=scores[2],
                    difficulty="нужна помощь с расписанием" if wants_help else None,
                    wants_help=wants_help,
                    answered_at=answered,
                )
            )

    await _form(
        session,
        p["T1"],
        "mentor_profile",
        {
            "full_name": "Иванова Анна Петровна",
            "category": "teacher",
            "workplace": "МБОУ «Лицей № 1», учитель информатики",
            "competencies": ["career", "digital"],
            "life_experience": "10 лет в IT-компании",
            "interests": ["it", "robotics"],
            "mentee_ages": ["14_17"],
            "hours_per_month": 6,
            "contacts": "@anna_iv",
        },
    )
    await _form(
        session,
        p["M1"],
        "mentee_profile",
        {
            "full_name": "Алексеев Борис Игоревич",
            "requests": ["career", "olympiad"],
            "interests": ["it"],
            "goals": "Подготовиться к олимпиаде",
            "grade": 9,
        },
    )
    await _form(session, p["M10"], "mentee_profile", {"full_name": "Отозвавший Согласие"})
    await _form(
        session,
        p["M1"],
        "final_survey",
        {"expectations": 9, "most_valuable": "Поддержка и советы"},
    )
    await _form(session, p["T1"], "final_survey", {"expectations": 10, "improve": "Больше встреч"})
    await _form(session, p["M2"], "final_survey", {"expectations": 7}, completed=False)

    session.add_all(
        [
            AuditRecord(
                programme_id=programme.id,
                actor_person_id=curator.id,
                action="pair_confirmed",
                details={"pair_id": pair1.id},
                created_at=days_ago(30),
            ),
            AuditRecord(
                programme_id=programme.id,
                actor_person_id=curator.id,
                action="mentor_approved",
                details={"participant_id": p["T3"].id},
                created_at=days_ago(31),
            ),
            ChecklistMark(
                programme_id=programme.id,
                item_key="documents",
                marked_by=curator.id,
                marked_at=days_ago(50),
            ),
        ]
    )
    await session.flush()
    return fx


async def build_second_organisation(session: AsyncSession) -> Programme:
    """Another organisation with one working pair (for the coordinator's view)."""
    programme = await make_programme(
        session, name="Наставничество в колледже", organisation="ГБПОУ «Политехнический колледж»"
    )
    mentor = await make_participant(
        session, programme, "mentor", name="Орлов Максим", approved=True
    )
    mentee = await make_participant(
        session, programme, "mentee", name="Фролова Нина", category="college_student", age=17
    )
    pair = await make_pair(session, programme, mentor, [mentee])
    pair.confirmed_at = days_ago(3)
    await session.flush()
    return programme
