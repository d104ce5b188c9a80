"""`/start <code>` (invitation), `/start p_<code>` (a parent's consent link), and a plain
`/start` that continues an unfinished journey (otherwise the common greeting answers)."""

from __future__ import annotations

from aiogram import Bot
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.filters import CommandObject, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.handlers.routing import Handlers
from bot.services import forms
from bot.services.enrolment import joining as enrolment
from bot.services.enrolment.consent import PARENT_PREFIX
from bot.texts import esc, t
from storage.models import Participant, Person

from . import parent
from .questionnaire import present
from .views import about_text

router = Handlers(__name__)

PROBLEM_TEXTS = {
    "unknown": "journey-invite-unknown",
    "revoked": "journey-invite-revoked",
    "expired": "journey-invite-expired",
    "used_up": "journey-invite-used-up",
}


async def continue_journey(
    bot: Bot,
    chat_id: int,
    session: AsyncSession,
    participant: Participant,
    locale: str,
) -> None:
    """Show the participant's next step in their profile questionnaire."""
    if participant.profile_complete:
        await bot.send_message(chat_id, t("journey-profile-done", locale))
        return
    fs = await forms.start_form(session, participant.id, enrolment.PROFILE_FORMS[participant.role])
    await present(bot, chat_id, session, fs, locale)


@router.message(CommandStart(deep_link=True))
async def start_with_code(
    message: Message,
    command: CommandObject,
    session: AsyncSession,
    person: Person,
    locale: str,
    bot: Bot,
    state: FSMContext,
) -> None:
    payload = (command.args or "").strip()
    if payload.startswith(PARENT_PREFIX):
        await parent.open_link(
            message, session, person, locale, state, payload[len(PARENT_PREFIX) :]
        )
        return
    result = await enrolment.enrol(session, person, payload)
    chat_id = message.chat.id
    if result.outcome == enrolment.PROBLEM:
        await message.answer(t(PROBLEM_TEXTS[str(result.problem or "unknown")], locale))
    elif result.outcome == enrolment.STAFF:
        await message.answer(result.staff_text or t("journey-invite-staff", locale))
    elif result.outcome == enrolment.CLOSED:
        assert result.programme is not None
        await message.answer(
            t("journey-invite-closed", locale, programme=esc(result.programme.name))
        )
    elif result.outcome == enrolment.OTHER_ROLE:
        assert result.programme is not None and result.participant is not None
        await message.answer(
            t(
                "journey-invite-other-role",
                locale,
                programme=esc(result.programme.name),
                role=t(f"journey-role-{result.participant.role}", locale),
                new_role=t(f"journey-role-{result.role}", locale),
            )
        )
    else:
        assert result.participant is not None and result.programme is not None
        if result.outcome == enrolment.ENROLLED:
            await message.answer(
                await about_text(session, result.programme, result.participant.role, locale)
            )
        else:
            await message.answer(t("journey-welcome-back", locale))
        await continue_journey(bot, chat_id, session, result.participant, locale)


@router.message(CommandStart())
async def start_plain(
    message: Message, session: AsyncSession, person: Person, locale: str, bot: Bot
) -> None:
    pending = await enrolment.needs_attention(session, person.id)
    if pending is None:
        raise SkipHandler  # the common greeting (or the staff greeting) answers
    await message.answer(t("journey-welcome-back", locale))
    await continue_journey(bot, message.chat.id, session, pending[0], locale)
