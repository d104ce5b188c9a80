"""`/pairs`: run the matching, review proposals, confirm, reject, move, assign, unpair."""

from __future__ import annotations

from aiogram import F
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.handlers.curator.base import open_screen, pressed_programme, programme_or_hint, show
from bot.handlers.routing import Handlers
from bot.keyboards.curator import PairCb, button, markup, short
from bot.services import vocabulary
from bot.services.access import button_programme
from bot.services.enrolment.registry import NotAllowedNow
from bot.services.matching import review as svc
from bot.services.pairwork import relay
from bot.services.pairwork.cycle import NotInPair
from bot.services.pairwork.meetings import local_text as relay_time
from bot.texts import esc, shorten_lines, t
from storage.models import PairStatus, Person, Programme

router = Handlers(__name__)
PAGE = 5
EXPLANATION_LIMIT = 400
CONFIRM_SHOWN = 30  # the confirmation names this many pairs, then «и ещё N»


async def overview_view(
    session: AsyncSession, person: Person, programme: Programme, locale: str
) -> tuple[str, InlineKeyboardMarkup]:
    data = await svc.overview(session, person, programme.id)
    text = t(
        "pairs-title",
        locale,
        programme=esc(programme.name),
        proposed=len(data.proposed),
        confirmed=len(data.confirmed),
        unmatched=len(data.unmatched),
    )
    rows = [[button(t("pairs-btn-run", locale), PairCb(action="run", id=programme.id))]]
    if data.proposed:
        rows.append(
            [
                button(
                    t("pairs-btn-proposed", locale, count=len(data.proposed)),
                    PairCb(action="list", id=0),
                )
            ]
        )
        rows.append(
            [button(t("pairs-btn-confirm-all", locale), PairCb(action="allask", id=programme.id))]
        )
    if data.confirmed:
        rows.append(
            [
                button(
                    t("pairs-btn-confirmed", locale, count=len(data.confirmed)),
                    PairCb(action="list", id=1),
                )
            ]
        )
    if data.unmatched:
        rows.append(
            [
                button(
                    t("pairs-btn-lonely", locale, count=len(data.unmatched)),
                    PairCb(action="lonely"),
                )
            ]
        )
    return text, markup(rows)


@router.message(Command("pairs"))
async def pairs_command(
    message: Message, session: AsyncSession, person: Person, locale: str, state: FSMContext
) -> None:
    await open_screen(message, session, person, locale, state, overview_view)


@router.callback_query(PairCb.filter(F.action.in_({"show", "run", "all"})))
async def pairs_overview(
    query: CallbackQuery, callback_data: PairCb, session: AsyncSession, person: Person, locale: str
) -> None:
    shown_for = None if callback_data.action == "show" else callback_data.id
    programme = await pressed_programme(query, session, person, locale, shown_for)
    if programme is None:
        return
    note = ""
    if callback_data.action == "run":
        result = await svc.propose(session, person, programme.id)
        note = t("pairs-ran", locale, proposed=result.proposed, unmatched=result.unmatched) + "\n\n"
    elif callback_data.action == "all":
        done = await svc.confirm_all(session, person, programme.id)
        note = t("pairs-confirmed-n", locale, count=len(done)) + "\n\n"
    text, kb = await overview_view(session, person, programme, locale)
    await show(query, note + text, kb)


@router.callback_query(PairCb.filter(F.action == "allask"))
async def confirm_all_ask(
    query: CallbackQuery, callback_data: PairCb, session: AsyncSession, person: Person, locale: str
) -> None:
    """Confirming messages every member of every proposed pair: who and how many first."""
    programme = await button_programme(session, person, callback_data.id)
    data = await svc.overview(session, person, programme.id)
    if not data.proposed:
        raise NotAllowedNow("pairs-error-nothing-to-confirm")
    people = sum(1 + len(v.mentees) for v in data.proposed)
    lines = [t("pairs-confirm-all-ask", locale, pairs=len(data.proposed), people=people)]
    lines.extend(_pair_line(v) for v in data.proposed[:CONFIRM_SHOWN])
    if len(data.proposed) > CONFIRM_SHOWN:
        lines.append(t("pairs-confirm-all-more", locale, count=len(data.proposed) - CONFIRM_SHOWN))
    rows = [
        [
            button(
                t("pairs-btn-confirm-all-yes", locale, people=people),
                PairCb(action="all", id=programme.id),
            )
        ],
        [button(t("button-cancel", locale), PairCb(action="show"))],
    ]
    await show(query, "\n".join(lines), markup(rows))


def _clip(text: str | None) -> str:
    return shorten_lines(text or "", EXPLANATION_LIMIT)


def _pair_line(view: svc.PairView) -> str:
    mentees = ", ".join(esc(m.display_name or "—") for m in view.mentees)
    return f"<b>{esc(view.mentor.display_name or '—')}</b> → {mentees}"


@router.callback_query(PairCb.filter(F.action == "list"))
async def pairs_list(
    query: CallbackQuery, callback_data: PairCb, session: AsyncSession, person: Person, locale: str
) -> None:
    programme = await programme_or_hint(query, session, person, locale)
    if programme is None:
        return
    data = await svc.overview(session, person, programme.id)
    items = data.confirmed if callback_data.id == 1 else data.proposed
    pages = max(1, -(-len(items) // PAGE))
    page = min(max(callback_data.page, 0), pages - 1)
    chunk = items[page * PAGE : (page + 1) * PAGE]
    title = t("pairs-list-confirmed" if callback_data.id == 1 else "pairs-list-proposed", locale)
    lines = [title]
    rows: list[list[InlineKeyboardButton]] = []
    for view in chunk:
        line = _pair_line(view)
        if view.pair.explanation and view.pair.status == PairStatus.PROPOSED:
            line += "\n<i>" + esc(_clip(view.pair.explanation)) + "</i>"
        lines.append(line)
        rows.append(
            [button(short(view.mentor.display_name) + " →", PairCb(action="card", id=view.pair.id))]
        )
    if pages > 1:
        nav = []
        if page > 0:
            nav.append(button("‹", PairCb(action="list", id=callback_data.id, page=page - 1)))
        nav.append(
            button(f"{page + 1}/{pages}", PairCb(action="list", id=callback_data.id, page=page))
        )
        if page < pages - 1:
            nav.append(button("›", PairCb(action="list", id=callback_data.id, page=page + 1)))
        rows.append(nav)
    rows.append([button(t("button-back", locale), PairCb(action="show"))])
    await show(query, "\n\n".join(lines), markup(rows))


async def card_view(
    session: AsyncSession, person: Person, pair_id: int, locale: str
) -> tuple[str, InlineKeyboardMarkup]:
    view = await svc.pair_view(session, person, pair_id)
    status = t(f"pairs-status-{view.pair.status}", locale)
    text = t("pairs-card", locale, status=status) + "\n" + _pair_line(view)
    if view.pair.mentoring_form:
        text += "\n" + t(
            "pairs-form", locale, form=vocabulary.label("form", view.pair.mentoring_form, locale)
        )
    if view.pair.directive:
        text += "\n" + t("pairs-directive", locale)
    if view.pair.explanation:
        text += "\n\n<i>" + esc(_clip(view.pair.explanation)) + "</i>"
    rows = []
    if view.pair.status == PairStatus.PROPOSED:
        rows.append(
            [
                button(t("pairs-btn-confirm", locale), PairCb(action="confirm", id=pair_id)),
                button(t("pairs-btn-reject", locale), PairCb(action="reject", id=pair_id)),
            ]
        )
    else:
        rows.append([button(t("pairs-btn-unpair", locale), PairCb(action="unpair", id=pair_id))])
        rows.append([button(t("relay-btn-chat", locale), PairCb(action="chat", id=pair_id))])
    for mentee in view.mentees:
        rows.append(
            [
                button(
                    t("pairs-btn-move", locale, name=short(mentee.display_name, 30)),
                    PairCb(action="move", id=pair_id, m=mentee.id),
                )
            ]
        )
    rows.append(
        [
            button(
                t("button-back", locale),
                PairCb(action="list", id=0 if view.pair.status == PairStatus.PROPOSED else 1),
            )
        ]
    )
    return text, markup(rows)


@router.callback_query(PairCb.filter(F.action.in_({"card", "confirm", "reject", "unpair"})))
async def pair_card(
    query: CallbackQuery, callback_data: PairCb, session: AsyncSession, person: Person, locale: str
) -> None:
    action, pair_id = callback_data.action, callback_data.id
    if action == "confirm":
        await svc.confirm(session, person, [pair_id])
    elif action in ("reject", "unpair"):
        if action == "reject":
            await svc.reject(session, person, pair_id)
        else:
            await svc.unpair(session, person, pair_id)
        programme = await programme_or_hint(query, session, person, locale)
        if programme is None:
            return
        text, kb = await overview_view(session, person, programme, locale)
        await show(query, t(f"pairs-done-{action}", locale) + "\n\n" + text, kb)
        return
    text, kb = await card_view(session, person, pair_id, locale)
    note = t("pairs-done-confirm", locale) + "\n\n" if action == "confirm" else ""
    await show(query, note + text, kb)


async def _mentor_choice(
    session: AsyncSession,
    person: Person,
    programme: Programme,
    locale: str,
    *,
    mentee_id: int,
    exclude: int | None,
    make: object,
) -> list[list[InlineKeyboardButton]]:
    """Mentors with room; those the placement would break a rule with are marked ⚠️ and
    come last (the warning itself is shown when one of them is chosen)."""
    fine, warned = [], []
    for mentor, room in await svc.mentors_with_room(session, person, programme.id, exclude=exclude):
        rules = await svc.placement_warnings(session, person, programme.id, mentee_id, mentor.id)
        label = f"{short(mentor.display_name, 34)} ({room})"
        if rules:
            warned.append([button(t("pairs-warned-mentor", locale, label=label), make(mentor.id))])  # type: ignore[operator]
        else:
            fine.append([button(label, make(mentor.id))])  # type: ignore[operator]
    return fine + warned


def _warning_view(
    rules: list[str], locale: str, confirm: PairCb, back: PairCb
) -> tuple[str, InlineKeyboardMarkup]:
    """The curator's override: which rules break, and an explicit «Всё равно…»."""
    lines = "\n".join("• " + t(f"match-constraint-{rule}", locale) for rule in rules)
    text = t("pairs-override-warning", locale, rules=lines)
    rows = [
        [button(t("pairs-btn-override", locale), confirm)],
        [button(t("button-back", locale), back)],
    ]
    return text, markup(rows)


@router.callback_query(PairCb.filter(F.action.in_({"move", "moveto", "moveok"})))
async def pair_move(
    query: CallbackQuery, callback_data: PairCb, session: AsyncSession, person: Person, locale: str
) -> None:
    if callback_data.action in ("moveto", "moveok"):
        try:
            target = await svc.move(
                session,
                person,
                callback_data.id,
                callback_data.m,
                callback_data.to,
                confirmed=callback_data.action == "moveok",
            )
        except svc.PlacementNeedsConfirmation as warning:
            confirm = PairCb(
                action="moveok", id=callback_data.id, m=callback_data.m, to=callback_data.to
            )
            back = PairCb(action="move", id=callback_data.id, m=callback_data.m)
            await show(query, *_warning_view(warning.rules, locale, confirm, back))
            return
        text, kb = await card_view(session, person, target.id, locale)
        await show(query, t("pairs-done-move", locale) + "\n\n" + text, kb)
        return
    view = await svc.pair_view(session, person, callback_data.id)
    if callback_data.m not in {m.id for m in view.mentees}:
        raise svc.NotInProgramme(callback_data.m)
    programme = await session.get(Programme, view.pair.programme_id)
    assert programme is not None
    rows = await _mentor_choice(
        session,
        person,
        programme,
        locale,
        mentee_id=callback_data.m,
        exclude=view.mentor.id,
        make=lambda mentor_id: PairCb(
            action="moveto", id=callback_data.id, m=callback_data.m, to=mentor_id
        ),
    )
    rows.append([button(t("button-back", locale), PairCb(action="card", id=callback_data.id))])
    await show(
        query, t("pairs-move-ask" if len(rows) > 1 else "pairs-no-room", locale), markup(rows)
    )


@router.callback_query(PairCb.filter(F.action == "assignall"))
async def assign_all_suggested(
    query: CallbackQuery, callback_data: PairCb, session: AsyncSession, person: Person, locale: str
) -> None:
    """Everyone without a pair to the first suggested mentor with room, in one press."""
    programme = await button_programme(session, person, callback_data.id)
    done = await svc.assign_suggested(session, person, programme.id)
    text, kb = await overview_view(session, person, programme, locale)
    note = t("pairs-assigned-all", locale, assigned=done.assigned, left=done.left)
    await show(query, note + "\n\n" + text, kb)


@router.callback_query(PairCb.filter(F.action.in_({"lonely", "assign", "assignto", "assignok"})))
async def pair_lonely(
    query: CallbackQuery, callback_data: PairCb, session: AsyncSession, person: Person, locale: str
) -> None:
    programme = await programme_or_hint(query, session, person, locale)
    if programme is None:
        return
    if callback_data.action == "assign":
        rows = await _mentor_choice(
            session,
            person,
            programme,
            locale,
            mentee_id=callback_data.m,
            exclude=None,
            make=lambda mentor_id: PairCb(action="assignto", m=callback_data.m, to=mentor_id),
        )
        rows.append([button(t("button-back", locale), PairCb(action="lonely"))])
        await show(
            query, t("pairs-assign-ask" if len(rows) > 1 else "pairs-no-room", locale), markup(rows)
        )
        return
    note = ""
    if callback_data.action in ("assignto", "assignok"):
        try:
            pair = await svc.assign(
                session,
                person,
                programme.id,
                callback_data.m,
                callback_data.to,
                confirmed=callback_data.action == "assignok",
            )
        except svc.PlacementNeedsConfirmation as warning:
            confirm = PairCb(action="assignok", m=callback_data.m, to=callback_data.to)
            back = PairCb(action="assign", m=callback_data.m)
            await show(query, *_warning_view(warning.rules, locale, confirm, back))
            return
        text, kb = await card_view(session, person, pair.id, locale)
        await show(query, t("pairs-done-assign", locale) + "\n\n" + text, kb)
        return
    data = await svc.overview(session, person, programme.id)
    pages = max(1, -(-len(data.unmatched) // PAGE))
    page = min(max(callback_data.page, 0), pages - 1)
    lines = [t("pairs-lonely-title", locale, count=len(data.unmatched))]
    rows = []
    for item in data.unmatched[page * PAGE : (page + 1) * PAGE]:
        line = f"<b>{esc(item.mentee.display_name or '—')}</b>"
        if item.reason:
            line += "\n" + t("pairs-lonely-reason", locale, reason=esc(_clip(item.reason)))
        if item.suggestions:
            names = ", ".join(esc(m.display_name or "—") for m in item.suggestions)
            line += "\n" + t("pairs-lonely-suggest", locale, names=names)
        lines.append(line)
        rows.append(
            [
                button(
                    t("pairs-btn-assign", locale, name=short(item.mentee.display_name, 30)),
                    PairCb(action="assign", m=item.mentee.id),
                )
            ]
        )
    if pages > 1:
        nav = []
        if page > 0:
            nav.append(button("‹", PairCb(action="lonely", page=page - 1)))
        nav.append(button(f"{page + 1}/{pages}", PairCb(action="lonely", page=page)))
        if page < pages - 1:
            nav.append(button("›", PairCb(action="lonely", page=page + 1)))
        rows.append(nav)
    if any(item.suggestions for item in data.unmatched):
        rows.append(
            [
                button(
                    t("pairs-btn-assign-all", locale),
                    PairCb(action="assignall", id=programme.id),
                )
            ]
        )
    rows.append([button(t("button-back", locale), PairCb(action="show"))])
    await show(query, note + "\n\n".join(lines), markup(rows))


@router.callback_query(PairCb.filter(F.action == "chat"))
async def pair_chat(
    query: CallbackQuery, callback_data: PairCb, session: AsyncSession, person: Person, locale: str
) -> None:
    """«💬 Переписка пары»: what a minor of the pair wrote and was written through the bot."""
    try:
        chat = await relay.conversation(session, person, callback_data.id)
    except NotInPair as exc:
        raise svc.NotInProgramme(callback_data.id) from exc
    lines = [t("relay-chat-title", locale)]
    if not chat.has_minor:
        lines.append(t("relay-chat-adults", locale))
    elif not chat.lines:
        lines.append(t("relay-chat-empty", locale))
    for line in chat.lines:
        when = relay_time(line.at, chat.programme)
        lines.append(
            t(
                "relay-chat-line",
                locale,
                when=when,
                sender=esc(line.sender),
                recipient=esc(line.recipient),
                text=esc(line.text),
            )
        )
    back = button(t("button-back", locale), PairCb(action="card", id=callback_data.id))
    await show(query, "\n\n".join(lines), markup([[back]]))
