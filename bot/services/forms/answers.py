"""Checking an answer against its question and showing a stored answer back."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.infra.clock import now
from bot.services.text_input import clean_name, has_controls, is_a_name, without_bidi
from bot.texts import esc, t

from .schema import Option, Question

TEXT_DEFAULT_MAX = 1000
DATE_RE = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$")


class InvalidAnswer(ValueError):
    """The answer does not fit the question. `key`/`args` make the kind message."""

    def __init__(self, key: str, **args: Any) -> None:
        super().__init__(key)
        self.key = key
        self.args_ = args

    def message(self, locale: str) -> str:
        return t(self.key, locale, **self.args_)


@dataclass
class Bounds:
    lo: int | None = None
    hi: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def parse_text(question: Question, raw: str) -> Any:
    """A typed answer to a text/number/date question (or the «Другое» text of a choice).

    Text is cleaned first (bot.services.text_input): control characters are refused,
    bidi controls removed, and a name keeps no invisible characters and needs two letters.
    """
    raw = raw or ""
    if has_controls(raw):
        raise InvalidAnswer("forms-error-text-controls")
    text = without_bidi(raw).strip()
    if question.maps_to == "display_name":
        return parse_name(question, text)
    if question.type == "text" or question.is_choice:
        lo = question.min if question.type == "text" and question.min is not None else 1
        hi = question.max if question.type == "text" and question.max is not None else None
        hi = hi or TEXT_DEFAULT_MAX
        if not text:
            raise InvalidAnswer("forms-error-text-empty")
        if len(text) < lo:
            raise InvalidAnswer("forms-error-text-short", min=lo)
        if len(text) > hi:
            raise InvalidAnswer("forms-error-text-long", max=hi, length=len(text))
        return text
    if question.type in ("number", "scale"):
        return parse_number(question, text)
    if question.type == "date":
        return parse_date(question, text)
    raise InvalidAnswer("forms-error-use-buttons")


def parse_name(question: Question, raw: str) -> str:
    """A person's name: no invisible characters, at least two visible letters."""
    name = clean_name(raw)
    if not is_a_name(name):
        raise InvalidAnswer("forms-error-name-letters")
    if question.min is not None and len(name) < question.min:
        raise InvalidAnswer("forms-error-text-short", min=question.min)
    hi = question.max or TEXT_DEFAULT_MAX
    if len(name) > hi:
        raise InvalidAnswer("forms-error-text-long", max=hi, length=len(name))
    return name


def parse_number(question: Question, text: str) -> int:
    lo, hi = question.min, question.max
    cleaned = text.replace(" ", "").replace("\u00a0", "")
    if not re.fullmatch(r"[+-]?\d{1,9}", cleaned):
        raise _range_error(lo, hi, not_a_number=True)
    value = int(cleaned)
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        raise _range_error(lo, hi)
    return value


def _range_error(lo: int | None, hi: int | None, *, not_a_number: bool = False) -> InvalidAnswer:
    if lo is not None and hi is not None:
        return InvalidAnswer("forms-error-number-range", min=lo, max=hi)
    if lo is not None:
        return InvalidAnswer("forms-error-number-min", min=lo)
    if hi is not None:
        return InvalidAnswer("forms-error-number-max", max=hi)
    return InvalidAnswer("forms-error-number")


def _bound(value: str | None) -> date | None:
    if value is None:
        return None
    if value == "today":
        return now().date()
    return date.fromisoformat(value)


def parse_date(question: Question, text: str) -> str:
    match = DATE_RE.match(text)
    parsed: date | None = None
    if match:
        day, month, year = (int(g) for g in match.groups())
        try:
            parsed = date(year, month, day)
        except ValueError:
            parsed = None
    else:
        try:
            parsed = date.fromisoformat(text)
        except ValueError:
            parsed = None
    if parsed is None:
        raise InvalidAnswer("forms-error-date")
    lo, hi = _bound(question.min_date), _bound(question.max_date)
    if lo is not None and parsed < lo:
        raise InvalidAnswer("forms-error-date-min", min=lo.strftime("%d.%m.%Y"))
    if hi is not None and parsed > hi:
        raise InvalidAnswer("forms-error-date-max", max=hi.strftime("%d.%m.%Y"))
    return parsed.isoformat()


def check_multi(question: Question, selected: list[str]) -> None:
    """The final check of a multiple choice when the person presses «Готово»."""
    lo = question.min if question.min is not None else (1 if question.required else 0)
    if len(selected) < lo:
        raise InvalidAnswer("forms-error-multi-min", min=lo)
    if question.max is not None and len(selected) > question.max:
        raise InvalidAnswer("forms-error-multi-max", max=question.max)


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def show(question: Question, value: Any, options: list[Option], locale: str) -> str:
    """A stored answer as escaped HTML text for the summary and /profile."""
    if is_empty(value):
        return t("forms-answer-skipped", locale)
    labels = {o.code: o.label(locale) for o in options}
    if question.type == "multi" and isinstance(value, list):
        return esc(", ".join(labels.get(str(v), str(v)) for v in value))
    if question.type == "single":
        return esc(labels.get(str(value), str(value)))
    if question.type == "date":
        try:
            return date.fromisoformat(str(value)).strftime("%d.%m.%Y")
        except ValueError:
            return esc(value)
    if question.type == "scale":
        return f"{int(value)} / {question.max}"
    return esc(value)
