"""/report figures on the fixture programme, computed by hand from its definition."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from bot.infra.charts import PNG_SIGNATURE, report_chart
from bot.infra.clock import TestClock
from bot.services.reporting.reports import (
    NamedPair,
    ProgrammeReport,
    Share,
    compute_overview,
    compute_report,
    pack_messages,
    render_overview,
    render_report,
    report_scope,
)
from storage.db import Database
from tests.support.factories import make_participant, make_person, make_programme
from tests.support.report_fixture import (
    NOW,
    ReportFixture,
    build_report_fixture,
    build_second_organisation,
)


@pytest.fixture
async def fixture(db: Database, test_clock: TestClock) -> ReportFixture:
    test_clock.set(NOW)
    async with db.session() as session:
        return await build_report_fixture(session, curator_tg_id=700_000_001)


async def _report(db: Database, fx: ReportFixture, **kwargs: int) -> ProgrammeReport:
    async with db.read() as session:
        return await compute_report(session, fx.programme.id, NOW, **kwargs)


async def test_participants_consent_and_profiles(db: Database, fixture: ReportFixture) -> None:
    report = await _report(db, fixture)
    assert report.by_role_status["mentee"] == {
        "active": 6,
        "consent_pending": 1,
        "parent_pending": 1,
        "declined_consent": 1,
    }
    assert report.by_role_status["mentor"] == {
        "active": 4,
        "consent_pending": 1,
        "parent_pending": 0,
        "declined_consent": 0,
    }
    assert report.withdrawn == {"mentee": 1, "mentor": 0}
    assert report.consent == {"mentee": Share(6, 9), "mentor": Share(4, 5)}
    assert report.consent["mentee"].percent == 67
    assert report.parent_pending == 1
    assert report.profiles == {"mentee": Share(5, 6), "mentor": Share(3, 4)}
    assert report.mentors_approved == Share(3, 4)
    assert report.mentors_trained == Share(2, 3)
    assert report.active_total == 10


async def test_pairs_meetings_and_risk(db: Database, fixture: ReportFixture) -> None:
    report = await _report(db, fixture)
    assert (report.pairs_confirmed, report.groups_confirmed, report.pairs_proposed) == (3, 1, 1)
    assert report.mentees_paired == Share(4, 6)
    assert report.mentees_without_pair == 2
    assert report.meetings_in_window == 2
    assert report.meetings_per_pair == {0: 2, 1: 0, 2: 1, 3: 0}
    assert report.average_meetings == pytest.approx(2 / 3)
    assert report.pairs_at_risk_total == 2
    assert report.risk_counts == {
        "no_meeting": 1,
        "low_score": 1,
        "help_wanted": 1,
        "unreachable": 1,
    }
    p = fixture.pairs
    assert report.pairs_at_risk == [
        NamedPair(
            p["P2"],
            "Петров Пётр",
            ("Борисова Вера", "Васильев Глеб"),
            ("no_meeting", "low_score", "help_wanted"),
        ),
        NamedPair(p["P3"], "Сидорова Ольга", ("Григорьева Дарья",), ("unreachable",)),
    ]


async def test_feedback_coverage_and_final(db: Database, fixture: ReportFixture) -> None:
    report = await _report(db, fixture)
    assert [(r.number, r.requested, r.answered) for r in report.rounds] == [(1, 5, 3), (2, 7, 3)]
    first, second = report.rounds
    assert first.usefulness == pytest.approx(4.0)
    assert first.comfort == pytest.approx(14 / 3)
    assert first.progress == pytest.approx(10 / 3)
    assert (second.usefulness, second.comfort, second.progress) == pytest.approx((4.0, 4.0, 4.0))
    assert report.feedback_response == Share(6, 12)
    assert report.coverage_students.share == Share(5, 20)
    assert report.coverage_students.reached is False
    assert report.coverage_teachers.involved == 1
    assert report.coverage_teachers.share is None
    assert report.wants_to_mentor == Share(2, 6)
    assert report.final_survey == Share(2, 7)  # M1 and T1 of the members of P1–P3 (M1–M4, T1–T3)


async def test_rendered_text_shows_figures_with_their_base(
    db: Database, fixture: ReportFixture
) -> None:
    report = await _report(db, fixture)
    messages = render_report(report, "ru")
    text = "\n".join(messages)
    assert all(len(m) <= 4096 for m in messages)
    assert "Согласия собраны: наставляемые — 6 из 9, 67%; наставники — 4 из 5, 80%" in text
    assert "Наставляемые в паре или группе: 4 из 6, 67%" in text
    assert "Без пары и группы пока 2 наставляемых" in text
    assert "Пары и группы, которым нужно внимание: 2" in text
    assert "Петров Пётр → Борисова Вера, Васильев Глеб" in text
    assert "Отозвавший" not in text
    assert "Ответили на анкеты: 6 из 12, 50%" in text
    assert "Раунд 2: ответы 3 из 7, 43%; польза 4,0, комфорт 4,0, прогресс 4,0" in text
    assert "польза без изменений →, комфорт снижается ↓, прогресс растёт ↑" in text
    assert "Обучающиеся 10–19 лет: 5 из 20, 25%" in text
    assert "Педагоги до 35 лет: нет данных" in text
    # the survey went to the members of P1–P3: M1–M4 and T1–T3
    assert "Итоговую анкету заполнили: 2 из 7, 29%" in text
    assert "хотят стать наставниками: 2 из 6, 33%" in text
    english = "\n".join(render_report(report, "en"))
    assert "6 of 9, 67%" in english


async def test_long_lists_stay_under_the_limit(db: Database, fixture: ReportFixture) -> None:
    report = await _report(db, fixture, listed=1)
    assert len(report.pairs_at_risk) == 1
    assert "…и ещё 1" in "\n".join(render_report(report, "ru"))
    long_name = "Ж" * 300
    report.pairs_at_risk = [
        NamedPair(i, long_name, (long_name,) * 5, ("no_meeting",)) for i in range(10)
    ]
    report.pairs_at_risk_total = 10
    messages = render_report(report, "ru")
    assert len(messages) > 1
    assert all(len(m) <= 4096 for m in messages)
    assert sum(m.count(long_name) for m in messages) == 60


def test_pack_messages_cuts_huge_blocks() -> None:
    blocks = ["a" * 3000, "b" * 3000, "\n".join(["c" * 100] * 100)]
    messages = pack_messages(blocks)
    assert all(len(m) <= 4096 for m in messages)
    assert "".join(messages).replace("\n", "").count("c") == 10_000
    assert messages[0] == "a" * 3000


async def test_chart_is_a_png(db: Database, fixture: ReportFixture) -> None:
    report = await _report(db, fixture)
    png = report_chart(report, "ru")
    assert png is not None and png.startswith(PNG_SIGNATURE)
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG"
        width, height = image.size
    assert width >= 800 and height >= 300


async def test_empty_programme_has_no_chart_and_kind_text(db: Database) -> None:
    async with db.session() as session:
        programme = await make_programme(session)
        report = await compute_report(session, programme.id, NOW)
    assert report_chart(report, "ru") is None
    text = "\n".join(render_report(report, "ru"))
    assert "Анкет обратной связи ещё не было" in text
    assert "Обучающиеся 10–19 лет: нет данных" in text
    assert "пока никого" in text


async def test_coordinator_overview_has_a_table_per_organisation(
    db: Database, fixture: ReportFixture
) -> None:
    async with db.session() as session:
        await build_second_organisation(session)
    async with db.read() as session:
        overviews = await compute_overview(session, NOW)
    assert [o.name for o in overviews] == ["МБОУ «Лицей № 1»", "ГБПОУ «Политехнический колледж»"]
    assert [len(o.programmes) for o in overviews] == [1, 1]
    assert overviews[1].programmes[0].pairs_confirmed == 1
    messages = render_overview(overviews, NOW, "ru")
    text = "\n".join(messages)
    assert text.count("<pre>") == 0  # in words, not a table of abbreviations
    # the fixture's row: 10 with consent of 14, 3 pairs, 2 without, 2 at risk, 6 of 12
    assert (
        "«Наставничество 2026/27»: участники с согласием — 10 из 14, 71%; работающие пары и "
        "группы — 3; наставляемые без пары — 2; пары, которым нужно внимание, — 2; ответили "
        "на анкеты обратной связи — 6 из 12, 50%"
    ) in text


async def test_scope_by_role(db: Database, fixture: ReportFixture) -> None:
    async with db.session() as session:
        curator = await make_person(session, tg_id=fixture.curator_tg_id + 1)
        coordinator = await make_person(session, tg_id=fixture.curator_tg_id + 2)
        from storage.models import Person, StaffMember

        session.add(StaffMember(person_id=coordinator.id, role="coordinator"))
        outsider = await make_person(session, tg_id=fixture.curator_tg_id + 3)
        mentee = fixture.people["M1"]
        mentee_person = await session.get(Person, mentee.person_id)
        await session.flush()
        real_curator = await session.get(Person, fixture.curator_id)
        assert real_curator is not None and mentee_person is not None
        assert (await report_scope(session, real_curator)).programme_ids == (fixture.programme.id,)
        assert (await report_scope(session, real_curator)).kind == "curator"
        assert (await report_scope(session, coordinator)).kind == "coordinator"
        assert (await report_scope(session, outsider)).kind == "none"
        assert (await report_scope(session, mentee_person)).kind == "none"
        assert (await report_scope(session, curator)).kind == "none"
        second = await make_programme(session, name="Другая")
        await make_participant(session, second, "mentee")
        scope = await report_scope(session, coordinator)
        assert scope.programme_ids == (fixture.programme.id, second.id)
