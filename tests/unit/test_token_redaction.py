"""The bot's token appears in no error and no log line.

Every Bot API address carries the token (`https://api.telegram.org/bot<token>/getMe`), and
aiohttp's error for a malformed address quotes the address: aiogram printed
`…/bot123456:SECRET…/deleteWebhook` on stderr.
"""

from __future__ import annotations

import io
import logging
import traceback
from collections.abc import Iterator

import pytest
from aiogram.exceptions import TelegramNetworkError

from bot.app.factory import create_bot
from bot.config import Settings
from bot.logs import redact, setup_logging

TOKEN = "123456:SECRETtokenNOBODYmaySEE"
# The shape @BotFather gives (the token from the Bot API manual's examples).
REAL_SHAPED = "110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


@pytest.fixture
def log_stream() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    setup_logging("INFO", secrets=[TOKEN])
    root.handlers[0].setStream(stream)  # type: ignore[attr-defined]
    try:
        yield stream
    finally:
        root.handlers[:], level = saved
        root.setLevel(level)


async def test_the_error_of_a_malformed_api_address_does_not_carry_the_token() -> None:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        bot_token=TOKEN,
        telegram_api_url="http//127.0.0.1:1",  # the address from the report
    )
    bot = create_bot(settings)
    try:
        with pytest.raises(TelegramNetworkError) as caught:
            await bot.delete_webhook()
    finally:
        await bot.session.close()
    printed = "".join(traceback.format_exception(caught.value))  # what Python would print
    assert "deleteWebhook" in printed  # the message still says what failed
    assert "SECRET" not in printed and "123456:" not in printed, printed


def test_log_lines_are_masked_whoever_writes_them(log_stream: io.StringIO) -> None:
    logging.getLogger("aiogram.event").warning(
        "HTTP Client says - InvalidUrlClientError: http//127.0.0.1:1/bot%s/deleteWebhook", TOKEN
    )
    logging.getLogger("bot").error("token %s, another bot's %s", TOKEN, REAL_SHAPED)
    logging.getLogger("aiohttp.client").warning("GET https://api.telegram.org/bot999:abc/getMe")
    text = log_stream.getvalue()
    assert text.count("\n") == 3
    for secret in ("SECRET", "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw", "bot999:abc"):
        assert secret not in text, text
    assert "deleteWebhook" in text and "/getMe" in text


def test_redaction_keeps_what_is_not_a_token() -> None:
    for harmless in (
        "update 500000001 failed: TelegramNetworkError",
        "2026-12-02 06:49:22,004 WARNING retry in 3 s",
        "http://127.0.0.1:8081/healthz",
        "postgresql+asyncpg://postgres@127.0.0.1:5432/test",
    ):
        assert redact(harmless) == harmless
