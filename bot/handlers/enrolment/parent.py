"""A parent's consent for a minor: the link the child forwards, who the parent is, the
decision, and /children to withdraw it later.

Opening `/start p_<code>` keeps the link's code in the parent's own dialog state; the
buttons carry only the link's id, which names the screen, and every step is taken with
the code from the state. A button pressed by anyone who did not open the link (its data
copied or guessed) finds no code and changes nothing.
"""

from __future__ import annotations

import contextlib
from typing import Any

from aiogram import F
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.handlers.routing import Handlers
from bot.keyboards.forms import ChildCb, ParentCb, ParentRelCb
from bot.services.enrolment import consent, parents
from bot.services.enrolment.consent import ConsentRefused, ParentRequest
from bot.services.names import name_args, polite_address
from bot.texts import esc, t
from storage.models import Person

router = Handlers(__name__)

CODE_KEY = "parent_code"
LINK_KEY = "parent_link"
NAME_KEY = "parent_name"
RELATION_KEY = "parent_relation"


class ParentFlow(StatesGroup):
    name = State()
    relation = State()
    deciding = State()


def _button(text: str, data: Any) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


async def open_link(
    message: Message,
    session: AsyncSession,
    person: Person,
    locale: str,
    state: FSMContext,
    code: str,
) -> None:
    """`/start p_<code>`: the parent is greeted and asked who they are; the code is kept
    in their state."""
    request = await consent.parent_request(session, code)
    if request is None:
        await message.answer(t("journey-parent-link-invalid", locale))
        return
    if request.participant.person_id == person.id:
        await message.answer(t("journey-parent-self", locale))
        return
    await state.set_state(ParentFlow.name)
    await state.set_data({CODE_KEY: code, LINK_KEY: request.link_id})
    facts = await parents.programme_facts(session, request.programme, locale)
    await message.answer(
        t(
            "parent-hello",
            locale,
            child=esc(request.participant.display_name),
            programme=esc(request.programme.name),
            organisation=facts.organisation,
        )
    )


@router.message(ParentFlow.name, F.text & ~F.text.startswith("/"))
async def parent_name(message: Message, locale: str, state: FSMContext) -> None:
    try:
        name = parents.parse_name(message.text)
    except parents.InvalidParentName:
        await message.answer(t("parent-name-invalid", locale))
        return
    data = await state.get_data()
    data[NAME_KEY] = name
    await state.set_state(ParentFlow.relation)
    await state.set_data(data)
    link_id = int(data.get(LINK_KEY) or 0)
    rows = [
        [
            _button(t(f"parent-rel-{r}", locale), ParentRelCb(l=link_id, r=r))
            for r in parents.RELATIONS[:2]
        ],
        [
            _button(t(f"parent-rel-{r}", locale), ParentRelCb(l=link_id, r=r))
            for r in parents.RELATIONS[2:]
        ],
    ]
    await message.answer(
        t("parent-ask-relation", locale, name=esc(polite_address(name))),
        reply_markup=InlineKeyboardMarkup(inline_keyboard=rows),
    )


async def _own_request(
    query: CallbackQuery, session: AsyncSession, locale: str, state: FSMContext, link_id: int
) -> tuple[ParentRequest, dict[str, Any]] | None:
    """The link this parent opened, when the pressed screen is of it; else a refusal."""
    data = await state.get_data()
    code = data.get(CODE_KEY)
    if not isinstance(code, str):
        # Nobody opened a link in this chat: a copied or guessed button.
        await query.answer(t("journey-parent-not-yours", locale), show_alert=True)
        return None
    if data.get(LINK_KEY) != link_id:
        await query.answer(t("button-stale", locale), show_alert=True)
        return None
    request = await consent.parent_request(session, code)
    if request is None or request.link_id != link_id:
        await query.answer(t("journey-parent-link-invalid", locale), show_alert=True)
        return None
    return request, data


def _decision_markup(link_id: int, locale: str, *, full_text: bool) -> InlineKeyboardMarkup:
    rows = [
        [_button(t("journey-btn-agree", locale), ParentCb(l=link_id, a="yes"))],
        [_button(t("journey-btn-decline", locale), ParentCb(l=link_id, a="no"))],
    ]
    if full_text:
        rows.append([_button(t("parent-btn-full-text", locale), ParentCb(l=link_id, a="text"))])
    return InlineKeyboardMarkup(inline_keyboard=rows)


@router.callback_query(ParentRelCb.filter())
async def parent_relation(
    query: CallbackQuery,
    callback_data: ParentRelCb,
    session: AsyncSession,
    locale: str,
    state: FSMContext,
) -> None:
    own = await _own_request(query, session, locale, state, callback_data.l)
    if own is None:
        return
    request, data = own
    if not data.get(NAME_KEY) or callback_data.r not in parents.RELATIONS:
        await query.answer(t("button-stale", locale), show_alert=True)
        return
    data[RELATION_KEY] = callback_data.r
    await state.set_state(ParentFlow.deciding)
    await state.set_data(data)
    await query.answer()
    await _drop_keyboard(query)
    facts = await parents.programme_facts(session, request.programme, locale)
    text = t(
        "parent-explain",
        locale,
        child=esc(request.participant.display_name),
        programme=esc(request.programme.name),
        organisation=facts.organisation,
        address=facts.address,
        curator=facts.curator,
        days=facts.days,
        operator=facts.operator,
        operator_details=facts.operator_details,
        name=esc(polite_address(str(data[NAME_KEY]))),
    )
    if isinstance(query.message, Message):
        await query.message.answer(
            text, reply_markup=_decision_markup(request.link_id, locale, full_text=True)
        )


async def _drop_keyboard(query: CallbackQuery) -> None:
    if isinstance(query.message, Message):
        with contextlib.suppress(TelegramBadRequest):
            await query.message.edit_reply_markup(reply_markup=None)


@router.callback_query(ParentCb.filter(F.a == "text"))
async def parent_full_text(
    query: CallbackQuery,
    callback_data: ParentCb,
    session: AsyncSession,
    locale: str,
    state: FSMContext,
) -> None:
    own = await _own_request(query, session, locale, state, callback_data.l)
    if own is None:
        return
    request, data = own
    facts = await parents.programme_facts(session, request.programme, locale)
    relation = str(data.get(RELATION_KEY) or "other")
    text = t(
        "parent-consent-full",
        locale,
        name=esc(str(data.get(NAME_KEY) or "")),
        relation=t(f"parent-rel-{relation}", locale) if relation in parents.RELATIONS else relation,
        **name_args("child", request.participant.display_name),
        programme=esc(request.programme.name),
        organisation=facts.organisation,
        operator=facts.operator,
        operator_details=facts.operator_details,
    )
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.answer(
            text, reply_markup=_decision_markup(request.link_id, locale, full_text=False)
        )


@router.callback_query(ParentCb.filter())
async def parent_decision(
    query: CallbackQuery,
    callback_data: ParentCb,
    session: AsyncSession,
    person: Person,
    locale: str,
    state: FSMContext,
) -> None:
    data = await state.get_data()
    code = data.get(CODE_KEY)
    if not isinstance(code, str):
        # Nobody opened a link in this chat: a copied or guessed button.
        await query.answer(t("journey-parent-not-yours", locale), show_alert=True)
        return
    if (
        callback_data.a not in ("yes", "no")
        or data.get(LINK_KEY) != callback_data.l
        or not data.get(NAME_KEY)
        or not data.get(RELATION_KEY)
    ):
        await query.answer(t("button-stale", locale), show_alert=True)
        return
    agreed = callback_data.a == "yes"
    try:
        await consent.parent_decide(
            session,
            person,
            code,
            callback_data.l,
            agreed=agreed,
            parent_name=str(data[NAME_KEY]),
            relation=parents.parse_relation(str(data[RELATION_KEY])),
        )
    except ConsentRefused:
        await query.answer(t("journey-parent-link-invalid", locale), show_alert=True)
        return
    await state.clear()
    await query.answer()
    await _drop_keyboard(query)
    if isinstance(query.message, Message):
        await query.message.answer(
            t(
                "journey-parent-thanks-agreed" if agreed else "journey-parent-thanks-declined",
                locale,
            )
        )


# ------------------------------------------------------------------ /children


@router.message(Command("children"))
async def children_command(
    message: Message, session: AsyncSession, person: Person, locale: str
) -> None:
    children = await parents.children_of(session, person)
    if not children:
        await message.answer(t("parent-children-none", locale))
        return
    lines = [t("parent-children-title", locale)]
    rows = []
    for child in children:
        lines.append(
            t("parent-children-line", locale, child=esc(child.name), programme=esc(child.programme))
        )
        rows.append(
            [
                _button(
                    t("parent-btn-withdraw", locale, child=child.name),
                    ChildCb(p=child.participant_id, a="ask"),
                )
            ]
        )
    await message.answer("\n".join(lines), reply_markup=InlineKeyboardMarkup(inline_keyboard=rows))


@router.callback_query(ChildCb.filter())
async def child_action(
    query: CallbackQuery,
    callback_data: ChildCb,
    session: AsyncSession,
    person: Person,
    locale: str,
) -> None:
    try:
        if callback_data.a == "ask":
            child = await parents.child_of(session, person, callback_data.p)
            rows = [
                [
                    _button(
                        t("parent-btn-withdraw-yes", locale),
                        ChildCb(p=child.participant_id, a="yes"),
                    )
                ],
                [
                    _button(
                        t("parent-btn-withdraw-no", locale), ChildCb(p=child.participant_id, a="no")
                    )
                ],
            ]
            await query.answer()
            if isinstance(query.message, Message):
                await query.message.edit_text(
                    t(
                        "parent-withdraw-ask",
                        locale,
                        child=esc(child.name),
                        programme=esc(child.programme),
                    ),
                    reply_markup=InlineKeyboardMarkup(inline_keyboard=rows),
                )
            return
        if callback_data.a == "yes":
            await parents.withdraw(session, person, callback_data.p)
            key = "parent-withdraw-done"
        elif callback_data.a == "no":
            await parents.child_of(session, person, callback_data.p)
            key = "parent-withdraw-kept"
        else:
            raise ConsentRefused(callback_data.p)
    except ConsentRefused:
        await query.answer(t("button-stale", locale), show_alert=True)
        return
    await query.answer()
    if isinstance(query.message, Message):
        with contextlib.suppress(TelegramBadRequest):
            await query.message.edit_text(t(key, locale))
