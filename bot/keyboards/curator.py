"""Callback data of the curator console (all ≤ 64 bytes) and keyboard helpers."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.texts import shorten, t


class ProgCb(CallbackData, prefix="cp"):
    action: str  # list | choose | card | edit | new
    id: int = 0
    value: str = ""


class WizCb(CallbackData, prefix="cw"):
    action: str  # pick | toggle | next | back | skip | cancel | save | neworg
    value: str = ""


class InvCb(CallbackData, prefix="ci"):
    action: str  # show | qr | regen | curator | base
    kind: str = ""
    id: int = 0  # qr, regen, base: the programme; curator: the organisation


class RegCb(CallbackData, prefix="cr"):
    action: str  # list | card | approve | decline | trained | untrained | cap | setcap |
    # remind | paper | search | filters | note; selecting mentors: sel | slist | pick |
    # pickall | bapprove | bapprovey | btrained
    role: str
    pid: int = 0
    page: int = 0
    flt: str = "all"
    val: int = 0


class MeetCb(CallbackData, prefix="cm"):
    action: str  # new | cal | day | time | send | cancel | att | tog | done | show |
    # all | none | clr (tick, untick everyone found; clear the search)
    id: int = 0  # new, cal, day, time: the programme; att, tog, done: the meeting
    value: str = ""
    page: int = 0


class PrefCb(CallbackData, prefix="cq"):
    action: str  # show | openask | open | close
    id: int = 0  # open, close: the programme the screen was shown for


class PickCb(CallbackData, prefix="pk"):
    """The participant's preference picker (not a curator button)."""

    action: str  # show | pick | undo | done | edit | page
    r: int
    c: int
    t: int = 0
    p: int = 0


class PairCb(CallbackData, prefix="ca"):
    action: str  # show | run | list | card | confirm | all | reject | unpair | move | moveto |
    # moveok | assign | assignto | assignok | assignall | lonely | chat | allask
    # (…ok: the curator confirmed a warning; allask: who is messaged, before all)
    id: int = 0  # run, all: the programme; list: which list; card...move, chat: the pair
    m: int = 0
    to: int = 0
    page: int = 0


class CheckCb(CallbackData, prefix="cc"):
    action: str  # show | stage | tick | note
    stage: int = 0
    key: str = ""
    p: int = 0  # tick: the programme the screen was shown for


class CastCb(CallbackData, prefix="cb"):
    action: str  # aud | send | cancel
    value: str = ""
    p: int = 0  # aud: the programme the screen was shown for


class DigestCb(CallbackData, prefix="cg"):
    action: str  # now | hours | hour
    id: int = 0  # the programme the screen was shown for
    value: int = 0  # hour: the local hour chosen


class YearCb(CallbackData, prefix="cy"):
    action: str  # freeze | freezeall | totals
    p: int = 0  # freeze: the programme the report was shown for; totals: the organisation


def button(text: str, data: CallbackData) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def markup(rows: list[list[InlineKeyboardButton]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[row for row in rows if row])


def pager(
    page: int, pages: int, make: type[CallbackData] | None = None, **fields: object
) -> list[InlineKeyboardButton]:
    """«‹ 2/5 ›» — previous and next page buttons built by `make(page=...)`."""
    if pages <= 1 or make is None:
        return []
    row = []
    if page > 0:
        row.append(button("‹", make(page=page - 1, **fields)))
    row.append(button(f"{page + 1}/{pages}", make(page=page, **fields)))
    if page < pages - 1:
        row.append(button("›", make(page=page + 1, **fields)))
    return row


def chunks(items: list[InlineKeyboardButton], size: int) -> list[list[InlineKeyboardButton]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def short(name: str | None, limit: int = 40) -> str:
    """A name for a button (Telegram cuts long ones badly)."""
    name = (name or "—").strip()
    return shorten(name, limit)


def back(locale: str, data: CallbackData) -> InlineKeyboardButton:
    return button(t("button-back", locale), data)


class DocCb(CallbackData, prefix="dc"):
    """`/documents`: the menu, a document of a programme, the pair picker, one pair's
    programme and sending it to the mentor."""

    action: str  # menu | make | pairs | pair | send
    kind: str = ""  # make: which document
    id: int = 0  # make, pairs: the programme the screen was shown for; pair, send: the pair
    page: int = 0
