"""The command menus: participants' commands for everyone, curators' only in their chats."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import (
    BotCommand,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    MenuButtonWebApp,
    WebAppInfo,
)

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
    "digest",
    "materials",
    "checklist",
    "feedback_round",
    "report",
    "export",
    "dashboard",
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


def mini_app_url(dashboard_base_url: str | None, webhook_base_url: str | None) -> str | None:
    """The dashboard's Mini App address, if it has one: Telegram opens Mini Apps over
    https only (a school's LAN address gets the one-time link of /dashboard instead)."""
    base = dashboard_base_url or webhook_base_url
    if not base or not base.startswith("https://"):
        return None
    return base.rstrip("/") + "/dashboard/app"


async def set_staff_menu(bot: Bot, tg_id: int, url: str, locale: str = "ru") -> None:
    """The menu button of a curator's or coordinator's chat opens the dashboard."""
    button = MenuButtonWebApp(text=t("dashboard-menu-button", locale), web_app=WebAppInfo(url=url))
    try:
        await bot.set_chat_menu_button(chat_id=tg_id, menu_button=button)
    except TelegramAPIError as exc:  # the person has not opened the bot yet
        log.info("staff menu button not set for a chat: %s", exc.message)
