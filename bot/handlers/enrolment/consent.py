"""The consent buttons of the participant's own decision (a parent's: `parent`)."""

from __future__ import annotations

import contextlib

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.handlers.routing import Handlers
from bot.keyboards.forms import ConsentCb
from bot.services.enrolment import consent
from bot.services.enrolment.consent import ConsentRefused
from bot.services.people import is_child
from bot.texts import reader_locale, t
from storage.models import Person

from .start import continue_journey
from .views import consent_text, parent_link, retention_terms

router = Handlers(__name__)


async def _drop_keyboard(query: CallbackQuery) -> None:
    if isinstance(query.message, Message):
        with contextlib.suppress(TelegramBadRequest):
            await query.message.edit_reply_markup(reply_markup=None)


@router.callback_query(ConsentCb.filter())
async def own_decision(
    query: CallbackQuery,
    callback_data: ConsentCb,
    session: AsyncSession,
    person: Person,
    locale: str,
    bot: Bot,
) -> None:
    chat_id = query.from_user.id
    try:
        if callback_data.a in ("adult", "minor", "yes"):
            # «yes» is the button of a consent screen shown before the age moved after
            # consent: the age given then decides.
            minor = None if callback_data.a == "yes" else callback_data.a == "minor"
            result = await consent.agree(session, person.id, callback_data.p, minor=minor)
        elif callback_data.a == "full":
            # The legal text on request; the decision is still taken on the first screen.
            programme = await consent.own_programme(session, person.id, callback_data.p)
            await query.answer()
            await bot.send_message(chat_id, consent_text(programme, locale))
            return
        elif callback_data.a == "no":
            await consent.decline(session, person.id, callback_data.p)
            await query.answer()
            await _drop_keyboard(query)
            await bot.send_message(
                chat_id, t("journey-consent-declined", locale, **retention_terms(locale))
            )
            return
        else:
            raise ConsentRefused(callback_data.p)
    except ConsentRefused:
        await query.answer(t("button-stale", locale), show_alert=True)
        return
    await query.answer()
    await _drop_keyboard(query)
    # From the decision on, a child is addressed as a child (docs/texts.md).
    locale = reader_locale(locale, child=is_child(result.participant))
    if result.parent_code is not None:
        me = await bot.me()
        link = parent_link(me.username or "", result.parent_code, locale)
        await bot.send_message(chat_id, t("journey-parent-needed", locale, link=link))
        return
    await bot.send_message(chat_id, t("journey-consent-agreed", locale))
    await continue_journey(bot, chat_id, session, result.participant, locale)
