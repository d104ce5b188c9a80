"""Logging: plain lines or JSON lines. Log records never carry names, answers or phones.

Our own log calls pass ids and type names only. Two things could still leak what a user
wrote, and both are cut here: exception messages (an error about a value quotes the value),
so tracebacks keep their frames and exception types but not their messages; and the debug
logs of database drivers (they print query parameters), which stay at WARNING.

The bot's token is part of every Bot API address (`…/bot123456:ABC…/sendMessage`), and
an HTTP error quotes the address: every line is passed through `redact`, which masks the
configured token and anything shaped like one.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import traceback
from collections.abc import Iterable
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

# Loggers that print query parameters or request bodies at DEBUG/INFO.
QUIET_LOGGERS = ("aiosqlite", "asyncpg", "sqlalchemy.engine", "sqlalchemy.pool", "aiohttp.access")

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]

# A token in a Bot API address (any length: a test token is short), and a bare one in the
# shape @BotFather gives (the bot's id, a colon, 35 characters).
TOKEN_IN_URL = re.compile(r"bot\d+:[^/\s'\"]+")
BARE_TOKEN = re.compile(r"\b\d{5,}:[A-Za-z0-9_-]{30,}")
MASK = "***"
_secrets: set[str] = set()


def add_secrets(values: Iterable[str | None]) -> None:
    """Mask these strings (the configured token, the webhook secret) wherever they appear."""
    _secrets.update(value for value in values if value and len(value) >= 6)


def redact(text: str) -> str:
    """The text with tokens and the configured secrets masked."""
    for secret in _secrets:
        if secret in text:
            text = text.replace(secret, MASK)
    text = TOKEN_IN_URL.sub("bot" + MASK, text)
    return BARE_TOKEN.sub(MASK, text)


def safe_traceback(exc_info: ExcInfo | tuple[None, None, None]) -> str:
    """A traceback with frames and exception types, without exception messages."""
    _etype, exc, _tb = exc_info
    if exc is None:
        return ""
    chain: list[BaseException] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append(current)
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )
    parts: list[str] = []
    for item in reversed(chain):
        frames = "".join(traceback.format_tb(item.__traceback__))
        parts.append(f"Traceback (most recent call last):\n{frames}{type(item).__qualname__}")
    return "\n\nwhich led to:\n\n".join(parts)


class SafeFormatter(logging.Formatter):
    """Plain lines; tracebacks without exception messages."""

    def formatException(self, ei: Any) -> str:
        return safe_traceback(ei)


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message (+ exception type, traceback)."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and record.exc_info[0] is not None:
            entry["exception"] = record.exc_info[0].__name__
            entry["traceback"] = safe_traceback(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class DropHandedBack(logging.Filter):
    """aiogram logs every exception out of a webhook update with its message; ours is a
    `RedeliverUpdate` already logged by the error handler (see bot/handlers/errors.py)."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return type(exc).__name__ != "RedeliverUpdate"


class RedactSecrets(logging.Filter):
    """Masks tokens and secrets in every line, whoever logs it (aiogram, aiohttp, us)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        return True


def setup_logging(
    level: str = "INFO", json_lines: bool = False, secrets: Iterable[str | None] = ()
) -> None:
    add_secrets(secrets)
    handler = logging.StreamHandler(sys.stderr)
    if json_lines:
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(SafeFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(DropHandedBack())
    handler.addFilter(RedactSecrets())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # aiogram's event log names each update; the update itself is never logged.
    logging.getLogger("aiogram.event").setLevel(logging.WARNING)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
