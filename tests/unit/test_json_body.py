"""The calls a screen is made of go as a JSON body that says what aiogram's form says."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.methods import (
    AnswerCallbackQuery,
    DeleteMessage,
    EditMessageReplyMarkup,
    EditMessageText,
    SendMessage,
    SendPhoto,
    TelegramMethod,
)
from aiogram.types import (
    BufferedInputFile,
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    LinkPreviewOptions,
    MessageEntity,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    ReplyParameters,
)

from bot.app.json_body import json_body

KEYBOARD = InlineKeyboardMarkup(
    inline_keyboard=[
        [InlineKeyboardButton(text=f"вариант «{n}»", callback_data=f"fm:1:2:pick:{n}")]
        for n in range(4)
    ]
    + [[InlineKeyboardButton(text="Сайт", url="https://example.org/?a=1&b=2")]]
)


def _bot(**defaults: Any) -> Bot:
    return Bot("1:T", session=AiohttpSession(), default=DefaultBotProperties(**defaults))


APP_DEFAULTS = {"parse_mode": "HTML", "link_preview": LinkPreviewOptions(is_disabled=True)}


def _form(bot: Bot, method: TelegramMethod[Any]) -> dict[str, Any]:
    """aiogram's form of the call (`AiohttpSession.build_form_data`'s fields), each value
    read back from its text: what Telegram reads of it."""
    fields: dict[str, Any] = {}
    for key, value in method.model_dump(warnings=False).items():
        prepared = bot.session.prepare_value(value, bot=bot, files={})
        if not prepared:
            continue
        try:
            fields[key] = json.loads(prepared)
        except ValueError:
            fields[key] = prepared  # a plain text field
        if isinstance(fields[key], int | float) and isinstance(value, str):
            fields[key] = prepared  # a text that looks like a number stays a text
    return fields


CALLS: list[TelegramMethod[Any]] = [
    SendMessage(chat_id=5, text="Как вас зовут? <b>Имя</b> & фамилия", reply_markup=KEYBOARD),
    SendMessage(chat_id=5, text="123"),
    SendMessage(chat_id="@channel", text="x", parse_mode=None, disable_notification=True),
    SendMessage(chat_id=5, text="x", parse_mode="MarkdownV2", protect_content=False),
    SendMessage(
        chat_id=5,
        text="x",
        entities=[MessageEntity(type="bold", offset=0, length=1)],
        reply_markup=ReplyKeyboardMarkup(
            keyboard=[[KeyboardButton(text="Да"), KeyboardButton(text="Нет")]],
            resize_keyboard=True,
            one_time_keyboard=True,
        ),
    ),
    SendMessage(chat_id=5, text="x", reply_markup=ReplyKeyboardRemove()),
    SendMessage(chat_id=5, text="x", reply_markup=ForceReply(input_field_placeholder="Имя")),
    EditMessageText(chat_id=5, message_id=9, text="Экран", reply_markup=KEYBOARD),
    EditMessageText(inline_message_id="abc", text="Экран"),
    EditMessageReplyMarkup(chat_id=5, message_id=9),
    EditMessageReplyMarkup(chat_id=5, message_id=9, reply_markup=KEYBOARD),
    AnswerCallbackQuery(callback_query_id="q", text="Готово", show_alert=True, cache_time=0),
    AnswerCallbackQuery(callback_query_id="q"),
    AnswerCallbackQuery(callback_query_id="q", text=""),
    DeleteMessage(chat_id=5, message_id=9),
]


@pytest.mark.parametrize("defaults", [APP_DEFAULTS, {}, {"protect_content": True}])
@pytest.mark.parametrize("call", CALLS, ids=lambda call: type(call).__name__)
def test_the_json_body_says_what_the_form_says(call: TelegramMethod[Any], defaults: Any) -> None:
    bot = _bot(**defaults)
    body = json_body(bot, call)
    assert body is not None
    assert json.loads(body) == _form(bot, call)


def test_what_json_cannot_say_as_the_form_does_goes_as_a_form() -> None:
    bot = _bot(**APP_DEFAULTS)
    photo = SendPhoto(chat_id=5, photo=BufferedInputFile(b"x", "a.png"))
    assert json_body(bot, photo) is None  # a file, and a method not among the screen's
    # a default inside a nested object (aiogram fills it in from the bot)
    nested = SendMessage(chat_id=5, text="x", reply_parameters=ReplyParameters(message_id=3))
    assert json_body(bot, nested) is None
    preview = SendMessage(chat_id=5, text="x", link_preview_options=LinkPreviewOptions(url="u"))
    assert json_body(bot, preview) is None


def test_a_bots_defaults_are_its_own() -> None:
    call = SendMessage(chat_id=5, text="x")
    assert json.loads(json_body(_bot(parse_mode="HTML"), call) or b"")["parse_mode"] == "HTML"
    assert "parse_mode" not in json.loads(json_body(_bot(), call) or b"")


def test_a_webhook_answer_names_its_method() -> None:
    from bot.app.json_body import webhook_answer

    bot = _bot(**APP_DEFAULTS)
    call = AnswerCallbackQuery(callback_query_id="q", text="Готово")
    assert json.loads(webhook_answer(bot, call) or b"") == {
        "method": "answerCallbackQuery",
        **_form(bot, call),
    }
    photo = SendPhoto(chat_id=5, photo=BufferedInputFile(b"x", "a.png"))
    assert webhook_answer(bot, photo) is None  # aiogram's multipart form
