"""The web dashboard in a real browser (Playwright driving Debian's headless Chromium).

The bot runs against the emulator; the curator asks it for `/dashboard`, the link it
sends is opened in the browser, and the pages are used as a curator would: the
funnel and the seven stages, the pairs with a mentee moved (the grouping rules warn
first, as in /pairs), the participants, a feedback round whose silent members are
reminded, a case answered, the Excel export. Refused: a used or expired link, forged
Mini App data, a form without its CSRF token, a curator of another school.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import os
import re
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest
from sqlalchemy import select

from bot.infra.clock import now
from bot.services.privacy import audit
from bot.texts import t
from storage.models import (
    AuditRecord,
    Case,
    DashboardToken,
    FeedbackRequest,
    FeedbackRound,
    FormAnswer,
    FormSession,
    OutboxMessage,
    Pair,
    PairMember,
    Participant,
)
from tests.support.dashboard import served, with_dashboard
from tests.support.documents_check import read_docx
from tests.support.factories import make_curator, make_pair, make_participant, make_programme
from tests.support.pairwork import make_working_pair
from tests.support.settle import read_settled

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
try:
    import playwright.async_api  # noqa: F401

    HAVE_PLAYWRIGHT = True
except ImportError:  # pragma: no cover - CI installs it (the dev extra)
    HAVE_PLAYWRIGHT = False

needs_browser = pytest.mark.skipif(
    not CHROMIUM.exists() or not HAVE_PLAYWRIGHT,
    reason="browser tests need Debian's chromium at /usr/bin/chromium "
    "(apt-get install chromium) and the playwright package (.ci/run installs both)",
)

COORDINATOR = 791_000
CURATOR = 791_001
OTHER_CURATOR = 791_002
MENTEE = 791_003
RU = "ru"
NO_MUTUAL = t("match-unmatched-not-reciprocated", RU)  # a reason the matching records


@pytest.fixture
def emulator_options() -> dict[str, Any]:
    return {"rate_limits": False}


@pytest.fixture
def clock_start() -> datetime:
    """A school day, 12:00 in Irkutsk: reminders are not held back by quiet hours."""
    return datetime(2026, 10, 14, 4, 0, tzinfo=UTC)


@pytest.fixture
def bot_settings(bot_settings: Any) -> Any:
    """The emulator's settings plus the dashboard's own address."""
    return with_dashboard(bot_settings)


@pytest.fixture
async def dashboard(bot_app: Any) -> AsyncIterator[str]:
    async with served(bot_app) as base:
        yield base


@pytest.fixture
async def browser() -> AsyncIterator[Any]:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        chromium = await pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            await chromium.close()


@dataclass
class School:
    programme_id: int
    other_programme_id: int
    kid_id: int
    kid_pair_id: int
    strict_mentor_id: int
    round_id: int
    case_id: int


async def _answers(session: Any, participant: Participant, form: str, **answers: Any) -> None:
    fs = FormSession(participant_id=participant.id, form=form, status="completed")
    session.add(fs)
    await session.flush()
    for question, value in answers.items():
        session.add(FormAnswer(session_id=fs.id, question_id=question, value=value))
    await session.flush()


async def _school(app: Any) -> School:
    """Two schools; in the first, a 12-year-old in a pair, a mentor who asked for adults,
    a working pair whose mentee has not answered the feedback round, an open case."""
    async with app.db.session() as s:
        programme = await make_programme(s, forms=["student_student", "teacher_teacher"])
        await make_curator(s, programme, tg_id=CURATOR)
        work = await make_working_pair(
            s, programme=programme, curator=None, mentee_tg=MENTEE, curator_tg=None
        )
        strict = await make_participant(
            s, programme, "mentor", name="Ирина Петровна", approved=True, category="teacher"
        )
        strict.capacity = 3
        # «18–25 лет, взрослые», as in the mentor's questionnaire.
        await _answers(s, strict, "mentor_profile", mentee_ages=["18_25", "adult"])
        mentor = await make_participant(
            s, programme, "mentor", name="Олег Сергеевич", approved=True, category="teacher"
        )
        kid = await make_participant(
            s, programme, "mentee", name="Петя Малышев", age=12, grade=6, category="school_student"
        )
        await _answers(s, kid, "mentee_profile", interests=["robotics"])
        kid_pair = await make_pair(s, programme, mentor, [kid])
        feedback_round = FeedbackRound(programme_id=programme.id, pair_id=work.pair.id, number=1)
        s.add(feedback_round)
        await s.flush()
        s.add(
            FeedbackRequest(
                round_id=feedback_round.id,
                pair_id=work.pair.id,
                participant_id=work.mentor.id,
                answered_at=now(),
            )
        )
        s.add(
            FeedbackRequest(
                round_id=feedback_round.id, pair_id=work.pair.id, participant_id=work.mentee.id
            )
        )
        case = Case(
            programme_id=programme.id,
            participant_id=work.mentee.id,
            pair_id=work.pair.id,
            kind="help",
            words="Не получается договориться о встрече",
            minor=True,
            opened_at=now(),
        )
        s.add(case)
        other = await make_programme(s, name="Программа гимназии", organisation="Гимназия № 2")
        await make_curator(s, other, tg_id=OTHER_CURATOR)
        await s.flush()
        return School(
            programme.id,
            other.id,
            kid.id,
            kid_pair.id,
            strict.id,
            feedback_round.id,
            case.id,
        )


async def _link(emulator: Any, tg_id: int) -> str:
    """The curator asks the bot for the dashboard; the address in its answer."""
    try:
        user = emulator.user(tg_id)
    except KeyError:
        user = emulator.create_user("Куратор", id=tg_id, started=True)
    await user.command("dashboard")
    message = await user.wait_for(regex=r"/dashboard/login/")
    found = re.search(r"https?://\S+/dashboard/login/[\w-]+", message.text)
    assert found, message.text
    return found.group(0)


def _shots(name: str) -> Path | None:
    """Where a page's picture goes when DASHBOARD_SCREENSHOTS names a folder (the demo)."""
    folder = os.environ.get("DASHBOARD_SCREENSHOTS")
    if not folder:
        return None
    Path(folder).mkdir(parents=True, exist_ok=True)
    return Path(folder) / f"dashboard-{name}.png"


async def _shot(page: Any, name: str) -> None:
    """A page as it was used: every form that changes something carries the session's
    CSRF token, the address holds no name (ids and codes only); its picture, if wanted."""
    assert await page.locator("form[method=post]").count() > 0  # at least «Выйти»
    assert await page.locator("form[method=post]:not(:has(input[name=csrf]))").count() == 0
    assert re.fullmatch(r"[\x21-\x7e]+", page.url), page.url  # no Cyrillic, no spaces
    path = _shots(name)
    if path is not None:
        await page.screenshot(path=str(path), full_page=True)


@needs_browser
async def test_a_curator_signs_in_by_the_link_and_uses_every_page(
    emulator: Any, bot_app: Any, dashboard: str, browser: Any
) -> None:
    school = await _school(bot_app)
    link = await _link(emulator, CURATOR)
    # Nothing personal in the address, and the link's code is not stored as such.
    code = link.rsplit("/", 1)[1]
    assert len(code) >= 40
    async with read_settled(bot_app) as s:
        hashes = list(await s.scalars(select(DashboardToken.token_hash)))
    assert hashlib.sha256(code.encode()).hexdigest() in hashes and code not in hashes

    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    await page.goto(link)
    assert page.url == f"{dashboard}/dashboard/"  # the code left the address at once
    body = await page.inner_text("body")
    # The funnel, counted by hand: 5 came (the working pair's mentor and mentee, the
    # strict mentor, Oleg and the kid), all consented with profiles; 4 are in confirmed
    # pairs (80%); no pair met in the last 14 days.
    for key in ("invited", "consented", "profile", "paired", "meeting"):
        assert t(f"dashboard-funnel-{key}", RU) in body
    assert await page.text_content("[data-step=invited]") == "5 (100%)"
    assert await page.text_content("[data-step=paired]") == "4 (80%)"
    assert await page.text_content("[data-step=meeting]") == "0 (0%)"
    assert await page.locator(".stage").count() == 7
    await _shot(page, "overview")

    await page.click(f"text={t('dashboard-nav-pairs', RU)}")
    await page.wait_for_selector("#pairs")
    assert "Петя Малышев" in await page.inner_text("#pairs")
    await _shot(page, "pairs")

    # Move the 12-year-old to the mentor who asked for adults: warned first, as in /pairs.
    await page.click(f"tr[data-pair='{school.kid_pair_id}'] a.move")
    await page.wait_for_selector("input[name=mentor]")
    assert t("dashboard-move-breaks", RU) in await page.inner_text("main")
    await page.check(f"input[name=mentor][value='{school.strict_mentor_id}']")
    await _shot(page, "move")
    await page.click(f"button:has-text('{t('dashboard-move-do', RU)}')")
    await page.wait_for_selector("#rules")
    rules = await page.inner_text("#rules")
    assert t("match-constraint-age", RU) in rules
    await _shot(page, "move-warning")
    async with read_settled(bot_app) as s:  # nothing moved before the confirmation
        member = await s.scalar(select(PairMember).where(PairMember.mentee_id == school.kid_id))
        assert member is not None and member.pair_id == school.kid_pair_id
    await page.click(f"button:has-text('{t('pairs-btn-override', RU)}')")
    await page.wait_for_selector(".notice")
    assert t("dashboard-done-moved", RU) in await page.inner_text(".notice")
    async with read_settled(bot_app) as s:
        member = await s.scalar(select(PairMember).where(PairMember.mentee_id == school.kid_id))
        assert member is not None and member.pair_id != school.kid_pair_id
        moved = await s.scalar(select(AuditRecord).where(AuditRecord.action == "pair_moved"))
        assert moved is not None and "age" in moved.details["rules_overridden"]

    # The filters: the move made a proposal (the kid's old pair, left empty, ended).
    await page.select_option("select[name=status]", "proposed")
    await page.click(f"button:has-text('{t('dashboard-show', RU)}')")
    await page.wait_for_url("**status=proposed**")
    proposed = await page.locator("#pairs tbody tr").all_inner_texts()
    assert len(proposed) == 1 and "Ирина Петровна" in proposed[0] and "Петя" in proposed[0]
    await page.select_option("select[name=status]", "confirmed")
    await page.click(f"button:has-text('{t('dashboard-show', RU)}')")
    await page.wait_for_url("**status=confirmed**")
    confirmed = await page.locator("#pairs tbody tr").all_inner_texts()
    assert len(confirmed) == 1 and "Миша Иванов" in confirmed[0]
    # No pair needs attention yet (all were confirmed today).
    await page.select_option("select[name=risk]", "any")
    await page.click(f"button:has-text('{t('dashboard-show', RU)}')")
    await page.wait_for_url("**risk=any**")
    assert await page.inner_text("#pairs tbody") == t("dashboard-nothing", RU)

    # The participants: search (sent by POST, so the name stays out of the address).
    await page.click(f"text={t('dashboard-nav-registry', RU)}")
    await page.wait_for_selector("#registry")
    await page.click(f"a:has-text('{t('dashboard-role-mentor', RU)}')")
    await page.wait_for_selector("#registry")
    assert await page.locator("#registry tbody tr").count() == 3
    await page.fill("input[name=q]", "ирина")
    await page.click(f"button:has-text('{t('dashboard-find', RU)}')")
    await page.wait_for_selector("#registry")
    names = await page.locator("#registry td.name").all_inner_texts()
    assert names == ["Ирина Петровна"]
    assert "ирина" not in page.url.lower()
    await _shot(page, "registry")

    # Feedback: who answered, and a reminder for the one who has not.
    await page.click(f"text={t('dashboard-nav-feedback', RU)}")
    await page.wait_for_selector("#answers")
    assert await page.locator("#answers tr[data-answered=no]").count() == 1
    assert await page.locator("#answers tr[data-answered=yes]").count() == 1
    await _shot(page, "feedback")
    mentee = emulator.create_user("Миша", id=MENTEE, started=True)
    await page.click(f"button:has-text('{t('dashboard-remind', RU, count=1)}')")
    await page.wait_for_selector(".notice")
    assert t("dashboard-done-reminded", RU, count=1) in await page.inner_text(".notice")
    reminder = await mentee.wait_for(t("pairs-feedback-remind", RU))
    assert reminder is not None

    # Cases: the curator answers; the answer reaches the participant through the bot.
    await page.click(f"text={t('dashboard-nav-cases', RU)}")
    await page.wait_for_selector(f"[data-case='{school.case_id}']")
    await _shot(page, "cases")
    await page.fill(f"[data-case='{school.case_id}'] textarea", "Давай созвонимся завтра")
    await page.click(
        f"[data-case='{school.case_id}'] button:has-text('{t('dashboard-case-send', RU)}')"
    )
    await page.wait_for_selector(".notice")
    await mentee.wait_for(regex="Давай созвонимся завтра")
    await page.click(
        f"[data-case='{school.case_id}'] button:has-text('{t('dashboard-case-close', RU)}')"
    )
    await page.wait_for_selector(".notice")
    async with read_settled(bot_app) as s:
        case = await s.get(Case, school.case_id)
        assert case is not None and case.status == "closed"

    # The Excel export downloads.
    await page.click(f"text={t('dashboard-nav-overview', RU)}")
    async with page.expect_download() as info:
        await page.click(f"text={t('dashboard-export', RU)}")
    download = await info.value
    assert download.suggested_filename.endswith(".xlsx")
    content = await asyncio.to_thread(Path(await download.path()).read_bytes)
    assert content[:2] == b"PK"  # a zip: an xlsx file

    # On a phone screen the pages fit the width.
    phone = await browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    await phone.add_cookies(await context.cookies())
    small = await phone.new_page()
    await small.goto(f"{dashboard}/dashboard/pairs?p={school.programme_id}")
    width = await small.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    await _shot(small, "pairs-phone")


async def _lonely_kid_and_page(
    app: Any, emulator: Any, browser: Any, tg_id: int
) -> tuple[School, int, Any]:
    """The two schools, and in the first an 11-year-old who came after the matching
    (active, with a profile, in no pair); a page signed in as `tg_id`."""
    school = await _school(app)
    async with app.db.session() as s:
        from storage.models import Programme

        programme = await s.get(Programme, school.programme_id)
        kid = await make_participant(
            s, programme, "mentee", name="Вася Новиков", age=11, grade=5, category="school_student"
        )
        await _answers(s, kid, "mentee_profile", interests=["robotics"])
        kid_id = kid.id
        # A mentor without a pair yet, who asked for nothing in particular, whom the last
        # matching suggested for the kid.
        olga = await make_participant(
            s, programme, "mentor", name="Ольга Николаевна", approved=True, category="teacher"
        )
        await audit.record(
            s,
            programme_id=programme.id,
            actor_id=None,
            action="matching_run",
            unmatched=[{"mentee": kid_id, "reason": NO_MUTUAL, "suggestions": [olga.id]}],
        )
    page = await (await browser.new_context()).new_page()
    await page.goto(await _link(emulator, tg_id))
    return school, kid_id, page


async def _assign(page: Any, base: str, programme_id: int, mentee_id: int, mentor_id: int) -> Any:
    """The assignment form posted straight, with the page's own CSRF token, confirmed."""
    csrf = await page.get_attribute("input[name=csrf]", "value")
    form = {"p": programme_id, "mentee": mentee_id, "mentor": mentor_id, "confirmed": 1}
    return await page.request.post(
        f"{base}/dashboard/pairs/assign",
        form={"csrf": csrf or "", **{k: str(v) for k, v in form.items()}},
    )


@needs_browser
async def test_a_mentee_without_a_pair_is_given_a_mentor_after_the_warning(
    emulator: Any, bot_app: Any, dashboard: str, browser: Any
) -> None:
    """/pairs → «Без пары» in the browser: the same mentors, rules and warning as the bot."""
    school, kid_id, page = await _lonely_kid_and_page(bot_app, emulator, browser, CURATOR)
    await page.click(f"text={t('dashboard-nav-pairs', RU)}")
    lonely = page.locator(f"#unmatched li[data-mentee='{kid_id}']")
    assert "Вася Новиков" in await lonely.inner_text()
    await lonely.locator("a.assign").click()
    await page.wait_for_selector("input[name=mentor]")
    assert t("dashboard-assign-title", RU, name="Вася Новиков") in await page.inner_text("h1")
    assert t("dashboard-assign-why", RU, reason=NO_MUTUAL) in await page.inner_text("main")
    # Ольга Николаевна first; Ирина Петровна asked for adults: she breaks a rule, is
    # marked, and comes last.
    labels = await page.locator("form.card label").all_inner_texts()
    assert len(labels) == 2
    assert "Ольга Николаевна" in labels[0] and t("dashboard-move-breaks", RU) not in labels[0]
    assert t("dashboard-suggested", RU) in labels[0]
    assert "Ирина Петровна" in labels[1] and t("dashboard-move-breaks", RU) in labels[1]
    await _shot(page, "assign")
    await page.check(f"input[name=mentor][value='{school.strict_mentor_id}']")
    await page.click(f"button:has-text('{t('dashboard-assign-do', RU)}')")
    await page.wait_for_selector("#rules")
    assert t("match-constraint-age", RU) in await page.inner_text("#rules")
    # The mentor's name after «к наставнику» is declined (bot/services/names.py).
    intro = t("dashboard-assign-warning-intro", RU, mentor="Ирине Петровне")
    assert intro in await page.inner_text("main")
    await _shot(page, "assign-warning")
    async with read_settled(bot_app) as s:  # nothing placed before the confirmation
        assert await s.scalar(select(PairMember).where(PairMember.mentee_id == kid_id)) is None
    await page.click(f"button:has-text('{t('pairs-btn-override', RU)}')")
    await page.wait_for_selector(".notice")
    assert t("dashboard-done-assigned", RU) in await page.inner_text(".notice")
    assert await page.locator(f"#unmatched li[data-mentee='{kid_id}']").count() == 0
    proposed = page.locator("#pairs tbody tr", has_text="Вася Новиков")
    assert "Ирина Петровна" in await proposed.inner_text()
    async with read_settled(bot_app) as s:
        member = await s.scalar(select(PairMember).where(PairMember.mentee_id == kid_id))
        assert member is not None
        pair = await s.get(Pair, member.pair_id)
        assert pair is not None and pair.mentor_id == school.strict_mentor_id
        assert pair.status == "proposed"
        record = await s.scalar(select(AuditRecord).where(AuditRecord.action == "pair_assigned"))
        assert record is not None and "age" in record.details["rules_overridden"]

    # A second press of the same form (a double click, the back button): refused.
    answer = await _assign(page, dashboard, school.programme_id, kid_id, school.strict_mentor_id)
    assert answer.status == 400


@needs_browser
async def test_another_school_cannot_place_a_mentee(
    emulator: Any, bot_app: Any, dashboard: str, browser: Any
) -> None:
    school, kid_id, page = await _lonely_kid_and_page(bot_app, emulator, browser, OTHER_CURATOR)
    response = await page.goto(
        f"{dashboard}/dashboard/pairs/assign/{kid_id}?p={school.programme_id}"
    )
    assert response is not None and response.status == 403
    assert "Вася Новиков" not in await page.content()
    # Their own programme has no such mentee.
    response = await page.goto(
        f"{dashboard}/dashboard/pairs/assign/{kid_id}?p={school.other_programme_id}"
    )
    assert response is not None and response.status == 400
    await page.goto(f"{dashboard}/dashboard/")
    # The first school's programme is not theirs (403); theirs has no such mentee (400).
    for programme_id, refusal in ((school.programme_id, 403), (school.other_programme_id, 400)):
        answer = await _assign(page, dashboard, programme_id, kid_id, school.strict_mentor_id)
        assert answer.status == refusal
    async with read_settled(bot_app) as s:
        assert await s.scalar(select(PairMember).where(PairMember.mentee_id == kid_id)) is None


@needs_browser
async def test_a_used_or_expired_link_is_refused(
    emulator: Any, bot_app: Any, dashboard: str, browser: Any, test_clock: Any
) -> None:
    await _school(bot_app)
    link = await _link(emulator, CURATOR)
    first = await (await browser.new_context()).new_page()
    await first.goto(link)
    assert first.url.endswith("/dashboard/")
    # Signing out ends the session: the pages are closed again.
    await first.click(f"button:has-text('{t('dashboard-logout', RU)}')")
    await first.wait_for_url("**/dashboard/signed-out")
    response = await first.goto(f"{dashboard}/dashboard/")
    assert response is not None and response.status == 401
    # The same link a second time, in another browser: refused.
    second = await (await browser.new_context()).new_page()
    response = await second.goto(link)
    assert response is not None and response.status == 403
    assert t("dashboard-error-link", RU) in await second.inner_text("body")

    # A fresh link opened eleven minutes later (it lives ten): refused.
    late = await _link(emulator, CURATOR)
    test_clock.advance(timedelta(minutes=11))
    third = await (await browser.new_context()).new_page()
    response = await third.goto(late)
    assert response is not None and response.status == 403
    # Without a session no page opens.
    response = await third.goto(f"{dashboard}/dashboard/pairs")
    assert response is not None and response.status == 401
    assert t("dashboard-error-signed-out", RU) in await third.inner_text("body")


@needs_browser
async def test_a_curator_of_another_school_is_refused(
    emulator: Any, bot_app: Any, dashboard: str, browser: Any
) -> None:
    school = await _school(bot_app)
    link = await _link(emulator, OTHER_CURATOR)
    context = await browser.new_context()
    page = await context.new_page()
    await page.goto(link)
    # Their own programme only; the first school's is neither listed nor opened.
    assert "Программа гимназии" in await page.inner_text("h1")
    assert "Петя Малышев" not in await page.content()
    for path in (
        f"/dashboard/?p={school.programme_id}",
        f"/dashboard/pairs?p={school.programme_id}",
        f"/dashboard/pairs/{school.kid_pair_id}/move/{school.kid_id}",
        f"/dashboard/feedback?p={school.other_programme_id}&round={school.round_id}",
        f"/dashboard/export?p={school.programme_id}",
        "/dashboard/organisations",
    ):
        response = await page.goto(dashboard + path)
        assert response is not None and response.status == 403, path
        assert t("dashboard-error-forbidden", RU) in await page.inner_text("body")
        assert "Петя Малышев" not in await page.content()
    # A forged move with the curator's own valid CSRF token: refused, nothing moved.
    await page.goto(f"{dashboard}/dashboard/")
    csrf = await page.get_attribute("input[name=csrf]", "value")
    answer = await page.request.post(
        f"{dashboard}/dashboard/pairs/move",
        form={
            "csrf": csrf or "",
            "pair": str(school.kid_pair_id),
            "mentee": str(school.kid_id),
            "mentor": str(school.strict_mentor_id),
            "confirmed": "1",
        },
    )
    assert answer.status == 403
    answer = await page.request.post(
        f"{dashboard}/dashboard/feedback/remind",
        form={"csrf": csrf or "", "round": str(school.round_id)},
    )
    assert answer.status == 403
    async with read_settled(bot_app) as s:
        member = await s.scalar(select(PairMember).where(PairMember.mentee_id == school.kid_id))
        assert member is not None and member.pair_id == school.kid_pair_id
        assert (
            await s.scalar(select(OutboxMessage).where(OutboxMessage.kind == "feedback-reminder"))
            is None
        )


@needs_browser
async def test_a_form_without_its_csrf_token_is_refused(
    emulator: Any, bot_app: Any, dashboard: str, browser: Any
) -> None:
    school = await _school(bot_app)
    page = await (await browser.new_context()).new_page()
    await page.goto(await _link(emulator, CURATOR))
    for csrf in ("", "0" * 64):
        answer = await page.request.post(
            f"{dashboard}/dashboard/feedback/remind",
            form={"csrf": csrf, "round": str(school.round_id)},
        )
        assert answer.status == 403
        assert t("dashboard-error-csrf", RU) in await answer.text()
    async with read_settled(bot_app) as s:
        assert (
            await s.scalar(select(OutboxMessage).where(OutboxMessage.kind == "feedback-reminder"))
            is None
        )


def _init_data(token: str, user_id: int, *, auth_date: int | None = None) -> str:
    """Mini App data signed as Telegram signs it (core.telegram.org/bots/webapps,
    «Validating data received via the Mini App»): HMAC-SHA256 of the sorted fields with
    the key HMAC-SHA256("WebAppData", bot token)."""
    fields = {
        "auth_date": str(auth_date if auth_date is not None else int(time.time())),
        "query_id": "AAHdF6IQAAAAAN0XohDhrOrc",
        "user": json.dumps({"id": user_id, "first_name": "Мария"}, ensure_ascii=False),
    }
    check = "\n".join(f"{k}={v}" for k, v in sorted(fields.items()))
    secret = hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()
    fields["hash"] = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    return urlencode(fields)


async def test_mini_app_data_signs_in_only_when_genuine_and_fresh(
    emulator: Any, bot_app: Any, dashboard: str, test_clock: Any
) -> None:
    await _school(bot_app)
    moment = int(now().timestamp())
    url = f"{dashboard}/dashboard/webapp"

    async def post(init_data: str) -> tuple[int, str]:
        async with (
            aiohttp.ClientSession() as http,
            http.post(url, data={"init_data": init_data}, allow_redirects=False) as response,
        ):
            return response.status, response.headers.get("Set-Cookie", "")

    # Genuine and fresh: a session.
    status, cookie = await post(_init_data(emulator.token, CURATOR, auth_date=moment))
    assert status == 303 and "nastavnik_dashboard=" in cookie and "HttpOnly" in cookie
    # Signed with another bot's token: refused.
    status, cookie = await post(_init_data("123456:ANOTHER-BOT-TOKEN", CURATOR, auth_date=moment))
    assert (status, cookie) == (403, "")
    # Genuine but altered after signing (another user id): refused.
    genuine = _init_data(emulator.token, CURATOR, auth_date=moment)
    status, _ = await post(genuine.replace(str(CURATOR), str(OTHER_CURATOR)))
    assert status == 403
    # Genuine but two hours old: refused.
    status, _ = await post(_init_data(emulator.token, CURATOR, auth_date=moment - 7200))
    assert status == 403
    # Genuine, fresh, but the person is not staff: refused.
    status, _ = await post(_init_data(emulator.token, MENTEE, auth_date=moment))
    assert status == 403


@needs_browser
async def test_a_coordinator_sees_every_organisation_side_by_side(
    emulator: Any, bot_app: Any, dashboard: str, browser: Any
) -> None:
    await _school(bot_app)
    async with bot_app.db.session() as s:
        from storage.models import StaffMember
        from tests.support.factories import make_person

        coordinator = await make_person(s, tg_id=COORDINATOR, name="Координатор")
        s.add(StaffMember(person_id=coordinator.id, role="coordinator"))
    page = await (await browser.new_context()).new_page()
    await page.goto(await _link(emulator, COORDINATOR))
    await page.click(f"text={t('dashboard-nav-organisations', RU)}")
    await page.wait_for_selector("#organisations")
    rows = await page.locator("#organisations tbody tr").all_inner_texts()
    assert len(rows) == 2
    assert any("МБОУ «Лицей № 1»" in row and "Наставничество 2026/27" in row for row in rows)
    assert any("Гимназия № 2" in row and "Программа гимназии" in row for row in rows)
    # The targets beside the figures: 70% of students and of young teachers
    # (the indicators of the federal model of mentorship).
    assert all(row.count("/ 70%") == 2 for row in rows)
    await _shot(page, "organisations")
    # Each programme opens from the table, whichever organisation it belongs to.
    await page.click("#organisations a:has-text('Программа гимназии')")
    assert "Программа гимназии" in await page.inner_text("h1")
    # The coordinator's documents: the municipal report over both organisations.
    await page.click(f"nav >> text={t('dashboard-nav-documents', RU)}")
    async with page.expect_download() as info:
        await page.click("[data-kind=municipal]")
    download = await info.value
    assert download.suggested_filename.startswith("municipalnyj-otchet-")
    report = read_docx(await asyncio.to_thread(Path(await download.path()).read_bytes))
    assert "Лицей № 1" in report.text and "Гимназия № 2" in report.text
