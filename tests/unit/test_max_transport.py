"""The MAX transport's pieces: ids, keyboards, long texts, updates, settings, the start.

Expected shapes come from MAX's openapi.json (every translated body is validated against
it here too) and from the Bot API's documented id range (52 significant bits)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from aiogram.types import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    Update,
)

from bot.__main__ import main
from bot.config import Settings
from bot.max.ids import (
    MAX_ID_BASE,
    chat_from_core,
    chat_to_core,
    is_max,
    parse_staff_id,
    user_from_core,
    user_to_core,
)
from bot.max.session import TEXT_LIMIT, keyboard, split_text
from bot.max.updates import MessageIds, to_update
from bot.services.enrolment.invitations import deep_link
from bot.services.messenger import MAX, TELEGRAM, use_messenger
from emulator.max.schema import default_spec_path, load

SCHEMA = load(str(default_spec_path()))
NEW_MESSAGE = {"$ref": "#/components/schemas/NewMessageBody"}
TELEGRAM_MAX_USER_ID = 2**52 - 1  # Bot API: a user id has at most 52 significant bits


def test_max_ids_never_meet_telegram_ids() -> None:
    assert not is_max(TELEGRAM_MAX_USER_ID) and not is_max(-(10**13))  # a supergroup
    assert user_to_core(1) > TELEGRAM_MAX_USER_ID and is_max(user_to_core(1))
    assert user_from_core(user_to_core(123456789)) == 123456789
    group = -68_123_456
    assert (
        chat_to_core(group) < -TELEGRAM_MAX_USER_ID and chat_from_core(chat_to_core(group)) == group
    )
    assert user_to_core(2**62) < 2**63  # still a BIGINT


def test_staff_ids_may_name_max_people() -> None:
    assert parse_staff_id("max:42") == MAX_ID_BASE + 42 and parse_staff_id(" 700001 ") == 700001
    settings = Settings(_env_file=None, curator_ids="700001, max:42")  # type: ignore[call-arg]
    assert settings.curator_ids == [700001, MAX_ID_BASE + 42]


def test_keyboards_become_max_attachments_within_its_limits() -> None:
    inline = InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=str(i), callback_data=f"c:{i}") for i in range(9)],
            [InlineKeyboardButton(text="сайт", url="https://example.org")],
        ]
    )
    (attachment,) = keyboard(inline)
    rows = attachment["payload"]["buttons"]
    # 9 buttons in a row: MAX takes 7 at most, the rest go on the next row.
    assert [len(r) for r in rows] == [7, 2, 1]
    assert rows[0][0] == {"type": "callback", "text": "0", "payload": "c:0"}
    assert rows[2][0] == {"type": "link", "text": "сайт", "url": "https://example.org"}
    body = {"text": "x", "attachments": [attachment], "link": None, "format": "html"}
    assert SCHEMA.check(NEW_MESSAGE, body) == []

    reply = ReplyKeyboardMarkup(
        keyboard=[
            [KeyboardButton(text="📱 Телефон", request_contact=True), KeyboardButton(text="Нет")]
        ]
    )
    (attachment,) = keyboard(reply)
    assert attachment["payload"]["buttons"] == [
        [{"type": "request_contact", "text": "📱 Телефон"}, {"type": "message", "text": "Нет"}]
    ]
    assert SCHEMA.check(NEW_MESSAGE, {"text": "x", "attachments": [attachment], "link": None}) == []
    assert keyboard(None) == []


def test_long_texts_are_split_at_line_ends_within_4000() -> None:
    text = "\n".join(f"<b>{i}</b> " + "я" * 90 for i in range(100))  # about 10,000 characters
    pieces = split_text(text)
    assert len(pieces) == 3 and all(len(p) <= TEXT_LIMIT for p in pieces)
    assert "\n".join(pieces) == text
    assert all(p.count("<b>") == p.count("</b>") for p in pieces)
    assert split_text("я" * 9000) == ["я" * 4000, "я" * 4000, "я" * 1000]


def _user(uid: int = 7) -> dict[str, Any]:
    return {"user_id": uid, "first_name": "Аня", "last_name": None, "username": None,
            "is_bot": False, "last_activity_time": 1, "name": "Аня"}  # fmt: skip


def test_bot_started_with_a_payload_is_start_with_the_code() -> None:
    raw = {"update_type": "bot_started", "timestamp": 1_767_000_000_000, "chat_id": 5,
           "user": _user(), "payload": "abc-DEF_1", "user_locale": "ru-RU"}  # fmt: skip
    update = Update.model_validate(to_update(raw, 10, MessageIds()))
    assert update.message is not None and update.message.text == "/start abc-DEF_1"
    assert update.message.from_user is not None
    assert update.message.from_user.id == update.message.chat.id == MAX_ID_BASE + 7
    assert update.message.from_user.language_code == "ru"


def test_a_press_is_a_callback_query_on_its_message() -> None:
    mids = MessageIds()
    message = {"sender": {**_user(900), "is_bot": True}, "timestamp": 1_767_000_000_000,
               "recipient": {"chat_id": 5, "chat_type": "dialog", "user_id": 7},
               "body": {"mid": "mid.abc", "seq": 1, "text": "Выберите", "attachments": [
                   {"type": "inline_keyboard", "payload": {"buttons": [[
                       {"type": "callback", "text": "Да", "payload": "yes:1"}]]}}]}}  # fmt: skip
    raw = {"update_type": "message_callback", "timestamp": 1_767_000_000_000,
           "callback": {"timestamp": 1, "callback_id": "cb1", "payload": "yes:1",
                        "user": _user()}, "message": message}  # fmt: skip
    update = Update.model_validate(to_update(raw, 11, mids))
    query = update.callback_query
    assert query is not None and query.id == "cb1" and query.data == "yes:1"
    assert query.message is not None and query.message.chat.id == MAX_ID_BASE + 7
    assert mids.mid_of(query.message.message_id) == "mid.abc"


def test_members_added_and_removed_are_chat_member_updates() -> None:
    added = {"update_type": "user_added", "timestamp": 1, "chat_id": -70, "user": _user(),
             "inviter_id": None, "is_channel": False}  # fmt: skip
    update = Update.model_validate(to_update(added, 12, MessageIds()))
    assert update.chat_member is not None
    assert update.chat_member.new_chat_member.status == "member"
    assert update.chat_member.chat.id == chat_to_core(-70)
    bot = {**added, "update_type": "bot_added", "user": {**_user(900), "is_bot": True}}
    update = Update.model_validate(to_update(bot, 13, MessageIds()))
    assert update.my_chat_member is not None
    # bot_added does not say which rights the bot has (the handler asks `members/me`)
    assert update.my_chat_member.new_chat_member.status == "member"


def test_deep_links_follow_the_messenger_of_the_update() -> None:
    assert deep_link("school_bot", "C0de") == "https://t.me/school_bot?start=C0de"
    use_messenger(MAX)
    try:
        assert deep_link("school_bot", "C0de") == "https://max.ru/school_bot?start=C0de"
    finally:
        use_messenger(TELEGRAM)


def test_run_without_either_token_exits_2_naming_both(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env here
    for name in list(os.environ):
        if name in ("BOT_TOKEN", "MAX_BOT_TOKEN"):
            monkeypatch.delenv(name)
    with pytest.raises(SystemExit) as stopped:
        main(["run"])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "BOT_TOKEN" in err and "MAX_BOT_TOKEN" in err and "business.max.ru" in err


def test_which_messengers_a_deployment_serves() -> None:
    only_max = Settings(_env_file=None, max_bot_token="t0ken")  # type: ignore[call-arg]
    assert (only_max.serves_telegram, only_max.serves_max) == (False, True)
    assert only_max.max_api_url == "https://platform-api.max.ru"
    both = Settings(_env_file=None, bot_token="1:a", max_bot_token="t0ken")  # type: ignore[call-arg]
    assert (both.serves_telegram, both.serves_max) == (True, True)
    assert set(both.secrets) == {"1:a", "t0ken"}


async def test_a_token_max_refuses_is_named_as_max_s(tmp_path: Path) -> None:
    import asyncio

    from bot.__main__ import _refused_by_max
    from bot.app.factory import create_bot
    from bot.startup import TokenRefused, wait_for_api
    from emulator.max import MaxEmulator

    async with MaxEmulator(rate_limits=False) as emu:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            max_bot_token="not-this-bot",
            max_api_url=emu.url,
            database_url=f"sqlite+aiosqlite:///{tmp_path / 'x.db'}",
        )
        bot = create_bot(settings)
        try:
            with pytest.raises(TokenRefused) as refused:
                await asyncio.wait_for(wait_for_api(bot, asyncio.Event()), 10)
            assert _refused_by_max(refused.value)
            good = create_bot(
                Settings(
                    _env_file=None,  # type: ignore[call-arg]
                    max_bot_token=emu.token,
                    max_api_url=emu.url,
                )
            )
            assert await wait_for_api(good, asyncio.Event()) is True
            me = await good.get_me()
            assert me.username == emu.bot.username and me.id == MAX_ID_BASE + emu.bot.user_id
            await good.session.close()
        finally:
            await bot.session.close()


async def test_with_both_messengers_each_call_goes_where_its_chat_is() -> None:
    from aiogram import Bot
    from aiogram.methods import AnswerCallbackQuery, SendMessage, SetMyCommands
    from aiogram.types import BotCommand, BotCommandScopeChat

    from bot.max.session import MAX_BOT_TOKEN_PLACEHOLDER, MaxSession

    session = MaxSession(max_api_url="http://127.0.0.1:9", max_token="t", telegram=True)
    telegram_bot = Bot("123:abc", session=session)
    max_bot = Bot(MAX_BOT_TOKEN_PLACEHOLDER, session=session)
    try:
        to_max = SendMessage(chat_id=user_to_core(5), text="x")
        to_telegram = SendMessage(chat_id=700001, text="x")
        menu = SetMyCommands(
            commands=[BotCommand(command="report", description="отчёт")],
            scope=BotCommandScopeChat(chat_id=user_to_core(5)),
        )
        assert session.is_max_call(telegram_bot, to_max)  # the outbox's send to MAX
        assert not session.is_max_call(telegram_bot, to_telegram)
        assert session.is_max_call(telegram_bot, menu)
        assert session.is_max_call(max_bot, AnswerCallbackQuery(callback_query_id="cb"))
        assert not session.is_max_call(telegram_bot, AnswerCallbackQuery(callback_query_id="cb"))
    finally:
        await session.close()
