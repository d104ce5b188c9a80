"""Who is in the community chat: join requests, members coming and going, the bot itself."""

from __future__ import annotations

from aiogram import Bot, F
from aiogram.types import ChatJoinRequest, ChatMemberAdministrator, ChatMemberUpdated, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.handlers.routing import Handlers
from bot.services.community import chat as community
from bot.services.people import TelegramUser
from storage.models import Person

from .telegram import AiogramChatAdmin

router = Handlers(__name__)


def _status(member: object) -> str:
    status = getattr(member, "status", "")
    return str(getattr(status, "value", status))


@router.chat_join_request()
async def join_request(request: ChatJoinRequest, session: AsyncSession, bot: Bot) -> None:
    user = request.from_user
    await community.handle_join_request(
        session,
        AiogramChatAdmin(bot),
        chat_id=request.chat.id,
        user=TelegramUser(
            id=user.id,
            first_name=user.first_name,
            username=user.username,
            language_code=user.language_code,
        ),
        user_chat_id=request.user_chat_id,
    )


@router.chat_member()
async def member_changed(event: ChatMemberUpdated, session: AsyncSession, bot: Bot) -> None:
    user = event.new_chat_member.user
    removal = await community.record_member_status(
        session,
        chat_id=event.chat.id,
        tg_id=user.id,
        status=_status(event.new_chat_member),
        via_request=bool(event.via_join_request),
        name=user.full_name,
        by_self=event.from_user.id == user.id,
    )
    # Someone added by hand who may not be there (MAX has no join requests): out at once;
    # if that fails, the reconcile job tries again.
    if removal is not None and await AiogramChatAdmin(bot).remove(removal.chat_id, removal.tg_id):
        await community.mark_removed(session, removal)


@router.my_chat_member()
async def bot_status_changed(
    event: ChatMemberUpdated, session: AsyncSession, bot: Bot, person: Person | None = None
) -> None:
    status = _status(event.new_chat_member)
    if status in ("left", "kicked"):
        await community.unbind_chat(session, event.chat.id, person.id if person else None)
        return
    if person is None:
        return
    new = event.new_chat_member
    rights = community.BotRights(
        status=status,
        can_invite_users=isinstance(new, ChatMemberAdministrator) and bool(new.can_invite_users),
        can_restrict_members=isinstance(new, ChatMemberAdministrator)
        and bool(new.can_restrict_members),
    )
    if status == "member":  # no rights, or (MAX) rights the update does not tell: ask
        rights = await AiogramChatAdmin(bot).bot_rights(event.chat.id)
    hint = await community.bot_added_hint(session, person, event.chat.id, rights)
    if hint is not None:
        await AiogramChatAdmin(bot).tell(person.tg_id, hint)


@router.message(F.migrate_to_chat_id)
async def migrated(message: Message, session: AsyncSession) -> None:
    assert message.migrate_to_chat_id is not None
    await community.move_chat(session, message.chat.id, message.migrate_to_chat_id)
