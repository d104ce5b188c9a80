"""Curators: /feedback_round (schedule, response rate, a round now), /alerts (and how to
get them), /materials for mentors, and /finish (completion in two confirmed steps, and
the «Лучшая пара» award)."""

from __future__ import annotations

from aiogram import F
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.handlers.pairs.callbacks import PairAction, btn, kb
from bot.handlers.pairs.pending import still_waiting, stop_waiting, wait_for_text
from bot.handlers.routing import Handlers
from bot.services import alerts, best_pair, cases, completion, feedback, introductions
from bot.services.access import AccessDenied, current_programme
from bot.services.names import short_name
from bot.services.notify import programme_zone
from bot.services.pair_events import WrongState
from bot.services.reports import NamedPair, pair_names, score_text
from bot.texts import esc, shorten_names, t
from storage.models import Person, Programme, ProgrammeStatus

router = Handlers(__name__)

PAIRS_PAGE = 8
SCHEDULE_SHOWN = 15
CLOSED_SHOWN = 3
SILENT_ROUNDS = 3  # the latest rounds get a «Не ответили» button


class MaterialsInput(StatesGroup):
    waiting = State()


async def _programme(
    session: AsyncSession, person: Person, programme_id: int | None = None
) -> Programme | None:
    if programme_id is None:
        return await current_programme(session, person)
    from bot.services.access import can_manage

    if await can_manage(session, person.id, programme_id):
        return await session.get(Programme, programme_id)
    return None


async def edit_or_send(
    query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None
) -> None:
    if not isinstance(query.message, Message):
        return
    try:
        await query.message.edit_text(text, reply_markup=markup)
        return
    except TelegramBadRequest as exc:
        if "not modified" in exc.message:
            return
    await query.message.answer(text, reply_markup=markup)


async def denied(query: CallbackQuery, locale: str) -> None:
    await query.answer(t("button-stale", locale), show_alert=True)


# ------------------------------------------------------------------ /feedback_round


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
    programme = await _programme(session, person)
    if programme is None:
        await message.answer(t("unknown-command", locale))
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
    programme = await _programme(session, person, callback_data.id)
    if programme is None:
        await denied(query, locale)
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
    programme = await _programme(session, person, callback_data.id)
    if programme is None:
        await denied(query, locale)
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
    programme = await _programme(session, person, callback_data.id)
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


# ------------------------------------------------------------------ alerts


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
    programme = await _programme(session, person)
    if programme is None:
        await message.answer(t("unknown-command", locale))
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
    programme = await _programme(session, person, callback_data.id)
    if programme is None:
        await denied(query, locale)
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
        programme = await _programme(session, person, alert.programme_id if alert else None)
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
    programme = await _programme(session, person, callback_data.id)
    if programme is None or callback_data.arg not in alerts.ALERT_MODES:
        await denied(query, locale)
        return
    await alerts.set_alert_mode(session, person, callback_data.arg)
    await query.answer(t(f"pairs-mode-set-{callback_data.arg}", locale), show_alert=True)
    text, markup = await alerts_screen(session, person, programme, locale)
    await edit_or_send(query, text, markup)


# ------------------------------------------------------------------ materials


async def _materials_prompt(
    session: AsyncSession, programme: Programme, locale: str
) -> tuple[str, InlineKeyboardMarkup]:
    found = await introductions.materials_of(session, programme.id)
    text = t(
        "pairs-materials-now",
        locale,
        link=esc(found.link or "—"),
        file=t("pairs-yes" if found.file_id else "pairs-no", locale),
    )
    return text, kb(
        [btn(t("pairs-btn-materials-clear", locale), "matclr", programme.id)]
        if found.link or found.file_id
        else [],
        [btn(t("button-cancel", locale), "frhome", programme.id)],
    )


async def _start_materials(state: FSMContext, session: AsyncSession, programme: Programme) -> None:
    await wait_for_text(state, session, MaterialsInput.waiting, {"programme": programme.id})


@router.message(Command("materials"))
async def materials_command(
    message: Message, session: AsyncSession, person: Person, locale: str, state: FSMContext
) -> None:
    programme = await _programme(session, person)
    if programme is None:
        await message.answer(t("unknown-command", locale))
        return
    await _start_materials(state, session, programme)
    text, markup = await _materials_prompt(session, programme, locale)
    await message.answer(text, reply_markup=markup)


@router.callback_query(PairAction.filter(F.action == "matset"))
async def materials_button(
    query: CallbackQuery,
    callback_data: PairAction,
    session: AsyncSession,
    person: Person,
    locale: str,
    state: FSMContext,
) -> None:
    programme = await _programme(session, person, callback_data.id)
    if programme is None:
        await denied(query, locale)
        return
    await _start_materials(state, session, programme)
    text, markup = await _materials_prompt(session, programme, locale)
    await edit_or_send(query, text, markup)
    await query.answer()


@router.callback_query(PairAction.filter(F.action == "matclr"))
async def materials_clear(
    query: CallbackQuery,
    callback_data: PairAction,
    session: AsyncSession,
    person: Person,
    locale: str,
    state: FSMContext,
) -> None:
    try:
        await introductions.set_materials(session, person, callback_data.id, clear=True)
    except AccessDenied:
        await denied(query, locale)
        return
    await stop_waiting(state, session)
    await edit_or_send(
        query,
        t("pairs-materials-cleared", locale),
        kb([btn(t("button-back", locale), "frhome", callback_data.id)]),
    )
    await query.answer()


@router.message(StateFilter(MaterialsInput.waiting), ~F.text.startswith("/"))
async def materials_input(
    message: Message, session: AsyncSession, person: Person, locale: str, state: FSMContext
) -> None:
    data = await state.get_data()
    if not still_waiting(data):
        await stop_waiting(state, session)
        raise SkipHandler
    programme_id = int(data.get("programme", 0))
    link = file_id = None
    if message.document is not None:
        file_id = message.document.file_id
    elif message.text and message.text.strip().lower().startswith(("http://", "https://")):
        link = message.text.strip()
    else:
        await message.answer(t("pairs-materials-bad", locale))
        return
    try:
        await introductions.set_materials(session, person, programme_id, link=link, file_id=file_id)
    except AccessDenied:
        await stop_waiting(state, session)
        await message.answer(t("unknown-command", locale))
        return
    await stop_waiting(state, session)
    await message.answer(
        t("pairs-materials-saved", locale),
        reply_markup=kb([btn(t("pairs-btn-feedback", locale), "frhome", programme_id)]),
    )


# ------------------------------------------------------------------ /finish


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
    programme = await _programme(session, person)
    if programme is None:
        await message.answer(t("unknown-command", locale))
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
    programme = await _programme(session, person, callback_data.id)
    if programme is None:
        await denied(query, locale)
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
