"""End to end: a real aiogram bot (the echo bot) talking to the emulator over HTTP."""

from __future__ import annotations

import re
import signal
import sys
from collections.abc import Awaitable, Callable

import pytest

from emulator import Emulator, WaitTimeout
from emulator.testing import BotProcess, InProcessBot


async def conversation(emulator: Emulator) -> None:
    """The same script for polling and webhook mode."""
    ann = emulator.create_user("Ann <&>")
    await ann.start("CODE42")
    hello = await ann.next_message()
    assert hello.text == "Hello, Ann <&>! payload: CODE42"
    assert hello.entities == [{"type": "bold", "offset": 7, "length": 7}]
    assert hello.button_texts == ["Ping", "Alert", "Count 0"]

    answer = await ann.press("Ping")
    assert answer.answered and answer.text == "pong" and not answer.show_alert
    answer = await ann.press("Alert")
    assert answer.alert == "Alert!"

    await ann.press(re.compile(r"^Count \d+$"))
    edited = await ann.wait_for("Count: 1")
    assert edited is hello and edited.edit_count == 1
    assert edited.button_texts[-1] == "Count 1"
    # the old button, pressed from a stale client, is refused by the bot
    stale = await ann.press_data("count:0", message=hello)
    assert stale.alert == "This button is no longer valid"
    forged = await ann.press_data("drop table", message=hello)
    assert forged.alert == "Unknown button"
    gone = await ann.press_data("count:1", message_id=999)
    assert gone.alert == "This button is no longer valid"

    await ann.send("a < b & c")
    echo = await ann.wait_for(regex=r"^echo: a < b & c$")
    assert echo.entities[0]["type"] == "italic"

    await ann.send_document(b"0123456789", "data.bin")
    doc = await ann.wait_for(predicate=lambda m: m.document is not None)
    assert doc.document is not None and doc.document.content == b"9876543210"
    assert doc.caption == "size 10" and doc.document.filename == "reversed-data.bin"

    await ann.send_contact("+79001234567")
    assert (await ann.next_message()).text == "contact +79001234567"


async def test_echo_bot_polling(emulator: Emulator, echo_polling: InProcessBot) -> None:
    await conversation(emulator)
    assert emulator.calls("getUpdates") >= 2
    assert emulator.webhook.url is None
    assert emulator.get_commands()[0]["command"] == "start"


async def test_echo_bot_webhook(emulator: Emulator, echo_webhook: InProcessBot) -> None:
    assert emulator.webhook.url == echo_webhook.webhook_url
    assert emulator.webhook.secret_token == "s3cret"
    await conversation(emulator)
    assert emulator.stats.webhook_deliveries >= 10
    assert emulator.calls("getUpdates") == 0


async def test_webhook_with_a_wrong_secret_is_redelivered(
    emulator: Emulator, echo_webhook: InProcessBot
) -> None:
    emulator.webhook.secret_token = "wrong"
    user = emulator.create_user()
    await user.send("hello")
    await emulator.wait_until(lambda: emulator.stats.webhook_failures >= 2, 3)
    assert "401" in (emulator.webhook.last_error_message or "")
    emulator.webhook.secret_token = "s3cret"
    assert (await user.next_message(timeout=5)).text == "echo: hello"


async def test_join_request_through_the_bot(emulator: Emulator, echo_polling: InProcessBot) -> None:
    owner = emulator.create_user("Owner")
    group = emulator.create_group("Club", owner=owner)
    link = await echo_polling.app.bot.create_chat_invite_link(group.id, creates_join_request=True)
    good, bad = emulator.create_user("Good"), emulator.create_user("Bad guy")
    assert await good.join(link.invite_link) == "requested"
    await bad.join(link.invite_link)
    await emulator.wait_until(lambda: not group.join_requests, 5)
    assert group.is_member(good) and not group.is_member(bad)


async def test_wait_for_failure_shows_the_transcript(
    emulator: Emulator, echo_polling: InProcessBot
) -> None:
    user = emulator.create_user("Zoe")
    await user.send("/bad_html")
    with pytest.raises(WaitTimeout) as info:
        await user.wait_for("never sent", timeout=0.5)
    text = str(info.value)
    assert "Zoe(" in text and "/bad_html" in text
    assert "can't parse entities" in text  # the bot's failed call is in the transcript
    assert "error: Bad Request: can't parse entities" in text


async def test_rate_limited_bot_sees_retry_after(
    emulator: Emulator, echo_polling: InProcessBot
) -> None:
    emulator.set_rate_limits(enabled=True, private_burst=1, private_per_s=1)
    user = emulator.create_user()
    await user.send("one")
    await user.send("two")
    await user.wait_for("echo: one")
    await emulator.wait_until(lambda: emulator.stats.rate_limited >= 1, 3)
    assert "429 Too Many Requests: retry after 1" in user.transcript()


async def test_echo_bot_as_a_process(
    emulator: Emulator, bot_process_factory: Callable[..., Awaitable[BotProcess]]
) -> None:
    cmd = [
        sys.executable,
        "-m",
        "emulator.echo_bot",
        "--api",
        emulator.url,
        "--token",
        emulator.token,
    ]
    process = await bot_process_factory(cmd)
    user = emulator.create_user()
    await user.send("before")
    assert (await user.next_message(timeout=10)).text == "echo: before"
    await process.kill(signal.SIGKILL)
    assert not process.running
    await user.send("while down")
    await process.restart()
    # the update sent while the bot was down is delivered after the restart
    assert (await user.next_message(timeout=10)).text == "echo: while down"
    assert process.starts == 2
    assert await process.terminate() is not None
