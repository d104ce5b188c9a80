"""Curators: /finish (completion in two confirmed steps) and the «Лучшая пара» award."""

from __future__ import annotations

from aiogram import F
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.handlers.curator.console import (
    denied,
    edit_or_send,
    programme_of_button,
    programme_of_command,
)
from bot.handlers.pairwork.callbacks import PairAction, btn, kb
from bot.handlers.routing import Handlers
from bot.services.access import AccessDenied
from bot.services.completion import best_pair
from bot.services.completion import finish as completion
from bot.services.names import short_name
from bot.services.pairwork.cycle import WrongState
from bot.services.reporting.reports import NamedPair, pair_names, score_text
from bot.texts import esc, shorten_names, t
from storage.models import Person, ProgrammeStatus

router = Handlers(__name__)


def _finish_text(status: completion.CompletionStatus, locale: str) -> str:
    lines = [
        t(
            f"pairs-finish-{status.status}",
            locale,
            programme=esc(status.programme_name),
            pairs=status.pairs,
            participants=status.participants,
            surveys=status.surveys_done,
            rate=status.survey_rate,
            voters=status.voters,
            mentors=status.mentors,
            wants=status.want_to_mentor,
        )
    ]
    if status.results:
        lines.append(t("pairs-vote-results", locale))
        for n, r in enumerate(status.results[:10], start=1):
            lines.append(t("pairs-vote-line", locale, n=n, name=esc(r.name), votes=r.votes))
    if status.open_cases:
        lines.append(t("cases-finish-open", locale, count=status.open_cases))
    if status.best_pair is not None:
        lines.append(t("pairs-best-current", locale, names=pair_names(status.best_pair, locale)))
    elif status.status == ProgrammeStatus.FINISHING:
        lines.append(t("pairs-best-not-chosen", locale))
    return "\n".join(lines)


def _finish_markup(status: completion.CompletionStatus, locale: str) -> InlineKeyboardMarkup:
    pid = status.programme_id
    if status.status in (ProgrammeStatus.ACTIVE, ProgrammeStatus.DRAFT):
        return kb([btn(t("pairs-btn-finish-start", locale), "fin1", pid)])
    best = [btn(t("pairs-btn-best-pair", locale), "bp", pid)]
    if status.status == ProgrammeStatus.FINISHING:
        return kb(
            [
                btn(
                    t("silent-btn-final", locale, count=status.participants - status.surveys_done),
                    "silfin",
                    pid,
                )
            ]
            if status.participants > status.surveys_done
            else [],
            [btn(t("pairs-btn-refresh", locale), "finhome", pid)],
            best,
            [btn(t("pairs-btn-finish-end", locale), "fin2", pid)],
        )
    return kb(best)


@router.message(Command("finish"))
async def finish_command(
    message: Message, session: AsyncSession, person: Person, locale: str
) -> None:
    programme = await programme_of_command(message, session, person, locale)
    if programme is None:
        return
    status = await completion.completion_status(session, person, programme.id)
    await message.answer(_finish_text(status, locale), reply_markup=_finish_markup(status, locale))


@router.callback_query(PairAction.filter(F.action == "finhome"))
async def finish_home(
    query: CallbackQuery,
    callback_data: PairAction,
    session: AsyncSession,
    person: Person,
    locale: str,
) -> None:
    try:
        status = await completion.completion_status(session, person, callback_data.id)
    except AccessDenied:
        await denied(query, locale)
        return
    await edit_or_send(query, _finish_text(status, locale), _finish_markup(status, locale))
    await query.answer()


@router.callback_query(PairAction.filter(F.action.in_({"fin1", "fin2"})))
async def finish_confirm(
    query: CallbackQuery,
    callback_data: PairAction,
    session: AsyncSession,
    person: Person,
    locale: str,
) -> None:
    programme = await programme_of_button(query, session, person, locale, callback_data.id)
    if programme is None:
        return
    step = callback_data.action
    await edit_or_send(
        query,
        t(f"pairs-{step}-confirm", locale, programme=esc(programme.name)),
        kb(
            [btn(t(f"pairs-btn-{step}-yes", locale), f"{step}y", programme.id)],
            [btn(t("button-back", locale), "finhome", programme.id)],
        ),
    )
    await query.answer()


@router.callback_query(PairAction.filter(F.action.in_({"fin1y", "fin2y"})))
async def finish_do(
    query: CallbackQuery,
    callback_data: PairAction,
    session: AsyncSession,
    person: Person,
    locale: str,
) -> None:
    try:
        if callback_data.action == "fin1y":
            status = await completion.start_completion(session, person, callback_data.id)
        else:
            status = await completion.finish_programme(session, person, callback_data.id)
    except (AccessDenied, WrongState):
        await denied(query, locale)
        return
    await edit_or_send(query, _finish_text(status, locale), _finish_markup(status, locale))
    await query.answer(t("pairs-saved", locale))


# ------------------------------------------------------------------ «Лучшая пара»


def _reason(figures: best_pair.PairFigures, locale: str) -> str:
    meetings = t("pairs-best-meetings", locale, count=figures.meetings)
    if figures.average is None:
        return t("pairs-best-reason-no-scores", locale, meetings=meetings)
    return t(
        "pairs-best-reason", locale, meetings=meetings, average=score_text(figures.average, locale)
    )


def _pair_label(named: NamedPair, locale: str) -> str:
    hidden = t("report-name-hidden", locale)
    mentees = list(named.mentee_names) or [hidden]
    return f"{short_name(named.mentor_name or hidden, 25)} — {shorten_names(mentees, 30)}"


def best_pair_screen(
    overview: best_pair.BestPairOverview, locale: str
) -> tuple[str, InlineKeyboardMarkup]:
    pid = overview.programme_id
    lines = [t("pairs-best-title", locale, programme=esc(overview.programme_name))]
    if overview.awarded is not None:
        lines.append(
            t("pairs-best-current", locale, names=pair_names(overview.awarded.names, locale))
        )
    elif overview.editable:
        lines.append(t("pairs-best-not-chosen", locale))
    if overview.candidates:
        lines.append(t("pairs-best-how", locale))
    else:
        lines.append(t("pairs-best-none", locale))
    rows: list[list[InlineKeyboardButton]] = []
    for n, c in enumerate(overview.candidates, start=1):
        mark = "🏆 " if c.awarded else ""
        lines.append(
            mark
            + t(
                "pairs-best-line",
                locale,
                n=n,
                names=pair_names(c.names, locale),
                reason=_reason(c.figures, locale),
                points=round(c.points or 0),
            )
        )
        if overview.editable:
            label = f"{mark}{n}. {_pair_label(c.names, locale)}"
            rows.append([btn(label, "bpc", pid, str(c.figures.pair_id))])
    if overview.candidates:
        lines.append(t("pairs-best-pick" if overview.editable else "pairs-best-readonly", locale))
    rows.append([btn(t("button-back", locale), "finhome", pid)])
    return "\n\n".join(lines), kb(*rows)


def _award_confirm(
    preview: best_pair.AwardPreview, locale: str
) -> tuple[str, InlineKeyboardMarkup]:
    lines = [
        t(
            "pairs-best-confirm",
            locale,
            programme=esc(preview.programme_name),
            names=pair_names(preview.pair, locale),
            reason=_reason(preview.figures, locale),
        )
    ]
    if preview.current is not None:
        lines.append(
            t("pairs-best-confirm-replace", locale, names=pair_names(preview.current, locale))
        )
    pid, pair_id = preview.programme_id, str(preview.pair.pair_id)
    return "\n\n".join(lines), kb(
        [btn(t("pairs-btn-best-yes", locale), "bpy", pid, pair_id)],
        [btn(t("button-back", locale), "bp", pid)],
    )


@router.callback_query(PairAction.filter(F.action.in_({"bp", "bpc", "bpy"})))
async def best_pair_step(
    query: CallbackQuery,
    callback_data: PairAction,
    session: AsyncSession,
    person: Person,
    locale: str,
) -> None:
    """The short list (bp), the confirm step for a pair (bpc) and the award (bpy)."""
    action, programme_id = callback_data.action, callback_data.id
    pair_id = int(callback_data.arg) if callback_data.arg.isdigit() else None
    try:
        if action == "bp":
            overview = await best_pair.best_pair_overview(session, person, programme_id)
            text, markup = best_pair_screen(overview, locale)
        elif pair_id is None:
            raise WrongState("pair")
        elif action == "bpc":
            preview = await best_pair.award_preview(session, person, programme_id, pair_id)
            text, markup = _award_confirm(preview, locale)
        else:
            overview = await best_pair.award_best_pair(session, person, programme_id, pair_id)
            text, markup = best_pair_screen(overview, locale)
    except (AccessDenied, WrongState):
        await denied(query, locale)
        return
    await edit_or_send(query, text, markup)
    if action == "bpy":
        await query.answer(t("pairs-best-awarded", locale), show_alert=True)
    else:
        await query.answer()
