"""The buttons a service attaches to a message, as plain data.

Services say which buttons a message has (a pair work action on a target, or a link);
the screen side turns them into the messenger's markup (`bot/keyboards/buttons.py`), so
no service writes callback strings or Telegram's `reply_markup` shape. An action outside
`PairWorkAction` cannot be put on a button (a ValueError when the button is made).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.services.pairwork.actions import PairWorkAction


@dataclass(frozen=True)
class ActionButton:
    """A pair work button: pressing it asks for `action` on `target` (an id), `arg` the
    choice made, if any."""

    text: str
    action: PairWorkAction
    target: int
    arg: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "action", PairWorkAction(self.action))


@dataclass(frozen=True)
class LinkButton:
    """A button that opens a link (an invite link to a chat)."""

    text: str
    url: str


@dataclass(frozen=True)
class PickerButton:
    """A button that opens the preference picker of round `round_id` for the participant
    `chooser_id` (the picker checks the person pressing against the chooser)."""

    text: str
    round_id: int
    chooser_id: int


Button = ActionButton | LinkButton | PickerButton


@dataclass(frozen=True)
class Keyboard:
    """Rows of buttons under a message; empty rows are left out."""

    rows: tuple[tuple[Button, ...], ...]


def keyboard(*rows: Sequence[Button]) -> Keyboard:
    return Keyboard(tuple(tuple(row) for row in rows if row))
