"""`/broadcast`: an announcement to everyone, mentors or mentees, with a preview first."""

from __future__ import annotations

from aiogram import F
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.handlers.curator.base import forget, programme_or_hint, recall, remember, show
from bot.handlers.routing import Handlers
from bot.keyboards.curator import CastCb, button, markup
from bot.services.access import button_programme
from bot.services.enrolment.registry import NotAllowedNow
from bot.services.programme import broadcast as svc
from bot.texts import t
from storage.models import Person

router = Handlers(__name__)


class BroadcastForm(StatesGroup):
    text = State()
    confirm = State()


def _audiences(locale: str, programme_id: int) -> list[list]:  # type: ignore[type-arg]
    return [
        [
            button(
                t(f"broadcast-audience-{a}", locale),
                CastCb(action="aud", value=a, p=programme_id),
            )
        ]
        for a in svc.AUDIENCES
    ] + [[button(t("button-cancel", locale), CastCb(action="cancel"))]]


@router.message(Command("broadcast"))
async def broadcast_command(
    message: Message, session: AsyncSession, person: Person, locale: str, state: FSMContext
) -> None:
    await forget(state, session)
    programme = await programme_or_hint(message, session, person, locale)
    if programme is None:
        return
    await message.answer(
        t("broadcast-ask-audience", locale), reply_markup=markup(_audiences(locale, programme.id))
    )


@router.callback_query(CastCb.filter(F.action == "aud"))
async def broadcast_audience(
    query: CallbackQuery,
    callback_data: CastCb,
    session: AsyncSession,
    person: Person,
    locale: str,
    state: FSMContext,
) -> None:
    programme = await button_programme(session, person, callback_data.p)
    preview = await svc.preview(session, person, programme.id, callback_data.value)
    await remember(
        state,
        session,
        BroadcastForm.text,
        {"audience": preview.audience, "programme_id": programme.id},
    )
    await show(
        query,
        t(
            "broadcast-ask-text",
            locale,
            audience=t(f"broadcast-audience-{preview.audience}", locale),
            count=preview.people,
        ),
        markup([[button(t("button-cancel", locale), CastCb(action="cancel"))]]),
    )


@router.message(BroadcastForm.text, F.text & ~F.text.startswith("/"))
async def broadcast_text(
    message: Message, session: AsyncSession, person: Person, locale: str, state: FSMContext
) -> None:
    data = await recall(state, session)
    try:
        text = svc.check_text(message.text or "")
    except NotAllowedNow as exc:
        await message.answer(t(exc.key, locale))
        return
    preview = await svc.preview(session, person, int(data["programme_id"]), data["audience"])
    draft = svc.new_draft()
    await remember(state, session, BroadcastForm.confirm, {**data, "text": text, "draft": draft})
    body = t(
        "broadcast-preview",
        locale,
        audience=t(f"broadcast-audience-{preview.audience}", locale),
        count=preview.people,
        chat=t("broadcast-and-chat", locale) if preview.to_chat else "",
    )
    await message.answer(
        body + "\n\n" + svc.render(preview.programme, text, locale),
        reply_markup=markup(
            [
                [button(t("broadcast-btn-send", locale), CastCb(action="send", value=draft))],
                [button(t("button-cancel", locale), CastCb(action="cancel"))],
            ]
        ),
    )


@router.callback_query(CastCb.filter(F.action == "send"))
async def broadcast_send(
    query: CallbackQuery,
    callback_data: CastCb,
    session: AsyncSession,
    person: Person,
    locale: str,
    state: FSMContext,
) -> None:
    data = await recall(state, session)
    draft = callback_data.value
    pending = await state.get_state() == BroadcastForm.confirm.state
    if not pending or data.get("draft") != draft:
        # Pressed again after it went out, or a preview that was replaced or cancelled.
        if draft and await svc.already_sent(session, draft):
            raise NotAllowedNow("broadcast-already")
        await broadcast_cancel(query, session, locale, state)
        return
    count = await svc.send(
        session, person, int(data["programme_id"]), data["audience"], data["text"], draft=draft
    )
    await forget(state, session)
    await show(query, t("broadcast-sent", locale, count=count))


@router.callback_query(CastCb.filter(F.action == "cancel"))
async def broadcast_cancel(
    query: CallbackQuery, session: AsyncSession, locale: str, state: FSMContext
) -> None:
    await forget(state, session)
    await show(query, t("broadcast-cancelled", locale))
