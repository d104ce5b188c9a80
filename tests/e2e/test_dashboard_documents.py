"""The dashboard's documents page in a real browser: the same Word files as /documents
and the Excel export, downloaded; one pair's programme sent to its mentor; a curator of
another school downloads nothing of this one."""

from __future__ import annotations

import asyncio
import io
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import select

from bot.texts import t
from storage.models import Pair, Person
from tests.e2e.test_dashboard import _link, _shot, browser, needs_browser
from tests.support.dashboard import served, with_dashboard
from tests.support.documents_check import assert_no_tags, read_docx
from tests.support.factories import make_curator
from tests.support.report_fixture import NOW, build_report_fixture, build_second_organisation
from tests.support.settle import read_settled

__all__ = ["browser"]

RU = "ru"
CURATOR = 793_001
OTHER_CURATOR = 793_002
TIMEOUT = 30


@pytest.fixture
def clock_start() -> datetime:
    return NOW


@pytest.fixture
def emulator_options() -> dict[str, Any]:
    return {"rate_limits": False}


@pytest.fixture
def bot_settings(bot_settings: Any) -> Any:
    return with_dashboard(bot_settings)


@pytest.fixture
async def dashboard(bot_app: Any) -> Any:
    async with served(bot_app) as base:
        yield base


async def _download(page: Any, selector: str) -> tuple[str, bytes]:
    async with page.expect_download() as info:
        await page.click(selector)
    download = await info.value
    content = await asyncio.to_thread(Path(await download.path()).read_bytes)
    return download.suggested_filename, content


@needs_browser
async def test_a_curator_downloads_the_documents_and_sends_a_programme_to_the_mentor(
    emulator: Any, bot_app: Any, dashboard: str, browser: Any
) -> None:
    async with bot_app.db.session() as session:
        fx = await build_report_fixture(session, curator_tg_id=CURATOR)
        anna = await session.get(Person, fx.people["T1"].person_id)
        assert anna is not None
        anna_tg = anna.tg_id
        confirmed = len(
            (
                await session.scalars(
                    select(Pair.mentor_id).where(
                        Pair.programme_id == fx.programme.id, Pair.status == "confirmed"
                    )
                )
            ).all()
        )
    mentor = emulator.create_user("Анна", id=anna_tg, language_code="ru", started=True)
    page = await (await browser.new_context(accept_downloads=True)).new_page()
    await page.goto(await _link(emulator, CURATOR))
    await page.click(f"nav >> text={t('dashboard-nav-documents', RU)}")
    await page.wait_for_selector("#documents")
    await _shot(page, "documents")
    # Every document of the programme is offered; no municipal report for a curator.
    kinds = await page.locator("#documents a").evaluate_all(
        "links => links.map(a => a.dataset.kind)"
    )
    assert kinds == ["order", "mentors", "programmes", "final", "consents", "export"]
    assert await page.locator("[data-kind=municipal]").count() == 0

    # The order approving the pairs: the same file /documents sends (the same name, one
    # row per confirmed pair), read back as a school opens it.
    name, content = await _download(page, "[data-kind=order]")
    assert name == f"prikaz-pary-{fx.programme.id}-2026-11-16.docx"
    order = read_docx(content)
    assert_no_tags(order)
    assert len(order.table_with("Наставник")) == confirmed == 3
    # The Excel export.
    name, content = await _download(page, "[data-kind=export]")
    assert name.endswith(".xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    assert len(workbook.sheetnames) > 1

    # One pair's programme, downloaded and then sent to its mentor.
    row = page.locator(f"#pair-documents tr[data-pair='{fx.pairs['P1']}']")
    assert "Иванова Анна" in await row.inner_text()
    async with page.expect_download() as info:
        await row.locator("a").click()
    pair_file = await asyncio.to_thread(Path(await (await info.value).path()).read_bytes)
    assert f"Пара № {fx.pairs['P1']}" in read_docx(pair_file).paragraphs
    await row.locator(f"button:has-text('{t('documents-btn-send-mentor', RU)}')").click()
    await page.wait_for_selector(".notice")
    assert t("dashboard-done-sent", RU) in await page.inner_text(".notice")
    assert "Анна" not in page.url  # only ids and codes in the address
    received = await mentor.wait_for(predicate=lambda m: m.document is not None, timeout=TIMEOUT)
    text = read_docx(received.document.content).text
    assert "Иванова Анна" in text and "Алексеев Борис" in text
    # A second press the same day queues nothing more.
    row = page.locator(f"#pair-documents tr[data-pair='{fx.pairs['P1']}']")
    await row.locator(f"button:has-text('{t('documents-btn-send-mentor', RU)}')").click()
    await page.wait_for_selector(".notice")
    assert t("dashboard-done-unsent", RU) in await page.inner_text(".notice")


@needs_browser
async def test_a_curator_of_another_school_downloads_nothing_of_this_one(
    emulator: Any, bot_app: Any, dashboard: str, browser: Any
) -> None:
    async with bot_app.db.session() as session:
        fx = await build_report_fixture(session, curator_tg_id=CURATOR)
        other = await build_second_organisation(session)
        await make_curator(session, other, tg_id=OTHER_CURATOR)
    page = await (await browser.new_context()).new_page()
    await page.goto(await _link(emulator, OTHER_CURATOR))
    await page.goto(f"{dashboard}/dashboard/documents")
    assert "Наставничество в колледже" in await page.inner_text("main")
    assert "Иванова Анна" not in await page.content()
    for path in (
        f"/dashboard/documents?p={fx.programme.id}",
        f"/dashboard/documents/file/order?p={fx.programme.id}",
        f"/dashboard/documents/file/consents?p={fx.programme.id}",
        f"/dashboard/documents/pair/{fx.pairs['P1']}",
        "/dashboard/documents/file/municipal",
    ):
        response = await page.request.get(dashboard + path)
        assert response.status == 403, path
        assert "Иванова Анна" not in await response.text()
    await page.goto(f"{dashboard}/dashboard/documents")
    csrf = await page.get_attribute("input[name=csrf]", "value")
    answer = await page.request.post(
        f"{dashboard}/dashboard/documents/send",
        form={"csrf": csrf or "", "pair": str(fx.pairs["P1"])},
    )
    assert answer.status == 403
    async with read_settled(bot_app) as session:
        from storage.models import OutboxMessage

        assert (
            await session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "document"))
            is None
        )
