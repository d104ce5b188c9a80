"""Cases in the chat: the curator answers or closes a case; a participant reports
«😟 Мне некомфортно», adds the words the bot asked for, or answers the curator back.

Every button is checked in `bot.services.pairwork.cases` against the person pressing it.
"""

from __future__ import annotations

from aiogram import F
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.handlers.pairwork.callbacks import PairAction, btn, kb
from bot.handlers.pairwork.pending import still_waiting, stop_waiting, wait_for_text
from bot.handlers.routing import Handlers
from bot.services.access import AccessDenied
from bot.services.enrolment.registry import NotAllowedNow
from bot.services.names import name_args
from bot.services.pairwork import cases
from bot.services.pairwork.cycle import WrongState
from bot.texts import esc, t
from storage.models import Case, Person

router = Handlers(__name__)
# The words asked for: met first by every update, before a questionnaire's typed answer
# (bot.handlers.get_routers).
first = Handlers(f"{__name__}.first")


class CaseInput(StatesGroup):
    answer = State()  # the curator's answer to the person
    note = State()  # the curator's closing note
    reply = State()  # the person's answer back to the curator
    concern = State()  # the words of «Мне некомфортно»


async def _stale(query: CallbackQuery, locale: str) -> None:
    await query.answer(t("button-stale", locale), show_alert=True)


async def _say(query: CallbackQuery, text: str, markup: object = None) -> None:
    if isinstance(query.message, Message):
        await query.message.answer(text, reply_markup=markup)  # type: ignore[arg-type]


async def _waited(state: FSMContext, session: AsyncSession) -> dict[str, object]:
    """The data of the typed answer we wait for; not ours (or too late): skip."""
    data = await state.get_data()
    if not still_waiting(data):
        await stop_waiting(state, session)
        raise SkipHandler
    await stop_waiting(state, session)
    return data


# ------------------------------------------------------------------ the curator


@router.callback_query(PairAction.filter(F.action == "cans"))
async def answer_start(
    query: CallbackQuery,
    callback_data: PairAction,
    session: AsyncSession,
    person: Person,
    locale: str,
    state: FSMContext,
) -> None:
    try:
        view = await cases.case_for_curator(session, person, callback_data.id)
    except AccessDenied:
        await _stale(query, locale)
        return
    if not view.open:
        await _stale(query, locale)
        return
    await wait_for_text(state, session, CaseInput.answer, {"case": view.id})
    who = name_args("person", view.person_name or t("cases-someone", locale))
    await _say(query, t("cases-answer-prompt", locale, **who))
    await query.answer()


@router.message(StateFilter(CaseInput.answer), F.text, ~F.text.startswith("/"))
async def answer_text(
    message: Message, session: AsyncSession, person: Person, locale: str, state: FSMContext
) -> None:
    data = await _waited(state, session)
    try:
        await cases.answer_case(session, person, int(str(data.get("case", 0))), message.text or "")
    except (AccessDenied, WrongState):
        await message.answer(t("button-stale", locale))
        return
    await message.answer(t("cases-answer-sent", locale))


@router.callback_query(PairAction.filter(F.action == "ccl"))
async def close_start(
    query: CallbackQuery,
    callback_data: PairAction,
    session: AsyncSession,
    person: Person,
    locale: str,
    state: FSMContext,
) -> None:
    try:
        view = await cases.case_for_curator(session, person, callback_data.id)
    except AccessDenied:
        await _stale(query, locale)
        return
    if not view.open:
        await _stale(query, locale)
        return
    await wait_for_text(state, session, CaseInput.note, {"case": view.id})
    await _say(
        query,
        t("cases-close-prompt", locale),
        kb([btn(t("cases-btn-close-no-note", locale), "cclx", view.id)]),
    )
    await query.answer()


@router.message(StateFilter(CaseInput.note), F.text, ~F.text.startswith("/"))
async def close_with_note(
    message: Message, session: AsyncSession, person: Person, locale: str, state: FSMContext
) -> None:
    data = await _waited(state, session)
    try:
        await cases.close_case(session, person, int(str(data.get("case", 0))), message.text)
    except (AccessDenied, WrongState):
        await message.answer(t("button-stale", locale))
        return
    await message.answer(t("cases-closed", locale))


@router.callback_query(PairAction.filter(F.action == "cclx"))
async def close_without_note(
    query: CallbackQuery,
    callback_data: PairAction,
    session: AsyncSession,
    person: Person,
    locale: str,
    state: FSMContext,
) -> None:
    try:
        await cases.close_case(session, person, callback_data.id)
    except (AccessDenied, WrongState):
        await _stale(query, locale)
        return
    await stop_waiting(state, session)
    await _say(query, t("cases-closed", locale))
    await query.answer()


@router.callback_query(PairAction.filter(F.action == "cend"))
async def end_pair_ask(
    query: CallbackQuery,
    callback_data: PairAction,
    session: AsyncSession,
    person: Person,
    locale: str,
) -> None:
    try:
        view = await cases.case_for_curator(session, person, callback_data.id)
    except AccessDenied:
        await _stale(query, locale)
        return
    await _say(
        query,
        t("cases-end-confirm", locale, pair=esc(view.pair_names or "—")),
        kb([btn(t("cases-btn-end-yes", locale), "cendy", view.id)]),
    )
    await query.answer()


@router.callback_query(PairAction.filter(F.action == "cendy"))
async def end_pair_do(
    query: CallbackQuery,
    callback_data: PairAction,
    session: AsyncSession,
    person: Person,
    locale: str,
) -> None:
    try:
        await cases.end_pair_for_case(session, person, callback_data.id)
    except (AccessDenied, WrongState, NotAllowedNow):
        await _stale(query, locale)
        return
    await _say(query, t("cases-pair-ended", locale))
    await query.answer()


# ------------------------------------------------------------------ the participant


@router.callback_query(PairAction.filter(F.action == "crep"))
async def reply_start(
    query: CallbackQuery,
    callback_data: PairAction,
    session: AsyncSession,
    person: Person,
    locale: str,
    state: FSMContext,
) -> None:
    try:
        case = await cases.own_open_case(session, person.id, callback_data.id)
    except (AccessDenied, WrongState):
        await _stale(query, locale)
        return
    await wait_for_text(state, session, CaseInput.reply, {"case": case.id})
    await _say(query, t("cases-reply-prompt", locale))
    await query.answer()


@router.message(StateFilter(CaseInput.reply), F.text, ~F.text.startswith("/"))
async def reply_text(
    message: Message, session: AsyncSession, person: Person, locale: str, state: FSMContext
) -> None:
    data = await _waited(state, session)
    try:
        await cases.reply_to_curator(
            session, person.id, int(str(data.get("case", 0))), message.text or ""
        )
    except (AccessDenied, WrongState):
        await message.answer(t("button-stale", locale))
        return
    await message.answer(t("cases-reply-sent", locale))


@router.callback_query(PairAction.filter(F.action == "cw"))
async def concern_start(
    query: CallbackQuery,
    callback_data: PairAction,
    session: AsyncSession,
    person: Person,
    locale: str,
    state: FSMContext,
) -> None:
    try:
        target = await cases.concern_target(session, person.id, callback_data.id)
    except AccessDenied:
        await _stale(query, locale)
        return
    await wait_for_text(state, session, CaseInput.concern, {"participant": target.participant_id})
    await _say(
        query,
        t("cases-concern-prompt", locale),
        kb(
            [btn(t("cases-btn-concern-no-words", locale), "cwn", target.participant_id)],
            [btn(t("button-cancel", locale), "cwx", target.participant_id)],
        ),
    )
    await query.answer()


async def _concern(
    session: AsyncSession, person: Person, participant_id: int, words: str | None, locale: str
) -> str:
    case = await cases.report_concern(session, person.id, participant_id, words)
    return await cases.opened_text(session, case, locale)


@router.message(StateFilter(CaseInput.concern), F.text, ~F.text.startswith("/"))
async def concern_words(
    message: Message, session: AsyncSession, person: Person, locale: str, state: FSMContext
) -> None:
    data = await _waited(state, session)
    try:
        text = await _concern(
            session, person, int(str(data.get("participant", 0))), message.text, locale
        )
    except AccessDenied:
        await message.answer(t("button-stale", locale))
        return
    await message.answer(text)


@router.callback_query(PairAction.filter(F.action.in_({"cwn", "cwx"})))
async def concern_button(
    query: CallbackQuery,
    callback_data: PairAction,
    session: AsyncSession,
    person: Person,
    locale: str,
    state: FSMContext,
) -> None:
    await stop_waiting(state, session)
    if callback_data.action == "cwx":
        await _say(query, t("cases-concern-cancelled", locale))
        await query.answer()
        return
    try:
        text = await _concern(session, person, callback_data.id, None, locale)
    except AccessDenied:
        await _stale(query, locale)
        return
    await _say(query, text)
    await query.answer()


@first.message(StateFilter(None), F.text, ~F.text.startswith("/"))
async def words_asked_for(
    message: Message, session: AsyncSession, person: Person, locale: str
) -> None:
    """The words the bot asked for after «нужна помощь»; any other text goes on."""
    case: Case | None = await cases.add_words(session, person.id, message.text or "")
    if case is None:
        raise SkipHandler
    await message.answer(t("cases-words-thanks", locale))
