"""aiogram's own client against the emulator: results parse, errors map to its exceptions."""

from __future__ import annotations

import struct
import zlib

import pytest
from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import BotCommand, BotCommandScopeChat, BufferedInputFile
from aiogram.utils.keyboard import InlineKeyboardBuilder

from emulator import Emulator


def tiny_png(width: int = 3, height: int = 2) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"\x00\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


async def test_messages_parse_as_aiogram_models(api_bot: Bot, emulator: Emulator) -> None:
    user = emulator.create_user("Ирина", started=True)
    kb = InlineKeyboardBuilder()
    kb.button(text="Да", callback_data="yes")
    sent = await api_bot.send_message(
        user.id, "<b>Привет</b>, мир", parse_mode="HTML", reply_markup=kb.as_markup()
    )
    assert sent.text == "Привет, мир"
    assert sent.entities is not None and sent.entities[0].type == "bold"
    assert sent.from_user is not None and sent.from_user.id == emulator.bot_user.id
    assert sent.reply_markup is not None
    assert sent.reply_markup.inline_keyboard[0][0].callback_data == "yes"
    edited = await api_bot.edit_message_text("v2", chat_id=user.id, message_id=sent.message_id)
    assert not isinstance(edited, bool) and edited.text == "v2" and edited.edit_date
    second = await api_bot.send_message(user.id, "next")
    assert second.message_id == sent.message_id + 1
    chat = await api_bot.get_chat(user.id)
    assert chat.first_name == "Ирина"
    member = await api_bot.get_chat_member(user.id, user.id)
    assert member.status == "member"


async def test_files_round_trip(api_bot: Bot, emulator: Emulator) -> None:
    user = emulator.create_user(started=True)
    png = tiny_png(3, 2)
    photo = await api_bot.send_photo(user.id, BufferedInputFile(png, "chart.png"), caption="chart")
    assert photo.photo is not None and (photo.photo[-1].width, photo.photo[-1].height) == (3, 2)
    xlsx = b"PK\x03\x04 not really a workbook"
    doc = await api_bot.send_document(
        user.id, BufferedInputFile(xlsx, "pairs.xlsx"), caption="<i>pairs</i>", parse_mode="HTML"
    )
    assert doc.caption == "pairs" and doc.document is not None
    assert user.photos[0].photo is not None and user.photos[0].photo.content == png
    assert user.documents[0].document is not None
    assert user.documents[0].document.content == xlsx
    assert user.documents[0].document.filename == "pairs.xlsx"
    # the bot downloads what it sent
    downloaded = await api_bot.download(doc.document.file_id)
    assert downloaded is not None and downloaded.read() == xlsx
    # and resends by file_id without uploading
    again = await api_bot.send_document(user.id, doc.document.file_id)
    assert again.document is not None and again.document.file_id == doc.document.file_id


async def test_commands(api_bot: Bot, emulator: Emulator) -> None:
    await api_bot.set_my_commands([BotCommand(command="start", description="Начать")])
    await api_bot.set_my_commands(
        [BotCommand(command="report", description="Отчёт")],
        scope=BotCommandScopeChat(chat_id=5),
        language_code="ru",
    )
    assert [c.command for c in await api_bot.get_my_commands()] == ["start"]
    assert emulator.get_commands({"type": "chat", "chat_id": 5}, "ru")[0]["command"] == "report"


async def test_bad_request(api_bot: Bot, emulator: Emulator) -> None:
    user = emulator.create_user(started=True)
    with pytest.raises(TelegramBadRequest, match="can't parse entities"):
        await api_bot.send_message(user.id, "a <b>b", parse_mode="HTML")
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await api_bot.send_message(123, "x")
    sent = await api_bot.send_message(user.id, "same")
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await api_bot.edit_message_text("same", chat_id=user.id, message_id=sent.message_id)


async def test_forbidden(api_bot: Bot, emulator: Emulator) -> None:
    user = emulator.create_user(started=True)
    await user.block_bot()
    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await api_bot.send_message(user.id, "x")


async def test_retry_after(api_bot: Bot, emulator: Emulator) -> None:
    emulator.set_rate_limits(enabled=True, private_burst=1)
    user = emulator.create_user(started=True)
    await api_bot.send_message(user.id, "1")
    with pytest.raises(TelegramRetryAfter) as info:
        await api_bot.send_message(user.id, "2")
    assert info.value.retry_after == 1


async def test_server_errors_and_hangs(api_bot: Bot, emulator: Emulator) -> None:
    emulator.fail_next(1, status=500)
    with pytest.raises(TelegramServerError):
        await api_bot.get_me()
    emulator.fail_next(1, status=502)
    with pytest.raises(TelegramServerError):
        await api_bot.get_me()
    emulator.hang_next(1, method="getMe")
    with pytest.raises(TelegramNetworkError, match="timeout"):
        await api_bot.get_me(request_timeout=1)
    assert (await api_bot.get_me()).id == emulator.bot_user.id
