"""The questionnaire engine: loading and checking YAML, answers, conditions, moving, storage."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.services import forms
from bot.services.forms import (
    STEP_CONSENT,
    STEP_QUESTION,
    STEP_REVIEW,
    FormError,
    InvalidAnswer,
    Option,
    StaleButton,
    registry,
)
from bot.services.forms.answers import parse_text
from bot.services.forms.schema import parse_form
from storage.db import Database
from storage.models import FormAnswer, FormSession, Participant
from tests.support.factories import make_participant, make_programme

TEST_FORM = textwrap.dedent(
    """
    name: test_form
    title: {ru: Тест, en: Test}
    questions:
      - id: name
        type: text
        before_consent: true
        maps_to: display_name
        max: 20
        text: {ru: Имя, en: Name}
      - id: kind
        type: single
        options:
          - {code: a, ru: А, en: A}
          - {code: b, ru: Б, en: B}
        text: {ru: Вид, en: Kind}
      - id: only_b
        type: number
        min: 1
        max: 5
        show_if: {question: kind, equals: b}
        text: {ru: Число, en: Number}
      - id: picks
        type: multi
        vocabulary: interest
        exclude: [other]
        other: true
        min: 1
        max: 2
        text: {ru: Интересы, en: Interests}
      - id: note
        type: text
        required: false
        text: {ru: Заметка, en: Note}
      - id: mood
        type: scale
        min: 1
        max: 5
        text: {ru: Настроение, en: Mood}
      - id: day
        type: date
        min_date: "2026-01-01"
        text: {ru: Дата, en: Date}
    """
)


@pytest.fixture
def forms_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "forms"
    folder.mkdir()
    (folder / "test_form.yaml").write_text(TEST_FORM, encoding="utf-8")
    registry.configure(folder)
    yield folder
    registry.configure(None)


def test_builtin_forms_load_and_use_vocabulary_codes() -> None:
    loaded = forms.load_forms()
    mentee = loaded["mentee_profile"]
    mentor = loaded["mentor_profile"]
    assert [q.id for q in mentee.questions[:2]] == ["full_name", "age"]
    # Before consent the name only (domain.md); the age is the first question after it.
    for form in (mentee, mentor):
        assert [q.id for q in form.questions if q.before_consent] == ["full_name"]
    requests = mentee.question("requests")
    competencies = mentor.question("competencies")
    assert requests is not None and competencies is not None
    # The same codes on both sides, so matching can compare them.
    assert {o.code for o in requests.options} <= {o.code for o in competencies.options} | {"other"}
    assert mentor.question("capacity") is not None
    assert mentor.question("capacity").maps_to == "capacity"  # type: ignore[union-attr]


BROKEN = {
    "bad_type": ("questions:\n  - {id: q, type: essay, text: {ru: a, en: b}}", "type"),
    "no_en": ("questions:\n  - {id: q, type: text, text: {ru: a}}", "«en»"),
    "bad_show_if": (
        "questions:\n  - {id: q, type: text, text: {ru: a, en: b},\n"
        "     show_if: {question: z, equals: 1}}",
        "«z»",
    ),
    "bad_vocab": (
        "questions:\n  - {id: q, type: single, vocabulary: colours, text: {ru: a, en: b}}",
        "colours",
    ),
    "bad_maps": (
        "questions:\n  - {id: q, type: text, maps_to: salary, text: {ru: a, en: b}}",
        "maps_to",
    ),
    "min_max": (
        "questions:\n  - {id: q, type: number, min: 9, max: 1, text: {ru: a, en: b}}",
        "greater",
    ),
    "no_options": ("questions:\n  - {id: q, type: multi, text: {ru: a, en: b}}", "options"),
    "yaml_error": ("questions: [", "YAML"),
    # Before consent the bot keeps the name only: an age asked then would be kept too.
    "age_before_consent": (
        "questions:\n  - {id: q, type: number, maps_to: age, before_consent: true,\n"
        "     text: {ru: a, en: b}}",
        "before_consent",
    ),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_form_is_refused_naming_file_and_problem(tmp_path: Path, name: str) -> None:
    body, problem = BROKEN[name]
    path = tmp_path / f"{name}.yaml"
    path.write_text(f"name: {name}\ntitle: {{ru: Т, en: T}}\n{body}\n", encoding="utf-8")
    with pytest.raises(FormError) as caught:
        forms.load_forms(tmp_path)
    assert str(path) in str(caught.value)
    assert problem in caught.value.problem


def test_name_must_match_file(tmp_path: Path) -> None:
    (tmp_path / "other.yaml").write_text(TEST_FORM, encoding="utf-8")
    with pytest.raises(FormError, match=r"other\.yaml"):
        forms.load_forms(tmp_path)


def test_bot_app_refuses_to_start_with_a_broken_form(tmp_path: Path) -> None:
    from bot.app.factory import BotApp
    from bot.config import Settings

    (tmp_path / "oops.yaml").write_text("name: oops\nquestions: 5\n", encoding="utf-8")
    settings = Settings(
        bot_token="1:x",
        database_url=f"sqlite+aiosqlite:///{tmp_path}/x.db",
        forms_dir=str(tmp_path),
    )
    try:
        with pytest.raises(FormError, match=r"oops\.yaml"):
            BotApp(settings)
    finally:
        registry.configure(None)


def _q(**raw: Any) -> forms.Question:
    base = {"id": "q", "text": {"ru": "в", "en": "q"}}
    form = parse_form(
        {"name": "f", "title": {"ru": "ф", "en": "f"}, "questions": [base | raw]}, "f"
    )
    return form.questions[0]


def test_answer_checks_are_specific() -> None:
    number = _q(type="number", min=10, max=99)
    assert parse_text(number, " 42 ") == 42
    for bad in ("abc", "9", "100", "4.5"):
        with pytest.raises(InvalidAnswer) as caught:
            parse_text(number, bad)
        assert caught.value.message("ru") == "Введите число от 10 до 99."
    text = _q(type="text", min=3, max=5)
    assert parse_text(text, "abcd") == "abcd"
    with pytest.raises(InvalidAnswer, match="forms-error-text-long"):
        parse_text(text, "abcdef")
    with pytest.raises(InvalidAnswer, match="forms-error-text-short"):
        parse_text(text, "ab")
    with pytest.raises(InvalidAnswer, match="forms-error-text-empty"):
        parse_text(text, "   ")
    day = _q(type="date", min_date="2026-01-01")
    assert parse_text(day, "15.09.2026") == "2026-09-15"
    assert parse_text(day, "2026-09-15") == "2026-09-15"
    with pytest.raises(InvalidAnswer, match="forms-error-date-min"):
        parse_text(day, "31.12.2025")
    with pytest.raises(InvalidAnswer, match="forms-error-date"):
        parse_text(day, "31.02.2026")


async def _participant(db: Database, *, active: bool = True) -> int:
    async with db.session() as s:
        programme = await make_programme(s)
        participant = await make_participant(s, programme, "mentee", active=active)
        return participant.id


async def test_full_run_with_conditions_back_skip_edit_and_confirm(
    db: Database, forms_dir: Path
) -> None:
    participant_id = await _participant(db)
    done: list[dict[str, Any]] = []

    @forms.on_complete("test_form")
    async def record(_session: Any, _fs: FormSession, answers: dict[str, Any]) -> None:
        done.append(answers)

    async with db.session() as s:
        fs = await forms.start_form(s, participant_id, "test_form", context="ctx:1")
        again = await forms.start_form(s, participant_id, "test_form", context="ctx:1")
        assert again.id == fs.id
        step = await forms.current_step(s, fs)
        assert (step.kind, step.question.id, step.number, step.total) == ("question", "name", 1, 7)  # type: ignore[union-attr]
        with pytest.raises(InvalidAnswer):
            await forms.answer_text(s, fs, "x" * 21)
        await forms.answer_text(s, fs, "<b>Вася & Co</b>")
        await forms.choose(s, fs, 1)  # kind = b: the number question appears
        step = await forms.current_step(s, fs)
        assert (step.question.id, step.number, step.total) == ("only_b", 3, 7)  # type: ignore[union-attr]
        await forms.back(s, fs)
        assert (await forms.current_step(s, fs)).question.id == "kind"  # type: ignore[union-attr]
        await forms.choose(s, fs, 0)  # kind = a: the number question is skipped
        assert (await forms.current_step(s, fs)).question.id == "picks"  # type: ignore[union-attr]
        with pytest.raises(InvalidAnswer, match="multi-min"):
            await forms.finish_multi(s, fs)
        with pytest.raises(InvalidAnswer, match="required"):
            await forms.skip(s, fs)
        await forms.choose(s, fs, 0)
        await forms.choose(s, fs, 1)
        with pytest.raises(InvalidAnswer, match="multi-max"):
            await forms.choose(s, fs, 2)
        await forms.choose(s, fs, 1)  # untick
        await forms.answer_text(s, fs, "кружок оригами")  # «Другое»
        stored = await forms.raw_answers(s, fs.id)
        assert stored["picks"] == ["it", "кружок оригами"]

    async with db.session() as s:
        fs = await s.get(FormSession, fs.id)  # type: ignore[assignment]
        assert fs is not None
        assert (await forms.current_step(s, fs)).question.id == "note"  # type: ignore[union-attr]
        await forms.skip(s, fs)
        assert (await forms.current_step(s, fs)).question.id == "mood"  # type: ignore[union-attr]
        await forms.back(s, fs)  # back to the optional note, skip it again
        await forms.skip(s, fs)
        with pytest.raises(StaleButton):
            await forms.choose(s, fs, 7)  # no such scale point
        await forms.choose(s, fs, 4)  # mood 5
        await forms.answer_text(s, fs, "01.10.2026")
        step = await forms.current_step(s, fs)
        assert step.kind == STEP_REVIEW
        shown = {item.question.id: item.shown for item in step.review}
        assert shown["name"] == "&lt;b&gt;Вася &amp; Co&lt;/b&gt;"
        assert shown["mood"] == "5 / 5"
        # Edit from the summary: change kind to b; the new question is asked, then review.
        await forms.edit(s, fs, "kind")
        await forms.choose(s, fs, 1)
        step = await forms.current_step(s, fs)
        assert step.question.id == "only_b"  # type: ignore[union-attr]
        await forms.answer_text(s, fs, "3")
        assert (await forms.current_step(s, fs)).kind == STEP_REVIEW
        await forms.edit(s, fs, "kind")
        await forms.choose(s, fs, 0)  # back to a: only_b is hidden again
        await forms.confirm(s, fs)
        participant = await s.get(Participant, participant_id)
        assert participant is not None and participant.display_name == "<b>Вася & Co</b>"

    assert done == [
        {
            "name": "<b>Вася & Co</b>",
            "kind": "a",
            "picks": ["it", "кружок оригами"],
            "mood": 5,
            "day": "2026-10-01",
        }
    ]
    async with db.read() as s:
        rows = (await s.scalars(select(FormAnswer.question_id))).all()
        assert "only_b" not in rows  # a hidden answer is not kept
        assert await forms.answers_of(s, participant_id, "test_form", "ctx:1") == done[0]
    registry._callbacks.pop("test_form", None)


async def test_before_consent_only_the_name(db: Database, forms_dir: Path) -> None:
    participant_id = await _participant(db, active=False)
    async with db.session() as s:
        fs = await forms.start_form(s, participant_id, "test_form")
        await forms.answer_text(s, fs, "Петя")
        step = await forms.current_step(s, fs)
        assert step.kind == STEP_CONSENT
        with pytest.raises(StaleButton):
            await forms.choose(s, fs, 0)
        participant = await s.get(Participant, participant_id)
        assert participant is not None
        participant.status = "active"
        await s.flush()
        assert (await forms.current_step(s, fs)).kind == STEP_QUESTION


async def test_stale_and_foreign_sessions(db: Database, forms_dir: Path) -> None:
    participant_id = await _participant(db)
    async with db.session() as s:
        fs = await forms.start_form(s, participant_id, "test_form")
        owner = (await s.get(Participant, participant_id)).person_id  # type: ignore[union-attr]
        version = fs.version
        await forms.answer_text(s, fs, "Имя")
        assert fs.version == version + 1
    async with db.session() as s:
        assert owner is not None
        with pytest.raises(StaleButton):
            await forms.load_session(s, fs.id, owner, version)
        with pytest.raises(StaleButton):
            await forms.load_session(s, fs.id, owner + 12345, version + 1)
        with pytest.raises(StaleButton):
            await forms.load_session(s, 987654, owner)
        assert (await forms.load_session(s, fs.id, owner, version + 1)).id == fs.id


async def test_dynamic_options(db: Database, tmp_path: Path) -> None:
    (tmp_path / "pick_partner.yaml").write_text(
        textwrap.dedent(
            """
            name: pick_partner
            title: {ru: Выбор, en: Choice}
            review: false
            questions:
              - id: who
                type: single
                source: test_people
                text: {ru: Кто, en: Who}
            """
        ),
        encoding="utf-8",
    )
    registry.configure(tmp_path)

    @forms.option_source("test_people")
    async def people(_s: Any, fs: FormSession) -> list[Option]:
        return [Option(code=f"p{fs.context}", labels={"ru": "Аня", "en": "Anya"})]

    try:
        participant_id = await _participant(db)
        async with db.session() as s:
            fs = await forms.start_form(s, participant_id, "pick_partner", context="7")
            step = await forms.current_step(s, fs, "en")
            assert [o.label("en") for o in step.options] == ["Anya"]
            await forms.choose(s, fs, 0)
            assert fs.status == "completed"  # review: false completes at once
            assert await forms.answers(s, fs) == {"who": "p7"}
    finally:
        registry.configure(None)


async def test_an_age_under_18_after_an_adult_agreement_is_refused_kindly(db: Database) -> None:
    """The age is asked after consent; «мне уже есть 18» then 15 stores nothing and says
    why (a parent's consent is needed), and a corrected age is taken."""
    async with db.session() as s:
        programme = await make_programme(s)
        participant = await make_participant(s, programme, "mentee", age=30)
        participant.age = None  # agreed as an adult; the age question comes now
        fs = await forms.start_form(s, participant.id, "mentee_profile")
        await forms.answer_text(s, fs, "Вера Павловна")
        with pytest.raises(InvalidAnswer) as caught:
            await forms.answer_text(s, fs, "15")
        assert caught.value.key == "forms-error-age-adult-consent"
        assert participant.age is None and not participant.is_minor
        await forms.answer_text(s, fs, "25")
        assert participant.age == 25
