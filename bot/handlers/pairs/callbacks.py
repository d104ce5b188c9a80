"""Callback data of the pair work buttons (services build the same `pw:` strings)."""

from __future__ import annotations

from typing import Any

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.services.pair_events import CALLBACK_PREFIX
from bot.services.pairwork_actions import PairWorkAction


class PairAction(CallbackData, prefix=CALLBACK_PREFIX):
    """`pw:<action>:<id>:<arg>`; data with an unknown action is not a PairAction (a stale
    button, answered by the common fallback)."""

    action: PairWorkAction
    id: int
    arg: str = ""


class LogPick(CallbackData, prefix="pl"):
    """The mentor's meeting log: the day, hour, minute and format chosen so far, as typed
    fields (nothing is cut out of the string by position)."""

    step: str  # day | hour | minute | format | notopic
    pair: int
    day: str = ""  # YYYYMMDD, local
    hour: int = -1
    minute: int = -1
    fmt: str = ""


def btn(
    text: str, action: PairWorkAction | str, target: int, arg: str = ""
) -> InlineKeyboardButton:
    """A button of the pair work; an action outside `PairWorkAction` is a ValueError."""
    data = PairAction(action=PairWorkAction(action), id=target, arg=arg)
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def kb(*rows: list[InlineKeyboardButton]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[row for row in rows if row])


def from_dict(markup: dict[str, Any] | None) -> InlineKeyboardMarkup | None:
    return InlineKeyboardMarkup.model_validate(markup) if markup else None


def chunks(items: list[InlineKeyboardButton], size: int) -> list[list[InlineKeyboardButton]]:
    return [items[i : i + size] for i in range(0, len(items), size)]
