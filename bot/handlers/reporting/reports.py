"""/report and /export for curators (their current programme) and coordinators (everything)."""

from __future__ import annotations

import asyncio
import logging
import tempfile
from pathlib import Path

from aiogram import F
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, FSInputFile, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.handlers.curator import RefusalMiddleware
from bot.handlers.routing import Handlers
from bot.infra.charts import municipal_chart, report_chart
from bot.infra.clock import now
from bot.infra.notify import programme_zone
from bot.keyboards.curator import YearCb, button, markup
from bot.middlewares.replies import sent_now
from bot.services.reporting import municipality, year_snapshot
from bot.services.reporting.export import build_export, export_file_name
from bot.services.reporting.reports import (
    compute_overview,
    curator_report,
    render_overview,
    render_report,
    report_scope,
)
from bot.texts import esc, t
from storage.db import Database
from storage.models import Person, Programme

router = Handlers(__name__)
router.message.filter(F.chat.type == "private")
# A refused button or value (another organisation's, a forged id) gets a kind answer.
router.message.middleware(RefusalMiddleware())
router.callback_query.middleware(RefusalMiddleware())
log = logging.getLogger(__name__)
EDIT_INTERVAL = 1.1  # seconds between edits of the progress message


@router.message(Command("report"))
async def report(message: Message, session: AsyncSession, person: Person, locale: str) -> None:
    scope = await report_scope(session, person)
    if scope.kind == "none":
        await message.answer(t("unknown-command", locale))
        return
    if scope.kind == "no_programme":
        await message.answer(t("report-no-programme", locale))
        return
    moment = now()
    if scope.kind == "coordinator":
        overviews = await compute_overview(session, moment, scope.programme_ids)
        year = await year_snapshot.municipal_year(session)
        texts = render_overview(overviews, moment, locale, year.report, year.frozen_at)
        rows = [
            [
                button(
                    t("report-btn-totals", locale, name=municipality.short_name(o.name, 40)),
                    YearCb(action="totals", p=o.organisation_id),
                )
            ]
            for o in overviews
        ]
        if overviews:
            rows.append([button(t("report-btn-freeze-all", locale), YearCb(action="freezeall"))])
        for index, text in enumerate(texts):
            last = index == len(texts) - 1
            await message.answer(text, reply_markup=markup(rows) if last and rows else None)
        picture = await asyncio.to_thread(municipal_chart, year.report, locale)
        if picture is not None:
            await message.answer_photo(
                BufferedInputFile(picture, filename="indicators.png"),
                caption=t("report-municipal-chart-caption", locale),
            )
        return
    figures = await curator_report(session, person, scope.programme_ids[0], moment)
    texts = render_report(figures, locale)
    freeze = markup(
        [[button(t("report-btn-freeze", locale), YearCb(action="freeze", p=figures.programme_id))]]
    )
    for index, text in enumerate(texts):
        await message.answer(text, reply_markup=freeze if index == len(texts) - 1 else None)
    chart = await asyncio.to_thread(report_chart, figures, locale)
    if chart is not None:
        await message.answer_photo(
            BufferedInputFile(chart, filename="report.png"),
            caption=t(
                "report-chart-caption-finished" if figures.finished else "report-chart-caption",
                locale,
            ),
        )


@router.callback_query(YearCb.filter(F.action == "freeze"))
async def freeze_year(
    query: CallbackQuery, callback_data: YearCb, session: AsyncSession, person: Person, locale: str
) -> None:
    frozen = await year_snapshot.freeze_year(session, person, callback_data.p, now())
    programme = await session.get(Programme, frozen.programme_id)
    taken = frozen.taken_at.astimezone(programme_zone(programme))
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.answer(t("report-frozen-done", locale, date=taken.strftime("%d.%m.%Y")))


class TotalsForm(StatesGroup):
    numbers = State()


@router.callback_query(YearCb.filter(F.action == "freezeall"))
async def freeze_all(
    query: CallbackQuery, session: AsyncSession, person: Person, locale: str
) -> None:
    count = await year_snapshot.freeze_for_all(session, person, now())
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.answer(t("report-frozen-all-done", locale, count=count))


@router.callback_query(YearCb.filter(F.action == "totals"))
async def totals_ask(
    query: CallbackQuery,
    callback_data: YearCb,
    session: AsyncSession,
    person: Person,
    locale: str,
    state: FSMContext,
) -> None:
    organisation = await municipality.organisation_for_totals(session, person, callback_data.p)
    await state.set_state(TotalsForm.numbers)
    await state.set_data({"organisation_id": organisation.id})
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.answer(t("report-totals-ask", locale, name=esc(organisation.name)))


@router.message(TotalsForm.numbers, F.text & ~F.text.startswith("/"))
async def totals_text(
    message: Message, session: AsyncSession, person: Person, locale: str, state: FSMContext
) -> None:
    data = await state.get_data()
    try:
        students, teachers = municipality.parse_totals(message.text or "")
    except ValueError:
        await message.answer(t("report-totals-error", locale))
        return
    await state.clear()
    organisation = await municipality.set_totals(
        session, person, int(data["organisation_id"]), students=students, teachers=teachers
    )
    await message.answer(t("report-totals-saved", locale, name=esc(organisation.name)))


@router.message(Command("export"))
async def export(
    message: Message, session: AsyncSession, db: Database, person: Person, locale: str
) -> None:
    # The progress message is edited as the file is built: its replies go out as they
    # are made, not after the update (bot.middlewares.replies).
    with sent_now():
        await _export(message, session, db, person, locale)


async def _export(
    message: Message, session: AsyncSession, db: Database, person: Person, locale: str
) -> None:
    scope = await report_scope(session, person)
    if scope.kind == "none":
        await message.answer(t("unknown-command", locale))
        return
    if scope.kind == "no_programme":
        await message.answer(t("report-no-programme", locale))
        return
    coordinator = scope.kind == "coordinator"
    programme = None if coordinator else await session.get(Programme, scope.programme_ids[0])
    # The export only reads: end the update's write transaction so nobody waits for it.
    await session.commit()
    moment = now()
    status = await message.answer(t("export-progress", locale, percent=0))
    loop = asyncio.get_running_loop()
    last_edit = loop.time()

    async def show(percent: int) -> None:
        nonlocal last_edit
        try:
            await status.edit_text(t("export-progress", locale, percent=percent))
        except TelegramAPIError:  # a progress line is not worth failing the export for
            pass
        last_edit = loop.time()

    async def progress(percent: int) -> None:
        # Telegram allows about one message a second in a chat: skip steps in between.
        if loop.time() - last_edit >= EDIT_INTERVAL:
            await show(percent)

    name = export_file_name(None if programme is None else programme.id, moment, locale)
    with tempfile.TemporaryDirectory(prefix="export-") as folder:
        path = Path(folder) / name
        try:
            async with db.read() as reading:
                await build_export(
                    reading,
                    scope.programme_ids,
                    path,
                    now=moment,
                    locale=locale,
                    progress=progress,
                    all_organisations=coordinator,
                )
        except Exception as exc:
            log.error("export failed: %s", type(exc).__name__)
            await asyncio.sleep(EDIT_INTERVAL)
            await message.answer(t("export-failed", locale))
            return
        caption = (
            t("export-ready-all", locale)
            if programme is None
            else t("export-ready", locale, programme=esc(programme.name))
        )
        await asyncio.sleep(max(0.0, EDIT_INTERVAL - (loop.time() - last_edit)))
        await show(100)
        await asyncio.sleep(EDIT_INTERVAL)
        await message.answer_document(FSInputFile(path, filename=name), caption=caption)
