"""/documents: every Word document read back with python-docx and checked against the
database of the report fixture (tests/support/report_fixture.py describes it); a
school's broken template gives a clear error; a correct one replaces the shipped one."""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from bot.infra.clock import TestClock
from bot.services.access import AccessDenied
from bot.services.reporting import documents as svc
from bot.services.reporting import docx_render
from storage.db import Database
from storage.models import (
    Consent,
    Meeting,
    OutboxMessage,
    Pair,
    PairMember,
    Participant,
    Person,
    StaffMember,
)
from tests.support.documents_check import ReadDocument, assert_no_tags, read_docx
from tests.support.factories import make_curator, make_person, make_programme
from tests.support.report_fixture import (
    NOW,
    ReportFixture,
    build_report_fixture,
    build_second_organisation,
)

WITHDRAWN_NAME = "Отозвавший"


@pytest.fixture(autouse=True)
def shipped_templates() -> Iterator[None]:
    docx_render.configure(None)
    yield
    docx_render.configure(None)


@pytest.fixture
async def fixture(db: Database, test_clock: TestClock) -> ReportFixture:
    test_clock.set(NOW)
    async with db.session() as session:
        return await build_report_fixture(session, curator_tg_id=700_000_201)


async def _document(db: Database, fx: ReportFixture, kind: str) -> ReadDocument:
    async with db.session() as session:
        curator = await session.get(Person, fx.curator_id)
        assert curator is not None
        document = await svc.programme_document(session, curator, kind, fx.programme.id, NOW)
    assert document.file_name.endswith(".docx")
    read = read_docx(document.content)
    assert_no_tags(read)
    assert WITHDRAWN_NAME not in read.text
    assert "МБОУ «Лицей № 1»" in read.headers  # the organisation heads every page
    assert any(" PAGE " in xml and " NUMPAGES " in xml for xml in read.footers_xml)
    return read


async def _working_pairs_in_db(db: Database, programme_id: int) -> dict[int, tuple[str, set[str]]]:
    """Confirmed pairs → (mentor, active mentees), straight from the tables."""
    Mentee = aliased(Participant)
    Mentor = aliased(Participant)
    async with db.read() as session:
        rows = await session.execute(
            select(Pair.id, Mentor.display_name, Mentee.display_name, Mentee.status)
            .join(Mentor, Mentor.id == Pair.mentor_id)
            .join(PairMember, PairMember.pair_id == Pair.id)
            .join(Mentee, Mentee.id == PairMember.mentee_id)
            .where(Pair.programme_id == programme_id, Pair.status == "confirmed")
        )
        pairs: dict[int, tuple[str, set[str]]] = {}
        for pair_id, mentor, mentee, status in rows:
            pairs.setdefault(pair_id, (mentor, set()))
            if status == "active":
                pairs[pair_id][1].add(mentee)
    return pairs


async def test_the_order_lists_every_working_pair_and_leaves_number_and_date_blank(
    db: Database, fixture: ReportFixture
) -> None:
    read = await _document(db, fixture, "order")
    expected = await _working_pairs_in_db(db, fixture.programme.id)
    rows = read.table_with("Наставник")
    assert len(rows) == len(expected) == 3
    listed = {(row[2], frozenset(row[3].split(", "))) for row in rows}
    assert listed == {(mentor, frozenset(mentees)) for mentor, mentees in expected.values()}
    assert [row[4] for row in rows] == ["17.10.2026", "17.10.2026", "11.11.2026"]  # Irkutsk
    assert all(row[1] == "ученик – ученик" for row in rows)
    text = "\n".join(read.paragraphs)
    assert "(пар: 2, групп: 1)" in text  # P1 and P3 are pairs, P2 a group
    assert "Куратор Мария Ивановна" in text
    assert "«____» ______________ 20____ г." in read.text and "№ __________" in read.text


async def test_the_registry_of_mentors_has_the_approved_mentors(
    db: Database, fixture: ReportFixture
) -> None:
    read = await _document(db, fixture, "mentors")
    async with db.read() as session:
        approved = (
            await session.scalars(
                select(Participant.display_name).where(
                    Participant.programme_id == fixture.programme.id,
                    Participant.role == "mentor",
                    Participant.status == "active",
                    Participant.registry_status == "approved",
                )
            )
        ).all()
    rows = read.table_with("ФИО наставника")
    assert len(rows) == len(approved) == 3
    names = [row[1] for row in rows]
    # the full name from the profile where there is one, else the name in the bot
    assert names == ["Иванова Анна Петровна", "Петров Пётр", "Сидорова Ольга"]
    anna = rows[0]
    assert anna[2] == "педагог"
    assert anna[3] == "МБОУ «Лицей № 1», учитель информатики"
    assert anna[4] == "выбор профессии, цифровые навыки"
    assert [row[5] for row in rows] == ["прошёл(ла) обучение"] * 2 + ["не проходил(а)"]
    assert rows[1][6] == "Борисова Вера, Васильев Глеб"
    assert "Козлов" not in read.text  # a candidate, not in the registry
    assert "Наставников в реестре: 3. Прошли обучение: 2 из 3, 67%." in read.text


async def test_each_pair_has_its_programme_with_meetings_and_feedback(
    db: Database, fixture: ReportFixture
) -> None:
    read = await _document(db, fixture, "programmes")
    expected = await _working_pairs_in_db(db, fixture.programme.id)
    titles = [p for p in read.paragraphs if p.startswith(("Пара № ", "Группа № "))]
    assert sorted(int(title.split("№ ")[1]) for title in titles) == sorted(expected)
    async with db.read() as session:
        counts = dict(
            (
                await session.execute(
                    select(Meeting.pair_id, func.count())
                    .where(Meeting.status.in_(("held", "confirmed")))
                    .group_by(Meeting.pair_id)
                )
            ).all()
        )
        planned = dict(
            (
                await session.execute(
                    select(Meeting.pair_id, func.count())
                    .where(Meeting.status.in_(("proposed", "scheduled")))
                    .group_by(Meeting.pair_id)
                )
            ).all()
        )
    lines = [p for p in read.paragraphs if p.startswith("Запланировано встреч")]
    assert lines == [
        f"Запланировано встреч: {planned.get(pair_id, 0)}. "
        f"Проведено встреч: {counts.get(pair_id, 0)}."
        for pair_id in sorted(expected)
    ]
    p1 = fixture.pairs["P1"]
    assert titles[0] == f"Пара № {p1}"
    assert titles[1] == f"Группа № {fixture.pairs['P2']}"
    meetings = read.table_with("Дата и время")  # P1's four meetings, oldest first
    assert [row[1] for row in meetings] == [
        "06.11.2026 18:00",
        "13.11.2026 18:00",
        "14.11.2026 18:00",
        "18.11.2026 18:00",
    ]
    # P1 feedback, by hand: round 1 T1 (4,5,3) and M1 (5,5,4); round 2 (5,5,4) and (5,4,5)
    rounds = read.table_with("Польза (1–5)")
    assert rounds[:2] == [["1", "2", "4,5", "5,0", "3,5"], ["2", "2", "5,0", "4,5", "4,5"]]
    assert "Заполнено анкет обратной связи: 4." in read.text
    facts = {row[0]: row[1] for row in read.tables[0]}
    assert facts["Наставник"] == "Иванова Анна" and facts["Наставляемый"] == "Алексеев Борис"
    assert facts["Формат встреч"] == "онлайн"
    assert facts["Срок реализации"] == "с 17.10.2026 по 31.05.2027"


async def test_one_pairs_programme_shows_the_mentors_plan_and_goes_to_the_mentor(
    db: Database, fixture: ReportFixture
) -> None:
    from storage.models import FormAnswer, FormSession

    pair_id = fixture.pairs["P1"]
    async with db.session() as session:
        plan = FormSession(
            participant_id=fixture.people["T1"].id,
            form="pair_plan",
            context=f"pair:{pair_id}",
            status="completed",
            completed_at=NOW,
        )
        session.add(plan)
        await session.flush()
        for qid, value in (
            ("goals", "Подготовиться к олимпиаде по информатике"),
            ("tasks", "Разобрать задания прошлых лет; две пробные олимпиады"),
            ("format", "mixed"),
            ("frequency", "weekly"),
            ("until", "2027-03-01"),
        ):
            session.add(FormAnswer(session_id=plan.id, question_id=qid, value=value))
    async with db.session() as session:
        curator = await session.get(Person, fixture.curator_id)
        assert curator is not None
        document, row = await svc.pair_document(session, curator, pair_id, NOW)
        read = read_docx(document.content)
        assert_no_tags(read)
        assert row.mentor == "Иванова Анна"
        assert "Подготовиться к олимпиаде по информатике" in read.paragraphs
        assert "Разобрать задания прошлых лет; две пробные олимпиады" in read.paragraphs
        facts = {r[0]: r[1] for r in read.tables[0]}
        assert facts["Формат встреч"] == "смешанный: очно и онлайн"  # vocabulary.ftl
        assert facts["Периодичность встреч"] == "раз в неделю"
        assert facts["Срок реализации"] == "с 17.10.2026 по 01.03.2027"

        queued, _ = await svc.send_to_mentor(session, curator, pair_id, NOW)
        again, _ = await svc.send_to_mentor(session, curator, pair_id, NOW)
        assert queued and not again  # once a day
    async with db.read() as session:
        sent = (await session.scalars(select(OutboxMessage))).all()
        mentor = await session.get(Person, fixture.people["T1"].person_id)
    assert len(sent) == 1 and mentor is not None
    assert sent[0].method == "sendDocument" and sent[0].chat_id == mentor.tg_id
    assert sent[0].file_bytes is not None
    assert "Подготовиться к олимпиаде" in read_docx(sent[0].file_bytes).text


async def test_the_final_report_has_the_stages_figures_chart_and_nominations(
    db: Database, fixture: ReportFixture
) -> None:
    read = await _document(db, fixture, "final")
    stages = read.table_with("Этап")
    assert [row[0] for row in stages] == [str(n) for n in range(1, 8)]
    figures = {row[0]: row[1] for row in read.table_with("Значение")}
    assert figures["Работающие пары"] == "2" and figures["Работающие группы"] == "1"
    assert figures["Согласия наставляемых"] == "6 из 9, 67%"
    assert figures["Отклик на анкеты обратной связи"] == "6 из 12, 50%"
    assert figures["Охват обучающихся"] == "5 из 20, 25% — ниже цели 70%"
    assert figures["Наставляемые без пары"] == "2"
    assert read.images == 1  # the chart of /report
    rounds = read.table_with("Отклик")
    assert [row[1] for row in rounds] == ["3 из 5, 60%", "3 из 7, 43%"]
    # final survey: M1 said 9 and T1 10 on «expectations»
    assert read.table_with("Вопрос итоговой анкеты") == [["Оправдались ли ожидания", "2", "9,5"]]
    # the survey went to the members of P1–P3: M1–M4 and T1–T3
    assert "Итоговую анкету заполнили: 2 из 7, 29%." in read.paragraphs
    assert "«Лучшая пара»: куратор не присуждал номинацию" in read.paragraphs
    # M5 waits in a proposed pair, M6's pair was rejected: only M6 has nobody proposed
    assert "Наставляемых без работающей пары: 2. Из них без предложенного наставника: 1." in (
        read.paragraphs
    )
    assert [row[1] for row in read.table_with("Наставляемый")] == ["Егорова Жанна"]


async def test_the_best_pair_and_the_mentor_of_the_year_are_named(
    db: Database, fixture: ReportFixture
) -> None:
    from storage.models import NominationVote

    async with db.session() as session:
        pair = await session.get(Pair, fixture.pairs["P1"])
        assert pair is not None
        pair.best_pair_at = NOW
        for voter in ("T2", "T3"):
            session.add(
                NominationVote(
                    programme_id=fixture.programme.id,
                    voter_id=fixture.people[voter].id,
                    nominee_id=fixture.people["T1"].id,
                    nomination="mentor_of_year",
                )
            )
    read = await _document(db, fixture, "final")
    assert "«Лучшая пара»: Иванова Анна — Алексеев Борис" in read.paragraphs
    assert "«Наставник года»: Иванова Анна (голосов: 2)" in read.paragraphs


async def test_the_registry_of_consents_has_every_decision_of_those_still_in(
    db: Database, fixture: ReportFixture
) -> None:
    async with db.session() as session:
        m8 = fixture.people["M8"]
        session.add(
            Consent(
                participant_id=m8.id,
                kind="parent",
                decision="declined",
                text_version="2",
                parent_name="Зайцева Ольга Петровна",
                parent_relation="mother",
                decided_at=NOW,
            )
        )
    read = await _document(db, fixture, "consents")
    async with db.read() as session:
        in_db = (
            await session.scalar(
                select(func.count())
                .select_from(Consent)
                .join(Participant, Participant.id == Consent.participant_id)
                .where(
                    Participant.programme_id == fixture.programme.id,
                    Participant.status != "withdrawn",
                )
            )
        ) or 0
    rows = read.table_with("Кто дал согласие")
    assert len(rows) == in_db
    zaitseva = [row for row in rows if row[1] == "Зайцева Ирина"]
    assert zaitseva == [
        [
            zaitseva[0][0],
            "Зайцева Ирина",
            "наставляемый",
            "родитель (законный представитель) в боте: Зайцева Ольга Петровна, мать",
            "отказ",
            "16.11.2026 18:00",
            "2",
        ]
    ]
    assert f"Записей в реестре: {in_db}." in read.text


async def _coordinator_of_two(db: Database) -> Person:
    """The fixture's school and a college (`build_second_organisation`), and a coordinator."""
    async with db.session() as session:
        await build_second_organisation(session)
        coordinator = await make_person(session, tg_id=700_000_299, name="Ольга Координатор")
        session.add(StaffMember(person_id=coordinator.id, role="coordinator"))
    return coordinator


async def test_the_municipal_report_is_for_the_coordinator_with_the_targets(
    db: Database, fixture: ReportFixture
) -> None:
    coordinator = await _coordinator_of_two(db)
    async with db.session() as session:
        person = await session.get(Person, coordinator.id)
        curator = await session.get(Person, fixture.curator_id)
        assert person is not None and curator is not None
        document = await svc.municipal_document(session, person, NOW)
        with pytest.raises(AccessDenied):
            await svc.municipal_document(session, curator, NOW)
    read = read_docx(document.content)
    assert_no_tags(read)
    rows = read.table_with("Организация")
    assert [(row[1], row[2]) for row in rows] == [
        ("МБОУ «Лицей № 1»", "Наставничество 2026/27"),
        ("ГБПОУ «Политехнический колледж»", "Наставничество в колледже"),
    ]
    # As the coordinator's /report counts them (seed 003): students M1–M5 of the 20 set for
    # the programme; trained T1, T2 of the mentors with consent T1–T4. The college: its
    # student Фролова, its number of students not given; its mentor not trained.
    assert rows[0][3] == "5 из 20, 25% (ниже цели)"
    assert rows[0][5] == "2 из 4, 50% (достигнута)"
    assert rows[1][3] == "вовлечено 1, общая численность не указана"
    assert rows[1][5] == "0 из 1, 0% (ниже цели)"
    assert (rows[0][6], rows[1][6]) == ("3", "1")  # P1–P3; the college's one pair
    totals = {row[0]: row[1:] for row in read.table_with("Цель")}
    # the total over the organisations whose number is known: the school's students only
    assert totals["Обучающиеся, вовлечённые в наставничество"] == ["5 из 20, 25%", "70%", "нет"]
    assert totals["Наставники, прошедшие обучение"] == ["2 из 5, 40%", "30%", "да"]
    assert totals["Работающие пары и группы"] == ["4", "—", "—"]
    assert read.images == 1  # the chart of the indicators
    assert "цель 70%" in read.text.lower() and "цель 30%" in read.text.lower()


async def test_a_curator_of_another_organisation_gets_nothing(
    db: Database, fixture: ReportFixture
) -> None:
    async with db.session() as session:
        other = await make_programme(session, name="Чужая", organisation="Другая школа")
        stranger = await make_curator(session, other, tg_id=700_000_298)
    async with db.session() as session:
        person = await session.get(Person, stranger.id)
        assert person is not None
        for kind in svc.PROGRAMME_KINDS:
            with pytest.raises(AccessDenied):
                await svc.programme_document(session, person, kind, fixture.programme.id, NOW)
        with pytest.raises(AccessDenied):
            await svc.pair_document(session, person, fixture.pairs["P1"], NOW)


async def test_text_typed_by_a_participant_never_looks_like_a_tag(
    db: Database, fixture: ReportFixture
) -> None:
    async with db.session() as session:
        mentor = await session.get(Participant, fixture.people["T1"].id)
        assert mentor is not None
        mentor.display_name = "Анна & <b>{{ organisation }} {% if %}"
    read = await _document(db, fixture, "order")
    assert "Анна & <b>{ { organisation } } { % if % }" in read.text


# ---------------------------------------------------------------- the school's templates


def _edited_copy(name: str, folder: Path, old: str, new: str) -> Path:
    """The shipped template with one tag changed, as a school might save it."""
    source = docx_render.SHIPPED_DIR / f"{name}.docx"
    target = folder / f"{name}.docx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                text = data.decode("utf-8")
                assert old in text
                data = text.replace(old, new, 1).encode("utf-8")
            zout.writestr(item, data)
    return target


@pytest.mark.parametrize(
    ("old", "new", "tag"),
    [
        ("{{ row.mentor }}", "{{ row.mentor }", "{{ row.mentor }"),
        ("{{ row.start }}", "{{ row.start | bold }}", "{{ row.start | bold }}"),
        ("{{ programme }}", "{{ programe }}", "{{ programe }}"),
    ],
)
async def test_a_school_template_with_a_mistake_stops_the_start(
    tmp_path: Path, old: str, new: str, tag: str
) -> None:
    _edited_copy("order", tmp_path, old, new)
    with pytest.raises(docx_render.TemplateError) as caught:
        docx_render.configure(tmp_path)
    assert caught.value.template == "order.docx"
    assert caught.value.tag == tag


async def test_a_school_template_with_an_unknown_name_gives_a_clear_error_and_no_file(
    db: Database, fixture: ReportFixture, tmp_path: Path
) -> None:
    _edited_copy("order", tmp_path, "{{ row.mentees }}", "{{ row.mentees_list }}")
    docx_render.configure(tmp_path)  # it compiles: the name is only missed when filling
    async with db.session() as session:
        curator = await session.get(Person, fixture.curator_id)
        assert curator is not None
        with pytest.raises(docx_render.TemplateError) as caught:
            await svc.programme_document(session, curator, "order", fixture.programme.id, NOW)
    assert caught.value.template == "order.docx"
    assert caught.value.tag == "{{ row.mentees_list }}"
    assert "mentees_list" in caught.value.detail


async def test_a_school_template_cannot_reach_past_its_values(
    db: Database, fixture: ReportFixture, tmp_path: Path
) -> None:
    _edited_copy("order", tmp_path, "{{ row.mentees }}", "{{ row.mentees.__class__.__mro__ }}")
    docx_render.configure(tmp_path)
    async with db.session() as session:
        curator = await session.get(Person, fixture.curator_id)
        assert curator is not None
        with pytest.raises(docx_render.TemplateError) as caught:
            await svc.programme_document(session, curator, "order", fixture.programme.id, NOW)
    assert caught.value.template == "order.docx"
    assert "__class__" in caught.value.tag


async def test_a_correct_school_template_is_used_instead_of_the_shipped_one(
    db: Database, fixture: ReportFixture, tmp_path: Path
) -> None:
    custom = Document()
    custom.add_paragraph("Приказ по школе: {{ organisation }}")
    custom.add_paragraph("Куратор: {{ curator }}")
    table = custom.add_table(rows=3, cols=2)
    table.rows[0].cells[0].text = "{%tr for row in pairs %}"
    table.rows[1].cells[0].text = "{{ row.mentor }}"
    table.rows[1].cells[1].text = "{{ row.mentees }}"
    table.rows[2].cells[0].text = "{%tr endfor %}"
    custom.save(str(tmp_path / "order.docx"))
    shutil.copy(docx_render.SHIPPED_DIR / "mentors.docx", tmp_path / "unrelated.docx")
    docx_render.configure(tmp_path)
    async with db.session() as session:
        curator = await session.get(Person, fixture.curator_id)
        assert curator is not None
        document = await svc.programme_document(
            session, curator, "order", fixture.programme.id, NOW
        )
        registry = await svc.programme_document(
            session, curator, "mentors", fixture.programme.id, NOW
        )
    read = read_docx(document.content)
    assert_no_tags(read)
    assert read.paragraphs[:2] == [
        "Приказ по школе: МБОУ «Лицей № 1»",
        "Куратор: Куратор Мария Ивановна",
    ]
    assert read.tables[0] == [
        ["Иванова Анна", "Алексеев Борис"],
        ["Петров Пётр", "Борисова Вера, Васильев Глеб"],
        ["Сидорова Ольга", "Григорьева Дарья"],
    ]
    assert "ПРИКАЗЫВАЮ:" not in read.text
    assert "РЕЕСТР НАСТАВНИКОВ" in read_docx(registry.content).text  # the others are shipped


def test_the_shipped_templates_are_the_ones_the_script_writes(tmp_path: Path) -> None:
    from bot.documents.build_templates import build

    written = build(tmp_path)
    assert sorted(p.name for p in written) == sorted(
        f"{name}.docx" for name in docx_render.TEMPLATE_NAMES
    )
    for path in written:
        docx_render.check_template(path)
        shipped = docx_render.SHIPPED_DIR / path.name
        with zipfile.ZipFile(path) as new, zipfile.ZipFile(shipped) as old:
            assert new.read("word/document.xml") == old.read("word/document.xml"), path.name


async def test_a_frozen_year_keeps_the_final_and_the_municipal_report_as_they_were(
    db: Database, fixture: ReportFixture
) -> None:
    """After «итоги года» are frozen, the data changes (a new pair meets, a mentor is
    trained, a new student joins): both reports stay word for word; without the snapshot
    the same data gives other figures."""
    from bot.services.reporting.year_snapshot import freeze_year
    from storage.models import YearSnapshot
    from tests.support.factories import make_participant

    coordinator = await _coordinator_of_two(db)
    async with db.session() as session:
        curator = await session.get(Person, fixture.curator_id)
        assert curator is not None
        await freeze_year(session, curator, fixture.programme.id, NOW)

    async def both() -> tuple[ReadDocument, ReadDocument]:
        final = await _document(db, fixture, "final")
        async with db.session() as session:
            person = await session.get(Person, coordinator.id)
            assert person is not None
            municipal = read_docx((await svc.municipal_document(session, person, NOW)).content)
        return final, municipal

    final, municipal = await both()
    assert "Итоги года зафиксированы 16.11.2026" in final.text
    assert "МБОУ «Лицей № 1»: итоги года зафиксированы 16.11.2026." in municipal.text

    async with db.session() as session:
        programme = fixture.programme
        t4 = await session.get(Participant, fixture.people["T4"].id)
        m5 = await session.get(Participant, fixture.people["M5"].id)
        assert t4 is not None and m5 is not None
        t4.trained = True
        t4.registry_status = "approved"
        pair = await session.get(Pair, fixture.pairs["P4"])
        assert pair is not None
        pair.status, pair.confirmed_at = "confirmed", NOW
        session.add(Meeting(pair_id=pair.id, starts_at=NOW, status="held"))
        await make_participant(
            session, programme, "mentee", name="Новикова Дарья", category="school_student", age=14
        )
    later_final, later_municipal = await both()
    assert later_final == final
    assert later_municipal == municipal

    # The same data without the snapshot: the figures have moved on.
    async with db.session() as session:
        for row in (await session.scalars(select(YearSnapshot))).all():
            await session.delete(row)
    live_final, live_municipal = await both()
    figures = {row[0]: row[1] for row in live_final.table_with("Значение")}
    frozen_figures = {row[0]: row[1] for row in final.table_with("Значение")}
    assert (frozen_figures["Работающие пары"], figures["Работающие пары"]) == ("2", "3")
    assert frozen_figures["Охват обучающихся"] == "5 из 20, 25% — ниже цели 70%"
    assert figures["Охват обучающихся"] == "6 из 20, 30% — ниже цели 70%"
    school = live_municipal.table_with("Организация")[0]
    assert municipal.table_with("Организация")[0][5] == "2 из 4, 50% (достигнута)"
    assert school[5] == "3 из 4, 75% (достигнута)"  # T1, T2, T4 of T1–T4
    assert school[6] == "4"
