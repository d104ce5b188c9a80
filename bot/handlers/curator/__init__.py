"""The curator console: commands and buttons for curators, co-curators and coordinators.

`router` has two parts: `join` (a `/start` with a staff invitation code, open to anyone)
and the console itself behind the `IsStaff` filter: for anyone else curator commands
fall through to the common fallback («unknown command») and buttons to «stale button».
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, F
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, Message, TelegramObject, Update
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from bot.filters.staff import IsStaff
from bot.handlers.community import group_meeting as meeting
from bot.handlers.enrolment import invite, registry
from bot.handlers.matching import picker, preferences
from bot.handlers.matching import review as pairs
from bot.handlers.programme import broadcast, checklist
from bot.handlers.programme import programmes as programme
from bot.handlers.programme import staff as join
from bot.handlers.reporting import documents
from bot.handlers.routing import Handlers
from bot.services.access import AccessDenied, OtherProgramme
from bot.services.enrolment.registry import NotAllowedNow, NotInProgramme
from bot.services.programme.programmes import InvalidValue
from bot.texts import t
from storage.models import ProcessedUpdate, ReceivedUpdate

from . import dashboard, digest


class RefusalMiddleware(BaseMiddleware):
    """Turns a refused action into a kind answer and undoes anything it began."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        locale = data.get("locale", "ru")
        try:
            return await handler(event, data)
        except AccessDenied:
            key = "curator-denied"
        except NotInProgramme:
            key = "button-stale"
        except (NotAllowedNow, InvalidValue, OtherProgramme) as exc:
            key = exc.key
        session: AsyncSession | None = data.get("session")
        update: Update | None = data.get("event_update")
        if session is not None:
            await session.rollback()
            if update is not None:
                session.add(ProcessedUpdate(update_id=update.update_id))
                if data.get("inbox_receipt") is not None:
                    # the rollback brought back the raw update long polling kept
                    await session.execute(
                        delete(ReceivedUpdate).where(ReceivedUpdate.update_id == update.update_id)
                    )
        text = t(key, locale)
        if isinstance(event, CallbackQuery):
            with contextlib.suppress(TelegramBadRequest):
                await event.answer(text, show_alert=True)
        elif isinstance(event, Message):
            await event.answer(text)
        return None


def _guarded(router: Handlers) -> Handlers:
    router.message.middleware(RefusalMiddleware())
    router.callback_query.middleware(RefusalMiddleware())
    return router


def build_router() -> Handlers:
    root = Handlers(__name__)
    root.message.filter(F.chat.type == "private")
    root.include_router(join.router)
    root.include_router(_guarded(picker.router))  # participants' preference picker
    console = Handlers(f"{__name__}.console")
    console.message.filter(IsStaff())
    console.callback_query.filter(IsStaff())
    for module in (
        programme,
        invite,
        registry,
        meeting,
        preferences,
        pairs,
        checklist,
        broadcast,
        dashboard,
        digest,
        documents,
    ):
        console.include_router(_guarded(module.router))
    root.include_router(console)
    return root


router = build_router()
