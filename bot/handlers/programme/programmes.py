"""`/program`: create a programme (a wizard with buttons), choose the current one, edit it."""

from __future__ import annotations

from datetime import date
from typing import Any

from aiogram import F
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.handlers.curator.base import forget, recall, remember, show
from bot.handlers.routing import Handlers
from bot.keyboards.curator import ProgCb, WizCb, button, chunks, markup, short
from bot.services.access import current_programme, is_coordinator, require_programme
from bot.services.programme import programmes as svc
from bot.services.vocabulary import MENTORING_FORMS, label
from bot.texts import esc, t
from storage.models import Organisation, Person, Programme

router = Handlers(__name__)


class ProgrammeForm(StatesGroup):
    step = State()


# --- the programme card and the list ------------------------------------------------


def zone_label(zone: str, locale: str) -> str:
    for code, name in svc.TIMEZONES:
        if name == zone:
            return t(f"tz-{code}", locale)
    return zone


def quiet_label(value: str, locale: str) -> str:
    if value == "none":
        return t("program-quiet-none", locale)
    start, _, end = value.partition("-")
    return f"{start}:00–{end}:00" if start.isdigit() and end.isdigit() else value


def summary(draft: dict[str, Any], organisation: str, locale: str) -> str:
    dash = "—"
    forms = ", ".join(label("form", f, locale) for f in draft.get("forms") or []) or dash
    return t(
        "program-summary",
        locale,
        name=esc(draft.get("name") or dash),
        organisation=esc(draft.get("org_name") or organisation or dash),
        address=esc(draft.get("org_address") or dash),
        forms=forms,
        kind=t("program-group" if draft.get("is_group") else "program-individual", locale),
        timezone=zone_label(draft.get("timezone") or "", locale),
        starts=_date(draft.get("starts_on")) or dash,
        ends=_date(draft.get("ends_on")) or dash,
        cadence=draft.get("feedback_cadence_days") or 14,
        quiet=quiet_label(draft.get("quiet") or "21-09", locale),
        operator=esc(draft.get("operator_name") or dash),
        details=esc(draft.get("operator_details") or dash),
        goals=esc(draft.get("goals") or dash),
        students=draft.get("students_total") if draft.get("students_total") is not None else dash,
        teachers=draft.get("young_teachers_total")
        if draft.get("young_teachers_total") is not None
        else dash,
    )


def _date(value: str | None) -> str:
    return date.fromisoformat(value).strftime("%d.%m.%Y") if value else ""


async def _org_name(session: AsyncSession, org_id: int | None) -> str:
    organisation = await session.get(Organisation, org_id) if org_id else None
    return organisation.name if organisation else ""


def details_button(programme_id: int, step: str, locale: str) -> InlineKeyboardButton:
    """A button that opens the edit of a missing detail of the consent."""
    return button(
        t("program-btn-fill-details", locale),
        ProgCb(action="edit", id=programme_id, value=step),
    )


async def card_view(
    session: AsyncSession, person: Person, programme: Programme, locale: str
) -> tuple[str, InlineKeyboardMarkup]:
    text = t("program-card-title", locale) + "\n\n"
    draft = await svc.full_draft(session, programme)
    text += summary(draft, "", locale)
    missing = svc.missing_details(draft)
    rows = []
    if missing:
        text += "\n\n" + t("program-details-missing", locale)
        rows.append([details_button(programme.id, missing[0], locale)])
    rows.append([button(t("program-btn-edit", locale), ProgCb(action="edit", id=programme.id))])
    if person.current_programme_id != programme.id:
        rows.append(
            [button(t("program-btn-choose", locale), ProgCb(action="choose", id=programme.id))]
        )
    rows.append(
        [
            button(t("program-btn-list", locale), ProgCb(action="list")),
            button(t("program-btn-new", locale), ProgCb(action="new")),
        ]
    )
    return text, markup(rows)


@router.message(Command("program"))
async def program_command(
    message: Message, session: AsyncSession, person: Person, locale: str, state: FSMContext
) -> None:
    await forget(state, session)
    programme = await current_programme(session, person)
    if programme is None:
        await message.answer(
            t("curator-no-programme", locale),
            reply_markup=markup([[button(t("program-btn-new", locale), ProgCb(action="new"))]]),
        )
        return
    text, kb = await card_view(session, person, programme, locale)
    await message.answer(text, reply_markup=kb)


@router.callback_query(ProgCb.filter(F.action == "list"))
async def program_list(
    query: CallbackQuery, callback_data: ProgCb, session: AsyncSession, person: Person, locale: str
) -> None:
    page = await svc.list_programmes(session, person, callback_data.id)
    rows = []
    for p in page.items:
        mark = "• " if p.id == person.current_programme_id else ""
        rows.append([button(mark + short(p.name, 50), ProgCb(action="card", id=p.id))])
    if page.pages > 1:
        rows.append(
            [
                button("‹", ProgCb(action="list", id=max(0, page.page - 1))),
                button(f"{page.page + 1}/{page.pages}", ProgCb(action="list", id=page.page)),
                button("›", ProgCb(action="list", id=min(page.pages - 1, page.page + 1))),
            ]
        )
    rows.append([button(t("program-btn-new", locale), ProgCb(action="new"))])
    await show(query, t("program-list-title", locale, count=page.total), markup(rows))


@router.callback_query(ProgCb.filter(F.action.in_({"card", "choose"})))
async def program_card(
    query: CallbackQuery, callback_data: ProgCb, session: AsyncSession, person: Person, locale: str
) -> None:
    if callback_data.action == "choose":
        programme = await svc.choose_programme(session, person, callback_data.id)
    else:
        programme = await require_programme(session, person.id, callback_data.id)
    text, kb = await card_view(session, person, programme, locale)
    await show(query, text, kb)


@router.callback_query(ProgCb.filter(F.action == "edit"))
async def program_edit(
    query: CallbackQuery,
    callback_data: ProgCb,
    session: AsyncSession,
    person: Person,
    locale: str,
    state: FSMContext,
) -> None:
    programme = await require_programme(session, person.id, callback_data.id)
    if callback_data.value in svc.EDITABLE:
        data = {
            "draft": await svc.full_draft(session, programme),
            "step": callback_data.value,
            "edit_id": programme.id,
        }
        await remember(state, session, ProgrammeForm.step, data)
        text, kb = await step_view(session, person, data, locale)
        await show(query, text, kb)
        return
    buttons = [
        button(
            t(f"program-field-{field.replace('_', '-')}", locale),
            ProgCb(action="edit", id=programme.id, value=field),
        )
        for field in svc.EDITABLE
    ]
    rows = chunks(buttons, 2)
    rows.append([button(t("button-back", locale), ProgCb(action="card", id=programme.id))])
    await show(query, t("program-edit-title", locale, name=esc(programme.name)), markup(rows))


# --- the wizard --------------------------------------------------------------------


@router.callback_query(ProgCb.filter(F.action == "new"))
async def program_new(
    query: CallbackQuery, session: AsyncSession, person: Person, locale: str, state: FSMContext
) -> None:
    orgs = await svc.organisations_for(session, person.id)
    if not orgs and not await is_coordinator(session, person.id):
        await show(query, t("curator-denied", locale))
        return
    draft = svc.default_draft()
    if len(orgs) == 1 and not await is_coordinator(session, person.id):
        draft["organisation_id"] = orgs[0].id
    data = {"draft": draft, "step": "name", "edit_id": 0}
    await remember(state, session, ProgrammeForm.step, data)
    text, kb = await step_view(session, person, data, locale)
    await show(query, text, kb)


async def _org_value(session: AsyncSession, draft: dict[str, Any], step: str) -> str:
    """The organisation's name or address as the draft or the organisation has it."""
    if draft.get(step):
        return str(draft[step])
    org_id = draft.get("organisation_id")
    organisation = await session.get(Organisation, org_id) if org_id else None
    if organisation is None:
        return ""
    return (organisation.name if step == "org_name" else organisation.address) or ""


async def _skip_org(session: AsyncSession, person: Person) -> bool:
    orgs = await svc.organisations_for(session, person.id)
    return len(orgs) == 1 and not await is_coordinator(session, person.id)


async def _move(session: AsyncSession, person: Person, data: dict[str, Any], delta: int) -> bool:
    """Go to the next/previous step; False when there is none (the summary / the start)."""
    steps = list(svc.STEPS)
    index = steps.index(data["step"]) if data["step"] in steps else len(steps)
    while True:
        index += delta
        if index < 0:
            return False
        if index >= len(steps):
            data["step"] = "confirm"
            return True
        if steps[index] == "organisation" and await _skip_org(session, person):
            continue
        data["step"] = steps[index]
        return True


def _nav(
    locale: str, step: str, *, skip: bool = False, next_: bool = False
) -> list[InlineKeyboardButton]:
    row = []
    if step != "name":
        row.append(button(t("button-back", locale), WizCb(action="back")))
    if skip:
        row.append(button(t("program-btn-skip", locale), WizCb(action="skip")))
    if next_:
        row.append(button(t("program-btn-next", locale), WizCb(action="next")))
    row.append(button(t("button-cancel", locale), WizCb(action="cancel")))
    return row


async def step_view(
    session: AsyncSession, person: Person, data: dict[str, Any], locale: str
) -> tuple[str, InlineKeyboardMarkup]:
    step: str = data["step"]
    draft: dict[str, Any] = data["draft"]
    editing = bool(data.get("edit_id"))
    # The steps this person goes through: a curator of one organisation has no choice of it.
    steps = [s for s in svc.STEPS if s != "organisation" or not await _skip_org(session, person)]
    number = steps.index(step) + 1 if step in steps else len(steps)
    head = "" if editing else t("program-step", locale, number=number, total=len(steps)) + "\n"
    rows: list[list[InlineKeyboardButton]] = []
    if step == "confirm":
        text = t("program-confirm", locale) + "\n\n"
        text += summary(draft, await _org_name(session, draft.get("organisation_id")), locale)
        rows.append([button(t("program-btn-save", locale), WizCb(action="save"))])
        rows.append(_nav(locale, step))
        return text, markup(rows)
    text = head + t(f"program-ask-{step.replace('_', '-')}", locale)
    if data.get("await_org_name"):
        text = head + t("program-ask-new-organisation", locale)
        rows.append(_nav(locale, step))
        return text, markup(rows)
    if step == "organisation":
        for org in await svc.organisations_for(session, person.id):
            mark = "✅ " if draft.get("organisation_id") == org.id else ""
            rows.append(
                [button(mark + short(org.name, 50), WizCb(action="pick", value=str(org.id)))]
            )
        if await is_coordinator(session, person.id):
            rows.append([button(t("program-btn-new-organisation", locale), WizCb(action="neworg"))])
        rows.append(_nav(locale, step))
    elif step == "forms":
        chosen = set(draft.get("forms") or [])
        for code in MENTORING_FORMS:
            mark = "✅ " if code in chosen else "▫️ "
            rows.append(
                [button(mark + label("form", code, locale), WizCb(action="toggle", value=code))]
            )
        rows.append(_nav(locale, step, next_=True))
    elif step == "is_group":
        rows.append(
            [
                button(t("program-individual", locale), WizCb(action="pick", value="0")),
                button(t("program-group", locale), WizCb(action="pick", value="1")),
            ]
        )
        rows.append(_nav(locale, step))
    elif step == "timezone":
        buttons = [
            button(
                ("✅ " if draft.get("timezone") == zone else "") + t(f"tz-{code}", locale),
                WizCb(action="pick", value=code),
            )
            for code, zone in svc.TIMEZONES
        ]
        rows.extend(chunks(buttons, 2))
        rows.append(_nav(locale, step))
    elif step == "feedback_cadence_days":
        rows.append(
            [
                button(t("program-days", locale, days=d), WizCb(action="pick", value=str(d)))
                for d in svc.CADENCES
            ]
        )
        rows.append(_nav(locale, step))
    elif step == "quiet":
        rows.extend(
            chunks(
                [
                    button(quiet_label(q, locale), WizCb(action="pick", value=q))
                    for q in svc.QUIET_OPTIONS
                ],
                2,
            )
        )
        rows.append(_nav(locale, step))
    elif step == "operator_name":
        org_name = draft.get("org_name") or await _org_name(session, draft.get("organisation_id"))
        if org_name:
            rows.append([button(short(org_name, 50), WizCb(action="pick", value="org"))])
        rows.append(_nav(locale, step))
    elif step in svc.ORGANISATION_STEPS:
        current = await _org_value(session, draft, step)
        if current:
            text += "\n\n" + t("program-current-value", locale, value=esc(current))
            keep = t("program-btn-keep", locale)
            rows.append([button(keep, WizCb(action="pick", value="keep"))])
        rows.append(_nav(locale, step))
    else:  # typed steps
        rows.append(_nav(locale, step, skip=step in svc.OPTIONAL_STEPS))
    return text, markup(rows)


async def _after_value(
    event: Message | CallbackQuery,
    session: AsyncSession,
    person: Person,
    locale: str,
    state: FSMContext,
    data: dict[str, Any],
) -> None:
    """A step got its value: save it (editing) or go on (creating)."""
    if data.get("edit_id"):
        step = data["step"]
        keys = ["quiet"] if step == "quiet" else [step]
        programme = await svc.update_programme(
            session, person, int(data["edit_id"]), {k: data["draft"].get(k) for k in keys}
        )
        await forget(state, session)
        text, kb = await card_view(session, person, programme, locale)
        await show(event, t("program-saved", locale) + "\n\n" + text, kb)
        return
    await _move(session, person, data, +1)
    await remember(state, session, ProgrammeForm.step, data)
    text, kb = await step_view(session, person, data, locale)
    await show(event, text, kb)


@router.callback_query(ProgrammeForm.step, WizCb.filter())
async def wizard_button(
    query: CallbackQuery,
    callback_data: WizCb,
    session: AsyncSession,
    person: Person,
    locale: str,
    state: FSMContext,
) -> None:
    data = await recall(state, session)
    draft = data["draft"]
    step = data["step"]
    action, value = callback_data.action, callback_data.value
    if action == "cancel":
        await forget(state, session)
        await show(query, t("program-cancelled", locale))
        return
    if action == "back":
        if data.pop("await_org_name", None):
            pass
        elif data.get("edit_id"):
            await forget(state, session)
            programme = await require_programme(session, person.id, int(data["edit_id"]))
            text, kb = await card_view(session, person, programme, locale)
            await show(query, text, kb)
            return
        elif not await _move(session, person, data, -1):
            data["step"] = "name"
        await remember(state, session, ProgrammeForm.step, data)
        text, kb = await step_view(session, person, data, locale)
        await show(query, text, kb)
        return
    if action == "save" and step == "confirm":
        programme = await svc.create_programme(session, person, draft)
        await forget(state, session)
        text, kb = await card_view(session, person, programme, locale)
        await show(query, t("program-created", locale) + "\n\n" + text, kb)
        return
    if action == "neworg" and step == "organisation" and await is_coordinator(session, person.id):
        data["await_org_name"] = True
        await remember(state, session, ProgrammeForm.step, data)
        text, kb = await step_view(session, person, data, locale)
        await show(query, text, kb)
        return
    if action == "skip" and step in svc.OPTIONAL_STEPS:
        draft[step] = None
        await _after_value(query, session, person, locale, state, data)
        return
    if action == "toggle" and step == "forms" and value in MENTORING_FORMS:
        chosen = list(draft.get("forms") or [])
        draft["forms"] = [f for f in chosen if f != value] if value in chosen else [*chosen, value]
        await remember(state, session, ProgrammeForm.step, data)
        text, kb = await step_view(session, person, data, locale)
        await show(query, text, kb)
        return
    if action == "next" and step == "forms":
        if not draft.get("forms"):
            await query.answer(t("program-error-forms", locale), show_alert=True)
            return
        await _after_value(query, session, person, locale, state, data)
        return
    if action == "pick":
        if not _pick(
            step, value, draft, {o.id for o in await svc.organisations_for(session, person.id)}
        ):
            await query.answer(t("button-stale", locale), show_alert=True)
            return
        if step == "operator_name" and value == "org":
            draft["operator_name"] = draft.get("org_name") or await _org_name(
                session, draft.get("organisation_id")
            )
        if step in svc.ORGANISATION_STEPS and value == "keep":
            current = await _org_value(session, draft, step)
            if not current:
                await query.answer(t("button-stale", locale), show_alert=True)
                return
            draft[step] = current
        await _after_value(query, session, person, locale, state, data)
        return
    await query.answer(t("button-stale", locale), show_alert=True)


def _pick(step: str, value: str, draft: dict[str, Any], orgs: set[int]) -> bool:
    if step == "organisation" and value.isdigit() and int(value) in orgs:
        draft["organisation_id"] = int(value)
    elif step == "is_group" and value in ("0", "1"):
        draft["is_group"] = value == "1"
    elif step == "timezone" and value in svc.ZONES:
        draft["timezone"] = svc.ZONES[value]
    elif step == "feedback_cadence_days" and value.isdigit() and int(value) in svc.CADENCES:
        draft["feedback_cadence_days"] = int(value)
    elif step == "quiet" and value in svc.QUIET_OPTIONS:
        draft["quiet"] = value
    elif step == "operator_name" and value == "org":
        return True
    elif step in svc.ORGANISATION_STEPS and value == "keep":
        return True
    else:
        return False
    return True


@router.message(ProgrammeForm.step, F.text & ~F.text.startswith("/"))
async def wizard_text(
    message: Message, session: AsyncSession, person: Person, locale: str, state: FSMContext
) -> None:
    data = await recall(state, session)
    step = data["step"]
    if data.get("await_org_name"):
        organisation = await svc.create_organisation(session, person, message.text or "")
        data.pop("await_org_name")
        data["draft"]["organisation_id"] = organisation.id
        await _after_value(message, session, person, locale, state, data)
        return
    try:
        value = svc.parse_text_value(step, message.text or "")
        if step in ("starts_on", "ends_on"):
            svc.check_draft({**data["draft"], "forms": ["x"], step: value})
    except svc.InvalidValue as exc:
        await message.answer(t(exc.key, locale))
        return
    data["draft"][step] = value
    await _after_value(message, session, person, locale, state, data)
