"""What the emulator answers over HTTP: bodies, routing, and Telegram's errors."""

from __future__ import annotations

import asyncio
import json
import time

import aiohttp
import pytest

from emulator import Emulator
from emulator.core import NOT_MODIFIED
from emulator.testing import RawClient


async def test_unknown_method_is_404(raw: RawClient) -> None:
    status, body = await raw.json("sendTelepathy", chat_id=1)
    assert status == 404
    assert body == {"ok": False, "error_code": 404, "description": "Not Found"}


async def test_wrong_token_is_401(raw: RawClient) -> None:
    async with raw.session.post(raw.url("getMe", token="1:nope"), json={}) as resp:
        assert resp.status == 401
        assert (await resp.json())["description"] == "Unauthorized"


async def test_method_names_are_case_insensitive(raw: RawClient, emulator: Emulator) -> None:
    me = await raw.ok("GETME")
    assert me["id"] == emulator.bot_user.id and me["is_bot"] is True
    assert (await raw.ok("getme"))["username"] == emulator.bot_user.username
    assert emulator.calls("getMe") == 2


async def test_json_form_multipart_and_query_bodies(raw: RawClient, emulator: Emulator) -> None:
    user = emulator.create_user("Ann", started=True)
    markup = {"inline_keyboard": [[{"text": "Go", "callback_data": "go"}]]}
    # form-urlencoded, nested fields JSON-encoded, as aiogram sends them
    status, body = await raw.form(
        "sendMessage", {"chat_id": str(user.id), "text": "123", "reply_markup": json.dumps(markup)}
    )
    assert status == 200, body
    assert body["result"]["text"] == "123"  # a str field stays a str
    assert body["result"]["reply_markup"] == markup
    # multipart with a file
    form = aiohttp.FormData()
    form.add_field("chat_id", str(user.id))
    form.add_field(
        "document", b"%PDF-1.4 data", filename="report.pdf", content_type="application/pdf"
    )
    status, body = await raw.form("sendDocument", form)
    assert status == 200, body
    assert body["result"]["document"]["file_name"] == "report.pdf"
    assert user.last_message is not None and user.last_message.document is not None
    assert user.last_message.document.content == b"%PDF-1.4 data"
    # query string on GET
    async with raw.session.get(
        raw.url("sendMessage"), params={"chat_id": user.id, "text": "q"}
    ) as r:
        assert r.status == 200 and (await r.json())["result"]["text"] == "q"


async def test_file_download_round_trip(raw: RawClient, emulator: Emulator) -> None:
    user = emulator.create_user()
    msg = await user.send_document(b"\x00\x01binary", "list.xlsx")
    assert msg.document is not None
    info = await raw.ok("getFile", file_id=msg.document.file_id)
    url = f"{emulator.url}/file/bot{emulator.token}/{info['file_path']}"
    async with raw.session.get(url) as resp:
        assert resp.status == 200 and await resp.read() == b"\x00\x01binary"
    async with raw.session.get(f"{emulator.url}/file/bot{emulator.token}/nope") as resp:
        assert resp.status == 404


@pytest.fixture
async def ann(emulator: Emulator):  # type: ignore[no-untyped-def]
    user = emulator.create_user("Ann")
    await user.send("hi")
    return user


async def test_telegram_errors(raw: RawClient, emulator: Emulator, ann) -> None:  # type: ignore[no-untyped-def]
    cid = ann.id
    cases = [
        ({"chat_id": 999, "text": "x"}, 400, "Bad Request: chat not found"),
        ({"chat_id": cid, "text": ""}, 400, "Bad Request: message text is empty"),
        ({"chat_id": cid, "text": "  \n "}, 400, "Bad Request: message text is empty"),
        (
            {"chat_id": cid, "text": "<b></b>", "parse_mode": "HTML"},
            400,
            "Bad Request: message text is empty",
        ),
        ({"chat_id": cid, "text": "x" * 4097}, 400, "Bad Request: message is too long"),
        ({"text": "x"}, 400, "Bad Request: chat_id is empty"),
        (
            {"chat_id": cid, "text": "<b>x", "parse_mode": "HTML"},
            400,
            "Bad Request: can't parse entities: "
            'Can\'t find end tag corresponding to start tag "b"',
        ),
        (
            {"chat_id": cid, "text": "<br>", "parse_mode": "HTML"},
            400,
            'Bad Request: can\'t parse entities: Unsupported start tag "br" at byte offset 0',
        ),
        (
            {
                "chat_id": cid,
                "text": "x",
                "reply_markup": {"inline_keyboard": [[{"text": "a", "callback_data": "x" * 65}]]},
            },
            400,
            "Bad Request: BUTTON_DATA_INVALID",
        ),
        (
            {"chat_id": cid, "text": "x", "reply_markup": {"inline_keyboard": [[{"text": "a"}]]}},
            400,
            "Bad Request: can't parse inline keyboard button: "
            "Text buttons are unallowed in the inline keyboard",
        ),
        (
            {"chat_id": cid, "text": "x", "reply_parameters": {"message_id": 999}},
            400,
            "Bad Request: message to be replied not found",
        ),
    ]
    for params, status, description in cases:
        assert await raw.error("sendMessage", **params) == (status, description), params
    # 4096 characters after entity parsing is fine
    await raw.ok("sendMessage", chat_id=cid, text="<b>" + "я" * 4096 + "</b>", parse_mode="HTML")
    await raw.ok(
        "sendMessage",
        chat_id=cid,
        text="x",
        reply_markup={"inline_keyboard": [[{"text": "a", "callback_data": "я" * 32}]]},
    )
    assert await raw.error(
        "sendMessage",
        chat_id=cid,
        text="x",
        reply_markup={"inline_keyboard": [[{"text": "a", "callback_data": "я" * 33}]]},
    ) == (400, "Bad Request: BUTTON_DATA_INVALID")
    # the failures are in the chat's transcript, for failure messages
    assert "message is too long" in ann.transcript()


async def test_caption_limit(raw: RawClient, ann) -> None:  # type: ignore[no-untyped-def]
    doc = await ann.send_document(b"abc", "a.txt")
    file_id = doc.document.file_id
    await raw.ok("sendDocument", chat_id=ann.id, document=file_id, caption="c" * 1024)
    assert await raw.error(
        "sendDocument", chat_id=ann.id, document=file_id, caption="c" * 1025
    ) == (
        400,
        "Bad Request: message caption is too long",
    )
    assert await raw.error("sendDocument", chat_id=ann.id, document="nonsense") == (
        400,
        "Bad Request: wrong file identifier/HTTP URL specified",
    )


async def test_types_are_checked(raw: RawClient, ann) -> None:  # type: ignore[no-untyped-def]
    status, description = await raw.error(
        "sendMessage", chat_id=ann.id, text="x", disable_notification="maybe"
    )
    assert status == 400 and "disable_notification" in description
    status, description = await raw.error("sendMessage", chat_id=ann.id, text="x", reply_markup=[1])
    assert (status, description) == (
        400,
        "Bad Request: can't parse reply keyboard markup JSON object",
    )


async def test_edits(raw: RawClient, emulator: Emulator, ann) -> None:  # type: ignore[no-untyped-def]
    kb = {"inline_keyboard": [[{"text": "a", "callback_data": "a"}]]}
    sent = await raw.ok(
        "sendMessage", chat_id=ann.id, text="<b>v1</b>", parse_mode="HTML", reply_markup=kb
    )
    mid = sent["message_id"]
    assert await raw.error(
        "editMessageText",
        chat_id=ann.id,
        message_id=mid,
        text="<b>v1</b>",
        parse_mode="HTML",
        reply_markup=kb,
    ) == (400, f"Bad Request: {NOT_MODIFIED}")
    # same text without the markup removes the keyboard: that is a change
    edited = await raw.ok(
        "editMessageText", chat_id=ann.id, message_id=mid, text="<b>v1</b>", parse_mode="HTML"
    )
    assert "reply_markup" not in edited and edited["edit_date"] > 0
    assert await raw.error("editMessageReplyMarkup", chat_id=ann.id, message_id=mid) == (
        400,
        f"Bad Request: {NOT_MODIFIED}",
    )
    await raw.ok("editMessageReplyMarkup", chat_id=ann.id, message_id=mid, reply_markup=kb)
    assert await raw.error("editMessageText", chat_id=ann.id, message_id=999, text="x") == (
        400,
        "Bad Request: message to edit not found",
    )
    own = ann.chat.messages[1]  # the user's "hi"
    assert await raw.error(
        "editMessageText", chat_id=ann.id, message_id=own.message_id, text="x"
    ) == (
        400,
        "Bad Request: message can't be edited",
    )
    message = ann.chat.messages[mid]
    assert message.edit_count == 2 and message.buttons[0][0]["callback_data"] == "a"
    assert await raw.ok("deleteMessage", chat_id=ann.id, message_id=mid) is True
    assert await raw.error("deleteMessage", chat_id=ann.id, message_id=mid) == (
        400,
        "Bad Request: message to delete not found",
    )
    assert message.deleted and message not in ann.messages


async def test_forbidden(raw: RawClient, emulator: Emulator) -> None:
    stranger = emulator.create_user("Never wrote")
    assert await raw.error("sendMessage", chat_id=stranger.id, text="x") == (
        403,
        "Forbidden: bot can't initiate conversation with a user",
    )
    await stranger.send("/start")
    await raw.ok("sendMessage", chat_id=stranger.id, text="x")
    await stranger.block_bot()
    assert await raw.error("sendMessage", chat_id=stranger.id, text="x") == (
        403,
        "Forbidden: bot was blocked by the user",
    )
    await stranger.unblock_bot()
    await raw.ok("sendMessage", chat_id=stranger.id, text="x")
    group = emulator.create_group("Not in it", bot=None)
    assert await raw.error("sendMessage", chat_id=group.id, text="x") == (
        403,
        "Forbidden: bot is not a member of the supergroup chat",
    )


async def test_commands_per_scope_and_language(raw: RawClient, emulator: Emulator) -> None:
    await raw.ok("setMyCommands", commands=[{"command": "start", "description": "Начать"}])
    await raw.ok(
        "setMyCommands",
        commands=[{"command": "start", "description": "Start"}],
        language_code="en",
    )
    scope = {"type": "chat", "chat_id": 42}
    await raw.ok(
        "setMyCommands", commands=[{"command": "admin", "description": "Admin"}], scope=scope
    )
    assert await raw.ok("getMyCommands") == [{"command": "start", "description": "Начать"}]
    assert (await raw.ok("getMyCommands", language_code="en"))[0]["description"] == "Start"
    assert emulator.get_commands(scope)[0]["command"] == "admin"
    await raw.ok("deleteMyCommands", scope=scope)
    assert await raw.ok("getMyCommands", scope=scope) == []
    assert await raw.error(
        "setMyCommands", commands=[{"command": "Bad-Name", "description": "x"}]
    ) == (
        400,
        "Bad Request: BOT_COMMAND_INVALID",
    )


async def test_required_parameters_from_the_reference(emulator: Emulator, raw: RawClient) -> None:
    if emulator.table.spec_path is None:
        pytest.skip("api.min.json is not available")
    # a method aiogram may not know yet is still recognised from the reference
    info = emulator.table.get("sendMessage")
    assert info is not None and "chat_id" in info.required and "text" in info.required
    status, description = await raw.error("answerCallbackQuery")
    assert status == 400 and "query" in description


async def test_rate_limits(emulator: Emulator, raw: RawClient) -> None:
    emulator.set_rate_limits(enabled=True, private_per_s=1.0, private_burst=2)
    user = emulator.create_user(started=True)
    await raw.ok("sendMessage", chat_id=user.id, text="1")
    await raw.ok("sendMessage", chat_id=user.id, text="2")
    status, body = await raw.json("sendMessage", chat_id=user.id, text="3")
    assert status == 429
    assert body["description"] == "Too Many Requests: retry after 1"
    assert body["parameters"] == {"retry_after": 1}
    assert emulator.stats.rate_limited == 1
    # another chat is not limited by this one
    other = emulator.create_user(started=True)
    await raw.ok("sendMessage", chat_id=other.id, text="1")
    await asyncio.sleep(1.0)
    await raw.ok("sendMessage", chat_id=user.id, text="3")


async def test_group_and_global_limits(emulator: Emulator, raw: RawClient) -> None:
    emulator.set_rate_limits(
        enabled=True, group_per_min=20, group_burst=20, global_per_s=1000, global_burst=1000
    )
    group = emulator.create_group("G")
    for i in range(20):
        await raw.ok("sendMessage", chat_id=group.id, text=str(i))
    status, body = await raw.json("sendMessage", chat_id=group.id, text="21")
    assert status == 429 and body["parameters"]["retry_after"] == 3  # 60 s / 20
    emulator.set_rate_limits(global_per_s=2, global_burst=2)
    users = [emulator.create_user(started=True) for _ in range(3)]
    results = [await raw.json("sendMessage", chat_id=u.id, text="x") for u in users]
    assert [s for s, _ in results] == [200, 200, 429]


async def test_fault_injection(emulator: Emulator, raw: RawClient) -> None:
    user = emulator.create_user(started=True)
    emulator.fail_next(2, status=502, method="sendMessage")
    await raw.ok("getMe")  # another method is not affected
    for _ in range(2):
        status, body = await raw.json("sendMessage", chat_id=user.id, text="x")
        assert (status, body["description"]) == (502, "Bad Gateway")
    assert user.messages == []
    await raw.ok("sendMessage", chat_id=user.id, text="x")
    # after=True: the call is carried out, only the answer is lost
    emulator.fail_next(1, status=500, after=True)
    status, _ = await raw.json("sendMessage", chat_id=user.id, text="lost answer")
    assert (
        status == 500 and user.last_message is not None and user.last_message.text == "lost answer"
    )
    emulator.hang_next(1, method="getMe", seconds=30)
    started = time.monotonic()
    with pytest.raises(asyncio.TimeoutError):
        async with raw.session.post(raw.url("getMe"), timeout=aiohttp.ClientTimeout(total=0.3)):
            pass
    assert time.monotonic() - started < 2
    assert emulator.stats.faults == 4
    await raw.ok("getMe")


async def test_deprecated_parameters_are_recorded(raw: RawClient, emulator: Emulator) -> None:
    """`disable_web_page_preview` was replaced by `link_preview_options` (Bot API 7.0):
    the reference no longer lists it for sendMessage, aiogram keeps it marked deprecated."""
    user = emulator.create_user(started=True)
    await raw.ok("sendMessage", chat_id=user.id, text="a", disable_web_page_preview=True)
    await raw.ok(
        "sendMessage", chat_id=user.id, text="b", link_preview_options={"is_disabled": True}
    )
    sent = await raw.ok("sendMessage", chat_id=user.id, text="c")
    await raw.ok(
        "editMessageText",
        chat_id=user.id,
        message_id=sent["message_id"],
        text="d",
        disable_web_page_preview=True,
    )
    assert emulator.stats.deprecated_params == {
        "sendMessage.disable_web_page_preview": 1,
        "editMessageText.disable_web_page_preview": 1,
    }
    assert emulator.stats.as_dict()["deprecated_params"] == dict(emulator.stats.deprecated_params)


@pytest.mark.emulator(deprecated_params="reject")
async def test_deprecated_parameters_may_be_refused(raw: RawClient, emulator: Emulator) -> None:
    user = emulator.create_user(started=True)
    status, description = await raw.error(
        "sendMessage", chat_id=user.id, text="a", disable_web_page_preview=True
    )
    assert status == 400 and "disable_web_page_preview" in description
    await raw.ok(
        "sendMessage", chat_id=user.id, text="b", link_preview_options={"is_disabled": True}
    )
