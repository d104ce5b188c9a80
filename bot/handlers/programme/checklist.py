"""`/checklist`: the seven stages, with figures and the curator's own ticks."""

from __future__ import annotations

from aiogram import F
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.handlers.curator.base import forget, programme_or_hint, recall, remember, show
from bot.handlers.routing import Handlers
from bot.keyboards.curator import CheckCb, button, chunks, markup
from bot.services.access import button_programme
from bot.services.enrolment.registry import NotInProgramme
from bot.services.names import name_args
from bot.services.programme import checklist as svc
from bot.texts import esc, t
from storage.models import Person, Programme

router = Handlers(__name__)


class NoteForm(StatesGroup):
    text = State()


def _bar(done: int, total: int) -> str:
    filled = round(5 * done / total) if total else 0
    return "●" * filled + "○" * (5 - filled)


def overview_text(data: svc.StageChecklist, programme: Programme, locale: str) -> str:
    done = all(stage.complete for stage in data.stages)
    title = "checklist-title-done" if done else "checklist-title"
    lines = [t(title, locale, programme=esc(programme.name), stage=data.current_stage)]
    for stage in data.stages:
        mark = "✅" if stage.complete else ("▶️" if stage.number == data.current_stage else "▫️")
        lines.append(
            f"{mark} {stage.number}. {svc.stage_title(stage.number, locale)} — "
            f"{_bar(stage.done_count, stage.total)} {stage.done_count}/{stage.total}"
        )
    return "\n".join(lines)


def overview_markup(data: svc.StageChecklist) -> InlineKeyboardMarkup:
    buttons = [
        button(str(stage.number), CheckCb(action="stage", stage=stage.number))
        for stage in data.stages
    ]
    return markup(chunks(buttons, 7))


def stage_view(
    data: svc.StageChecklist, number: int, locale: str
) -> tuple[str, InlineKeyboardMarkup]:
    stage = next((s for s in data.stages if s.number == number), None)
    if stage is None:
        raise NotInProgramme(number)
    lines = [
        t(
            "checklist-stage-head",
            locale,
            number=number,
            title=svc.stage_title(number, locale),
            done=stage.done_count,
            total=stage.total,
        )
    ]
    rows = []
    for item in stage.items:
        icon = "✅" if item.done else "▫️"
        kind = "" if item.auto else " " + t("checklist-manual", locale)
        figure = svc.item_figure(item, locale)
        lines.append(
            f"{icon} {svc.item_title(item.key, locale)}{kind}" + (f" — {figure}" if figure else "")
        )
        if item.marked_at is not None:
            lines.append(
                "    "
                + t(
                    "checklist-tick-by",
                    locale,
                    **name_args("name", item.marked_by or "—"),
                    date=item.marked_at.strftime("%d.%m.%Y"),
                )
            )
        if item.note:
            lines.append("    " + t("checklist-tick-note", locale, note=esc(item.note)))
        if not item.auto or item.key in svc.ALSO_MANUAL:
            title = svc.item_title(item.key, locale)[:40]
            label = t(
                "checklist-btn-untick" if item.done else "checklist-btn-tick", locale, item=title
            )
            rows.append(
                [
                    button(
                        label,
                        CheckCb(action="tick", stage=number, key=item.key, p=data.programme_id),
                    )
                ]
            )
            rows.append(
                [
                    button(
                        t("checklist-btn-note", locale, item=title),
                        CheckCb(action="note", stage=number, key=item.key, p=data.programme_id),
                    )
                ]
            )
    nav = []
    if number > 1:
        nav.append(button("‹", CheckCb(action="stage", stage=number - 1)))
    nav.append(button(t("checklist-btn-all", locale), CheckCb(action="show")))
    if number < 7:
        nav.append(button("›", CheckCb(action="stage", stage=number + 1)))
    rows.append(nav)
    return "\n".join(lines), markup(rows)


@router.message(Command("checklist"))
async def checklist_command(
    message: Message, session: AsyncSession, person: Person, locale: str, state: FSMContext
) -> None:
    await forget(state, session)
    programme = await programme_or_hint(message, session, person, locale)
    if programme is None:
        return
    data = await svc.checklist_for(session, person, programme.id)
    await message.answer(overview_text(data, programme, locale), reply_markup=overview_markup(data))


@router.callback_query(CheckCb.filter(F.action.in_({"show", "stage", "tick"})))
async def checklist_action(
    query: CallbackQuery, callback_data: CheckCb, session: AsyncSession, person: Person, locale: str
) -> None:
    if callback_data.action == "tick":
        programme = await button_programme(session, person, callback_data.p)
    else:
        found = await programme_or_hint(query, session, person, locale)
        if found is None:
            return
        programme = found
    if callback_data.action == "tick":
        await svc.toggle_mark(session, person, programme.id, callback_data.key)
    data = await svc.checklist_for(session, person, programme.id)
    if callback_data.action == "show":
        await show(query, overview_text(data, programme, locale), overview_markup(data))
        return
    text, kb = stage_view(data, callback_data.stage, locale)
    await show(query, text, kb)


@router.callback_query(CheckCb.filter(F.action == "note"))
async def checklist_note_ask(
    query: CallbackQuery,
    callback_data: CheckCb,
    session: AsyncSession,
    person: Person,
    locale: str,
    state: FSMContext,
) -> None:
    programme = await button_programme(session, person, callback_data.p)
    if callback_data.key not in svc.MANUAL_KEYS | svc.ALSO_MANUAL:
        raise NotInProgramme(callback_data.key)
    await remember(
        state,
        session,
        NoteForm.text,
        {"programme_id": programme.id, "key": callback_data.key, "stage": callback_data.stage},
    )
    await show(
        query, t("checklist-note-ask", locale, item=esc(svc.item_title(callback_data.key, locale)))
    )


@router.message(NoteForm.text, F.text & ~F.text.startswith("/"))
async def checklist_note_text(
    message: Message, session: AsyncSession, person: Person, locale: str, state: FSMContext
) -> None:
    data = await recall(state, session)
    await forget(state, session)
    programme_id, key = int(data["programme_id"]), str(data["key"])
    await svc.note_mark(session, person, programme_id, key, message.text or "")
    checklist = await svc.checklist_for(session, person, programme_id)
    text, kb = stage_view(checklist, int(data.get("stage") or 1), locale)
    await message.answer(t("checklist-note-saved", locale) + "\n\n" + text, reply_markup=kb)
