"""Mentors and mentees: /meetings, proposing and confirming a time, the meeting log,
the plan, feedback forms, and the completion answers (survey, next cycle, vote)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from aiogram import Bot, F
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.handlers.pairwork.callbacks import LogPick, PairAction, btn, chunks, kb
from bot.handlers.pairwork.pending import still_waiting, stop_waiting, wait_for_text
from bot.handlers.routing import Handlers
from bot.services.completion import finish as completion
from bot.services.feedback import rounds as feedback
from bot.services.forms import start_form
from bot.services.names import name_args
from bot.services.pairwork import meetings as pair_meetings
from bot.services.pairwork.cycle import NotInPair, WrongState, pairs_of_person
from bot.services.pairwork.introductions import materials_for_mentor
from bot.services.vocabulary import FORMATS, label
from bot.services.zones import zone_words
from bot.texts import esc, t
from storage.models import FormSession, MeetingStatus, Person, Programme

router = Handlers(__name__)

STATUS_ICONS = {
    MeetingStatus.PROPOSED: "🕓",
    MeetingStatus.SCHEDULED: "📅",
    MeetingStatus.HELD: "✍️",
    MeetingStatus.CONFIRMED: "✅",
    MeetingStatus.DISPUTED: "❓",
}
PAGE_LIMIT = 3500


class LogMeeting(StatesGroup):
    topic = State()


# ------------------------------------------------------------------ rendering


def _write_key(pm: pair_meetings.PairMeetings) -> str:
    if pm.role != "mentor":
        return "relay-btn-to-mentor"
    return "relay-btn-to-mentees" if pm.group else "relay-btn-to-mentee"


async def overview(
    session: AsyncSession, person: Person, locale: str
) -> tuple[str, InlineKeyboardMarkup | None]:
    pairs = await pair_meetings.meetings_of(session, person.id, limit=6)
    if not pairs:
        return t("pairs-none", locale), None
    blocks: list[str] = []
    rows = []
    for pm in pairs:
        head = t(
            "pairs-overview-mentor" if pm.role == "mentor" else "pairs-overview-mentee",
            locale,
            partner=esc(pm.partner_names),
            programme=esc(pm.programme_name),
        )
        lines = [head]
        if pm.format:
            lines.append(
                t("pairs-overview-format", locale, format=label("format", pm.format, locale))
            )
        if pm.role == "mentor" and not pm.has_plan:
            lines.append(t("pairs-overview-no-plan", locale))
        if not pm.meetings:
            lines.append(t("pairs-overview-no-meetings", locale))
        now_ = pair_meetings.now()
        for m in pm.meetings:
            lines.append(
                t(
                    "pairs-overview-meeting",
                    locale,
                    icon=STATUS_ICONS.get(MeetingStatus(m.status), "•"),
                    when=m.local,
                    status=t(f"pairs-status-{m.status}", locale),
                    topic=f" · {esc(m.topic)}" if m.topic else "",
                )
            )
            short = m.local[:5]
            if pm.role == "mentee" and m.status == MeetingStatus.HELD:
                rows.append(
                    [
                        btn(t("pairs-btn-confirm-held-on", locale, day=short), "mheld", m.id),
                        btn(t("pairs-btn-not-held-on", locale, day=short), "mmiss", m.id),
                    ]
                )
            if pm.role == "mentee" and m.status == MeetingStatus.PROPOSED:
                rows.append(
                    [
                        btn(t("pairs-btn-accept-on", locale, day=short), "mok", m.id),
                        btn(t("pairs-btn-other-time", locale), "mno", m.id),
                    ]
                )
            if pm.role == "mentor" and m.status == MeetingStatus.SCHEDULED:
                if m.starts_at <= now_:
                    rows.append([btn(t("pairs-btn-was-held", locale, day=short), "held", m.id)])
                else:
                    rows.append([btn(t("pairs-btn-cancel-on", locale, day=short), "mcx", m.id)])
        blocks.append("\n".join(lines))
        rows.append([btn(t(_write_key(pm), locale), "wr", pm.pair_id)])
        if pm.role == "mentor":
            rows.append(
                [
                    btn(t("pairs-btn-propose", locale), "prop", pm.pair_id),
                    btn(t("pairs-btn-log", locale), "log", pm.pair_id),
                ]
            )
            rows.append([btn(t("pairs-btn-plan", locale), "plan", pm.pair_id)])
    text = t("pairs-overview-title", locale) + "\n\n" + "\n\n".join(blocks)
    if len(text) > PAGE_LIMIT:
        text = text[:PAGE_LIMIT].rsplit("\n", 1)[0] + "\n…"
    return text, kb(*rows)


async def _edit_or_send(
    query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None, *, edit: bool = True
) -> None:
    """Edit the screen in place; buttons under a notification (arg "n") open a new one,
    so the notification itself stays readable."""
    if not isinstance(query.message, Message):
        return
    if edit:
        try:
            await query.message.edit_text(text, reply_markup=markup)
            return
        except TelegramBadRequest as exc:
            if "not modified" in exc.message:
                return
    await query.message.answer(text, reply_markup=markup)


async def _stale(query: CallbackQuery, locale: str, key: str = "button-stale") -> None:
    await query.answer(t(key, locale), show_alert=True)


def _day_code(day: date) -> str:
    return day.strftime("%Y%m%d")


def _parse_day(code: str) -> date | None:
    try:
        return datetime.strptime(code[:8], "%Y%m%d").date()
    except ValueError:
        return None


def _day_label(day: date, locale: str) -> str:
    return f"{t(f'pairs-wd-{day.weekday()}', locale)} {day.strftime('%d.%m')}"


# ------------------------------------------------------------------ /meetings


@router.message(Command("meetings"))
async def meetings_command(
    message: Message, session: AsyncSession, person: Person, locale: str
) -> None:
    text, markup = await overview(session, person, locale)
    await message.answer(text, reply_markup=markup)


@router.callback_query(PairAction.filter(F.action == "menu"))
async def menu(
    query: CallbackQuery,
    callback_data: PairAction,
    session: AsyncSession,
    person: Person,
    locale: str,
    state: FSMContext,
) -> None:
    await stop_waiting(state, session)
    text, markup = await overview(session, person, locale)
    await _edit_or_send(query, text, markup, edit=callback_data.arg != "n")
    await query.answer()


# ------------------------------------------------------------------ proposing a time


async def _mentor_pair(session: AsyncSession, person: Person, pair_id: int) -> Programme | None:
    for view in await pairs_of_person(session, person.id):
        if view.pair.id == pair_id and view.role_of(person.id) == "mentor":
            return view.programme
    return None


@router.callback_query(PairAction.filter(F.action == "prop"))
async def propose_days(
    query: CallbackQuery,
    callback_data: PairAction,
    session: AsyncSession,
    person: Person,
    locale: str,
) -> None:
    programme = await _mentor_pair(session, person, callback_data.id)
    if programme is None:
        await _stale(query, locale)
        return
    days = [
        d for d in pair_meetings.picker_days(programme) if pair_meetings.picker_hours(programme, d)
    ]
    buttons = [btn(_day_label(d, locale), "pd", callback_data.id, _day_code(d)) for d in days]
    await _edit_or_send(
        query,
        t("pairs-pick-day", locale, tz=zone_words(programme.timezone, locale)),
        kb(*chunks(buttons, 3), [btn(t("button-back", locale), "menu", callback_data.id)]),
        edit=callback_data.arg != "n",
    )
    await query.answer()


@router.callback_query(PairAction.filter(F.action == "pd"))
async def propose_hours(
    query: CallbackQuery,
    callback_data: PairAction,
    session: AsyncSession,
    person: Person,
    locale: str,
) -> None:
    programme = await _mentor_pair(session, person, callback_data.id)
    day = _parse_day(callback_data.arg)
    hours = pair_meetings.picker_hours(programme, day) if programme and day else []
    if programme is None or day is None or not hours:
        await _stale(query, locale)
        return
    buttons = [
        btn(f"{h:02d}:00", "ph", callback_data.id, f"{_day_code(day)}{h:02d}") for h in hours
    ]
    await _edit_or_send(
        query,
        t("pairs-pick-hour", locale, day=_day_label(day, locale)),
        kb(*chunks(buttons, 4), [btn(t("button-back", locale), "prop", callback_data.id)]),
    )
    await query.answer()


@router.callback_query(PairAction.filter(F.action == "ph"))
async def propose_minutes(
    query: CallbackQuery,
    callback_data: PairAction,
    session: AsyncSession,
    person: Person,
    locale: str,
) -> None:
    programme = await _mentor_pair(session, person, callback_data.id)
    day = _parse_day(callback_data.arg)
    hour = callback_data.arg[8:10]
    if programme is None or day is None or not hour.isdigit():
        await _stale(query, locale)
        return
    buttons = [
        btn(f"{hour}:{m:02d}", "pm", callback_data.id, f"{callback_data.arg[:10]}{m:02d}")
        for m in pair_meetings.PICKER_MINUTES
    ]
    await _edit_or_send(
        query,
        t("pairs-pick-minute", locale, day=_day_label(day, locale), hour=hour),
        kb(buttons, [btn(t("button-back", locale), "pd", callback_data.id, _day_code(day))]),
    )
    await query.answer()


@router.callback_query(PairAction.filter(F.action == "pm"))
async def propose_done(
    query: CallbackQuery,
    callback_data: PairAction,
    session: AsyncSession,
    person: Person,
    locale: str,
) -> None:
    programme = await _mentor_pair(session, person, callback_data.id)
    day = _parse_day(callback_data.arg)
    code = callback_data.arg
    if programme is None or day is None or len(code) != 12 or not code.isdigit():
        await _stale(query, locale)
        return
    moment = pair_meetings.local_moment(programme, day, int(code[8:10]), int(code[10:12]))
    try:
        meeting = await pair_meetings.propose_meeting(session, person.id, callback_data.id, moment)
    except (NotInPair, WrongState):
        await _stale(query, locale, "pairs-time-passed")
        return
    await _edit_or_send(
        query,
        t("pairs-proposal-sent", locale, when=meeting.local),
        kb([btn(t("pairs-btn-meetings", locale), "menu", callback_data.id)]),
    )
    await query.answer()


@router.callback_query(PairAction.filter(F.action.in_({"mok", "mno"})))
async def answer_proposal(
    query: CallbackQuery,
    callback_data: PairAction,
    session: AsyncSession,
    person: Person,
    locale: str,
) -> None:
    accept = callback_data.action == "mok"
    try:
        meeting = await pair_meetings.answer_proposal(
            session, person.id, callback_data.id, accept=accept
        )
    except (NotInPair, WrongState):
        await _stale(query, locale)
        return
    key = "pairs-proposal-accepted" if accept else "pairs-proposal-declined"
    await _edit_or_send(
        query,
        t(key, locale, when=meeting.local),
        kb([btn(t("pairs-btn-meetings", locale), "menu", meeting.pair_id)]),
    )
    await query.answer()


@router.callback_query(PairAction.filter(F.action == "mcx"))
async def cancel(
    query: CallbackQuery,
    callback_data: PairAction,
    session: AsyncSession,
    person: Person,
    locale: str,
) -> None:
    try:
        meeting = await pair_meetings.cancel_meeting(session, person.id, callback_data.id)
    except (NotInPair, WrongState):
        await _stale(query, locale)
        return
    await query.answer(
        t("pairs-meeting-cancelled-short", locale, when=meeting.local), show_alert=True
    )
    text, markup = await overview(session, person, locale)
    await _edit_or_send(query, text, markup)


# ------------------------------------------------------------------ the meeting log


def _pick(step: str, pair_id: int, **fields: object) -> str:
    return LogPick(step=step, pair=pair_id, **fields).pack()  # type: ignore[arg-type]


def _pick_btn(text: str, step: str, pair_id: int, **fields: object) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=_pick(step, pair_id, **fields))


@router.callback_query(PairAction.filter(F.action == "log"))
async def log_days(
    query: CallbackQuery,
    callback_data: PairAction,
    session: AsyncSession,
    person: Person,
    locale: str,
) -> None:
    programme = await _mentor_pair(session, person, callback_data.id)
    if programme is None:
        await _stale(query, locale)
        return
    await _show_days(query, programme, callback_data.id, locale)
    await query.answer()


async def _show_days(query: CallbackQuery, programme: Programme, pair_id: int, locale: str) -> None:
    days = [
        d
        for d in pair_meetings.picker_days(programme, past=True)
        if pair_meetings.log_hours(programme, d)
    ]
    buttons = [_pick_btn(_day_label(d, locale), "day", pair_id, day=_day_code(d)) for d in days]
    await _edit_or_send(
        query,
        t("pairs-log-day", locale),
        kb(*chunks(buttons, 3), [btn(t("button-back", locale), "menu", pair_id)]),
    )


@dataclass
class _LogStep:
    """A press in the meeting log with what it needs: the mentor's choice so far."""

    query: CallbackQuery
    pick: LogPick
    programme: Programme
    day: date
    session: AsyncSession
    person: Person
    locale: str
    state: FSMContext

    @property
    def minutes(self) -> list[int]:
        return pair_meetings.log_minutes(self.programme, self.day, self.pick.hour)

    @property
    def chosen(self) -> dict[str, object]:
        return {"day": self.pick.day, "hour": self.pick.hour, "minute": self.pick.minute}

    def button(self, text: str, step: str, **fields: object) -> InlineKeyboardButton:
        return _pick_btn(text, step, self.pick.pair, **fields)


async def _log_hours(s: _LogStep) -> bool:
    hours = pair_meetings.log_hours(s.programme, s.day)
    buttons = [s.button(f"{h:02d}:…", "hour", day=s.pick.day, hour=h) for h in hours]
    back = btn(t("button-back", s.locale), "log", s.pick.pair)
    text = t("pairs-log-hour", s.locale, day=_day_label(s.day, s.locale))
    await _edit_or_send(s.query, text, kb(*chunks(buttons, 4), [back]))
    return True


async def _log_minutes(s: _LogStep) -> bool:
    if not s.minutes:
        return False
    hour = f"{s.pick.hour:02d}"
    buttons = [
        s.button(f"{hour}:{m:02d}", "minute", day=s.pick.day, hour=s.pick.hour, minute=m)
        for m in s.minutes
    ]
    back = s.button(t("button-back", s.locale), "day", day=s.pick.day)
    text = t("pairs-log-minute", s.locale, day=_day_label(s.day, s.locale), hour=hour)
    await _edit_or_send(s.query, text, kb(buttons, [back]))
    return True


async def _log_format(s: _LogStep) -> bool:
    if s.pick.minute not in s.minutes:
        return False
    when = f"{_day_label(s.day, s.locale)}, {s.pick.hour:02d}:{s.pick.minute:02d}"
    buttons = [s.button(label("format", f, s.locale), "format", fmt=f, **s.chosen) for f in FORMATS]
    back = s.button(t("button-back", s.locale), "hour", day=s.pick.day, hour=s.pick.hour)
    await _edit_or_send(s.query, t("pairs-log-format", s.locale, day=when), kb(buttons, [back]))
    return True


async def _log_topic(s: _LogStep) -> bool:
    if s.pick.minute not in s.minutes or s.pick.fmt not in FORMATS:
        return False
    await wait_for_text(
        s.state, s.session, LogMeeting.topic, {"pair": s.pick.pair, "fmt": s.pick.fmt, **s.chosen}
    )
    no_topic = s.button(t("pairs-btn-no-topic", s.locale), "notopic", fmt=s.pick.fmt, **s.chosen)
    back = s.button(t("button-back", s.locale), "minute", **s.chosen)
    await _edit_or_send(s.query, t("pairs-log-topic", s.locale), kb([no_topic], [back]))
    return True


async def _log_without_topic(s: _LogStep) -> bool:
    if s.pick.minute not in s.minutes or s.pick.fmt not in FORMATS:
        return False
    await stop_waiting(s.state, s.session)
    pick = s.pick
    try:
        text = await _record(
            s.session,
            s.person,
            s.locale,
            pick.pair,
            pick.day,
            pick.hour,
            pick.minute,
            pick.fmt,
            None,
        )
    except (NotInPair, WrongState):
        return False
    menu = btn(t("pairs-btn-meetings", s.locale), "menu", pick.pair)
    await _edit_or_send(s.query, text, kb([menu]))
    return True


# After each choice, the next screen: day → hour → minute → format → topic.
_LOG_STEPS = {
    "day": _log_hours,
    "hour": _log_minutes,
    "minute": _log_format,
    "format": _log_topic,
    "notopic": _log_without_topic,
}


@router.callback_query(LogPick.filter())
async def log_pick(
    query: CallbackQuery,
    callback_data: LogPick,
    session: AsyncSession,
    person: Person,
    locale: str,
    state: FSMContext,
) -> None:
    """One step of the meeting log. Each press checks the whole choice again, so a forged
    or old button is refused, and a time in the future is never offered nor taken."""
    programme = await _mentor_pair(session, person, callback_data.pair)
    day = _parse_day(callback_data.day) if len(callback_data.day) == 8 else None
    step = _LOG_STEPS.get(callback_data.step)
    if programme is None or day is None or step is None:
        await _stale(query, locale)
        return
    if not pair_meetings.log_hours(programme, day):
        await _stale(query, locale)
        return
    context = _LogStep(query, callback_data, programme, day, session, person, locale, state)
    if not await step(context):
        await _stale(query, locale)
        return
    await query.answer()


async def _record(
    session: AsyncSession,
    person: Person,
    locale: str,
    pair_id: int,
    day_code: str,
    hour: int,
    minute: int,
    fmt: str,
    topic: str | None,
) -> str:
    day = _parse_day(day_code)
    if day is None:
        raise WrongState("day")
    meeting = await pair_meetings.log_meeting(
        session, person.id, pair_id, day, hour=hour, minute=minute, fmt=fmt, topic=topic
    )
    return t("pairs-logged", locale, when=meeting.local)


@router.message(StateFilter(LogMeeting.topic), F.text, ~F.text.startswith("/"))
async def log_with_topic(
    message: Message, session: AsyncSession, person: Person, locale: str, state: FSMContext
) -> None:
    data = await state.get_data()
    await stop_waiting(state, session)
    if not still_waiting(data):
        raise SkipHandler  # an old prompt: the message is for someone else to answer
    pair_id = int(data.get("pair", 0))
    try:
        text = await _record(
            session,
            person,
            locale,
            pair_id,
            str(data.get("day", "")),
            int(data.get("hour", -1)),
            int(data.get("minute", -1)),
            str(data.get("fmt", "")),
            message.text,
        )
    except (NotInPair, WrongState, ValueError, TypeError):
        await message.answer(t("pairs-log-failed", locale))
        return
    await message.answer(
        text, reply_markup=kb([btn(t("pairs-btn-meetings", locale), "menu", pair_id)])
    )


@router.message(StateFilter(LogMeeting.topic), ~F.text)
async def log_topic_not_text(message: Message, locale: str) -> None:
    await message.answer(t("pairs-log-topic-text", locale))


@router.callback_query(PairAction.filter(F.action == "held"))
async def was_held(
    query: CallbackQuery,
    callback_data: PairAction,
    session: AsyncSession,
    person: Person,
    locale: str,
) -> None:
    try:
        meeting = await pair_meetings.mark_held(session, person.id, callback_data.id)
    except (NotInPair, WrongState):
        await _stale(query, locale)
        return
    await query.answer(t("pairs-logged", locale, when=meeting.local), show_alert=True)
    text, markup = await overview(session, person, locale)
    await _edit_or_send(query, text, markup)


@router.callback_query(PairAction.filter(F.action == "mheld"))
async def confirm_held(
    query: CallbackQuery,
    callback_data: PairAction,
    session: AsyncSession,
    person: Person,
    locale: str,
) -> None:
    try:
        meeting = await pair_meetings.confirm_held(session, person.id, callback_data.id)
    except (NotInPair, WrongState):
        await _stale(query, locale)
        return
    await _edit_or_send(
        query,
        t("pairs-held-confirmed", locale, when=meeting.local),
        kb([btn(t("pairs-btn-meetings", locale), "menu", meeting.pair_id)]),
    )
    await query.answer()


@router.callback_query(PairAction.filter(F.action == "mmiss"))
async def not_held(
    query: CallbackQuery,
    callback_data: PairAction,
    session: AsyncSession,
    person: Person,
    locale: str,
) -> None:
    """«Встречи не было»: not a confirmation; the curator hears of it."""
    try:
        meeting = await pair_meetings.report_not_held(session, person.id, callback_data.id)
    except (NotInPair, WrongState):
        await _stale(query, locale)
        return
    await _edit_or_send(
        query,
        t("pairs-not-held-sent", locale, when=meeting.local),
        kb([btn(t("pairs-btn-meetings", locale), "menu", meeting.pair_id)]),
    )
    await query.answer()


# ------------------------------------------------------------------ forms


async def _present(
    query: CallbackQuery,
    session: AsyncSession,
    person: Person,
    locale: str,
    fs: FormSession,
    state: FSMContext,
) -> None:
    """Show the form at its current step (the journey's runner takes it from there)."""
    from bot.handlers.enrolment.questionnaire import present

    await stop_waiting(state, session)
    if query.bot is not None:
        await present(query.bot, person.tg_id, session, fs, locale)
    await query.answer()


@router.callback_query(PairAction.filter(F.action == "plan"))
async def plan(
    query: CallbackQuery,
    callback_data: PairAction,
    session: AsyncSession,
    person: Person,
    locale: str,
    state: FSMContext,
) -> None:
    try:
        view = await pair_meetings.plan_owner(session, person.id, callback_data.id)
    except NotInPair:
        await _stale(query, locale)
        return
    fs = await start_form(
        session,
        view.mentor.participant.id,
        pair_meetings.PLAN_FORM,
        pair_meetings.plan_context(view.pair.id),
    )
    await _present(query, session, person, locale, fs, state)


@router.callback_query(PairAction.filter(F.action == "fb"))
async def feedback_form(
    query: CallbackQuery,
    callback_data: PairAction,
    session: AsyncSession,
    person: Person,
    locale: str,
    state: FSMContext,
) -> None:
    try:
        request = await feedback.open_request(session, person.id, callback_data.id)
    except WrongState:
        await _stale(query, locale)
        return
    if request.answered:
        await query.answer(t("pairs-feedback-already", locale), show_alert=True)
        return
    fs = await start_form(
        session,
        request.participant_id,
        feedback.FEEDBACK_FORM,
        feedback.form_context(request.request_id),
    )
    await _present(query, session, person, locale, fs, state)


@router.callback_query(PairAction.filter(F.action == "fin"))
async def final_survey(
    query: CallbackQuery,
    callback_data: PairAction,
    session: AsyncSession,
    person: Person,
    locale: str,
    state: FSMContext,
) -> None:
    try:
        participant = await completion.final_survey_target(session, person.id, callback_data.id)
    except WrongState:
        await _stale(query, locale)
        return
    fs = await start_form(
        session,
        participant.id,
        completion.FINAL_FORM,
        completion.final_context(participant.programme_id),
    )
    await _present(query, session, person, locale, fs, state)


@router.callback_query(PairAction.filter(F.action == "wm"))
async def next_cycle(
    query: CallbackQuery,
    callback_data: PairAction,
    session: AsyncSession,
    person: Person,
    locale: str,
) -> None:
    yes = callback_data.arg == "1"
    try:
        who = await completion.answer_next_cycle(session, person.id, callback_data.id, yes=yes)
    except WrongState:
        await _stale(query, locale)
        return
    prefix = "pairs-mentor-continue" if who.role == "mentor" else "pairs-next-cycle"
    await _edit_or_send(query, t(f"{prefix}-{'yes' if yes else 'no'}", locale), None)
    await query.answer()


@router.callback_query(PairAction.filter(F.action == "vote"))
async def vote(
    query: CallbackQuery,
    callback_data: PairAction,
    session: AsyncSession,
    person: Person,
    locale: str,
) -> None:
    if not callback_data.arg.isdigit():
        await _stale(query, locale)
        return
    try:
        result = await completion.cast_vote(
            session, person.id, callback_data.id, int(callback_data.arg)
        )
    except WrongState:
        await _stale(query, locale)
        return
    await _edit_or_send(query, t("pairs-vote-done", locale, **name_args("name", result.name)), None)
    await query.answer()


@router.callback_query(PairAction.filter(F.action == "mat"))
async def materials(
    query: CallbackQuery,
    callback_data: PairAction,
    session: AsyncSession,
    person: Person,
    locale: str,
    bot: Bot,
) -> None:
    try:
        found = await materials_for_mentor(session, person.id, callback_data.id)
    except WrongState:
        await _stale(query, locale)
        return
    if found.file_id:
        await bot.send_document(
            person.tg_id, found.file_id, caption=t("pairs-materials-caption", locale)
        )
    if found.link:
        await bot.send_message(
            person.tg_id, t("pairs-materials-link", locale, link=esc(found.link))
        )
    await query.answer()
