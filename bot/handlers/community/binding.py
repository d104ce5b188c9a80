"""/group: a curator binds the group to their programme."""

from __future__ import annotations

from aiogram import Bot
from aiogram.filters import Command
from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.handlers.routing import Handlers
from bot.infra.notify import person_locale
from bot.infra.outbox import enqueue
from bot.services.community import chat as community
from bot.texts import esc, t
from storage.models import Person

from .telegram import AiogramChatAdmin

router = Handlers(__name__)


def _answer_text(result: community.BindResult, title: str, locale: str) -> str | None:
    programme = esc(result.programme_name)
    if result.outcome == "bound":
        key = "community-bound-added" if result.added else "community-bound"
        return t(key, locale, programme=programme, title=title, invites=result.invites)
    if result.outcome == "missing_rights":
        rights = community.rights_text(result.missing, locale)
        return t("community-missing-rights", locale, rights=rights, title=title)
    if result.outcome == "taken":
        return t("community-taken", locale, title=title)
    return None  # not a curator: the command does not exist for them


@router.message(Command("group"))
async def bind_group(
    message: Message, session: AsyncSession, bot: Bot, person: Person | None = None
) -> None:
    if person is None:  # an anonymous admin or a channel: we cannot tell who it is
        return
    admin = AiogramChatAdmin(bot)
    title = message.chat.title or await admin.chat_title(message.chat.id)
    result = await community.bind_group(
        session, admin, person=person, chat_id=message.chat.id, title=title
    )
    text = _answer_text(result, esc(title or ""), person_locale(person))
    if text is None:
        return
    # The answer goes to the curator privately; the group sees nothing unless that fails.
    if not await admin.tell(person.tg_id, text):
        await enqueue(
            session,
            key=f"group-reply:{message.chat.id}:{message.message_id}",
            chat_id=message.chat.id,
            text=text,
            kind="group",
        )
