"""Every pair work button that a service or a screen emits has a handler.

The emitted actions are read from the code (every `button(...)`/`btn(...)` of the pair
work, every `PairWorkAction.X`); the handled ones are found by offering a callback with
each action to the filters of the routers the bot really builds. A typo in an action is a
dead button only an e2e test would find; here it fails a unit test.
"""

from __future__ import annotations

import ast
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiogram import Router
from aiogram.filters.callback_data import CallbackQueryFilter
from aiogram.types import CallbackQuery, Chat, Message, User

from bot.handlers import get_routers
from bot.handlers.pairwork.callbacks import PairAction, btn
from bot.keyboards.buttons import callback_data, reply_markup
from bot.services.buttons import LinkButton, PickerButton, keyboard
from bot.services.pairwork.actions import CALLBACK_PREFIX, PairWorkAction
from bot.services.pairwork.cycle import button

ROOT = Path(__file__).resolve().parents[2]
# Functions that build a pair work button, with the position of the action argument.
BUILDERS = {"button": 1, "btn": 1}
BUILDER_MODULES = {"bot.services.pairwork.cycle", "bot.handlers.pairwork.callbacks"}


def _builders_imported(tree: ast.Module) -> set[str]:
    """Names under which a module has the pair work's button builders."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in BUILDER_MODULES:
            names |= {a.asname or a.name for a in node.names if a.name in BUILDERS}
    return names


def emitted_actions() -> dict[str, set[str]]:
    """Action literal → the files that emit it."""
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / "bot").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        builders = _builders_imported(tree)
        if path.name in ("cycle.py", "callbacks.py"):
            builders |= set(BUILDERS)
        where = path.relative_to(ROOT).as_posix()
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                if node.func.id in builders and len(node.args) > BUILDERS[node.func.id]:
                    arg = node.args[BUILDERS[node.func.id]]
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        found.setdefault(arg.value, set()).add(where)
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                if node.value.id == "PairWorkAction" and node.attr.isupper():
                    found.setdefault(PairWorkAction[node.attr].value, set()).add(where)
    return found


def _all(router: Router) -> list[Router]:
    return [router, *(r for child in router.sub_routers for r in _all(child))]


def _query(data: str) -> CallbackQuery:
    user = User(id=1, is_bot=False, first_name="x")
    message = Message(
        message_id=1, date=datetime.now(UTC), chat=Chat(id=1, type="private"), text="x"
    )
    return CallbackQuery(id="1", from_user=user, chat_instance="1", data=data, message=message)


async def handled_actions() -> set[str]:
    """Actions some handler of the built routers takes (its PairAction filter says yes)."""
    filters = []
    for root in get_routers():
        for router in _all(root):
            for handler in router.callback_query.handlers:
                for each in handler.filters or ():
                    check = each.callback
                    if isinstance(check, CallbackQueryFilter) and check.callback_data is PairAction:
                        filters.append(check)
    assert len(filters) > 20  # the enumeration sees the handlers
    handled = set()
    for action in PairWorkAction:
        for arg in ("", "0", "1", "n"):
            query = _query(f"{CALLBACK_PREFIX}:{action.value}:1:{arg}")
            if any([await check(query) for check in filters]):
                handled.add(action.value)
    return handled


def test_every_emitted_action_is_a_typed_action() -> None:
    emitted = emitted_actions()
    assert {"mok", "wm", "aok", "frall"} <= set(emitted)  # the scan sees services and screens
    known = {action.value for action in PairWorkAction}
    unknown = {action: sorted(where) for action, where in emitted.items() if action not in known}
    assert not unknown, f"pair work buttons with an action PairWorkAction lacks: {unknown}"


async def test_every_typed_action_has_a_handler() -> None:
    handled = await handled_actions()
    missing = sorted(action.value for action in PairWorkAction if action.value not in handled)
    assert not missing, f"pair work actions no handler takes: {missing}"


def test_a_button_with_an_unknown_action_cannot_be_built() -> None:
    with pytest.raises(ValueError):
        button("x", "mokk", 1)
    with pytest.raises(ValueError):
        btn("x", "matclear", 1)
    # the wire format stays the one docs/security.md lists
    assert callback_data(button("x", PairWorkAction.ACCEPT_MEETING, 7)) == "pw:mok:7:"
    assert btn("x", "wm", 3, "1").callback_data == "pw:wm:3:1"


def test_callback_data_with_an_unknown_action_is_not_a_pair_action() -> None:
    # A forged or stale `pw:` string is left to the common fallback («stale button»).
    with pytest.raises(ValueError):
        PairAction.unpack("pw:nosuch:1:")
    assert PairAction.unpack("pw:fin1:5:").action is PairWorkAction.FINISH_START


def test_the_buttons_services_ask_for_render_as_telegram_markup() -> None:
    # The shape Telegram's Bot API documents for an InlineKeyboardMarkup, written out.
    asked = keyboard([button("Да", "aok", 4, "1")], [], [LinkButton("Чат", "https://t.me/+x")])
    assert reply_markup(asked) == {
        "inline_keyboard": [
            [{"text": "Да", "callback_data": "pw:aok:4:1"}],
            [{"text": "Чат", "url": "https://t.me/+x"}],
        ]
    }
    picker = keyboard([PickerButton("Выбрать", 7, 12)])
    assert reply_markup(picker) == {
        "inline_keyboard": [[{"text": "Выбрать", "callback_data": "pk:show:7:12:0:0"}]]
    }
