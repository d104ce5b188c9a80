"""«✉️ Написать наставнику / наставляемому» and «↩️ Ответить»: messages through the bot.

The handlers only parse and render; `bot.services.pairwork.relay` checks that the person pressing
is a member of the pair and may write to the chosen member.
"""

from __future__ import annotations

from aiogram import F
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.handlers.pairwork.callbacks import PairAction, btn, kb
from bot.handlers.pairwork.pending import still_waiting, stop_waiting, wait_for_text
from bot.handlers.routing import Handlers
from bot.services.names import name_args
from bot.services.pairwork import relay
from bot.services.pairwork.cycle import NotInPair, WrongState
from bot.texts import t
from storage.models import Person

router = Handlers(__name__)


class RelayText(StatesGroup):
    text = State()


def _target(arg: str) -> int | None:
    """The callback's «to»: "" (not chosen yet), "all", or a participant id."""
    if arg == "":
        return None
    if arg == "all":
        return relay.ALL
    return int(arg) if arg.isdigit() else -1


async def _answer_screen(
    query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    if isinstance(query.message, Message):
        await query.message.answer(text, reply_markup=markup)
    await query.answer()


async def _ask_text(
    query: CallbackQuery,
    state: FSMContext,
    session: AsyncSession,
    locale: str,
    data: dict[str, int],
    name: str | None,
) -> None:
    await wait_for_text(state, session, RelayText.text, data)
    if name is None:
        prompt = t("relay-prompt-all", locale, max=relay.TEXT_MAX)
    else:
        prompt = t("relay-prompt", locale, **name_args("name", name), max=relay.TEXT_MAX)
    await _answer_screen(query, prompt)


@router.callback_query(PairAction.filter(F.action == "wr"))
async def write(
    query: CallbackQuery,
    callback_data: PairAction,
    session: AsyncSession,
    person: Person,
    locale: str,
    state: FSMContext,
) -> None:
    pair_id, to = callback_data.id, _target(callback_data.arg)
    try:
        view, sender, chosen = await relay.recipients(
            session, person.id, pair_id, relay.ALL if to is None else to
        )
    except NotInPair:
        await query.answer(t("button-stale", locale), show_alert=True)
        return
    if to is None and sender is view.mentor and len(chosen) > 1:
        rows = [[btn(m.name, "wr", pair_id, str(m.participant.id))] for m in chosen]
        rows.append([btn(t("relay-btn-all", locale), "wr", pair_id, "all")])
        await _answer_screen(query, t("relay-choose", locale), kb(*rows))
        return
    name = None if to == relay.ALL and len(chosen) > 1 else chosen[0].name
    target = relay.ALL if name is None else chosen[0].participant.id
    await _ask_text(query, state, session, locale, {"pair": pair_id, "to": target}, name)


@router.callback_query(PairAction.filter(F.action == "rrep"))
async def reply(
    query: CallbackQuery,
    callback_data: PairAction,
    session: AsyncSession,
    person: Person,
    locale: str,
    state: FSMContext,
) -> None:
    try:
        target = await relay.reply_target(session, person.id, callback_data.id)
    except (NotInPair, WrongState):
        await query.answer(t("button-stale", locale), show_alert=True)
        return
    data = {"pair": target.pair_id, "to": target.to, "reply": target.reply_to}
    await _ask_text(query, state, session, locale, data, target.name)


@router.message(StateFilter(RelayText.text), F.text, ~F.text.startswith("/"))
async def relay_text(
    message: Message, session: AsyncSession, person: Person, locale: str, state: FSMContext
) -> None:
    data = await state.get_data()
    if not still_waiting(data):
        await stop_waiting(state, session)
        raise SkipHandler  # an old prompt: the message is for someone else to answer
    try:
        await relay.send(
            session,
            person.id,
            int(data.get("pair", 0)),
            message.text,
            to=int(data.get("to", relay.ALL)),
            reply_to=int(data["reply"]) if data.get("reply") else None,
        )
    except relay.TooLong:
        await message.answer(t("relay-too-long", locale, max=relay.TEXT_MAX))
        return  # still waiting: the person shortens and sends again
    except relay.TooMany:
        await stop_waiting(state, session)
        await message.answer(t("relay-too-many", locale))
        return
    except (NotInPair, WrongState):
        await stop_waiting(state, session)
        await message.answer(t("relay-failed", locale))
        return
    await stop_waiting(state, session)
    await message.answer(
        t("relay-sent", locale),
        reply_markup=kb([btn(t("pairs-btn-meetings", locale), "menu", int(data.get("pair", 0)))]),
    )


@router.message(StateFilter(RelayText.text), ~F.text)
async def relay_not_text(message: Message, locale: str) -> None:
    await message.answer(t("relay-not-text", locale))
