"""Curators: /alerts (the open alerts and cases, and how alerts reach them)."""

from __future__ import annotations

from aiogram import F
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.handlers.curator.console import (
    denied,
    edit_or_send,
    managed_programme,
    programme_of_button,
    programme_of_command,
)
from bot.handlers.pairwork.callbacks import PairAction, btn, kb
from bot.handlers.routing import Handlers
from bot.services.access import AccessDenied
from bot.services.feedback import alerts
from bot.services.pairwork import cases
from bot.texts import esc, t
from storage.models import Person, Programme

router = Handlers(__name__)

CLOSED_SHOWN = 3


async def alerts_screen(
    session: AsyncSession, person: Person, programme: Programme, locale: str
) -> tuple[str, InlineKeyboardMarkup]:
    found = await alerts.open_alerts(session, person, programme.id)
    mode_now = t(
        f"pairs-mode-{person.alert_mode if person.alert_mode == 'digest' else 'instant'}", locale
    )
    lines = [t("pairs-alerts-title", locale, programme=esc(programme.name), mode=mode_now)]
    rows: list[list[InlineKeyboardButton]] = []
    summary = await cases.open_cases_for(session, person, programme.id)
    _case_lines(summary, programme, locale, lines, rows)
    if not found and not summary.open_total:
        lines.append(t("pairs-alerts-none", locale))
    for n, a in enumerate(found, start=1):
        lines.append(f"{n}. " + alerts.alert_line(a, locale, programme))
        rows.append([btn(t("pairs-btn-resolve-n", locale, n=n), "aok", a.id, "list")])
    other = "digest" if person.alert_mode != "digest" else "instant"
    rows.append([btn(t(f"pairs-btn-mode-{other}", locale), "amode", programme.id, other)])
    rows.append([btn(t("pairs-btn-feedback", locale), "frhome", programme.id)])
    text = "\n\n".join(lines)
    return text[:4000], kb(*rows)


def _case_lines(
    summary: cases.CaseSummary,
    programme: Programme,
    locale: str,
    lines: list[str],
    rows: list[list[InlineKeyboardButton]],
) -> None:
    """Open cases first (a minor's on top), with their buttons; then the recently closed."""
    if not summary.open_total and not summary.closed_total:
        return
    lines.append(
        t("cases-list-title", locale, open=summary.open_total, closed=summary.closed_total)
    )
    for n, view in enumerate(summary.open, start=1):
        lines.append(f"{n}) " + cases.case_line(view, locale, programme))
        rows.append(
            [
                btn(t("cases-btn-answer-n", locale, n=n), "cans", view.id),
                btn(t("cases-btn-close-n", locale, n=n), "ccl", view.id),
            ]
        )
    if summary.closed:
        lines.append(t("cases-list-closed", locale))
        for view in summary.closed[:CLOSED_SHOWN]:
            lines.append(cases.case_line(view, locale, programme))


@router.message(Command("alerts"))
async def alerts_command(
    message: Message, session: AsyncSession, person: Person, locale: str
) -> None:
    programme = await programme_of_command(message, session, person, locale)
    if programme is None:
        return
    text, markup = await alerts_screen(session, person, programme, locale)
    await message.answer(text, reply_markup=markup)


@router.callback_query(PairAction.filter(F.action == "alist"))
async def alerts_list(
    query: CallbackQuery,
    callback_data: PairAction,
    session: AsyncSession,
    person: Person,
    locale: str,
) -> None:
    programme = await programme_of_button(query, session, person, locale, callback_data.id)
    if programme is None:
        return
    text, markup = await alerts_screen(session, person, programme, locale)
    await edit_or_send(query, text, markup)
    await query.answer()


@router.callback_query(PairAction.filter(F.action == "aok"))
async def alert_resolve(
    query: CallbackQuery,
    callback_data: PairAction,
    session: AsyncSession,
    person: Person,
    locale: str,
) -> None:
    try:
        await alerts.resolve_alert(session, person, callback_data.id)
    except AccessDenied:
        await denied(query, locale)
        return
    await query.answer(t("pairs-alert-resolved", locale))
    if callback_data.arg == "list":
        from storage.models import Alert

        alert = await session.get(Alert, callback_data.id)
        programme = await managed_programme(session, person, alert.programme_id if alert else None)
        if programme is not None:
            text, markup = await alerts_screen(session, person, programme, locale)
            await edit_or_send(query, text, markup)
    elif isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)


@router.callback_query(PairAction.filter(F.action == "amode"))
async def alert_mode(
    query: CallbackQuery,
    callback_data: PairAction,
    session: AsyncSession,
    person: Person,
    locale: str,
) -> None:
    programme = await managed_programme(session, person, callback_data.id)
    if programme is None or callback_data.arg not in alerts.ALERT_MODES:
        await denied(query, locale)
        return
    await alerts.set_alert_mode(session, person, callback_data.arg)
    await query.answer(t(f"pairs-mode-set-{callback_data.arg}", locale), show_alert=True)
    text, markup = await alerts_screen(session, person, programme, locale)
    await edit_or_send(query, text, markup)
