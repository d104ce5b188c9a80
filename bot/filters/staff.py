"""Who is staff, and which `/start` codes are staff invitations."""

from __future__ import annotations

from typing import Any

from aiogram.filters import BaseFilter
from aiogram.filters.command import CommandObject
from aiogram.types import TelegramObject
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.access import is_staff
from bot.services.programme.staff import staff_invitation
from storage.models import Person


class IsStaff(BaseFilter):
    """Curators, co-curators and coordinators (from the database, on every update: read
    with the person by PersonMiddleware, or here)."""

    async def __call__(self, event: TelegramObject, **data: Any) -> bool:
        person: Person | None = data.get("person")
        session: AsyncSession | None = data.get("session")
        if person is None or session is None:
            return False
        known: bool | None = data.get("is_staff")
        if known is not None:
            return known
        return await is_staff(session, person.id)


class StaffInvitationCode(BaseFilter):
    """`/start <code>` where the code is a curator or co-curator invitation."""

    async def __call__(self, event: TelegramObject, **data: Any) -> bool | dict[str, Any]:
        command: CommandObject | None = data.get("command")
        session: AsyncSession | None = data.get("session")
        if command is None or session is None or not command.args:
            return False
        invitation = await staff_invitation(session, command.args.strip())
        return {"staff_code": invitation.code} if invitation is not None else False
