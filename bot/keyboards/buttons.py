"""The buttons services ask for (`bot/services/buttons.py`), as Telegram's markup.

`PairAction` is the wire format of every pair work button, `pw:<action>:<id>:<arg>`
(docs/security.md): the screens build it, the handlers read it with
`PairAction.filter(...)`, and queued messages get it through `reply_markup` when the
outbox stores them.
"""

from __future__ import annotations

from typing import Any

from aiogram.filters.callback_data import CallbackData

from bot.keyboards.curator import PickCb
from bot.services.buttons import ActionButton, Button, Keyboard, LinkButton
from bot.services.pairwork.actions import CALLBACK_PREFIX, PairWorkAction


class PairAction(CallbackData, prefix=CALLBACK_PREFIX):
    """`pw:<action>:<id>:<arg>`; data with an unknown action is not a PairAction (a stale
    button, answered by the common fallback)."""

    action: PairWorkAction
    id: int
    arg: str = ""


def callback_data(button: ActionButton) -> str:
    return PairAction(action=button.action, id=button.target, arg=button.arg).pack()


def reply_markup(keyboard: Keyboard) -> dict[str, Any]:
    """Telegram's `reply_markup` (a plain dict, as the outbox stores it)."""
    return {"inline_keyboard": [[_button(b) for b in row] for row in keyboard.rows]}


def _button(b: Button) -> dict[str, str]:
    if isinstance(b, ActionButton):
        return {"text": b.text, "callback_data": callback_data(b)}
    if isinstance(b, LinkButton):
        return {"text": b.text, "url": b.url}
    return {
        "text": b.text,
        "callback_data": PickCb(action="show", r=b.round_id, c=b.chooser_id).pack(),
    }
