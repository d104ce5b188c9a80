"""`/preferences`: open the preference round, watch the answers, close it."""

from __future__ import annotations

from aiogram import F
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.handlers.curator.base import open_screen, pressed_programme, show
from bot.handlers.routing import Handlers
from bot.keyboards.curator import PairCb, PrefCb, button, markup
from bot.services.access import button_programme
from bot.services.matching import preference_round as svc
from bot.texts import esc, t
from storage.models import Person, Programme

router = Handlers(__name__)


async def round_view(
    session: AsyncSession, person: Person, programme: Programme, locale: str
) -> tuple[str, InlineKeyboardMarkup]:
    data = await svc.progress(session, person, programme.id)
    current = data.round
    if current is None:
        state = t("prefs-state-none", locale)
    elif current.closed_at is None:
        state = t("prefs-state-open", locale)
    else:
        state = t("prefs-state-closed", locale)
    text = t(
        "prefs-title",
        locale,
        programme=esc(programme.name),
        state=state,
        mentees_done=data.mentees_done,
        mentees_total=data.mentees_total,
        mentors_done=data.mentors_done,
        mentors_total=data.mentors_total,
    )
    rows = []
    if current is not None and current.closed_at is None:
        rows.append([button(t("prefs-btn-refresh", locale), PrefCb(action="show"))])
        rows.append([button(t("prefs-btn-close", locale), PrefCb(action="close", id=programme.id))])
    else:
        rows.append(
            [button(t("prefs-btn-open", locale), PrefCb(action="openask", id=programme.id))]
        )
        if current is not None:
            rows.append([button(t("prefs-btn-pairs", locale), PairCb(action="show"))])
    return text, markup(rows)


@router.message(Command("preferences"))
async def preferences_command(
    message: Message, session: AsyncSession, person: Person, locale: str, state: FSMContext
) -> None:
    await open_screen(message, session, person, locale, state, round_view)


@router.callback_query(PrefCb.filter(F.action.in_({"show", "open", "close"})))
async def preferences_action(
    query: CallbackQuery, callback_data: PrefCb, session: AsyncSession, person: Person, locale: str
) -> None:
    shown_for = None if callback_data.action == "show" else callback_data.id
    programme = await pressed_programme(query, session, person, locale, shown_for)
    if programme is None:
        return
    note = ""
    if callback_data.action == "open":
        _round, sent = await svc.open_round(session, person, programme.id)
        note = t("prefs-opened", locale, count=sent) + "\n\n"
    elif callback_data.action == "close":
        await svc.close_round(session, person, programme.id)
        note = t("prefs-closed", locale) + "\n\n"
    text, kb = await round_view(session, person, programme, locale)
    await show(query, note + text, kb)


NAMES_SHOWN = 40  # the confirmation names this many, then «и ещё N»


@router.callback_query(PrefCb.filter(F.action == "openask"))
async def open_ask(
    query: CallbackQuery, callback_data: PrefCb, session: AsyncSession, person: Person, locale: str
) -> None:
    """Opening the round writes to everyone who came: who and how many first."""
    programme = await button_programme(session, person, callback_data.id)
    people = await svc.audience(session, programme.id)
    names = ", ".join(esc(p.display_name or "—") for p in people[:NAMES_SHOWN])
    text = t("prefs-open-ask", locale, count=len(people), names=names)
    if len(people) > NAMES_SHOWN:
        text += " " + t("registry-and-more", locale, count=len(people) - NAMES_SHOWN)
    rows = [
        [
            button(
                t("prefs-btn-open-yes", locale, count=len(people)),
                PrefCb(action="open", id=programme.id),
            )
        ],
        [button(t("button-cancel", locale), PrefCb(action="show"))],
    ]
    await show(query, text, markup(rows))
