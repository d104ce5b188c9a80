"""The one questionnaire runner for every form: shows steps, takes buttons and typed answers.

Other features start a FormSession (`bot.services.forms.start_form`) and call `present`,
or send `open_button(...)` in a proactive message; everything else happens here.
"""

from __future__ import annotations

import contextlib
from typing import Any

from aiogram import Bot, F
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import StateFilter
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.handlers.routing import Handlers
from bot.keyboards.forms import FormCb, open_markup
from bot.services import forms
from bot.services.enrolment.consent import parent_code
from bot.services.forms import STEP_CONSENT, InvalidAnswer, StaleButton
from bot.services.people import is_child
from bot.texts import reader_locale, t
from storage import statements
from storage.models import FormSession, Participant, ParticipantStatus, Person, Programme

from .views import own_consent_view, parent_link, programme_prefix, step_markup, step_text

router = Handlers(__name__)
# The form's button and typed answer, met first by every update (bot.handlers.get_routers):
# no handler before them takes what they take.
first = Handlers(f"{__name__}.first")


def open_button(fs: FormSession, locale: str) -> dict[str, Any]:
    """reply_markup for notify()/outbox: a button that opens the form at its current step."""
    return open_markup(fs.id, fs.version, locale)


async def present(
    bot: Bot, chat_id: int, session: AsyncSession, fs: FormSession, locale: str
) -> None:
    """Send the current step of `fs` (question, summary, completion or the consent screen)."""
    await forms.touch(session, fs)
    participant = await statements.get(session, Participant, fs.participant_id)
    # The answer just given may be the age: the register follows it (docs/texts.md).
    locale = reader_locale(locale, child=is_child(participant))
    step = await forms.current_step(session, fs, locale)
    head = "" if participant is None else await programme_prefix(session, participant)
    programme = (
        await statements.get(session, Programme, participant.programme_id)
        if step.kind == STEP_CONSENT and participant is not None
        else None
    )
    if step.kind == STEP_CONSENT and participant is not None and programme is not None:
        if participant.status == ParticipantStatus.PARENT_PENDING:
            code = await parent_code(session, participant.id)
            me = await bot.me()
            link = parent_link(me.username or "", code or "", locale)
            await bot.send_message(chat_id, head + t("journey-parent-waiting", locale, link=link))
            return
        text, markup = own_consent_view(participant, programme, locale)
        if participant.status == ParticipantStatus.DECLINED_CONSENT:
            text = t("journey-declined-again", locale) + "\n\n" + text
        await bot.send_message(chat_id, head + text, reply_markup=markup)
        return
    await bot.send_message(
        chat_id, head + step_text(step, locale), reply_markup=step_markup(step, locale)
    )


async def _drop_keyboard(query: CallbackQuery) -> None:
    if isinstance(query.message, Message):
        with contextlib.suppress(TelegramBadRequest):
            await query.message.edit_reply_markup(reply_markup=None)


@first.callback_query(FormCb.filter())
async def form_button(
    query: CallbackQuery,
    callback_data: FormCb,
    session: AsyncSession,
    person: Person,
    locale: str,
    bot: Bot,
) -> None:
    chat_id = query.from_user.id
    version = None if callback_data.a == "open" else callback_data.v
    try:
        fs = await forms.load_session(session, callback_data.s, person.id, version)
    except StaleButton:
        await query.answer(t("button-stale", locale), show_alert=True)
        try:  # the person's own form at a newer step: show where they are
            fs = await forms.load_session(session, callback_data.s, person.id)
        except StaleButton:
            return
        await _drop_keyboard(query)
        await present(bot, chat_id, session, fs, locale)
        return
    action = callback_data.a
    try:
        if action == "pick":
            step = await forms.current_step(session, fs, locale)
            await forms.choose(session, fs, callback_data.i)
            if step.question is not None and step.question.type == "multi":
                new = await forms.current_step(session, fs, locale)
                if isinstance(query.message, Message):
                    with contextlib.suppress(TelegramBadRequest):
                        head = await _head(session, fs)
                        await query.message.edit_text(
                            head + step_text(new, locale), reply_markup=step_markup(new, locale)
                        )
                await query.answer()
                return
        elif action == "done":
            await forms.finish_multi(session, fs)
        elif action == "back":
            await forms.back(session, fs)
        elif action == "skip":
            await forms.skip(session, fs)
        elif action == "other":
            await query.answer()
            await bot.send_message(chat_id, t("forms-other-prompt", locale))
            return
        elif action == "edit":
            items = await forms.review_items(session, fs, locale)
            if not 0 <= callback_data.i < len(items):
                raise StaleButton(fs.id)
            await forms.edit(session, fs, items[callback_data.i].question.id)
        elif action == "confirm":
            await forms.confirm(session, fs)
        elif action != "open":
            raise StaleButton(fs.id)
    except InvalidAnswer as problem:
        await query.answer(problem.message(locale), show_alert=True)
        return
    except StaleButton:
        await query.answer(t("button-stale", locale), show_alert=True)
        return
    await query.answer()
    await _drop_keyboard(query)
    await present(bot, chat_id, session, fs, locale)


async def _head(session: AsyncSession, fs: FormSession) -> str:
    participant = await statements.get(session, Participant, fs.participant_id)
    return "" if participant is None else await programme_prefix(session, participant)


@first.message(StateFilter(None), F.text & ~F.text.startswith("/"))
async def typed_answer(
    message: Message, session: AsyncSession, person: Person, locale: str, bot: Bot
) -> None:
    """A typed message answers the form the person touched last (if any is open)."""
    fs = await forms.awaiting_input(session, person.id)
    if fs is None:
        from aiogram.dispatcher.event.bases import SkipHandler

        raise SkipHandler
    step = await forms.current_step(session, fs, locale)
    if step.kind == STEP_CONSENT:
        await present(bot, message.chat.id, session, fs, locale)
        return
    try:
        await forms.answer_text(session, fs, message.text or "")
    except InvalidAnswer as problem:
        await message.answer(problem.message(locale) + " " + t("forms-error-keep-going", locale))
        return
    except StaleButton:
        await present(bot, message.chat.id, session, fs, locale)
        return
    await present(bot, message.chat.id, session, fs, locale)
