"""The bot's most frequent Bot API calls sent as a JSON body instead of aiogram's form.

aiogram sends every call as a form (`AiohttpSession.build_form_data`): each field is
prepared by a recursive walk (a keyboard of five buttons is some fifty calls), the
structured ones dumped to JSON one by one, and the whole form percent-encoded, every
byte of a Cyrillic text as three characters. The Bot API takes the same call as one JSON
object. For the calls a handler's screen is made of (`JSON_METHODS`: their fields are
text, numbers, flags and keyboards) the body is pydantic's own JSON dump of the method,
with the bot's defaults put in as aiogram puts them: about a quarter of the work. Any
other call, or one holding what a JSON dump cannot say as the form does (a file, a
default inside a nested object), goes as a form, as before.
"""

from __future__ import annotations

import json
from enum import Enum
from typing import Any

from aiogram import Bot
from aiogram.client.default import Default
from aiogram.methods import (
    AnswerCallbackQuery,
    DeleteMessage,
    EditMessageReplyMarkup,
    EditMessageText,
    SendMessage,
    TelegramMethod,
)
from aiogram.types import TelegramObject
from pydantic_core import PydanticSerializationError

from bot.middlewares.replies import defaults_of

JSON_METHODS: frozenset[type[TelegramMethod[Any]]] = frozenset(
    {SendMessage, EditMessageText, EditMessageReplyMarkup, AnswerCallbackQuery, DeleteMessage}
)

# A bot's default, as JSON: (the bot's defaults object, the value), by (bot, name).
_defaults: dict[tuple[int, str], tuple[object, Any]] = {}


def json_body(bot: Bot, method: TelegramMethod[Any]) -> bytes | None:
    """The call as a JSON body, or None when it is to go as aiogram's form."""
    payload = json_fields(bot, method)
    return None if payload is None else dumps(payload)


def webhook_answer(bot: Bot, method: TelegramMethod[Any]) -> bytes | None:
    """The call as the JSON answer to a webhook request (Telegram carries it out), or
    None when it is to go as aiogram's form."""
    payload = json_fields(bot, method)
    return None if payload is None else dumps({"method": method.__api_method__, **payload})


def dumps(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False).encode()


def json_fields(bot: Bot, method: TelegramMethod[Any]) -> dict[str, Any] | None:
    """The call's fields as JSON takes them, or None when it is to go as aiogram's form."""
    if type(method) not in JSON_METHODS:
        return None
    unset = defaults_of(method)
    try:
        payload = method.model_dump(mode="json", exclude_none=True, exclude=set(unset))
    except PydanticSerializationError:  # a file, or a default inside a nested object
        return None
    for name, value in unset.items():
        resolved = default_value(bot, value.name)
        if resolved is not None:
            payload[name] = resolved
    # aiogram's form leaves out an empty text field as it leaves out a missing one
    return {name: value for name, value in payload.items() if value != ""}


def default_value(bot: Bot, name: str) -> Any:
    """The bot's default `name` as aiogram sends it (None: not sent), worked out once."""
    key = (id(bot), name)
    known = _defaults.get(key)
    if known is not None and known[0] is bot.default:
        return known[1]
    value = plain(bot.default[name], bot)
    _defaults[key] = (bot.default, value)
    return value


def plain(value: Any, bot: Bot) -> Any:
    """A value as JSON takes it, the way aiogram's `prepare_value` reads it: defaults
    resolved, objects as their fields, missing values (None) left out."""
    if isinstance(value, Default):
        return plain(bot.default[value.name], bot)
    if isinstance(value, TelegramObject):
        return plain(value.model_dump(warnings=False), bot)
    if isinstance(value, dict):
        found = {key: plain(item, bot) for key, item in value.items()}
        return {key: item for key, item in found.items() if item is not None}
    if isinstance(value, list | tuple):
        return [item for item in (plain(each, bot) for each in value) if item is not None]
    if isinstance(value, Enum):
        return plain(value.value, bot)
    return value
