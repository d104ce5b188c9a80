"""The dashboard's charts in a real browser: the programme's chart of /report on the
overview, the indicators' chart on the coordinator's page of all organisations, both
drawn by the library /report draws with and served as images each request authorises.

The figures are those of tests/support/report_fixture.py: two feedback rounds and pairs
with meetings (so the chart has its three panels: response, scores, meetings), and a
second organisation for the coordinator.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select

from bot.services.reporting.municipality import compute_municipal
from bot.services.reporting.year_snapshot import freeze_year
from bot.texts import t
from storage.models import Person, Programme, StaffMember
from tests.e2e.test_dashboard import _link, _shot, browser, needs_browser
from tests.e2e.test_dashboard_documents import (
    bot_settings,
    clock_start,
    dashboard,
    emulator_options,
)
from tests.support.factories import make_curator, make_person
from tests.support.report_fixture import NOW, build_report_fixture, build_second_organisation

__all__ = ["bot_settings", "browser", "clock_start", "dashboard", "emulator_options"]

RU = "ru"
CURATOR = 794_001
OTHER_CURATOR = 794_002
COORDINATOR = 794_003
SVG = "image/svg+xml"


async def _schools(app: Any) -> tuple[int, int]:
    """The report fixture's programme (its curator CURATOR), a second organisation with
    its own curator, and a coordinator; the two programmes' ids."""
    async with app.db.session() as s:
        fx = await build_report_fixture(s, curator_tg_id=CURATOR)
        other = await build_second_organisation(s)
        await make_curator(s, other, tg_id=OTHER_CURATOR)
        coordinator = await make_person(s, tg_id=COORDINATOR, name="Координатор")
        s.add(StaffMember(person_id=coordinator.id, role="coordinator"))
        return fx.programme.id, other.id


async def _signed_in(browser: Any, emulator: Any, tg_id: int) -> Any:
    """A page of a fresh browser signed in by the bot's one-time link."""
    page = await (await browser.new_context()).new_page()
    await page.goto(await _link(emulator, tg_id))
    return page


async def _natural_width(page: Any, selector: str) -> int:
    """The image's width once the browser has loaded and decoded it (0 if it could not)."""
    image = page.locator(selector)
    await image.wait_for()
    return int(
        await image.evaluate(
            "img => img.complete ? img.naturalWidth : new Promise(done => {"
            " img.onload = () => done(img.naturalWidth); img.onerror = () => done(0); })"
        )
    )


async def _chart(page: Any, base: str, selector: str) -> tuple[str, Any]:
    """The chart the page shows (loaded in the browser): its address and the SVG served."""
    assert await _natural_width(page, selector) > 0
    source = await page.get_attribute(selector, "src")
    answer = await page.request.get(base + source)
    assert answer.status == 200 and answer.headers["content-type"] == SVG
    return source, answer


def _labels(svg: bytes) -> list[str]:
    """The texts the chart draws (matplotlib keeps each one as a comment in the SVG)."""
    return re.findall(r"<!-- (.+?) -->", svg.decode())


@needs_browser
async def test_the_overview_shows_the_programme_chart_of_report(
    emulator: Any, bot_app: Any, dashboard: str, browser: Any
) -> None:
    programme_id, _ = await _schools(bot_app)
    page = await _signed_in(browser, emulator, CURATOR)
    source, answer = await _chart(page, dashboard, "#programme-chart")
    # Only the programme's id in the address.
    assert source == f"/dashboard/charts/programme.svg?p={programme_id}"
    await _shot(page, "overview-chart")
    labels = _labels(await answer.body())
    # The three panels of /report's chart: two rounds, so response and scores; pairs
    # that met, so the meetings.
    for key in ("chart-response", "chart-scores", "chart-meetings", "chart-usefulness"):
        assert t(key, RU) in labels, key
    # Kept privately and asked again each time: the same figures are answered 304.
    cache = answer.headers["cache-control"]
    assert "private" in cache and "no-cache" in cache and "no-store" not in cache
    assert answer.headers["content-security-policy"].startswith("default-src 'none'")
    again = await page.request.get(
        dashboard + source, headers={"If-None-Match": answer.headers["etag"]}
    )
    assert again.status == 304
    # On a phone the page keeps its width; the chart keeps a readable size and
    # scrolls sideways inside its card.
    await page.set_viewport_size({"width": 390, "height": 844})
    await page.reload()
    assert await _natural_width(page, "#programme-chart") > 0
    assert await page.evaluate("document.documentElement.scrollWidth") <= 390
    shown = await page.locator("#programme-chart").bounding_box()
    assert shown is not None and shown["width"] > 390


@needs_browser
async def test_the_coordinator_sees_the_indicators_chart(
    emulator: Any, bot_app: Any, dashboard: str, browser: Any
) -> None:
    programme_id, _ = await _schools(bot_app)
    page = await _signed_in(browser, emulator, COORDINATOR)
    await page.click(f"text={t('dashboard-nav-organisations', RU)}")
    source, answer = await _chart(page, dashboard, "#indicators-chart")
    assert source == "/dashboard/charts/indicators.svg"
    await _shot(page, "organisations-chart")
    labels = _labels(await answer.body())
    # Both organisations and the total, each indicator against its target (the model's).
    assert any("Лицей № 1" in label for label in labels)
    assert any("Политехнический колледж" in label for label in labels)
    assert t("chart-municipal-total", RU) in labels
    assert t("chart-municipal-students", RU, target=70) in labels
    assert t("chart-municipal-trained", RU, target=30) in labels
    live = [label for label in labels if label.endswith("%")]

    # «Итоги года» frozen, then the school's number of students changed: /report's chart
    # keeps the frozen figures, and so does the dashboard's.
    async with bot_app.db.session() as s:
        coordinator = await s.scalar(select(Person).where(Person.tg_id == COORDINATOR))
        assert coordinator is not None
        before = await compute_municipal(s)
        await freeze_year(s, coordinator, programme_id, NOW)
        programme = await s.get(Programme, programme_id)
        assert programme is not None
        programme.students_total = 40  # twice the fixture's 20
    async with bot_app.db.read() as s:
        after = await compute_municipal(s)
    assert [o.indicators["students"].percent for o in after.organisations] != [
        o.indicators["students"].percent for o in before.organisations
    ]
    frozen = await page.request.get(dashboard + source)
    assert frozen.status == 200
    assert [label for label in _labels(await frozen.body()) if label.endswith("%")] == live


@needs_browser
async def test_the_charts_are_refused_to_who_may_not_see_them(
    emulator: Any, bot_app: Any, dashboard: str, browser: Any
) -> None:
    programme_id, other_id = await _schools(bot_app)
    page = await (await browser.new_context()).new_page()
    # Signed out: nothing.
    answer = await page.request.get(f"{dashboard}/dashboard/charts/programme.svg?p={programme_id}")
    assert answer.status == 401
    await page.goto(await _link(emulator, OTHER_CURATOR))
    # The curator of the other school sees their own programme's chart (its one pair,
    # with no meeting yet)...
    source, _ = await _chart(page, dashboard, "#programme-chart")
    assert source == f"/dashboard/charts/programme.svg?p={other_id}"
    # ...and the first school's chart and the coordinator's are refused.
    for path in (
        f"/dashboard/charts/programme.svg?p={programme_id}",
        "/dashboard/charts/indicators.svg",
    ):
        response = await page.goto(dashboard + path)
        assert response is not None and response.status == 403, path
        assert t("dashboard-error-forbidden", RU) in await page.inner_text("body")
