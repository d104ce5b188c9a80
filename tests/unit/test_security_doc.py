"""Every button the bot handles has its rule written down in docs/security.md.

The callback kinds are taken from the code (every `CallbackData` class the handlers
import, and every action their filters name), not from a list kept here: a new button
without a documented rule fails this test.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

from aiogram.filters.callback_data import CallbackData

import bot.handlers

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "security.md"
HANDLERS = ROOT / "bot" / "handlers"

# `SomeCb.filter(F.action == "x")` and `SomeCb.filter(F.action.in_({"x", "y"}))`
ONE = re.compile(r'(\w+)\.filter\(\s*F\.action\s*==\s*"(\w+)"')
MANY = re.compile(r"(\w+)\.filter\(\s*F\.action\.in_\(\s*\{([^}]*)\}", re.S)


def _all_subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found.add(sub)
        found |= _all_subclasses(sub)
    return found


def callback_classes() -> dict[str, str]:
    """Class name → prefix of every CallbackData the handlers' packages define or use."""
    for module in pkgutil.walk_packages(bot.handlers.__path__, "bot.handlers."):
        importlib.import_module(module.name)
    out = {}
    for cls in _all_subclasses(CallbackData):
        if cls.__module__.startswith("bot."):
            out[cls.__name__] = cls.__prefix__  # type: ignore[attr-defined]
    return out


def handled_actions() -> set[tuple[str, str]]:
    """(class name, action) of every action a handler filter names."""
    found: set[tuple[str, str]] = set()
    for path in HANDLERS.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        for name, action in ONE.findall(source):
            found.add((name, action))
        for name, actions in MANY.findall(source):
            for action in re.findall(r'"(\w+)"', actions):
                found.add((name, action))
    return found


def test_the_code_has_buttons_to_check() -> None:
    # The enumeration itself must see the buttons, or the test below proves nothing.
    classes = callback_classes()
    assert {"fm", "cn", "pc", "pw", "cr", "ca"} <= set(classes.values())
    assert ("PairAction", "vote") in handled_actions()
    assert ("RegCb", "approve") in handled_actions()


def test_every_callback_kind_has_a_documented_rule() -> None:
    doc = DOC.read_text(encoding="utf-8")
    classes = callback_classes()
    missing = [
        f"{prefix}: ({name})" for name, prefix in classes.items() if f"`{prefix}:" not in doc
    ]
    for name, action in sorted(handled_actions()):
        if name not in classes:
            continue
        if f"`{classes[name]}:{action}`" not in doc:
            missing.append(f"{classes[name]}:{action} ({name})")
    assert not missing, f"buttons without a rule in docs/security.md: {missing}"


def test_the_rule_is_written_first() -> None:
    doc = DOC.read_text(encoding="utf-8")
    assert "## What a button may carry, what is checked" in doc
    assert doc.index("What a button may carry") < doc.index("| Callback |")
