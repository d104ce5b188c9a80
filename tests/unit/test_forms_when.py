"""Conditional questions (`when:`): schema checks, the one runner, and a counter that never jumps.

The feedback form's expectations come from bot/forms/feedback.yaml as shipped: its
option codes and which questions it asks.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.services import forms
from bot.services.forms import FormError
from bot.services.forms.schema import parse_form
from storage.db import Database
from tests.support.factories import make_participant, make_programme

FEEDBACK_YAML = Path(__file__).resolve().parents[2] / "bot" / "forms" / "feedback.yaml"


def _form(*questions: dict[str, Any]) -> Any:
    return parse_form(
        {"name": "f", "title": {"ru": "ф", "en": "f"}, "questions": list(questions)}, "f.yaml"
    )


def _single(qid: str, *codes: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": qid,
        "type": "single",
        "text": {"ru": qid, "en": qid},
        "options": [{"code": c, "ru": c, "en": c} for c in codes],
        **extra,
    }


def _text(qid: str, **extra: Any) -> dict[str, Any]:
    return {"id": qid, "type": "text", "text": {"ru": qid, "en": qid}, **extra}


def test_when_on_an_unknown_question_is_refused() -> None:
    with pytest.raises(FormError) as caught:
        _form(_single("met", "yes", "no"), _text("how", when={"question": "mett", "equals": "yes"}))
    assert "unknown question «mett»" in caught.value.problem
    assert "«how»" in caught.value.problem and "«when»" in caught.value.problem


def test_when_on_a_later_question_is_refused() -> None:
    with pytest.raises(FormError) as caught:
        _form(_text("how", when={"question": "met", "equals": "yes"}), _single("met", "yes", "no"))
    assert "not an earlier question" in caught.value.problem


def test_when_on_itself_is_refused() -> None:
    with pytest.raises(FormError, match="not an earlier question"):
        _form(_single("met", "yes", "no", when={"question": "met", "equals": "yes"}))


def test_when_with_a_value_that_is_not_an_option_is_refused() -> None:
    with pytest.raises(FormError, match="not one of its options"):
        _form(
            _single("met", "yes", "no"), _text("how", when={"question": "met", "equals": "maybe"})
        )
    with pytest.raises(FormError, match="not one of its options"):
        _form(
            _single("met", "yes", "no"), _text("how", when={"question": "met", "in": ["yes", "x"]})
        )


def test_when_and_show_if_together_are_refused() -> None:
    clause = {"question": "met", "equals": "yes"}
    with pytest.raises(FormError, match="not both"):
        _form(_single("met", "yes", "no"), _text("how", when=clause, show_if=clause))


def test_unquoted_yes_in_yaml_means_the_yes_option() -> None:
    raw = yaml.safe_load(
        "name: f\ntitle: {ru: ф, en: f}\nquestions:\n"
        "  - {id: met, type: single, text: {ru: a, en: a},\n"
        "     options: [{code: 'yes', ru: Да, en: Y}, {code: 'no', ru: Нет, en: N}]}\n"
        "  - {id: how, type: text, text: {ru: b, en: b}, when: {question: met, equals: yes}}\n"
        "  - {id: why, type: text, text: {ru: c, en: c}, when: {question: met, in: [no]}}\n"
    )
    form = parse_form(raw, "f.yaml")
    how, why = form.question("how"), form.question("why")
    assert how is not None and how.visible({"met": "yes"}) and not how.visible({"met": "no"})
    assert why is not None and why.visible({"met": "no"}) and not why.visible({"met": "yes"})


def _shipped_feedback() -> dict[str, Any]:
    return yaml.safe_load(FEEDBACK_YAML.read_text(encoding="utf-8"))


def test_the_shipped_feedback_asks_about_usefulness_only_after_a_meeting() -> None:
    raw = _shipped_feedback()
    by_id = {q["id"]: q for q in raw["questions"]}
    first = raw["questions"][0]
    assert first["id"] == "meeting_happened"
    codes = {o["code"]: o["ru"] for o in first["options"]}
    no = next(code for code, label in codes.items() if label == "Нет")
    yes = next(code for code, label in codes.items() if label == "Да")
    form = forms.get_form("feedback")
    usefulness = form.question("usefulness")
    assert usefulness is not None and "встречи" in by_id["usefulness"]["text"]["ru"]
    assert not usefulness.visible({"meeting_happened": no})
    assert usefulness.visible({"meeting_happened": yes})


async def _participant(db: Database) -> int:
    async with db.session() as s:
        programme = await make_programme(s)
        participant = await make_participant(s, programme, "mentee")
        return participant.id


def _choice_index(step: Any, code: str) -> int:
    return [o.code for o in step.options].index(code)


async def _walk(
    db: Database, participant_id: int, context: str, met: str
) -> list[tuple[str, int, int]]:
    """Answer the shipped feedback form with «meeting_happened» = `met`; (question, N, M) seen."""
    seen = []
    async with db.session() as s:
        fs = await forms.start_form(s, participant_id, "feedback", context=context)
        while True:
            step = await forms.current_step(s, fs)
            if step.kind != forms.STEP_QUESTION:
                break
            q = step.question
            seen.append((q.id, step.number, step.total))
            if q.id == "meeting_happened":
                await forms.choose(s, fs, _choice_index(step, met))
            elif q.type in ("scale", "single"):
                await forms.choose(s, fs, 0)
            elif q.required:
                await forms.answer_text(s, fs, "ответ")
            else:
                await forms.skip(s, fs)
    return seen


@pytest.mark.parametrize("met", ["yes", "no"])
async def test_the_counter_never_jumps_and_a_no_skips_usefulness(db: Database, met: str) -> None:
    participant_id = await _participant(db)
    seen = await _walk(db, participant_id, f"test:{met}", met)
    asked = [qid for qid, _n, _m in seen]
    every = [q["id"] for q in _shipped_feedback()["questions"]]
    if met == "no":
        assert asked == [qid for qid in every if qid != "usefulness"]
    else:
        assert asked == every
    numbers = [n for _q, n, _m in seen]
    totals = [m for _q, _n, m in seen]
    assert numbers == list(range(1, len(seen) + 1))  # N goes up by one, never skips
    assert all(a >= b for a, b in itertools.pairwise(totals))  # M never grows
    assert totals[-1] == len(seen)  # and ends at the number of questions really asked
