"""Inline keyboards of the questionnaire and the journey (callback data factories)."""

from __future__ import annotations

from typing import Any

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.services.forms import STEP_QUESTION, STEP_REVIEW, Step
from bot.texts import shorten, t

LABEL_MAX = 60
EDIT_PER_ROW = 5


class FormCb(CallbackData, prefix="fm"):
    """A questionnaire button: FormSession id, its version, the action and an index."""

    s: int
    v: int
    a: str  # pick | done | back | skip | other | edit | confirm | open
    i: int = 0


class ConsentCb(CallbackData, prefix="cn"):
    p: int  # participant id
    a: str  # yes | no


class ParentCb(CallbackData, prefix="pc"):
    """A parent's consent screen; the link's secret is in the parent's dialog state."""

    l: int  # noqa: E741  (parent link id: names the screen, grants nothing)
    a: str  # yes | no | text (the full legal text)


class ParentRelCb(CallbackData, prefix="pr"):
    l: int  # noqa: E741  (parent link id, as in ParentCb)
    r: str  # ParentRelation


class ChildCb(CallbackData, prefix="ch"):
    """/children: a parent withdraws the consent they gave (checked against the consents)."""

    p: int  # participant id of the child
    a: str  # ask | yes | no


class ForgetCb(CallbackData, prefix="fg"):
    a: str  # yes | no


def _button(text: str, data: CallbackData) -> InlineKeyboardButton:
    text = shorten(text, LABEL_MAX)
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def step_keyboard(step: Step, locale: str) -> InlineKeyboardMarkup | None:
    rows: list[list[InlineKeyboardButton]] = []
    s, v = step.form_session_id, step.version

    def cb(action: str, index: int = 0) -> FormCb:
        return FormCb(s=s, v=v, a=action, i=index)

    if step.kind == STEP_QUESTION and step.question is not None:
        q = step.question
        if q.type == "scale":
            assert q.min is not None and q.max is not None
            points = [_button(str(n), cb("pick", n - q.min)) for n in range(q.min, q.max + 1)]
            rows.extend(points[i : i + 6] for i in range(0, len(points), 6))
        elif q.is_choice:
            selected = set(step.value or []) if q.type == "multi" else {step.value}
            for index, option in enumerate(step.options):
                mark = "✅ " if option.code in selected else ""
                rows.append([_button(mark + option.label(locale), cb("pick", index))])
            if q.other:
                rows.append([_button(t("forms-btn-other", locale), cb("other"))])
            if q.type == "multi":
                rows.append([_button(t("forms-btn-done", locale), cb("done"))])
        nav = []
        if step.number > 1 or step.editing:
            nav.append(_button(t("forms-btn-back", locale), cb("back")))
        if not q.required:
            nav.append(_button(t("forms-btn-skip", locale), cb("skip")))
        if nav:
            rows.append(nav)
    elif step.kind == STEP_REVIEW:
        edits = [
            _button(t("forms-btn-edit", locale, number=item.number), cb("edit", index))
            for index, item in enumerate(step.review)
        ]
        rows.extend(edits[i : i + EDIT_PER_ROW] for i in range(0, len(edits), EDIT_PER_ROW))
        rows.append([_button(t("forms-btn-confirm", locale), cb("confirm"))])
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


def open_markup(form_session_id: int, version: int, locale: str) -> dict[str, Any]:
    """A «Заполнить» button as a plain dict (for notify/outbox reply_markup)."""
    data = FormCb(s=form_session_id, v=version, a="open").pack()
    return {"inline_keyboard": [[{"text": t("forms-btn-open", locale), "callback_data": data}]]}


def yes_no(
    yes: CallbackData, no: CallbackData, yes_text: str, no_text: str
) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[_button(yes_text, yes)], [_button(no_text, no)]])
