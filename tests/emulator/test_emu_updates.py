"""Updates: getUpdates long polling and webhook delivery."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web

from emulator import Emulator
from emulator.server import free_port
from emulator.testing import RawClient


async def test_offset_and_limit(raw: RawClient, emulator: Emulator) -> None:
    user = emulator.create_user()
    for i in range(5):
        await user.send(f"m{i}")
    updates = await raw.ok("getUpdates", limit=2)
    assert [u["message"]["text"] for u in updates] == ["m0", "m1"]
    first = updates[0]["update_id"]
    assert [u["update_id"] for u in updates] == [first, first + 1]
    # without an offset nothing is confirmed
    assert len(await raw.ok("getUpdates")) == 5
    rest = await raw.ok("getUpdates", offset=first + 2)
    assert [u["message"]["text"] for u in rest] == ["m2", "m3", "m4"]
    # confirmed updates are gone for good
    assert len(await raw.ok("getUpdates")) == 3
    # a negative offset keeps only the last ones
    assert [u["message"]["text"] for u in await raw.ok("getUpdates", offset=-1)] == ["m4"]
    assert emulator.pending_update_count == 1


async def test_long_poll_returns_as_soon_as_an_update_arrives(
    raw: RawClient, emulator: Emulator
) -> None:
    user = emulator.create_user()
    started = time.monotonic()
    poll = asyncio.create_task(raw.ok("getUpdates", timeout=10))
    await emulator.wait_for_polling(2)
    await user.send("/start", chat=None)
    updates = await poll
    assert time.monotonic() - started < 2
    message = updates[0]["message"]
    assert message["text"] == "/start"
    assert message["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
    # an empty long poll waits for its timeout
    started = time.monotonic()
    assert await raw.ok("getUpdates", offset=updates[0]["update_id"] + 1, timeout=1) == []
    assert 0.9 < time.monotonic() - started < 2


async def test_a_second_poller_terminates_the_first(raw: RawClient, emulator: Emulator) -> None:
    first = asyncio.create_task(raw.json("getUpdates", timeout=10))
    await emulator.wait_for_polling(2)
    second = asyncio.create_task(raw.json("getUpdates", timeout=0))
    status, body = await first
    assert status == 409 and "terminated by other getUpdates request" in body["description"]
    assert (await second)[0] == 200


async def test_allowed_updates(raw: RawClient, emulator: Emulator) -> None:
    user = emulator.create_user()
    group = emulator.create_group("G", owner=user)
    other = emulator.create_user()
    # chat_member is sent only when asked for explicitly
    await group.add_member(other)
    types = {k for u in await raw.ok("getUpdates") for k in u if k != "update_id"}
    assert types == {"message"}  # the service message only
    await raw.ok("getUpdates", offset=-1, allowed_updates=["chat_member", "message"], timeout=0)
    await raw.ok("getUpdates", offset=emulator._next_update_id)  # confirm everything
    await other.leave(group)
    types = {k for u in await raw.ok("getUpdates") for k in u if k != "update_id"}
    assert types == {"chat_member", "message"}
    # the setting sticks until changed; callback queries are now filtered out
    await raw.ok("getUpdates", offset=emulator._next_update_id)
    await raw.ok(
        "sendMessage",
        chat_id=group.id,
        text="x",
        reply_markup={"inline_keyboard": [[{"text": "b", "callback_data": "b"}]]},
    )
    await user.press("b", chat=group, answer_timeout=None)
    assert await raw.ok("getUpdates") == []
    assert emulator.stats.updates_dropped >= 1


class Receiver:
    """A webhook endpoint that records what it gets and answers as told."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.headers: list[str | None] = []
        self.statuses: list[int] = []  # answers to give, then 200
        self.delay = 0.0
        self.reply: dict[str, Any] | None = None
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/hook"
        self.arrived = asyncio.Event()

    async def handle(self, request: web.Request) -> web.Response:
        self.received.append(await request.json())
        self.headers.append(request.headers.get("X-Telegram-Bot-Api-Secret-Token"))
        self.arrived.set()
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.statuses:
            return web.Response(status=self.statuses.pop(0))
        if self.reply is not None:
            return web.json_response(self.reply)
        return web.Response(text="ok")

    async def wait(self, count: int, timeout: float = 5.0) -> None:
        deadline = time.monotonic() + timeout
        while len(self.received) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"got {len(self.received)} of {count}: {self.received}")
            self.arrived.clear()
            try:
                await asyncio.wait_for(self.arrived.wait(), 0.1)
            except TimeoutError:
                pass


@pytest.fixture
async def receivers() -> AsyncIterator[list[Receiver]]:
    made: list[Receiver] = []
    runners: list[web.AppRunner] = []
    for _ in range(2):
        receiver = Receiver()
        app = web.Application()
        app.router.add_post("/hook", receiver.handle)
        runner = web.AppRunner(app)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", receiver.port).start()
        made.append(receiver)
        runners.append(runner)
    yield made
    for runner in runners:
        await runner.cleanup()


@pytest.mark.emulator(webhook_retry_delay=0.05)
async def test_webhook_delivery_with_secret_and_redelivery(
    raw: RawClient, emulator: Emulator, receivers: list[Receiver]
) -> None:
    hook = receivers[0]
    user = emulator.create_user()
    await user.send("queued before the webhook")
    await raw.ok("setWebhook", url=hook.url, secret_token="s3cret")
    status, body = await raw.json("getUpdates")
    assert status == 409 and "webhook is active" in body["description"]
    await hook.wait(1)
    assert hook.headers == ["s3cret"]
    hook.statuses = [500, 502]
    await user.send("retry me")
    await hook.wait(4)
    texts = [u["message"]["text"] for u in hook.received]
    assert texts == ["queued before the webhook", "retry me", "retry me", "retry me"]
    assert len({u["update_id"] for u in hook.received[1:]}) == 1  # the same update
    info = await raw.ok("getWebhookInfo")
    assert info["url"] == hook.url and info["pending_update_count"] == 0
    assert "502" in info["last_error_message"]
    assert emulator.stats.webhook_failures == 2
    # deleteWebhook returns undelivered updates to getUpdates
    await raw.ok("deleteWebhook")
    await user.send("polling again")
    assert [u["message"]["text"] for u in await raw.ok("getUpdates")] == ["polling again"]


@pytest.mark.emulator(webhook_retry_delay=0.05)
async def test_webhook_one_update_at_a_time_per_chat(
    raw: RawClient, emulator: Emulator, receivers: list[Receiver]
) -> None:
    hook = receivers[0]
    hook.delay = 0.1
    await raw.ok("setWebhook", url=hook.url)
    alice, bob = emulator.create_user("A"), emulator.create_user("B")
    for i in range(3):
        await alice.send(f"a{i}")
        await bob.send(f"b{i}")
    started = time.monotonic()
    await hook.wait(6)
    elapsed = time.monotonic() - started
    a_texts = [
        u["message"]["text"] for u in hook.received if u["message"]["chat"]["id"] == alice.id
    ]
    assert a_texts == ["a0", "a1", "a2"]
    # chats run side by side, each chat in turn: the third update of a chat arrives
    # after two answers (0.2 s), not after five
    assert 0.18 < elapsed < 0.45


async def test_webhook_round_robin_and_reply_in_body(
    raw: RawClient, emulator: Emulator, receivers: list[Receiver]
) -> None:
    emulator.webhook_round_robin = [r.url for r in receivers]
    await raw.ok("setWebhook", url="http://replicas.invalid/hook")
    user = emulator.create_user()
    for i in range(4):
        await user.send(f"m{i}")
    await emulator.wait_idle(5)
    assert [len(r.received) for r in receivers] == [2, 2]
    # a method in the webhook's answer is carried out, as Telegram does
    receivers[0].reply = {"method": "sendMessage", "chat_id": user.id, "text": "from reply"}
    receivers[1].reply = receivers[0].reply
    await user.send("answer me")
    reply = await user.wait_for("from reply", timeout=3)
    assert reply.from_bot


async def test_webhook_info_and_get_updates_conflict(raw: RawClient) -> None:
    info = await raw.ok("getWebhookInfo")
    assert info == {"url": "", "has_custom_certificate": False, "pending_update_count": 0}
    assert await raw.error("setWebhook", url="ftp://x") == (
        400,
        "Bad Request: bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443",
    )


def test_update_json_is_plain(emulator: Emulator) -> None:
    # what the emulator queues must be serialisable as it is
    user = emulator.create_user()
    emulator.user_message(user.record, user.chat, emulator.text_content("x"))
    json.dumps(list(emulator._updates))
