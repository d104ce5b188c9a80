"""The MAX emulator answers like MAX and refuses what MAX's schema and documented limits
refuse: each refusal below is a request the real bot must never make.

Expected limits come from MAX's openapi.json (text ≤ 4000, callback payload ≤ 1024,
required `callback_id`, `UploadType`, the `/updates` timeout ≤ 90) and from MAX's
prose (210 buttons, 30 rows, 7 per row, about 30 requests a second).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from emulator.max import MaxEmulator


@pytest.fixture
async def emu() -> AsyncIterator[MaxEmulator]:
    emulator = MaxEmulator(rate_limits=False)
    await emulator.start()
    try:
        yield emulator
    finally:
        await emulator.stop()


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def _call(
    http: aiohttp.ClientSession,
    emu: MaxEmulator,
    method: str,
    path: str,
    *,
    query: dict[str, Any] | None = None,
    body: Any = None,
    token: str | None = None,
) -> tuple[int, Any]:
    headers = {"Authorization": token or emu.token}
    kwargs: dict[str, Any] = {"params": query or {}, "headers": headers}
    if body is not None:
        kwargs["json"] = body
    async with http.request(method, emu.url + path, **kwargs) as answer:
        return answer.status, await answer.json()


def _message(text: str = "Привет", attachments: Any = None, **extra: Any) -> dict[str, Any]:
    return {"text": text, "attachments": attachments, "link": None, **extra}


def _keyboard(rows: list[list[dict[str, Any]]]) -> list[dict[str, Any]]:
    return [{"type": "inline_keyboard", "payload": {"buttons": rows}}]


def _button(i: int = 0, payload: str = "x") -> dict[str, Any]:
    return {"type": "callback", "text": f"b{i}", "payload": payload}


async def _user(emu: MaxEmulator) -> Any:
    user = emu.create_user("Аня")
    await user.start()
    return user


async def test_me_and_a_message_with_a_keyboard_are_accepted(emu: MaxEmulator, http: Any) -> None:
    status, me = await _call(http, emu, "GET", "/me")
    assert status == 200 and me["is_bot"] is True and me["username"]
    user = await _user(emu)
    keyboard = _keyboard([[_button(), {"type": "link", "text": "сайт", "url": "https://x.ru"}]])
    status, sent = await _call(
        http, emu, "POST", "/messages", query={"user_id": user.id},
        body=_message("<b>Привет</b> &amp; всё", keyboard, format="html"),
    )  # fmt: skip
    assert status == 200, sent
    assert sent["message"]["body"]["mid"].startswith("mid.")
    shown = user.last_message
    assert shown.text == "Привет & всё" and shown.button_texts == ["b0", "сайт"]
    assert emu.rejections == []


async def test_the_token_in_the_query_is_accepted_too_and_a_wrong_one_is_401(
    emu: MaxEmulator, http: Any
) -> None:
    async with http.get(emu.url + "/me", params={"access_token": emu.token}) as answer:
        assert answer.status == 200
    status, body = await _call(http, emu, "GET", "/me", token="wrong")
    assert status == 401 and body["code"] == "verify.token"


@pytest.mark.parametrize(
    ("method", "path", "query", "body", "expected"),
    [
        ("GET", "/no/such/path", {}, None, "not.found"),
        ("PATCH", "/messages", {}, None, "method.not.allowed"),
        ("POST", "/answers", {}, {"notification": "x"}, "'callback_id' is required"),
        ("DELETE", "/messages", {}, None, "'message_id' is required"),
        ("POST", "/messages", {"user_id": "1", "parse_mode": "HTML"}, _message(),
         "unknown query parameter 'parse_mode'"),
        ("POST", "/messages", {"user_id": "1"}, {**_message(), "parse_mode": "HTML"},
         "unknown field 'parse_mode'"),
        ("POST", "/messages", {"user_id": "1"}, _message("я" * 4001), "longer than 4000"),
        ("POST", "/messages", {"user_id": "1"}, {"text": "x"}, "'attachments' is required"),
        ("POST", "/messages", {"user_id": "1"},
         _message(attachments=_keyboard([[_button(payload="p" * 1025)]])), "longer than 1024"),
        ("POST", "/messages", {"user_id": "1"},
         _message(attachments=_keyboard([[{"type": "callback", "text": "no payload"}]])),
         "'payload' is required"),
        ("POST", "/messages", {"user_id": "1"},
         _message(attachments=_keyboard([[{"type": "teleport", "text": "?"}]])), "unknown kind"),
        ("POST", "/messages", {"user_id": "1"},
         _message(attachments=_keyboard([[_button(i) for i in range(8)]])),
         "a row of more than 7"),
        ("POST", "/messages", {"user_id": "1"},
         _message(attachments=_keyboard([[_button(i)] for i in range(31)])), "31 rows"),
        ("POST", "/messages", {"user_id": "1"},
         _message(attachments=_keyboard([[_button(i) for i in range(7)] for _ in range(30)])),
         "210 buttons, at most 210"),
        ("POST", "/uploads", {"type": "document"}, None, "is not one of"),
        ("GET", "/updates", {"timeout": "91"}, None, "above 90"),
        ("POST", "/subscriptions", {}, {"url": "https://x.ru", "secret": "a b"},
         "does not match"),
        ("POST", "/chats/-1/members", {}, {"user_ids": "1"}, "expected an array"),
    ],
)  # fmt: skip
async def test_the_schema_and_the_limits_refuse(
    emu: MaxEmulator, http: Any, method: str, path: str, query: Any, body: Any, expected: str
) -> None:
    status, answer = await _call(http, emu, method, path, query=query, body=body)
    if expected == "210 buttons, at most 210":
        # 30 rows of 7 is exactly MAX's most: accepted (the user id is unknown: 404).
        assert status == 404 and emu.rejections == [], answer
        return
    assert status in (400, 404, 405), answer
    assert expected in answer["message"] or expected == answer["code"], answer
    assert len(emu.rejections) == 1


async def test_more_than_210_buttons_are_refused(emu: MaxEmulator, http: Any) -> None:
    rows = [[_button(i) for i in range(7)] for _ in range(30)]
    rows[-1].append(_button(8))  # 211 (and a row of 8)
    status, answer = await _call(
        http, emu, "POST", "/messages", query={"user_id": "1"},
        body=_message(attachments=_keyboard(rows)),
    )  # fmt: skip
    assert status == 400 and "211 buttons, at most 210" in answer["message"]


async def test_html_max_does_not_render_is_refused(emu: MaxEmulator, http: Any) -> None:
    user = await _user(emu)
    status, answer = await _call(
        http, emu, "POST", "/messages", query={"user_id": user.id},
        body=_message("<tg-spoiler>x</tg-spoiler>", format="html"),
    )  # fmt: skip
    assert status == 400 and "tg-spoiler" in answer["message"]


async def test_about_30_requests_a_second(http: Any) -> None:
    emu = MaxEmulator(rate_limits=True)
    await emu.start()
    try:
        statuses = [(await _call(http, emu, "GET", "/me"))[0] for _ in range(31)]
        assert statuses[:30] == [200] * 30 and statuses[30] == 429
        await asyncio.sleep(1.05)
        assert (await _call(http, emu, "GET", "/me"))[0] == 200
    finally:
        await emu.stop()


async def test_long_polling_with_a_marker(emu: MaxEmulator, http: Any) -> None:
    user = emu.create_user("Аня")
    await user.start("code123")
    status, first = await _call(http, emu, "GET", "/updates", query={"timeout": "0"})
    assert status == 200
    assert [u["update_type"] for u in first["updates"]] == ["bot_started"]
    assert first["updates"][0]["payload"] == "code123"
    # The same marker again: nothing new; a waiting poll returns as soon as one comes.
    waiting = asyncio.create_task(
        _call(http, emu, "GET", "/updates", query={"marker": first["marker"], "timeout": "5"})
    )
    await asyncio.sleep(0.1)
    await user.send("привет")
    _, second = await asyncio.wait_for(waiting, 3)
    assert [u["update_type"] for u in second["updates"]] == ["message_created"]
    assert second["updates"][0]["message"]["body"]["text"] == "привет"


async def test_a_press_edit_answer_upload_and_delete(emu: MaxEmulator, http: Any) -> None:
    user = await _user(emu)
    _, sent = await _call(
        http, emu, "POST", "/messages", query={"user_id": user.id},
        body=_message("Выберите", _keyboard([[_button(payload="pick:1")]])),
    )  # fmt: skip
    mid = sent["message"]["body"]["mid"]
    record = await user.press_payload("pick:1", settle=None)
    assert record.payload == "pick:1"
    status, _ = await _call(
        http, emu, "POST", "/answers", query={"callback_id": record.callback_id},
        body={"notification": "Готово"},
    )  # fmt: skip
    assert status == 200 and record.answered and record.notification == "Готово"
    status, _ = await _call(
        http, emu, "PUT", "/messages", query={"message_id": mid},
        body=_message("Выбрано", []),
    )  # fmt: skip
    assert status == 200 and user.last_message.text == "Выбрано"
    assert user.last_message.buttons == []

    _, endpoint = await _call(http, emu, "POST", "/uploads", query={"type": "file"})
    form = aiohttp.FormData()
    form.add_field("data", b"PK-bytes", filename="report.xlsx")
    async with http.post(endpoint["url"], data=form) as answer:
        token = (await answer.json())["token"]
    status, sent = await _call(
        http, emu, "POST", "/messages", query={"user_id": user.id},
        body=_message("Отчёт", [{"type": "file", "payload": {"token": token}}]),
    )  # fmt: skip
    assert status == 200
    document = user.documents[-1]
    assert document.files[0]["filename"] == "report.xlsx"
    assert user.file_content(document) == b"PK-bytes"
    status, _ = await _call(http, emu, "DELETE", "/messages", query={"message_id": mid})
    assert status == 200 and all(m.mid != mid for m in user.messages)
    assert emu.rejections == []


async def test_members_of_a_group_and_the_webhook_subscription(emu: MaxEmulator, http: Any) -> None:
    owner = await _user(emu)
    mentor = emu.create_user("Борис")
    group = emu.create_group("Наставники", owner)
    status, answer = await _call(
        http, emu, "POST", f"/chats/{group.id}/members", body={"user_ids": [mentor.id]}
    )
    assert status == 200 and answer["success"] and group.is_member(mentor)
    status, listed = await _call(
        http, emu, "GET", f"/chats/{group.id}/members", query={"user_ids": str(mentor.id)}
    )
    assert status == 200 and [m["user_id"] for m in listed["members"]] == [mentor.id]
    status, _ = await _call(
        http, emu, "DELETE", f"/chats/{group.id}/members", query={"user_id": mentor.id}
    )
    assert status == 200 and not group.is_member(mentor)

    status, _ = await _call(
        http, emu, "POST", "/subscriptions",
        body={"url": "http://127.0.0.1:9/hook", "secret": "s3cret_value"},
    )  # fmt: skip
    assert status == 200
    _, subs = await _call(http, emu, "GET", "/subscriptions")
    assert [s["url"] for s in subs["subscriptions"]] == ["http://127.0.0.1:9/hook"]
    # With a webhook, long polling is off (MAX: 405).
    status, _ = await _call(http, emu, "GET", "/updates", query={"timeout": "0"})
    assert status == 405
    await _call(http, emu, "DELETE", "/subscriptions", query={"url": "http://127.0.0.1:9/hook"})
    assert emu.subscriptions == []
    assert emu.rejections == []


async def test_members_as_max_refuses_them(emu: MaxEmulator, http: Any) -> None:
    owner = await _user(emu)
    mentor = emu.create_user("Борис")
    group = emu.create_group("Наставники", owner)
    members = f"/chats/{group.id}/members"
    # UserIdsList: at most 100 ids a request (the description; the schema's own
    # `maxItems: "100"` sits on the items as a string, emulator/README.md).
    status, answer = await _call(http, emu, "POST", members, body={"user_ids": list(range(101))})
    assert status == 400 and answer["code"] == "proto.payload"
    status, _ = await _call(http, emu, "POST", members, body={"user_ids": []})
    assert status == 400
    # The chat's owner cannot be removed.
    status, answer = await _call(http, emu, "DELETE", members, query={"user_id": owner.id})
    assert status == 403 and group.is_member(owner)
    # The bot's own membership and the chat's title (the messages do not carry it);
    # `/chats/-1` is `getChat`, not `getChatByLink` (a link is not a number).
    status, me = await _call(http, emu, "GET", f"{members}/me")
    assert status == 200 and me["is_admin"] and "add_remove_members" in me["permissions"]
    status, chat = await _call(http, emu, "GET", f"/chats/{group.id}")
    assert status == 200 and chat["title"] == "Наставники"

    # A bot that is a plain member may neither add nor remove anyone.
    plain = emu.create_group("Без прав", owner, bot_admin=False)
    status, me = await _call(http, emu, "GET", f"/chats/{plain.id}/members/me")
    assert status == 200 and not me["is_admin"] and me["permissions"] is None
    status, answer = await _call(
        http, emu, "POST", f"/chats/{plain.id}/members", body={"user_ids": [mentor.id]}
    )
    assert status == 403 and not plain.is_member(mentor)
    status, _ = await _call(
        http, emu, "DELETE", f"/chats/{plain.id}/members", query={"user_id": owner.id}
    )
    assert status == 403
    assert emu.rejections == []
