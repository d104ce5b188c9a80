"""The dashboard opened as a MAX mini-app: MAX signs the launch data with the MAX bot's
token, and the dashboard checks it by MAX's published algorithm (dev.max.ru,
«Мини-приложения → Валидация данных»), written out again here from that page:

    secret_key = HMAC-SHA256(key="WebAppData", message=BOT_TOKEN)
    hash       = hex(HMAC-SHA256(key=secret_key, message="k1=v1\\nk2=v2…"))

with the parameters (each exactly once, `hash` taken out) URL-decoded and sorted by key.
A MAX user's id is the core's `2**53 + id` (bot/max/ids.py).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import quote

import aiohttp
import pytest

from bot.infra.clock import now
from bot.texts import t
from tests.e2e.test_dashboard import CHROMIUM, CHROMIUM_ARGS, needs_browser
from tests.e2e.test_dashboard import _init_data as _telegram_init_data
from tests.support.dashboard import served, with_dashboard
from tests.support.factories import make_curator, make_person, make_programme
from tests.support.max import max_app, max_emulator, settings_for

__all__ = ["max_app", "max_emulator"]

RU = "ru"
MAX_USER_BASE = 2**53  # bot/max/ids.py: a MAX user u is the core's 2**53 + u


@pytest.fixture
def max_emulator_options() -> dict[str, Any]:
    return {"rate_limits": False}


@pytest.fixture
def max_settings(max_emulator: Any, tmp_path: Any) -> Any:
    """The bot serving MAX alone, with the dashboard's own address."""
    return with_dashboard(settings_for(max_emulator, tmp_path))


@pytest.fixture
async def dashboard(max_app: Any) -> AsyncIterator[str]:
    async with served(max_app) as base:
        yield base


def _signed(token: str, fields: dict[str, str]) -> str:
    """`WebAppData` as MAX hands it to the mini-app: URL-encoded pairs and their hash."""
    launch_params = "\n".join(f"{k}={v}" for k, v in sorted(fields.items()))
    secret_key = hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()
    signature = hmac.new(secret_key, launch_params.encode(), hashlib.sha256).hexdigest()
    return "&".join(f"{k}={quote(v, safe='')}" for k, v in {**fields, "hash": signature}.items())


def _launch(token: str, max_user_id: int, auth_date: int) -> str:
    return _signed(
        token,
        {
            "auth_date": str(auth_date),
            "query_id": "0b6f2b1e-5c0a-4d5e-9d7a-1f2e3c4b5a69",
            "user": json.dumps(
                {
                    "id": max_user_id,
                    "first_name": "Мария",
                    "last_name": "Иванова",
                    "username": None,
                    "language_code": "ru",
                },
                ensure_ascii=False,
            ),
        },
    )


async def _schools(app: Any) -> tuple[int, int]:
    """Two schools, each with a curator who uses MAX (MAX users 7001 and 7002)."""
    async with app.db.session() as s:
        lyceum = await make_programme(s)
        await make_curator(s, lyceum, tg_id=MAX_USER_BASE + 7001)
        gymnasium = await make_programme(s, name="Программа гимназии", organisation="Гимназия № 2")
        await make_curator(s, gymnasium, tg_id=MAX_USER_BASE + 7002)
        await make_person(s, tg_id=MAX_USER_BASE + 7003, name="Ученик")
        return lyceum.id, gymnasium.id


async def _post(base: str, init_data: str, messenger: str = "max") -> tuple[int, str, str]:
    async with (
        aiohttp.ClientSession() as http,
        http.post(
            f"{base}/dashboard/webapp",
            data={"messenger": messenger, "init_data": init_data},
            allow_redirects=False,
        ) as response,
    ):
        return response.status, response.headers.get("Set-Cookie", ""), await response.text()


async def test_a_max_curator_signs_in_by_the_mini_app_data(
    max_emulator: Any, max_app: Any, dashboard: str
) -> None:
    lyceum, gymnasium = await _schools(max_app)
    moment = int(now().timestamp())
    status, cookie, _ = await _post(dashboard, _launch(max_emulator.token, 7001, moment))
    assert status == 303 and "nastavnik_dashboard=" in cookie and "HttpOnly" in cookie
    session = cookie.split(";", 1)[0].split("=", 1)[1]
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(cookie_jar=jar, cookies={"nastavnik_dashboard": session}) as h:
        async with h.get(f"{dashboard}/dashboard/") as page:
            assert page.status == 200
            assert "Наставничество 2026/27" in await page.text()
        # Signed in as the lyceum's curator, not the gymnasium's.
        async with h.get(f"{dashboard}/dashboard/pairs?p={gymnasium}") as page:
            assert page.status == 403
            assert t("dashboard-error-forbidden", RU) in await page.text()
    # A time in milliseconds (as MAX's Bot API counts) is read as such.
    status, _, _ = await _post(dashboard, _launch(max_emulator.token, 7001, moment * 1000))
    assert status == 303
    assert lyceum != gymnasium


async def test_forged_altered_old_or_foreign_max_data_is_refused(
    max_emulator: Any, max_app: Any, dashboard: str
) -> None:
    await _schools(max_app)
    token = max_emulator.token
    moment = int(now().timestamp())
    refused = t("dashboard-error-init-data-max", RU)
    # Signed with another bot's token.
    status, cookie, body = await _post(dashboard, _launch("f9LHodD0cOKJ1-other-bot", 7001, moment))
    assert (status, cookie) == (403, "") and refused in body
    # Genuine, then altered: another user's id put in.
    genuine = _launch(token, 7001, moment)
    status, cookie, _ = await _post(dashboard, genuine.replace("7001", "7002"))
    assert (status, cookie) == (403, "")
    # A parameter given twice (MAX: every parameter exactly once).
    status, cookie, _ = await _post(dashboard, genuine + "&auth_date=" + str(moment))
    assert (status, cookie) == (403, "")
    # No hash at all.
    status, _, _ = await _post(dashboard, genuine.rsplit("&hash=", 1)[0])
    assert status == 403
    # Genuine but two hours old (in seconds and in milliseconds).
    status, _, _ = await _post(dashboard, _launch(token, 7001, moment - 7200))
    assert status == 403
    status, _, _ = await _post(dashboard, _launch(token, 7001, (moment - 7200) * 1000))
    assert status == 403
    # Genuine and fresh, but the person is not staff.
    status, _, _ = await _post(dashboard, _launch(token, 7003, moment))
    assert status == 403
    # Genuine MAX data presented as Telegram's: this bot serves no Telegram, so no
    # Telegram data is accepted, however it is signed.
    status, _, _ = await _post(dashboard, genuine, messenger="telegram")
    assert status == 403
    # Nor Telegram-shaped data signed with the placeholder the bot uses as aiogram's token
    # when it serves MAX alone (anyone could compute that signature).
    forged = _telegram_init_data("1:max", MAX_USER_BASE + 7001, auth_date=moment)
    status, _, _ = await _post(dashboard, forged, messenger="telegram")
    assert status == 403


async def test_a_curator_of_another_school_sees_only_their_own(
    max_emulator: Any, max_app: Any, dashboard: str
) -> None:
    lyceum, gymnasium = await _schools(max_app)
    status, cookie, _ = await _post(
        dashboard, _launch(max_emulator.token, 7002, int(now().timestamp()))
    )
    assert status == 303
    session = cookie.split(";", 1)[0].split("=", 1)[1]
    async with aiohttp.ClientSession(cookies={"nastavnik_dashboard": session}) as h:
        async with h.get(f"{dashboard}/dashboard/") as page:
            text = await page.text()
            assert "Программа гимназии" in text and "Наставничество 2026/27" not in text
        for path in (f"/dashboard/?p={lyceum}", f"/dashboard/export?p={lyceum}"):
            async with h.get(dashboard + path) as page:
                assert page.status == 403, path
        async with h.get(f"{dashboard}/dashboard/?p={gymnasium}") as page:
            assert page.status == 200


@needs_browser
async def test_the_max_mini_app_page_signs_in_in_a_browser(
    max_emulator: Any, max_app: Any, dashboard: str
) -> None:
    """The page MAX opens: MAX Bridge (`window.WebApp.initData`) hands over the data and
    the page posts it. MAX's script is stood in for by one that holds the launch data."""
    from playwright.async_api import async_playwright

    await _schools(max_app)
    launch = _launch(max_emulator.token, 7001, int(now().timestamp()))
    bridge = f"window.WebApp = {{initData: {json.dumps(launch)}, ready: function () {{}}}};"
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = await browser.new_page(viewport={"width": 390, "height": 800})
            await page.route(
                "https://st.max.ru/js/max-web-app.js",
                lambda route: route.fulfill(body=bridge, content_type="text/javascript"),
            )
            await page.goto(f"{dashboard}/dashboard/max-app")
            await page.wait_for_url(f"{dashboard}/dashboard/")
            assert "Наставничество 2026/27" in await page.inner_text("h1")
            # Without MAX Bridge, the launch data in the address's fragment, where MAX
            # puts it too (dev.max.ru, «Валидация данных», step 1).
            bare = await browser.new_page()
            await bare.route(
                "https://st.max.ru/js/max-web-app.js",
                lambda route: route.fulfill(body="", content_type="text/javascript"),
            )
            fragment = f"WebAppData={quote(launch, safe='')}&WebAppPlatform=web"
            await bare.goto(f"{dashboard}/dashboard/max-app#{fragment}")
            await bare.wait_for_url(f"{dashboard}/dashboard/")
            assert "Наставничество 2026/27" in await bare.inner_text("h1")
            # Outside MAX (no launch data) the page says where to open it.
            other = await browser.new_page()
            await other.route(
                "https://st.max.ru/js/max-web-app.js",
                lambda route: route.fulfill(body="", content_type="text/javascript"),
            )
            await other.goto(f"{dashboard}/dashboard/max-app")
            assert t("dashboard-mini-app-outside-max", RU) in await other.inner_text("#status")
        finally:
            await browser.close()


async def test_a_max_curator_gets_a_one_time_link_from_the_bot(
    max_emulator: Any, max_app: Any, dashboard: str
) -> None:
    """/dashboard in MAX: the same one-time link, for the person MAX knows."""
    await _schools(max_app)
    curator = max_emulator.create_user("Мария", id=7001, started=True)
    await curator.command("dashboard")
    message = await curator.wait_for(regex=r"/dashboard/login/")
    found = re.search(r"https?://\S+/dashboard/login/[\w-]+", message.text)
    assert found is not None and found.group(0).startswith(dashboard)
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        async with http.get(found.group(0)) as page:
            assert page.status == 200 and str(page.url) == f"{dashboard}/dashboard/"
            assert "Наставничество 2026/27" in await page.text()
        async with http.get(found.group(0)) as page:
            assert page.status == 403  # once only
