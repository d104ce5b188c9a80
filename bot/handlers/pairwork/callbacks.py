"""Callback data of the pair work buttons (`PairAction`, also used when the outbox renders
the buttons services ask for) and the screens' button helpers."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.keyboards.buttons import PairAction
from bot.services.pairwork.actions import PairWorkAction

__all__ = ["LogPick", "PairAction", "btn", "chunks", "kb"]


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


def chunks(items: list[InlineKeyboardButton], size: int) -> list[list[InlineKeyboardButton]]:
    return [items[i : i + size] for i in range(0, len(items), size)]
