"""The export against the shipped forms themselves: every question of `bot/forms/*.yaml`,
answered, is found in the workbook under the seed's column name, shown in words (option
labels from the form or the vocabulary texts), and no cell carries a code or raw JSON.

The expected values come from the YAML files and `locales/ru/vocabulary.ftl`, read here
directly; the column names from the seeds («База наставников», the seed questionnaires,
domain.md «Reports»)."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.infra.clock import TestClock
from bot.services.reporting.export import build_export
from storage.db import Database
from storage.models import AuditRecord, FormAnswer, FormSession, Participant
from tests.support.export_check import read_workbook
from tests.support.factories import make_pair, make_participant, make_programme
from tests.support.report_fixture import NOW

ROOT = Path(__file__).resolve().parents[2]
FORMS = ROOT / "bot" / "forms"
VOCABULARY = ROOT / "locales" / "ru" / "vocabulary.ftl"

# The seed's column name of each question of the shipped forms (a new question fails the
# test until its column is named here and in the export's mapping).
SEED_COLUMNS: dict[str, dict[str, str]] = {
    "mentor_profile": {
        "full_name": "ФИО",
        "age": "Возраст",
        "category": "Категория",
        "grade": "Класс / группа",
        "workplace": "Место работы и должность",
        "education": "Образование",
        "experience": "Опыт и достижения",
        "competencies": "Компетенции",
        "life_experience": "Жизненный опыт",
        "interests": "Интересы",
        "strengths": "Сильные стороны",
        "motivation": "Мотивация",
        "expectations": "Ожидания",
        "readiness": "Психологическая готовность",
        "mentee_ages": "Предпочтительный возраст наставляемых",
        "hours_per_month": "Ресурс времени, ч/мес",
        "frequency": "Частота встреч",
        "capacity": "Сколько наставляемых может взять",
        "format": "Формат",
        "times": "Удобное время",
        "contacts": "Контакты",
        "share_contacts": "Показывать контакты паре",
    },
    "mentee_profile": {
        "full_name": "ФИО",
        "age": "Возраст",
        "category": "Категория",
        "grade": "Класс / группа",
        "group": "Класс / группа",
        "subject": "Предмет",
        "experience_years": "Педагогический стаж, лет",
        "requests": "Запросы",
        "interests": "Предметы и интересы",
        "hobbies": "Хобби и увлечения",
        "format": "Формат",
        "times": "Удобное время",
        "goals": "Цели",
        "contact": "Контакты",
        "share_contact": "Показывать контакты паре",
    },
    "final_survey": {
        "expectations": "Оправдались ожидания (1–10)",
        "comfort": "Комфорт (1–10)",
        "usefulness": "Польза (1–10)",
        "goals_reached": "Цели достигнуты (1–10)",
        "most_valuable": "Самое ценное",
        "improve": "Что улучшить",
    },
    "pair_plan": {
        "goals": "Цели на период",
        "tasks": "Задачи и шаги",
        "format": "Формат",
        "frequency": "Частота встреч",
        "until": "План до",
    },
}
SHEETS = {
    "mentor_profile": "Реестр наставников",
    "mentee_profile": "База наставляемых",
    "final_survey": "Итоговые анкеты",
    "pair_plan": "Планы пар",
}
# The feedback form goes to its own columns (FeedbackAnswer), checked in test_reports_export.
SKIPPED = {"feedback"}


def _vocabulary() -> dict[str, str]:
    labels = {}
    for line in VOCABULARY.read_text(encoding="utf-8").splitlines():
        if line.startswith("vocab-") and " = " in line:
            key, value = line.split(" = ", 1)
            labels[key.strip()] = value.strip()
    return labels


VOCAB = _vocabulary()


def _codes(question: dict[str, Any]) -> list[tuple[str, str]]:
    """(code, Russian label) of a choice question's options, as the YAML and the vocabulary
    texts give them."""
    if "options" in question:
        return [(str(o["code"]), o["ru"]) for o in question["options"]]
    group = question["vocabulary"]
    exclude = set(question.get("exclude") or [])
    prefix = f"vocab-{group}-"
    return [
        (key[len(prefix) :].replace("-", "_"), label)
        for key, label in VOCAB.items()
        if key.startswith(prefix) and key[len(prefix) :].replace("-", "_") not in exclude
    ]


def _holds(clause: dict[str, Any], answers: dict[str, Any]) -> bool:
    value = answers.get(clause["question"])
    if "equals" in clause:
        return bool(value == clause["equals"])
    if "in" in clause:
        return value in clause["in"]
    if "answered" in clause:
        return (value is not None) == clause["answered"]
    if "gte" in clause:
        return value is not None and value >= clause["gte"]
    raise AssertionError(f"a condition this test does not know: {clause}")


def _visible(question: dict[str, Any], answers: dict[str, Any]) -> bool:
    clauses = question.get("when") or question.get("show_if") or []
    if isinstance(clauses, dict):
        clauses = [clauses]
    return all(_holds(c, answers) for c in clauses)


def fill(form: dict[str, Any], category: str | None, start: int) -> tuple[dict, dict]:
    """The stored answers of a complete form (every visible question), and the cell each
    should become."""
    answers: dict[str, Any] = {}
    cells: dict[str, Any] = {}
    for n, q in enumerate(form["questions"], start=start):
        if not _visible(q, answers):
            continue
        kind = q["type"]
        if kind == "text":
            value = cell = f"Ответ номер {n}"
        elif kind == "number":
            low, high = q.get("min", 0), q.get("max", 100)
            value = cell = 18 if low <= 18 <= high else min(high, low + 1)
        elif kind == "scale":
            value = cell = q["max"]
        elif kind == "date":
            value, cell = "2027-05-31", datetime(2027, 5, 31)
        elif kind == "single":
            options = _codes(q)
            code, label = next(((c, lb) for c, lb in options if c == category), options[0])
            if q["id"] != "category":
                code, label = options[0]
            value, cell = code, label
        elif kind == "multi":
            options = _codes(q)[: min(2, q.get("max", 2))]
            value = [c for c, _ in options]
            cell = ", ".join(label for _, label in options)
        else:
            raise AssertionError(f"a question type this test does not know: {kind}")
        answers[q["id"]] = value
        cells[q["id"]] = cell
    return answers, cells


def _forms() -> dict[str, dict[str, Any]]:
    loaded = {}
    for path in sorted(FORMS.glob("*.yaml")):
        form = yaml.safe_load(path.read_text(encoding="utf-8"))
        if form["name"] not in SKIPPED:
            loaded[form["name"]] = form
    return loaded


def _categories(form: dict[str, Any]) -> list[str | None]:
    question = next((q for q in form["questions"] if q["id"] == "category"), None)
    return [code for code, _ in _codes(question)] if question else [None]


async def _store(session: Any, participant: Participant, form: str, answers: dict, context: str):
    fs = FormSession(
        participant_id=participant.id,
        form=form,
        context=context,
        status="completed",
        started_at=NOW,
        completed_at=NOW,
    )
    session.add(fs)
    await session.flush()
    for qid, value in answers.items():
        session.add(FormAnswer(session_id=fs.id, question_id=qid, value=value))
    await session.flush()


@pytest.fixture
def clock_start() -> datetime:
    return NOW


async def test_every_answered_question_is_in_the_export_in_words(
    db: Database, clock: TestClock, tmp_path: Path
) -> None:
    forms = _forms()
    assert set(forms) == set(SEED_COLUMNS), "a shipped form without its registry columns"
    expected: list[tuple[str, str, dict[str, Any]]] = []  # (form, row key, cells)
    async with db.session() as session:
        programme = await make_programme(session)
        mentor = mentee = None
        n = 0
        for name in ("mentor_profile", "mentee_profile"):
            role = name.split("_")[0]
            for category in _categories(forms[name]):
                n += 1
                answers, cells = fill(forms[name], category, n * 100)
                who = await make_participant(
                    session, programme, role, name=f"Участник {n}", approved=True
                )
                await _store(session, who, name, answers, "")
                expected.append((name, str(cells["full_name"]), cells))
                if role == "mentor" and mentor is None:
                    mentor = who
                if role == "mentee" and mentee is None:
                    mentee = who
        assert mentor is not None and mentee is not None
        pair = await make_pair(session, programme, mentor, [mentee])
        plan, plan_cells = fill(forms["pair_plan"], None, 9000)
        await _store(session, mentor, "pair_plan", plan, f"pair:{pair.id}")
        expected.append(("pair_plan", str(pair.id), plan_cells))
        survey, survey_cells = fill(forms["final_survey"], None, 9500)
        await _store(session, mentee, "final_survey", survey, f"programme:{programme.id}")
        expected.append(("final_survey", str(mentee.display_name), survey_cells))
        session.add(
            AuditRecord(
                programme_id=programme.id,
                action="mentor_approved",
                details={"participant_id": 11},
                created_at=NOW,
            )
        )
        programme_id = programme.id

    path = tmp_path / "forms.xlsx"
    async with db.read() as session:
        await build_export(session, [programme_id], path, now=NOW)
    sheets = read_workbook(path)

    for form, key, cells in expected:
        rows = sheets[SHEETS[form]]
        column_of_key = {"pair_plan": "Пара №", "final_survey": "Участник"}.get(form, "ФИО")
        row = next((r for r in rows if str(r[column_of_key]) == key), None)
        assert row is not None, (form, key)
        for qid, cell in cells.items():
            column = SEED_COLUMNS[form].get(qid)
            assert column is not None, f"{form}.{qid} has no seed column"
            assert column in row, f"{form}.{qid}: no column «{column}»"
            assert row[column] == cell, (form, qid, row[column], cell)
    # every question of every form was answered at least once
    for form in SEED_COLUMNS:
        answered = {qid for f, _, cells in expected if f == form for qid in cells}
        assert answered == {q["id"] for q in forms[form]["questions"]}, form

    log = sheets["Журнал действий"][0]
    assert log["Действие"] == "Наставник включён в реестр"
    assert log["Подробности"] == "участник № 11"

    codes = _all_codes(forms)
    for sheet, rows in sheets.items():
        for row in rows:
            for header, value in row.items():
                for text in (header, value):
                    if not isinstance(text, str):
                        continue
                    assert "{" not in text and "[" not in text, (sheet, header, text)
                    for token in re.findall(r"[A-Za-z_]+", text):
                        assert "_" not in token and token not in codes, (sheet, header, text)


def _all_codes(forms: dict[str, dict[str, Any]]) -> set[str]:
    codes = {"confirmed", "ended", "proposed", "active", "approved", "candidate", "held"}
    for form in forms.values():
        for q in form["questions"]:
            codes.add(q["id"])
            if q["type"] in ("single", "multi"):
                codes.update(code for code, _ in _codes(q))
    codes.update(k.split("-", 2)[-1] for k in VOCAB)
    codes.discard("it")  # «IT и программирование» is a label: the code is in lower case
    return {c for c in codes if not c.isupper()}


def test_the_dates_of_a_date_question_are_dates() -> None:
    assert isinstance(fill(_forms()["pair_plan"], None, 0)[1]["until"], date)
