"""`/documents`: the school's paperwork as Word files, built from the bot's data."""

from __future__ import annotations

import contextlib
import logging
import math

from aiogram import F
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.handlers.curator.base import forget, show
from bot.handlers.routing import Handlers
from bot.infra.clock import now
from bot.keyboards.curator import DocCb, button, markup, pager, short
from bot.services.access import button_programme
from bot.services.enrolment.registry import NotInProgramme
from bot.services.reporting import documents as svc
from bot.services.reporting.docx_render import TemplateError
from bot.texts import esc, t
from storage.db import Database
from storage.models import Person

router = Handlers(__name__)
log = logging.getLogger(__name__)
PAIRS_PER_PAGE = 8


def menu_markup(menu: svc.DocumentMenu, locale: str) -> InlineKeyboardMarkup:
    rows = []
    programme_id = menu.programme.id if menu.programme is not None else 0
    for kind in menu.kinds:
        if kind == svc.MUNICIPAL:
            rows.append(
                [button(t("documents-btn-municipal", locale), DocCb(action="make", kind=kind))]
            )
            continue
        rows.append(
            [
                button(
                    t(f"documents-btn-{kind}", locale),
                    DocCb(action="make", kind=kind, id=programme_id),
                )
            ]
        )
        if kind == "programmes":
            rows.append(
                [button(t("documents-btn-pair", locale), DocCb(action="pairs", id=programme_id))]
            )
    return markup(rows)


def menu_text(menu: svc.DocumentMenu, locale: str) -> str:
    if menu.programme is not None:
        return t("documents-menu", locale, programme=esc(menu.programme.name))
    return (
        t("documents-menu-coordinator", locale)
        + "\n\n"
        + t("documents-menu-municipal-only", locale)
    )


async def _menu(
    event: Message | CallbackQuery, session: AsyncSession, person: Person, locale: str
) -> None:
    menu = await svc.document_menu(session, person)
    if menu.kind == "no_programme":
        await show(event, t("report-no-programme", locale))
        return
    if menu.kind == "none":
        await show(event, t("unknown-command", locale))
        return
    await show(event, menu_text(menu, locale), menu_markup(menu, locale))


@router.message(Command("documents"))
async def documents_command(
    message: Message, session: AsyncSession, person: Person, locale: str, state: FSMContext
) -> None:
    await forget(state, session)
    await _menu(message, session, person, locale)


@router.callback_query(DocCb.filter(F.action == "menu"))
async def documents_menu(
    query: CallbackQuery, session: AsyncSession, person: Person, locale: str
) -> None:
    await _menu(query, session, person, locale)


async def _send(
    query: CallbackQuery,
    document: svc.GeneratedDocument,
    caption: str,
    reply_markup: InlineKeyboardMarkup | None = None,
) -> None:
    if isinstance(query.message, Message):
        await query.message.answer_document(
            BufferedInputFile(document.content, filename=document.file_name),
            caption=caption,
            reply_markup=reply_markup,
        )


async def _broken(query: CallbackQuery, error: TemplateError, locale: str) -> None:
    log.error("documents: template %s cannot be filled", error.template)
    if isinstance(query.message, Message):
        await query.message.answer(
            t(
                "documents-template-broken",
                locale,
                template=esc(error.template),
                tag=esc(error.tag),
                detail=esc(error.detail),
            )
        )


@router.callback_query(DocCb.filter(F.action == "make"))
async def documents_make(
    query: CallbackQuery,
    callback_data: DocCb,
    session: AsyncSession,
    db: Database,
    person: Person,
    locale: str,
) -> None:
    kind = callback_data.kind
    if kind not in svc.KINDS:
        raise NotInProgramme(kind)
    # refused before the press is answered, so the refusal shows as an alert
    if kind == svc.MUNICIPAL:
        await svc.require_coordinator(session, person)
    else:
        await button_programme(session, person, callback_data.id)
    with contextlib.suppress(TelegramBadRequest):
        await query.answer(
            t("documents-preparing", locale, title=t(f"documents-kind-{kind}", locale))
        )
    # The documents only read: end the update's write transaction so nobody waits for it.
    await session.commit()
    moment = now()
    try:
        async with db.read() as reading:
            if kind == svc.MUNICIPAL:
                document = await svc.municipal_document(reading, person, moment)
            else:
                document = await svc.programme_document(
                    reading, person, kind, callback_data.id, moment
                )
    except TemplateError as error:
        await _broken(query, error, locale)
        return
    key = "documents-ready-order" if kind == "order" else "documents-ready"
    await _send(query, document, t(key, locale, title=esc(document.title)))


@router.callback_query(DocCb.filter(F.action == "pairs"))
async def documents_pairs(
    query: CallbackQuery, callback_data: DocCb, session: AsyncSession, person: Person, locale: str
) -> None:
    programme = await button_programme(session, person, callback_data.id)
    rows = await svc.pair_choices(session, person, programme.id)
    back = [button(t("documents-btn-back", locale), DocCb(action="menu"))]
    if not rows:
        await show(query, t("documents-pairs-empty", locale), markup([back]))
        return
    pages = math.ceil(len(rows) / PAIRS_PER_PAGE)
    page = min(max(callback_data.page, 0), pages - 1)
    shown = rows[page * PAIRS_PER_PAGE : (page + 1) * PAIRS_PER_PAGE]
    buttons = [
        [
            button(
                f"№{row.pair_id} {short(row.mentor, 24)} → {short(', '.join(row.mentees), 28)}",
                DocCb(action="pair", id=row.pair_id),
            )
        ]
        for row in shown
    ]
    buttons.append(pager(page, pages, DocCb, action="pairs", id=programme.id))
    buttons.append(back)
    text = t(
        "documents-pairs-title", locale, programme=esc(programme.name), page=page + 1, pages=pages
    )
    await show(query, text, markup(buttons))


@router.callback_query(DocCb.filter(F.action == "pair"))
async def documents_pair(
    query: CallbackQuery, callback_data: DocCb, session: AsyncSession, person: Person, locale: str
) -> None:
    try:
        document, row = await svc.pair_document(session, person, callback_data.id, now())
    except TemplateError as error:
        await _broken(query, error, locale)
        return
    with contextlib.suppress(TelegramBadRequest):
        await query.answer()
    kind = t("documents-kind-group" if row.group else "documents-kind-pair", locale)
    send = markup(
        [[button(t("documents-btn-send-mentor", locale), DocCb(action="send", id=row.pair_id))]]
    )
    caption = t("documents-ready-pair", locale, kind=kind, pair=row.pair_id)
    await _send(query, document, caption, send if row.mentor_person_id else None)


@router.callback_query(DocCb.filter(F.action == "send"))
async def documents_send(
    query: CallbackQuery, callback_data: DocCb, session: AsyncSession, person: Person, locale: str
) -> None:
    try:
        queued, row = await svc.send_to_mentor(session, person, callback_data.id, now())
    except TemplateError as error:
        await _broken(query, error, locale)
        return
    text = (
        t("documents-sent-mentor", locale, name=esc(row.mentor or "—"))
        if queued
        else t("documents-not-sent-mentor", locale)
    )
    with contextlib.suppress(TelegramBadRequest):
        await query.answer()
    if isinstance(query.message, Message):
        await query.message.answer(text)
