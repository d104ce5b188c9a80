"""`ChatAdmin` with aiogram: what the community service asks the messenger to do in a group
(Telegram's calls; in MAX the same calls go through the MAX session, and adding members,
which only MAX lets a bot do, is `AddChatMembers`)."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from aiogram.types import ChatMemberAdministrator

from bot.max.methods import AddChatMembers
from bot.middlewares.replies import sent_now
from bot.services.community.chat import BotRights

log = logging.getLogger(__name__)


class AiogramChatAdmin:
    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def bot_rights(self, chat_id: int) -> BotRights:
        me = await self.bot.me()
        member = await self.bot.get_chat_member(chat_id, me.id)
        if isinstance(member, ChatMemberAdministrator):
            return BotRights(
                status=member.status,
                can_invite_users=bool(member.can_invite_users),
                can_restrict_members=bool(member.can_restrict_members),
            )
        return BotRights(status=str(member.status))

    async def create_join_link(self, chat_id: int, name: str) -> str:
        link = await self.bot.create_chat_invite_link(
            chat_id, name=name[:32], creates_join_request=True
        )
        return link.invite_link

    async def revoke_link(self, chat_id: int, link: str) -> None:
        await self.bot.revoke_chat_invite_link(chat_id, link)

    async def approve(self, chat_id: int, user_id: int) -> bool:
        try:
            return await self.bot.approve_chat_join_request(chat_id, user_id)
        except TelegramBadRequest as exc:
            if "USER_ALREADY_PARTICIPANT" in exc.message:
                return True
            log.warning("join request in chat %s not approved: %s", chat_id, exc.message)
            return False

    async def decline(self, chat_id: int, user_id: int) -> bool:
        try:
            return await self.bot.decline_chat_join_request(chat_id, user_id)
        except TelegramBadRequest as exc:
            log.warning("join request in chat %s not declined: %s", chat_id, exc.message)
            return False

    async def remove(self, chat_id: int, user_id: int) -> bool:
        """Ban and unban at once: out of the chat, but free to come back if re-approved."""
        try:
            await self.bot.ban_chat_member(chat_id, user_id)
            await self.bot.unban_chat_member(chat_id, user_id, only_if_banned=True)
        except TelegramBadRequest as exc:
            if "user is an administrator" in exc.message:
                return True  # never ours to remove
            log.warning("member of chat %s not removed: %s", chat_id, exc.message)
            return False
        return True

    async def chat_title(self, chat_id: int) -> str | None:
        """The group's title when its messages do not carry it (MAX)."""
        try:
            return (await self.bot.get_chat(chat_id)).title
        except TelegramAPIError as exc:
            log.info("title of chat %s not read: %s", chat_id, type(exc).__name__)
            return None

    async def add(self, chat_id: int, user_ids: list[int]) -> list[int] | None:
        """The bot adds people to a MAX group; returns those added (MAX refused the
        others), or None if the call failed."""
        try:
            failed = await self.bot(AddChatMembers(chat_id=chat_id, user_ids=user_ids))
        except TelegramAPIError as exc:
            log.warning("members not added to chat %s: %s", chat_id, type(exc).__name__)
            return None
        return [uid for uid in user_ids if uid not in set(failed)]

    async def tell(self, chat_id: int, text: str) -> bool:
        """A direct private word (an answer to the person's own action)."""
        try:
            with sent_now():  # whether it arrived is the answer
                await self.bot.send_message(chat_id, text)
        except TelegramAPIError as exc:
            log.info("could not write to chat %s: %s", chat_id, type(exc).__name__)
            return False
        return True
