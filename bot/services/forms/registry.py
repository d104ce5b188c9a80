"""The loaded forms, the dynamic option sources and the completion callbacks."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .schema import FormDef, FormError, Option, load_file

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from storage.models import FormSession

log = logging.getLogger(__name__)

BUILTIN_DIR = Path(__file__).resolve().parents[2] / "forms"

OptionSource = Callable[["AsyncSession", "FormSession"], Awaitable[list[Option]]]
CompletionCallback = Callable[["AsyncSession", "FormSession", dict[str, Any]], Awaitable[None]]

_forms: dict[str, FormDef] | None = None
_forms_dir: str | None = None
_sources: dict[str, OptionSource] = {}
_callbacks: dict[str, list[CompletionCallback]] = {}


def load_forms(forms_dir: str | Path | None = None) -> dict[str, FormDef]:
    """Load and check every form: the built-in `bot/forms/*.yaml`, then `forms_dir`
    (FORMS_DIR) whose files add forms or replace built-in ones of the same name.

    Raises `FormError` naming the first broken file.
    """
    found: dict[str, FormDef] = {}
    folders = [BUILTIN_DIR] + ([Path(forms_dir)] if forms_dir else [])
    for folder in folders:
        if not folder.is_dir():
            raise FormError(str(folder), "the forms folder does not exist")
        for path in sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")):
            form = load_file(path)
            found[form.name] = form
    return found


def configure(forms_dir: str | Path | None = None) -> dict[str, FormDef]:
    """Load the forms for this process (called when BotApp starts); fails on a broken file."""
    global _forms, _forms_dir
    forms = load_forms(forms_dir)
    _forms, _forms_dir = forms, str(forms_dir) if forms_dir else None
    log.info("forms loaded: %s", ", ".join(sorted(forms)))
    return forms


def forms() -> dict[str, FormDef]:
    global _forms
    if _forms is None:
        _forms = load_forms(_forms_dir)
    return _forms


def get_form(name: str) -> FormDef:
    try:
        return forms()[name]
    except KeyError:
        raise KeyError(f"no form named {name!r}") from None


def option_source(name: str) -> Callable[[OptionSource], OptionSource]:
    """Register the options of questions with `source: <name>` (supplied at run time).

    The function gets the session and the FormSession (its `context` says what for) and
    returns the options; it is called every time the question is shown or answered, so
    the choices always reflect the database.
    """

    def register(fn: OptionSource) -> OptionSource:
        _sources[name] = fn
        return fn

    return register


def get_option_source(name: str) -> OptionSource:
    try:
        return _sources[name]
    except KeyError:
        raise KeyError(f"no option source named {name!r} is registered") from None


def on_complete(form_name: str) -> Callable[[CompletionCallback], CompletionCallback]:
    """Register `async def fn(session, form_session, answers)` run in the same
    transaction when a form of this name is completed (confirmed)."""

    def register(fn: CompletionCallback) -> CompletionCallback:
        if fn not in _callbacks.setdefault(form_name, []):
            _callbacks[form_name].append(fn)
        return fn

    return register


def completion_callbacks(form_name: str) -> list[CompletionCallback]:
    return list(_callbacks.get(form_name, ()))
