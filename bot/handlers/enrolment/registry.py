"""`/mentors` and `/mentees`: filtered, paginated lists, search by name and the cards."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import F
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.handlers.curator.base import forget, programme_or_hint, recall, remember, show
from bot.handlers.routing import Handlers
from bot.keyboards.curator import RegCb, button, chunks, markup, short
from bot.services.enrolment import registry as svc
from bot.services.names import name_args
from bot.texts import esc, t
from storage.models import Participant, ParticipantStatus, Person, RegistryStatus, Role

router = Handlers(__name__)
ANSWER_LIMIT = 300


class RegistryInput(StatesGroup):
    search = State()
    decline = State()
    select = State()  # several mentors ticked for one decision
    note = State()


NAMES_SHOWN = 40  # a confirmation names this many, then «и ещё N»


def _icon(p: Participant) -> str:
    if p.status != ParticipantStatus.ACTIVE:
        return "⏳"
    if not p.profile_complete:
        return "📝"
    if p.role == Role.MENTOR:
        return {"approved": "✅", "declined": "⛔"}.get(p.registry_status, "🆕")
    return "✅"


async def list_view(
    session: AsyncSession,
    person: Person,
    programme_id: int,
    role: str,
    locale: str,
    *,
    flt: str = "all",
    query: str = "",
    page: int = 0,
    selected: set[int] | None = None,
) -> tuple[str, InlineKeyboardMarkup]:
    """The list; with `selected` (mentors only) a name ticks it instead of opening it."""
    data = await svc.list_participants(
        session, person, programme_id, role, filter_code=flt, query=query, page=page
    )
    head = t(
        f"registry-title-{role}",
        locale,
        programme=esc(data.programme.name),
        filter=t(f"registry-filter-{data.filter.replace('_', '-')}", locale),
        count=data.total,
    )
    if data.query:
        head += "\n" + t("registry-search-for", locale, query=esc(data.query))
    if not data.items:
        head += "\n\n" + t("registry-empty", locale)
    else:
        head += "\n" + t("registry-legend", locale)
    if selected is not None:
        head += "\n\n" + t("registry-select-head", locale, count=len(selected))
        rows = [
            [
                button(
                    f"{'☑️' if p.id in selected else '⬜'} {_icon(p)} {short(p.display_name)}",
                    RegCb(action="pick", role=role, pid=p.id, page=data.page, flt=data.filter),
                )
            ]
            for p in data.items
        ]
    else:
        rows = [
            [
                button(
                    f"{_icon(p)} {short(p.display_name)}",
                    RegCb(action="card", role=role, pid=p.id, page=data.page, flt=data.filter),
                )
            ]
            for p in data.items
        ]
    paging = "slist" if selected is not None else "list"
    if data.pages > 1:
        nav = []
        if data.page > 0:
            nav.append(
                button("‹", RegCb(action=paging, role=role, page=data.page - 1, flt=data.filter))
            )
        nav.append(
            button(
                f"{data.page + 1}/{data.pages}",
                RegCb(action=paging, role=role, page=data.page, flt=data.filter),
            )
        )
        if data.page < data.pages - 1:
            nav.append(
                button("›", RegCb(action=paging, role=role, page=data.page + 1, flt=data.filter))
            )
        rows.append(nav)
    if role == Role.MENTOR:
        rows.extend(_selection_rows(data, selected, locale))
    if selected is not None:
        return head, markup(rows)
    filters = [
        button(
            ("• " if code == data.filter else "")
            + t(f"registry-filter-{code.replace('_', '-')}", locale),
            RegCb(action="list", role=role, flt=code),
        )
        for code in svc.FILTERS[role]
    ]
    rows.extend(chunks(filters, 3))
    rows.append([button(t("registry-btn-search", locale), RegCb(action="search", role=role))])
    return head, markup(rows)


async def _open_list(
    message: Message,
    command: CommandObject,
    session: AsyncSession,
    person: Person,
    locale: str,
    role: str,
) -> None:
    programme = await programme_or_hint(message, session, person, locale)
    if programme is None:
        return
    text, kb = await list_view(
        session, person, programme.id, role, locale, query=(command.args or "")[:100]
    )
    await message.answer(text, reply_markup=kb)


@router.message(Command("mentors"))
async def mentors_command(
    message: Message,
    command: CommandObject,
    session: AsyncSession,
    person: Person,
    locale: str,
    state: FSMContext,
) -> None:
    await forget(state, session)
    await _open_list(message, command, session, person, locale, Role.MENTOR)


@router.message(Command("mentees"))
async def mentees_command(
    message: Message,
    command: CommandObject,
    session: AsyncSession,
    person: Person,
    locale: str,
    state: FSMContext,
) -> None:
    await forget(state, session)
    await _open_list(message, command, session, person, locale, Role.MENTEE)


def _selection_rows(
    data: svc.ParticipantPage, selected: set[int] | None, locale: str
) -> list[list[InlineKeyboardButton]]:
    """Bulk decisions on mentors: tick several (or all found), then approve or train them."""
    role, flt = data.role, data.filter
    pick_all = button(
        t("registry-btn-pick-all", locale, count=data.total),
        RegCb(action="pickall", role=role, flt=flt),
    )
    if selected is None:
        if not data.total:
            return []
        return [
            [
                pick_all,
                button(t("registry-btn-select", locale), RegCb(action="sel", role=role, flt=flt)),
            ]
        ]
    rows = [[pick_all]]
    if selected:
        rows.append(
            [
                button(
                    t("registry-btn-approve-selected", locale, count=len(selected)),
                    RegCb(action="bapprove", role=role, flt=flt),
                ),
                button(
                    t("registry-btn-trained-selected", locale, count=len(selected)),
                    RegCb(action="btrained", role=role, flt=flt),
                ),
            ]
        )
    rows.append(
        [button(t("registry-btn-select-done", locale), RegCb(action="list", role=role, flt=flt))]
    )
    return rows


def _role(value: str) -> str:
    if value not in (Role.MENTOR, Role.MENTEE):
        raise svc.NotInProgramme(value)
    return value


@router.callback_query(RegCb.filter(F.action == "list"))
async def list_page(
    query: CallbackQuery,
    callback_data: RegCb,
    session: AsyncSession,
    person: Person,
    locale: str,
    state: FSMContext,
) -> None:
    await forget(state, session)
    programme = await programme_or_hint(query, session, person, locale)
    if programme is None:
        return
    text, kb = await list_view(
        session,
        person,
        programme.id,
        _role(callback_data.role),
        locale,
        flt=callback_data.flt,
        page=callback_data.page,
    )
    await show(query, text, kb)


@router.callback_query(RegCb.filter(F.action == "search"))
async def search_start(
    query: CallbackQuery,
    callback_data: RegCb,
    session: AsyncSession,
    person: Person,
    locale: str,
    state: FSMContext,
) -> None:
    await remember(state, session, RegistryInput.search, {"role": _role(callback_data.role)})
    await show(
        query,
        t("registry-search-ask", locale),
        markup(
            [[button(t("button-cancel", locale), RegCb(action="list", role=callback_data.role))]]
        ),
    )


@router.message(RegistryInput.search, F.text & ~F.text.startswith("/"))
async def search_text(
    message: Message, session: AsyncSession, person: Person, locale: str, state: FSMContext
) -> None:
    data = await recall(state, session)
    await forget(state, session)
    programme = await programme_or_hint(message, session, person, locale)
    if programme is None:
        return
    text, kb = await list_view(
        session,
        person,
        programme.id,
        _role(data.get("role", "")),
        locale,
        query=(message.text or "")[:100],
    )
    await message.answer(text, reply_markup=kb)


def _answer_line(question: str, shown: str) -> str:
    """One answer of the card; both parts are escaped HTML already."""
    if len(shown) > ANSWER_LIMIT:
        cut = shown[: ANSWER_LIMIT - 1]
        amp = cut.rfind("&")
        if amp > cut.rfind(";"):  # do not cut an HTML entity in half
            cut = cut[:amp]
        shown = cut + "…"
    return f"• <i>{question}</i>: {shown}"


async def card_view(
    session: AsyncSession,
    person: Person,
    participant_id: int,
    locale: str,
    *,
    page: int = 0,
    flt: str = "all",
) -> tuple[str, InlineKeyboardMarkup]:
    card = await svc.card(session, person, participant_id, locale)
    p = card.participant
    lines = [
        t(
            f"registry-card-{p.role}",
            locale,
            name=esc(p.display_name or "—"),
            status=t(f"registry-status-{p.status.replace('_', '-')}", locale),
            profile=t("registry-yes" if p.profile_complete else "registry-no", locale),
            registry=t(f"registry-registry-{p.registry_status}", locale),
            trained=t("registry-yes" if p.trained else "registry-no", locale),
            capacity=p.capacity,
            age=p.age if p.age is not None else "—",
        )
    ]
    if p.decline_reason:
        lines.append(t("registry-card-reason", locale, reason=esc(p.decline_reason)))
    if p.curator_note:
        lines.append(t("registry-card-note", locale, note=esc(p.curator_note)))
    if card.answers:
        lines.append(t("registry-card-answers", locale))
        lines.extend(_answer_line(q, v) for q, v in card.answers)
    else:
        lines.append(t("registry-card-no-answers", locale))
    text = "\n".join(lines)
    role = p.role
    rows: list[list[InlineKeyboardButton]] = []
    if role == Role.MENTOR and p.status == ParticipantStatus.ACTIVE:
        decide = []
        if p.registry_status != RegistryStatus.APPROVED:
            decide.append(
                button(
                    t("registry-btn-approve", locale), RegCb(action="approve", role=role, pid=p.id)
                )
            )
        if p.registry_status != RegistryStatus.DECLINED:
            decide.append(
                button(
                    t("registry-btn-decline", locale), RegCb(action="decline", role=role, pid=p.id)
                )
            )
        rows.append(decide)
        if p.registry_status == RegistryStatus.APPROVED:
            rows.append(
                [
                    button(
                        t(
                            "registry-btn-untrained" if p.trained else "registry-btn-trained",
                            locale,
                        ),
                        RegCb(action="untrained" if p.trained else "trained", role=role, pid=p.id),
                    ),
                    button(
                        t("registry-btn-capacity", locale, capacity=p.capacity),
                        RegCb(action="cap", role=role, pid=p.id),
                    ),
                ]
            )
    if not p.profile_complete:
        rows.append(
            [button(t("registry-btn-remind", locale), RegCb(action="remind", role=role, pid=p.id))]
        )
    if role == Role.MENTEE:
        rows.append(
            [button(t("registry-btn-note", locale), RegCb(action="note", role=role, pid=p.id))]
        )
    if p.is_minor and p.status in (
        ParticipantStatus.PARENT_PENDING,
        ParticipantStatus.CONSENT_PENDING,
    ):
        rows.append(
            [button(t("registry-btn-paper", locale), RegCb(action="paper", role=role, pid=p.id))]
        )
    rows.append(
        [
            button(
                t("registry-btn-back-list", locale),
                RegCb(action="list", role=role, page=page, flt=flt),
            )
        ]
    )
    return text, markup(rows)


@router.callback_query(RegCb.filter(F.action == "card"))
async def open_card(
    query: CallbackQuery, callback_data: RegCb, session: AsyncSession, person: Person, locale: str
) -> None:
    text, kb = await card_view(
        session, person, callback_data.pid, locale, page=callback_data.page, flt=callback_data.flt
    )
    await show(query, text, kb)


@router.callback_query(
    RegCb.filter(F.action.in_({"approve", "trained", "untrained", "remind", "paper", "setcap"}))
)
async def card_action(
    query: CallbackQuery, callback_data: RegCb, session: AsyncSession, person: Person, locale: str
) -> None:
    action, pid = callback_data.action, callback_data.pid
    if action == "approve":
        await svc.approve_mentor(session, person, pid)
    elif action in ("trained", "untrained"):
        await svc.set_trained(session, person, pid, action == "trained")
    elif action == "remind":
        queued = await svc.remind_profile(session, person, pid)
        if not queued:
            await query.answer(t("registry-reminded-already", locale), show_alert=True)
            return
    elif action == "paper":
        await svc.mark_paper_consent(session, person, pid)
    elif action == "setcap":
        await svc.set_capacity(session, person, pid, callback_data.val)
    text, kb = await card_view(session, person, pid, locale)
    await show(query, t(f"registry-done-{action}", locale) + "\n\n" + text, kb)


@router.callback_query(RegCb.filter(F.action == "cap"))
async def capacity_choice(
    query: CallbackQuery, callback_data: RegCb, session: AsyncSession, person: Person, locale: str
) -> None:
    mentor = await svc.get_participant(session, person, callback_data.pid, Role.MENTOR)
    buttons = [
        button(
            ("✅ " if n == mentor.capacity else "") + str(n),
            RegCb(action="setcap", role=Role.MENTOR, pid=mentor.id, val=n),
        )
        for n in range(1, svc.MAX_CAPACITY + 1)
    ]
    rows = chunks(buttons, 5)
    rows.append(
        [button(t("button-back", locale), RegCb(action="card", role=Role.MENTOR, pid=mentor.id))]
    )
    await show(
        query,
        t("registry-capacity-ask", locale, name=esc(mentor.display_name or "—")),
        markup(rows),
    )


async def _ask_text(
    query: CallbackQuery,
    state: FSMContext,
    session: AsyncSession,
    waiting: State,
    participant: Participant,
    text: str,
    locale: str,
) -> None:
    """Ask the curator to type a text about a participant; «Отмена» goes back to the card."""
    await remember(state, session, waiting, {"pid": participant.id})
    back = RegCb(action="card", role=participant.role, pid=participant.id)
    await show(query, text, markup([[button(t("button-cancel", locale), back)]]))


async def _take_text(
    message: Message,
    session: AsyncSession,
    person: Person,
    locale: str,
    state: FSMContext,
    save: Callable[[AsyncSession, Person, int, str], Awaitable[Any]],
    done_key: str,
) -> None:
    """Save the typed text; a text the service refuses is asked again (the state stays),
    a saved one shows the card with `done_key` above it."""
    data = await recall(state, session)
    try:
        await save(session, person, int(data.get("pid", 0)), message.text or "")
    except svc.NotAllowedNow as exc:
        await message.answer(t(exc.key, locale))
        return
    await forget(state, session)
    text, kb = await card_view(session, person, int(data["pid"]), locale)
    await message.answer(t(done_key, locale) + "\n\n" + text, reply_markup=kb)


@router.callback_query(RegCb.filter(F.action == "decline"))
async def decline_start(
    query: CallbackQuery,
    callback_data: RegCb,
    session: AsyncSession,
    person: Person,
    locale: str,
    state: FSMContext,
) -> None:
    mentor = await svc.get_participant(session, person, callback_data.pid, Role.MENTOR)
    ask = t("registry-decline-ask", locale, **name_args("name", mentor.display_name or "—"))
    await _ask_text(query, state, session, RegistryInput.decline, mentor, ask, locale)


@router.message(RegistryInput.decline, F.text & ~F.text.startswith("/"))
async def decline_reason(
    message: Message, session: AsyncSession, person: Person, locale: str, state: FSMContext
) -> None:
    await _take_text(
        message, session, person, locale, state, svc.decline_mentor, "registry-done-decline"
    )


# ------------------------------------------------------------------ many mentors at once


async def _selection(state: FSMContext, session: AsyncSession) -> tuple[dict[str, Any], set[int]]:
    if await state.get_state() != RegistryInput.select.state:
        return {}, set()
    data = await recall(state, session)
    return data, {int(x) for x in data.get("sel", [])}


async def _show_selection(
    event: CallbackQuery,
    session: AsyncSession,
    person: Person,
    locale: str,
    state: FSMContext,
    selected: set[int],
    *,
    flt: str,
    query: str = "",
    page: int = 0,
    note: str = "",
) -> None:
    await remember(
        state,
        session,
        RegistryInput.select,
        {"sel": sorted(selected), "flt": flt, "query": query},
    )
    programme = await programme_or_hint(event, session, person, locale)
    if programme is None:
        return
    text, kb = await list_view(
        session,
        person,
        programme.id,
        Role.MENTOR,
        locale,
        flt=flt,
        query=query,
        page=page,
        selected=selected,
    )
    await show(event, note + text, kb)


@router.callback_query(RegCb.filter(F.action.in_({"sel", "slist", "pick", "pickall"})))
async def select_mentors(
    query: CallbackQuery,
    callback_data: RegCb,
    session: AsyncSession,
    person: Person,
    locale: str,
    state: FSMContext,
) -> None:
    data, selected = await _selection(state, session)
    action, flt = callback_data.action, callback_data.flt
    search = str(data.get("query", "")) if action != "sel" else ""
    if action == "sel":
        selected = set()
    elif action == "pick":
        mentor = await svc.get_participant(session, person, callback_data.pid, Role.MENTOR)
        selected ^= {mentor.id}
    elif action == "pickall":
        programme = await programme_or_hint(query, session, person, locale)
        if programme is None:
            return
        selected |= set(
            await svc.matching_ids(
                session, person, programme.id, Role.MENTOR, filter_code=flt, query=search
            )
        )
    await _show_selection(
        query,
        session,
        person,
        locale,
        state,
        selected,
        flt=flt,
        query=search,
        page=callback_data.page if action in ("slist", "pick") else 0,
    )


@router.callback_query(RegCb.filter(F.action == "bapprove"))
async def approve_selected_ask(
    query: CallbackQuery,
    callback_data: RegCb,
    session: AsyncSession,
    person: Person,
    locale: str,
    state: FSMContext,
) -> None:
    """Approval messages every mentor approved: who and how many, then a confirmation."""
    _data, selected = await _selection(state, session)
    mentors = await svc.to_approve(session, person, sorted(selected))
    if not mentors:
        raise svc.NotAllowedNow("registry-bulk-nobody")
    names = [esc(m.display_name or "—") for m in mentors[:NAMES_SHOWN]]
    text = t("registry-confirm-approve", locale, count=len(mentors), names=", ".join(names))
    if len(mentors) > NAMES_SHOWN:
        text += " " + t("registry-and-more", locale, count=len(mentors) - NAMES_SHOWN)
    flt = callback_data.flt
    await show(
        query,
        text,
        markup(
            [
                [
                    button(
                        t("registry-btn-confirm-approve", locale, count=len(mentors)),
                        RegCb(action="bapprovey", role=Role.MENTOR, flt=flt),
                    )
                ],
                [
                    button(
                        t("button-cancel", locale), RegCb(action="slist", role=Role.MENTOR, flt=flt)
                    )
                ],
            ]
        ),
    )


@router.callback_query(RegCb.filter(F.action.in_({"bapprovey", "btrained"})))
async def act_on_selected(
    query: CallbackQuery,
    callback_data: RegCb,
    session: AsyncSession,
    person: Person,
    locale: str,
    state: FSMContext,
) -> None:
    data, selected = await _selection(state, session)
    if callback_data.action == "bapprovey":
        count = await svc.approve_many(session, person, sorted(selected))
        note = t("registry-bulk-approved", locale, count=count)
    else:
        count = await svc.train_many(session, person, sorted(selected))
        note = t("registry-bulk-trained", locale, count=count)
    await _show_selection(
        query,
        session,
        person,
        locale,
        state,
        selected,
        flt=callback_data.flt,
        query=str(data.get("query", "")),
        note=note + "\n\n",
    )


@router.callback_query(RegCb.filter(F.action == "note"))
async def note_start(
    query: CallbackQuery,
    callback_data: RegCb,
    session: AsyncSession,
    person: Person,
    locale: str,
    state: FSMContext,
) -> None:
    mentee = await svc.get_participant(session, person, callback_data.pid, Role.MENTEE)
    ask = t("registry-note-ask", locale, **name_args("name", mentee.display_name or "—"))
    await _ask_text(query, state, session, RegistryInput.note, mentee, ask, locale)


@router.message(RegistryInput.note, F.text & ~F.text.startswith("/"))
async def note_text(
    message: Message, session: AsyncSession, person: Person, locale: str, state: FSMContext
) -> None:
    await _take_text(
        message, session, person, locale, state, svc.set_curator_note, "registry-note-saved"
    )
