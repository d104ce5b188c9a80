"""A parent's consent for a minor: the link the child forwards, and the decision.

Opening `/start p_<code>` keeps the link's code in the parent's own dialog state; the
decision buttons carry only the link's id, which names the screen, and the decision is
taken with the code from the state. A button pressed by anyone who did not open the
link (its data copied or guessed) finds no code and changes nothing.
"""

from __future__ import annotations

import contextlib

from aiogram import Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.keyboards.forms import ParentCb, yes_no
from bot.services import consent
from bot.services.consent import ConsentRefused
from bot.texts import esc, t
from storage.models import Organisation, Participant, Person, Programme

router = Router(name=__name__)

CODE_KEY = "parent_code"
LINK_KEY = "parent_link"


class ParentFlow(StatesGroup):
    deciding = State()


async def open_link(
    message: Message,
    session: AsyncSession,
    person: Person,
    locale: str,
    state: FSMContext,
    code: str,
) -> None:
    """`/start p_<code>`: what the parent is asked, with the code kept in their state."""
    request = await consent.parent_request(session, code)
    if request is None:
        await message.answer(t("journey-parent-link-invalid", locale))
        return
    if request.participant.person_id == person.id:
        await message.answer(t("journey-parent-self", locale))
        return
    await state.set_state(ParentFlow.deciding)
    await state.set_data({CODE_KEY: code, LINK_KEY: request.link_id})
    organisation = await session.get(Organisation, request.programme.organisation_id)
    text = t(
        "journey-parent-ask",
        locale,
        name=esc(request.participant.display_name),
        programme=esc(request.programme.name),
        organisation=esc(organisation.name if organisation else ""),
    )
    consent_text = _consent_for_parent(request.participant, request.programme, locale)
    markup = yes_no(
        ParentCb(l=request.link_id, a="yes"),
        ParentCb(l=request.link_id, a="no"),
        t("journey-btn-agree", locale),
        t("journey-btn-decline", locale),
    )
    await message.answer(text + "\n\n" + consent_text, reply_markup=markup)


def _consent_for_parent(participant: Participant, programme: Programme, locale: str) -> str:
    from .views import consent_view

    text, _ = consent_view(participant, programme, locale)
    note = t("journey-consent-minor-note", locale)
    return text.replace("\n\n" + note, "")


async def _drop_keyboard(query: CallbackQuery) -> None:
    if isinstance(query.message, Message):
        with contextlib.suppress(TelegramBadRequest):
            await query.message.edit_reply_markup(reply_markup=None)


@router.callback_query(ParentCb.filter())
async def parent_decision(
    query: CallbackQuery,
    callback_data: ParentCb,
    session: AsyncSession,
    person: Person,
    locale: str,
    state: FSMContext,
) -> None:
    data = await state.get_data()
    code = data.get(CODE_KEY)
    if not isinstance(code, str):
        # Nobody opened a link in this chat: a copied or guessed button.
        await query.answer(t("journey-parent-not-yours", locale), show_alert=True)
        return
    if callback_data.a not in ("yes", "no") or data.get(LINK_KEY) != callback_data.l:
        await query.answer(t("button-stale", locale), show_alert=True)
        return
    agreed = callback_data.a == "yes"
    try:
        await consent.parent_decide(session, person, code, callback_data.l, agreed=agreed)
    except ConsentRefused:
        await query.answer(t("journey-parent-link-invalid", locale), show_alert=True)
        return
    await state.clear()
    await query.answer()
    await _drop_keyboard(query)
    if isinstance(query.message, Message):
        await query.message.answer(
            t(
                "journey-parent-thanks-agreed" if agreed else "journey-parent-thanks-declined",
                locale,
            )
        )
