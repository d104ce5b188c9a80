"""Curators: /feedback_round (the schedule, the response rate, a round now)."""

from __future__ import annotations

from aiogram import F
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
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
from bot.handlers.pairwork.pending import stop_waiting
from bot.handlers.routing import Handlers
from bot.infra.notify import programme_zone
from bot.services.access import AccessDenied
from bot.services.feedback import rounds as feedback
from bot.services.names import short_name
from bot.services.pairwork.cycle import WrongState
from bot.texts import esc, shorten_names, t
from storage.models import Person, Programme

router = Handlers(__name__)

SCHEDULE_SHOWN = 15
PAIRS_PAGE = 8
SILENT_ROUNDS = 3  # the latest rounds get a «Не ответили» button


async def feedback_screen(
    session: AsyncSession, person: Person, programme: Programme, locale: str
) -> tuple[str, InlineKeyboardMarkup]:
    ov = await feedback.feedback_overview(session, person, programme.id)
    tz = programme_zone(programme)
    lines = [
        t(
            "pairs-fr-title",
            locale,
            programme=esc(ov.programme_name),
            cadence=ov.cadence_days,
            rate=ov.response_rate,
            answered=ov.answered,
            requests=ov.requests,
        )
    ]
    if ov.rounds:
        lines.append(t("pairs-fr-rounds", locale))
        for r in ov.rounds:
            lines.append(
                t(
                    "pairs-fr-round",
                    locale,
                    number=r.number,
                    date=r.started_at.astimezone(tz).strftime("%d.%m"),
                    answered=r.answered,
                    requests=r.requests,
                    manual=str(r.manual).lower(),
                )
            )
    if ov.pairs:
        lines.append(t("pairs-fr-schedule", locale))
        for p in ov.pairs[:SCHEDULE_SHOWN]:
            when = (
                p.next_feedback_at.astimezone(tz).strftime("%d.%m") if p.next_feedback_at else "—"
            )
            lines.append(
                t("pairs-fr-pair", locale, mentor=esc(p.mentor), mentees=esc(p.mentees), date=when)
            )
        if len(ov.pairs) > SCHEDULE_SHOWN:
            lines.append(t("pairs-fr-more", locale, count=len(ov.pairs) - SCHEDULE_SHOWN))
    else:
        lines.append(t("pairs-fr-no-pairs", locale))
    pid = programme.id
    mode = "digest" if person.alert_mode != "digest" else "instant"
    silent = [
        [
            btn(
                t("silent-btn-round", locale, number=r.number, count=r.requests - r.answered),
                "silfr",
                r.round_id,
            )
        ]
        for r in ov.rounds[:SILENT_ROUNDS]
        if r.requests > r.answered
    ]
    markup = kb(
        *silent,
        [btn(t("pairs-btn-fr-all", locale), "frall", pid)] if ov.pairs else [],
        [btn(t("pairs-btn-fr-one", locale), "frpick", pid, "0")] if ov.pairs else [],
        [btn(t("pairs-btn-alerts", locale), "alist", pid)],
        [btn(t(f"pairs-btn-mode-{mode}", locale), "amode", pid, mode)],
        [btn(t("pairs-btn-materials-set", locale), "matset", pid)],
    )
    return "\n".join(lines), markup


@router.message(Command("feedback_round"))
async def feedback_round(
    message: Message, session: AsyncSession, person: Person, locale: str
) -> None:
    programme = await programme_of_command(message, session, person, locale)
    if programme is None:
        return
    text, markup = await feedback_screen(session, person, programme, locale)
    await message.answer(text, reply_markup=markup)


@router.callback_query(PairAction.filter(F.action == "frhome"))
async def feedback_home(
    query: CallbackQuery,
    callback_data: PairAction,
    session: AsyncSession,
    person: Person,
    locale: str,
    state: FSMContext,
) -> None:
    programme = await programme_of_button(query, session, person, locale, callback_data.id)
    if programme is None:
        return
    await stop_waiting(state, session)
    text, markup = await feedback_screen(session, person, programme, locale)
    await edit_or_send(query, text, markup)
    await query.answer()


@router.callback_query(PairAction.filter(F.action == "frall"))
async def round_all_confirm(
    query: CallbackQuery,
    callback_data: PairAction,
    session: AsyncSession,
    person: Person,
    locale: str,
) -> None:
    programme = await programme_of_button(query, session, person, locale, callback_data.id)
    if programme is None:
        return
    number = await feedback.next_round_number(session, programme.id)
    await edit_or_send(
        query,
        t("pairs-fr-confirm-all", locale, programme=esc(programme.name)),
        kb(
            [btn(t("pairs-btn-send", locale), "frgo", programme.id, f"all-{number}")],
            [btn(t("button-back", locale), "frhome", programme.id)],
        ),
    )
    await query.answer()


@router.callback_query(PairAction.filter(F.action == "frpick"))
async def round_pick_pair(
    query: CallbackQuery,
    callback_data: PairAction,
    session: AsyncSession,
    person: Person,
    locale: str,
) -> None:
    programme = await managed_programme(session, person, callback_data.id)
    page = int(callback_data.arg) if callback_data.arg.isdigit() else 0
    if programme is None:
        await denied(query, locale)
        return
    ov = await feedback.feedback_overview(session, person, programme.id)
    number = await feedback.next_round_number(session, programme.id)
    shown = ov.pairs[page * PAIRS_PAGE : (page + 1) * PAIRS_PAGE]
    rows: list[list[InlineKeyboardButton]] = [
        [
            btn(
                f"{short_name(p.mentor, 25)} — {shorten_names(p.mentees, 30)}",
                "frgo",
                programme.id,
                f"{p.pair_id}-{number}",
            )
        ]
        for p in shown
    ]
    nav = []
    if page > 0:
        nav.append(btn("◀️", "frpick", programme.id, str(page - 1)))
    if (page + 1) * PAIRS_PAGE < len(ov.pairs):
        nav.append(btn("▶️", "frpick", programme.id, str(page + 1)))
    rows.append(nav)
    rows.append([btn(t("button-back", locale), "frhome", programme.id)])
    await edit_or_send(query, t("pairs-fr-pick", locale), kb(*rows))
    await query.answer()


@router.callback_query(PairAction.filter(F.action == "frgo"))
async def round_go(
    query: CallbackQuery,
    callback_data: PairAction,
    session: AsyncSession,
    person: Person,
    locale: str,
) -> None:
    # "all-7" or "<pair>-7": whom, and the round the screen offered; without the round
    # (a button older than this rule) it could start one more round: shown as stale.
    target, _, number = callback_data.arg.partition("-")
    pair_id = int(target) if target.isdigit() else None
    if (target != "all" and pair_id is None) or not number.isdigit():
        await denied(query, locale)
        return
    try:
        result = await feedback.start_round_now(
            session,
            person,
            callback_data.id,
            pair_id=pair_id,
            period=int(number),
        )
    except (AccessDenied, WrongState):
        await denied(query, locale)
        return
    if result.already_going:  # a second press, or another curator was first
        await query.answer(t("pairs-fr-already", locale), show_alert=True)
        return
    await edit_or_send(
        query,
        t(
            "pairs-fr-sent",
            locale,
            number=result.number,
            requests=result.requests,
            pairs=len(result.pair_ids),
        ),
        kb([btn(t("button-back", locale), "frhome", callback_data.id)]),
    )
    await query.answer()
