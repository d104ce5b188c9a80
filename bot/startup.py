"""Before serving: a Bot API address that can work, and a Bot API that answers.

A server often starts before its network (a reboot, a container ahead of its proxy):
an unreachable Bot API is waited for with a growing pause, not a reason to exit. An
address that can never work, or a token Telegram refuses, stops the start with a clear
message instead; none of these messages carries the token.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from aiogram import Bot
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.utils.backoff import Backoff, BackoffConfig
from yarl import URL

from bot.logs import redact

log = logging.getLogger(__name__)

# From one second up to a minute between tries: quick after a blip, quiet in an outage.
API_BACKOFF = BackoffConfig(min_delay=1.0, max_delay=60.0, factor=1.6, jitter=0.1)

BAD_TOKEN = (
    "Telegram не принял BOT_TOKEN: проверьте токен у @BotFather (команда /token) и впишите "
    "его в .env заново; если указан свой TELEGRAM_API_URL, проверьте и этот адрес."
)


class TokenRefused(Exception):
    """Telegram answered 401 (or 404: no such bot there) to getMe: waiting will not help."""


def api_url_problem(url: str) -> str | None:
    """Why TELEGRAM_API_URL cannot work (a message in Russian), or None."""
    problem = None
    try:
        parsed = URL(url.strip())
        if parsed.scheme not in ("http", "https") or not parsed.host or " " in parsed.host:
            problem = "нужен адрес вида https://хост или http://хост:порт, без пробелов"
        else:
            parsed.port  # noqa: B018  (raises for a port out of range)
    except (ValueError, UnicodeError):
        problem = "адрес не разбирается"
    if problem is None:
        return None
    return (
        f"TELEGRAM_API_URL задан неверно ({redact(url)}): {problem}. Для Telegram оставьте "
        "https://api.telegram.org (или уберите строку из .env), для своего сервера Bot API "
        "или эмулятора укажите его адрес, например http://127.0.0.1:8081"
    )


async def wait_for_api(bot: Bot, stop: asyncio.Event) -> bool:
    """Ask the Bot API who the bot is until it answers; False if stopped first.

    Raises `TokenRefused` when Telegram refuses the token.
    """
    backoff = Backoff(API_BACKOFF)
    while not stop.is_set():
        try:
            await bot.get_me()
            return True
        except (TelegramUnauthorizedError, TelegramNotFound) as exc:
            raise TokenRefused from exc
        except (
            TelegramNetworkError,
            TelegramServerError,
            TelegramRetryAfter,
            ClientDecodeError,  # something answers there, but not the Bot API (yet)
        ) as exc:
            delay = next(backoff)
            log.warning("API unreachable (%s), retry in %.0f s", type(exc).__name__, delay)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), delay)
    return False
