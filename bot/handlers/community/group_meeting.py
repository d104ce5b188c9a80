"""`/meeting`: announce the group meeting (calendar and time buttons) and record who came."""

from __future__ import annotations

from datetime import date, time

from aiogram import F
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.handlers.curator.base import forget, open_screen, programme_or_hint, recall, remember, show
from bot.handlers.routing import Handlers
from bot.infra.clock import now
from bot.infra.notify import programme_zone
from bot.keyboards.curator import MeetCb, button, chunks, markup, short
from bot.services.access import button_programme
from bot.services.community import group_meeting as svc
from bot.services.enrolment.registry import NotAllowedNow
from bot.services.zones import zone_words
from bot.texts import esc, t
from storage.models import Person, Programme

router = Handlers(__name__)
TIMES = [time(h, m) for h in range(8, 21) for m in (0, 30)][:-1]


class MeetingForm(StatesGroup):
    place = State()


async def meeting_view(
    session: AsyncSession, person: Person, programme: Programme, locale: str
) -> tuple[str, InlineKeyboardMarkup]:
    meeting = await svc.latest_meeting(session, programme.id)
    rows = [[button(t("meeting-btn-new", locale), MeetCb(action="new", id=programme.id))]]
    if meeting is None:
        return t("meeting-none", locale, programme=esc(programme.name)), markup(rows)
    local = meeting.starts_at.astimezone(programme_zone(programme))
    page = await svc.attendance(session, person, meeting.id)
    text = t(
        "meeting-current",
        locale,
        programme=esc(programme.name),
        date=f"{local:%d.%m.%Y}",
        time=f"{local:%H:%M}",
        place=esc(meeting.place),
        # Until saved, «everyone ticked» is a draft, not a count of who came.
        came=page.came if meeting.attendance_recorded else 0,
        total=page.total,
        recorded=t("registry-yes" if meeting.attendance_recorded else "registry-no", locale),
    )
    rows.insert(
        0, [button(t("meeting-btn-attendance", locale), MeetCb(action="att", id=meeting.id))]
    )
    return text, markup(rows)


@router.message(Command("meeting"))
async def meeting_command(
    message: Message, session: AsyncSession, person: Person, locale: str, state: FSMContext
) -> None:
    await open_screen(message, session, person, locale, state, meeting_view)


@router.callback_query(MeetCb.filter(F.action == "show"))
async def meeting_show(
    query: CallbackQuery, session: AsyncSession, person: Person, locale: str, state: FSMContext
) -> None:
    await forget(state, session)
    programme = await programme_or_hint(query, session, person, locale)
    if programme is None:
        return
    text, kb = await meeting_view(session, person, programme, locale)
    await show(query, text, kb)


def calendar(programme: Programme, year: int, month: int, locale: str) -> InlineKeyboardMarkup:
    today = now().astimezone(programme_zone(programme)).date()
    rows: list[list[InlineKeyboardButton]] = []
    prev_month = (year - 1, 12) if month == 1 else (year, month - 1)
    next_month = (year + 1, 1) if month == 12 else (year, month + 1)
    this = f"{year:04d}-{month:02d}"
    head = []
    if (year, month) > (today.year, today.month):
        head.append(
            button(
                "‹",
                MeetCb(
                    action="cal",
                    id=programme.id,
                    value=f"{prev_month[0]:04d}-{prev_month[1]:02d}",
                ),
            )
        )
    head.append(
        button(
            t(f"month-{month}", locale) + f" {year}",
            MeetCb(action="cal", id=programme.id, value=this),
        )
    )
    head.append(
        button(
            "›",
            MeetCb(
                action="cal",
                id=programme.id,
                value=f"{next_month[0]:04d}-{next_month[1]:02d}",
            ),
        )
    )
    rows.append(head)
    rows.append(
        [
            button(t(f"weekday-{d}", locale), MeetCb(action="cal", id=programme.id, value=this))
            for d in range(7)
        ]
    )
    for week in svc.calendar_month(year, month):
        row = []
        for day in week:
            if day is None or day < today:
                row.append(button("·", MeetCb(action="cal", id=programme.id, value=this)))
            else:
                row.append(
                    button(
                        str(day.day), MeetCb(action="day", id=programme.id, value=day.isoformat())
                    )
                )
        rows.append(row)
    rows.append([button(t("button-cancel", locale), MeetCb(action="show"))])
    return markup(rows)


@router.callback_query(MeetCb.filter(F.action.in_({"new", "cal"})))
async def meeting_calendar(
    query: CallbackQuery,
    callback_data: MeetCb,
    session: AsyncSession,
    person: Person,
    locale: str,
    state: FSMContext,
) -> None:
    await forget(state, session)
    programme = await button_programme(session, person, callback_data.id)
    today = now().astimezone(programme_zone(programme)).date()
    year, month = today.year, today.month
    if callback_data.action == "cal":
        try:
            year, month = (int(x) for x in callback_data.value.split("-"))
            date(year, month, 1)
        except ValueError:
            raise NotAllowedNow("button-stale") from None
        if (year, month) < (today.year, today.month) or year > today.year + 2:
            raise NotAllowedNow("button-stale")
    await show(
        query,
        t("meeting-ask-day", locale, timezone=zone_words(programme.timezone, locale)),
        calendar(programme, year, month, locale),
    )


@router.callback_query(MeetCb.filter(F.action == "day"))
async def meeting_day(
    query: CallbackQuery,
    callback_data: MeetCb,
    session: AsyncSession,
    person: Person,
    locale: str,
    state: FSMContext,
) -> None:
    programme = await button_programme(session, person, callback_data.id)
    try:
        day = date.fromisoformat(callback_data.value)
    except ValueError:
        raise NotAllowedNow("button-stale") from None
    if day < now().astimezone(programme_zone(programme)).date():
        raise NotAllowedNow("meeting-error-past")
    await forget(state, session)
    buttons = [
        button(
            f"{at:%H:%M}",
            MeetCb(action="time", id=programme.id, value=f"{day.isoformat()}T{at:%H%M}"),
        )
        for at in TIMES
    ]
    rows = chunks(buttons, 5)
    rows.append(
        [
            button(
                t("button-back", locale),
                MeetCb(action="cal", id=programme.id, value=f"{day:%Y-%m}"),
            )
        ]
    )
    await show(query, t("meeting-ask-time", locale, date=f"{day:%d.%m.%Y}"), markup(rows))


@router.callback_query(MeetCb.filter(F.action == "time"))
async def meeting_time(
    query: CallbackQuery,
    callback_data: MeetCb,
    session: AsyncSession,
    person: Person,
    locale: str,
    state: FSMContext,
) -> None:
    programme = await button_programme(session, person, callback_data.id)
    try:
        day_text, time_text = callback_data.value.split("T")
        day = date.fromisoformat(day_text)
        at = time(int(time_text[:2]), int(time_text[2:]))
    except ValueError:
        raise NotAllowedNow("button-stale") from None
    if svc.local_moment(programme, day, at) <= now():
        raise NotAllowedNow("meeting-error-past")
    await remember(
        state,
        session,
        MeetingForm.place,
        {"day": day.isoformat(), "time": f"{at:%H:%M}", "programme_id": programme.id},
    )
    await show(
        query,
        t("meeting-ask-place", locale, date=f"{day:%d.%m.%Y}", time=f"{at:%H:%M}"),
        markup(
            [
                [
                    button(
                        t("button-back", locale),
                        MeetCb(action="day", id=programme.id, value=day.isoformat()),
                    ),
                    button(t("button-cancel", locale), MeetCb(action="show")),
                ]
            ]
        ),
    )


@router.message(MeetingForm.place, F.text & ~F.text.startswith("/"))
async def meeting_place(
    message: Message, session: AsyncSession, person: Person, locale: str, state: FSMContext
) -> None:
    place = (message.text or "").strip()
    if len(place) > svc.PLACE_LIMIT:
        await message.answer(t("meeting-error-place-long", locale))
        return
    data = await recall(state, session)
    data["place"] = place
    await remember(state, session, MeetingForm.place, data)
    day = date.fromisoformat(data["day"])
    await message.answer(
        t("meeting-preview", locale, date=f"{day:%d.%m.%Y}", time=data["time"], place=esc(place)),
        reply_markup=markup(
            [
                [button(t("meeting-btn-send", locale), MeetCb(action="send"))],
                [button(t("button-cancel", locale), MeetCb(action="show"))],
            ]
        ),
    )


@router.callback_query(MeetingForm.place, MeetCb.filter(F.action == "send"))
async def meeting_send(
    query: CallbackQuery, session: AsyncSession, person: Person, locale: str, state: FSMContext
) -> None:
    data = await recall(state, session)
    if "place" not in data:
        raise NotAllowedNow("meeting-error-place")
    result = await svc.announce(
        session,
        person,
        int(data["programme_id"]),
        day=date.fromisoformat(data["day"]),
        at=time.fromisoformat(data["time"]),
        place=data["place"],
    )
    await forget(state, session)
    await show(
        query,
        t("meeting-announced", locale, count=result.invited),
        markup(
            [
                [
                    button(
                        t("meeting-btn-attendance", locale),
                        MeetCb(action="att", id=result.meeting.id),
                    )
                ]
            ]
        ),
    )


class AttendanceSearch(StatesGroup):
    """On the attendance screen whatever the curator types is a search."""

    query = State()


async def attendance_view(
    session: AsyncSession, person: Person, meeting_id: int, page: int, locale: str, query: str = ""
) -> tuple[str, InlineKeyboardMarkup]:
    data = await svc.attendance(session, person, meeting_id, page, query)
    rows = [
        [
            button(
                ("✅ " if row.attended else "▫️ ")
                + short(row.participant.display_name)
                + " · "
                + t(f"role-short-{row.participant.role}", locale),
                MeetCb(action="tog", id=meeting_id, value=str(row.participant.id), page=data.page),
            )
        ]
        for row in data.rows
    ]
    if data.pages > 1:
        nav = []
        if data.page > 0:
            nav.append(button("‹", MeetCb(action="att", id=meeting_id, page=data.page - 1)))
        nav.append(
            button(
                f"{data.page + 1}/{data.pages}", MeetCb(action="att", id=meeting_id, page=data.page)
            )
        )
        if data.page < data.pages - 1:
            nav.append(button("›", MeetCb(action="att", id=meeting_id, page=data.page + 1)))
        rows.append(nav)
    if data.query:
        rows.append(
            [
                button(
                    t("meeting-btn-none-found", locale, count=data.found),
                    MeetCb(action="none", id=meeting_id),
                ),
                button(
                    t("meeting-btn-all-found", locale, count=data.found),
                    MeetCb(action="all", id=meeting_id),
                ),
            ]
        )
        rows.append([button(t("meeting-btn-clear", locale), MeetCb(action="clr", id=meeting_id))])
    else:
        rows.append(
            [button(t("meeting-btn-all-came", locale), MeetCb(action="all", id=meeting_id))]
        )
    rows.append([button(t("meeting-btn-done", locale), MeetCb(action="done", id=meeting_id))])
    text = t("meeting-attendance", locale, came=data.came, total=data.total)
    text += "\n" + t("meeting-attendance-search", locale)
    if data.query:
        text += "\n\n" + t(
            "meeting-attendance-found", locale, query=esc(data.query), count=data.found
        )
    return text, markup(rows)


async def _search_state(state: FSMContext, session: AsyncSession, meeting_id: int) -> str:
    """The search kept for this meeting's screen (another meeting's is forgotten)."""
    data = await recall(state, session)
    if await state.get_state() != AttendanceSearch.query.state or data.get("meeting") != meeting_id:
        await remember(state, session, AttendanceSearch.query, {"meeting": meeting_id, "query": ""})
        return ""
    return str(data.get("query", ""))


@router.callback_query(MeetCb.filter(F.action.in_({"att", "tog", "done", "all", "none", "clr"})))
async def meeting_attendance(
    query: CallbackQuery,
    callback_data: MeetCb,
    session: AsyncSession,
    person: Person,
    locale: str,
    state: FSMContext,
) -> None:
    meeting_id, action = callback_data.id, callback_data.action
    if action == "done":
        meeting = await svc.finish_attendance(session, person, meeting_id)
        await forget(state, session)
        programme = await session.get(Programme, meeting.programme_id)
        assert programme is not None
        text, kb = await meeting_view(session, person, programme, locale)
        await show(query, t("meeting-attendance-saved", locale) + "\n\n" + text, kb)
        return
    search = await _search_state(state, session, meeting_id)
    if action == "tog":
        if not callback_data.value.isdigit():
            raise NotAllowedNow("button-stale")
        await svc.toggle_attendance(session, person, meeting_id, int(callback_data.value))
    elif action in ("all", "none"):
        await svc.mark_found(session, person, meeting_id, search, action == "all")
    elif action == "clr":
        search = ""
        await remember(state, session, AttendanceSearch.query, {"meeting": meeting_id, "query": ""})
    page = callback_data.page if action in ("att", "tog") else 0
    text, kb = await attendance_view(session, person, meeting_id, page, locale, search)
    await show(query, text, kb)


@router.message(AttendanceSearch.query, F.text & ~F.text.startswith("/"))
async def attendance_search(
    message: Message, session: AsyncSession, person: Person, locale: str, state: FSMContext
) -> None:
    data = await recall(state, session)
    meeting_id = int(data.get("meeting", 0))
    search = (message.text or "").strip()[: svc.QUERY_LIMIT]
    text, kb = await attendance_view(session, person, meeting_id, 0, locale, search)
    await remember(state, session, AttendanceSearch.query, {"meeting": meeting_id, "query": search})
    await message.answer(text, reply_markup=kb)
