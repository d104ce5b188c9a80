"""The command menus: participants' commands for everyone, curators' only in their chats."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import BotCommand, BotCommandScopeAllPrivateChats, BotCommandScopeChat

from bot.texts import SUPPORTED_LOCALES, t

log = logging.getLogger(__name__)

PARTICIPANT_COMMANDS = (
    "start",
    "profile",
    "meetings",
    "settings",
    "help",
    "forget_me",
    "children",
)
CURATOR_COMMANDS = (
    "program",
    "invite",
    "mentors",
    "mentees",
    "meeting",
    "preferences",
    "pairs",
    "alerts",
    "materials",
    "checklist",
    "feedback_round",
    "report",
    "export",
    "documents",
    "broadcast",
    "group",
    "finish",
)


def _commands(names: tuple[str, ...], locale: str) -> list[BotCommand]:
    return [
        BotCommand(command=name, description=t(f"cmd-{name.replace('_', '-')}", locale))
        for name in names
    ]


async def set_default_commands(bot: Bot) -> None:
    scope = BotCommandScopeAllPrivateChats()
    await bot.set_my_commands(_commands(PARTICIPANT_COMMANDS, "ru"), scope=scope)
    for locale in SUPPORTED_LOCALES:
        await bot.set_my_commands(
            _commands(PARTICIPANT_COMMANDS, locale), scope=scope, language_code=locale
        )


async def set_staff_commands(bot: Bot, tg_id: int, locale: str = "ru") -> None:
    """Curators and coordinators see their commands in their own chat only."""
    commands = _commands(PARTICIPANT_COMMANDS + CURATOR_COMMANDS, locale)
    try:
        await bot.set_my_commands(commands, scope=BotCommandScopeChat(chat_id=tg_id))
    except TelegramAPIError as exc:  # the person has not opened the bot yet
        log.info("staff commands not set for a chat: %s", exc.message)
