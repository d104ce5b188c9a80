"""The municipality's three indicators on two organisations, counted by hand.

Школа № 1 (10 students aged 10–19, 4 teachers under 35), two programmes:
  mentees  S1 school 12 (also a mentee of the second programme: one person),
           S2 school 15, a college student of 20 (too old), T1 young teacher 30,
           a school student of 13 still waiting for consent (not counted);
  mentors  S3 student 16, T2 teacher 32 trained, a teacher of 50, an employer 40 trained.
  students S1, S2, S3 = 3 of 10 (30%) · teachers T1, T2 = 2 of 4 (50%) ·
  trained 2 of 4 mentors (50%, target 30% reached).
Колледж (4 students, teachers under 35 not entered):
  mentees  three college students of 17, a young teacher of unknown age;
  mentors  a teacher of 30, not trained.
  students 3 of 4 (75%, reached) · teachers 2, no total · trained 0 of 1 (0%).
Total: students 6 of 14 (43%) · teachers 2 of 4 (only the school's number is known) ·
  trained 2 of 5 (40%, reached).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.infra.clock import TestClock
from bot.services.access import AccessDenied
from bot.services.reporting.export import build_export
from bot.services.reporting.municipality import compute_municipal, set_totals
from bot.services.reporting.reports import render_overview
from storage.db import Database
from storage.models import Organisation, Person, Programme, StaffMember
from tests.support.export_check import read_workbook
from tests.support.factories import make_curator, make_participant, make_person, make_programme
from tests.support.report_fixture import NOW


async def _two_organisations(session: object) -> tuple[Programme, Programme]:
    s = session
    school = await make_programme(s, organisation="Школа № 1")  # type: ignore[arg-type]
    org = await s.get(Organisation, school.organisation_id)  # type: ignore[attr-defined]
    org.students_total, org.young_teachers_total = 10, 4
    second = Programme(organisation_id=school.organisation_id, name="Второй поток")
    s.add(second)  # type: ignore[attr-defined]
    await s.flush()  # type: ignore[attr-defined]

    async def mentee(programme: Programme, category: str, age: int | None, **kw: object) -> object:
        return await make_participant(
            s,  # type: ignore[arg-type]
            programme,
            "mentee",
            category=category,
            age=age,
            **kw,  # type: ignore[arg-type]
        )

    async def mentor(programme: Programme, category: str, age: int, trained: bool) -> object:
        return await make_participant(
            s,  # type: ignore[arg-type]
            programme,
            "mentor",
            category=category,
            age=age,
            trained=trained,
            approved=True,
        )

    s1 = await mentee(school, "school_student", 12)
    await make_participant(
        s,  # type: ignore[arg-type]
        second,
        "mentee",
        person=await s.get(Person, s1.person_id),  # type: ignore[attr-defined]
        category="school_student",
        age=12,
    )
    await mentee(school, "school_student", 15)
    await mentee(school, "college_student", 20)
    await mentee(school, "young_teacher", 30)
    await mentee(school, "school_student", 13, active=False)
    await mentor(school, "student", 16, False)
    await mentor(school, "teacher", 32, True)
    await mentor(school, "teacher", 50, False)
    await mentor(school, "employer", 40, True)

    college = await make_programme(s, name="Колледж", organisation="Колледж")  # type: ignore[arg-type]
    org2 = await s.get(Organisation, college.organisation_id)  # type: ignore[attr-defined]
    org2.students_total = 4
    for _ in range(3):
        await mentee(college, "college_student", 17)
    young = await mentee(college, "young_teacher", 30)
    young.age = None  # type: ignore[attr-defined]
    await mentor(college, "teacher", 30, False)
    await s.flush()  # type: ignore[attr-defined]
    return school, college


@pytest.fixture
async def world(db: Database, test_clock: TestClock) -> tuple[Programme, Programme]:
    test_clock.set(NOW)
    async with db.session() as session:
        return await _two_organisations(session)


def _figures(row: object) -> dict[str, tuple[int, int | None, int | None, bool | None]]:
    return {
        key: (i.involved, i.total, i.percent, i.reached)
        for key, i in row.indicators.items()  # type: ignore[attr-defined]
    }


async def test_the_three_indicators_per_organisation_and_in_total(
    db: Database, world: tuple[Programme, Programme]
) -> None:
    async with db.read() as session:
        report = await compute_municipal(session)
    school, college = report.organisations
    assert school.name == "Школа № 1" and college.name == "Колледж"
    assert _figures(school) == {
        "students": (3, 10, 30, False),
        "teachers": (2, 4, 50, False),
        "trained": (2, 4, 50, True),
    }
    assert _figures(college) == {
        "students": (3, 4, 75, True),
        "teachers": (2, None, None, None),
        "trained": (0, 1, 0, False),
    }
    assert _figures(report.total) == {
        "students": (6, 14, 43, False),
        "teachers": (2, 4, 50, False),
        "trained": (2, 5, 40, True),
    }

    text = "\n".join(render_overview([], NOW, "ru", report))
    assert "Программ пока нет" in text  # no programmes given: nothing else to show
    from bot.services.reporting.reports import compute_overview

    async with db.read() as session:
        overviews = await compute_overview(session, NOW)
    text = "\n".join(render_overview(overviews, NOW, "ru", report))
    assert "обучающиеся 10–19 лет вовлечены в наставничество: 3 из 10, 30%, цель — 70%" in text
    assert (
        "обучающиеся 10–19 лет вовлечены в наставничество: 3 из 4, 75%, цель 70% достигнута ✅"
        in text
    )
    assert "педагоги до 35 лет вовлечены в наставничество: в программах 2, общее число" in text
    assert "наставники прошли обучение: 2 из 5, 40%, цель 30% достигнута ✅" in text
    assert "Итого по муниципалитету" in text
    for abbreviation in ("Согл.", "Согл%", "БезП.", "Откл%", "<pre>"):
        assert abbreviation not in text


async def test_totals_are_entered_by_the_coordinator_or_the_own_curator(
    db: Database, world: tuple[Programme, Programme]
) -> None:
    school, college = world
    async with db.session() as session:
        curator = await make_curator(session, college)
        coordinator = await make_person(session, name="Координатор")
        session.add(StaffMember(person_id=coordinator.id, role="coordinator"))
        await session.flush()
        with pytest.raises(AccessDenied):
            await set_totals(session, curator, school.organisation_id, students=1, teachers=1)
        await set_totals(session, curator, college.organisation_id, students=5, teachers=3)
        await set_totals(session, coordinator, school.organisation_id, students=12, teachers=4)
    async with db.read() as session:
        report = await compute_municipal(session)
    assert [r.indicators["students"].total for r in report.organisations] == [12, 5]
    assert report.organisations[1].indicators["teachers"].total == 3


async def test_the_coordinator_workbook_shows_the_indicators(
    db: Database, world: tuple[Programme, Programme], tmp_path: Path
) -> None:
    school, college = world
    path = tmp_path / "all.xlsx"
    async with db.read() as session:
        await build_export(session, [school.id, college.id], path, now=NOW, all_organisations=True)
    rows = read_workbook(path)["Сводка"]
    by_name = {r["Программа"]: list(r.values()) for r in rows}
    assert by_name["Школа № 1"][1:4] == ["3 из 10, 30%", "2 из 4, 50%", "2 из 4, 50%"]
    assert by_name["Итого"][1:4] == ["6 из 14, 43%", "2 из 4, 50%", "2 из 5, 40%"]


def test_a_long_school_name_takes_its_usual_short_form_on_buttons_and_charts() -> None:
    from bot.services.reporting.municipality import short_name

    full = (
        "Муниципальное бюджетное общеобразовательное учреждение "
        "«Средняя общеобразовательная школа № 5» г. Братска"
    )
    assert short_name(full, 40) == "МБОУ «СОШ № 5» г. Братска"
    assert short_name("Школа " + "очень " * 10, 20) == "Школа очень очень о…"


async def test_after_the_freeze_the_coordinator_workbook_keeps_the_frozen_indicators(
    db: Database, world: tuple[Programme, Programme], tmp_path: Path
) -> None:
    """«Итоги года» of the school frozen with 10 students entered; the number is then
    changed to 20: the workbook still shows 3 of 10, the college (not frozen) its new 8."""
    from bot.services.reporting.year_snapshot import freeze_year

    school, college = world
    async with db.session() as session:
        coordinator = await make_person(session, name="Координатор")
        session.add(StaffMember(person_id=coordinator.id, role="coordinator"))
        await session.flush()
        await freeze_year(session, coordinator, school.id, NOW)
        await set_totals(session, coordinator, school.organisation_id, students=20, teachers=4)
        await set_totals(session, coordinator, college.organisation_id, students=8, teachers=None)
    path = tmp_path / "all.xlsx"
    async with db.read() as session:
        await build_export(session, [school.id, college.id], path, now=NOW, all_organisations=True)
    by_name = {r["Программа"]: list(r.values()) for r in read_workbook(path)["Сводка"]}
    assert by_name["Школа № 1"][1:4] == ["3 из 10, 30%", "2 из 4, 50%", "2 из 4, 50%"]
    assert by_name["Колледж"][1] == "3 из 8, 38%"
    assert by_name["Итого"][1] == "6 из 18, 33%"
