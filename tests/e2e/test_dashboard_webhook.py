"""The dashboard in webhook mode lives on the webhook server; without an address the
embedded mode's /dashboard says it is not set up. Plain HTTP here (the browser tests are
in test_dashboard.py)."""

from __future__ import annotations

import re
from typing import Any

import aiohttp
import pytest

from bot.commands import mini_app_url
from bot.texts import t
from tests.support.factories import make_curator, make_programme

CURATOR = 792_001


@pytest.fixture
def emulator_options() -> dict[str, Any]:
    return {"rate_limits": False}


async def _curator(app: Any) -> None:
    async with app.db.session() as s:
        programme = await make_programme(s)
        await make_curator(s, programme, tg_id=CURATOR)


async def test_the_webhook_server_serves_the_dashboard(emulator: Any, bot_app_webhook: Any) -> None:
    await _curator(bot_app_webhook)
    base = bot_app_webhook.settings.webhook_base_url
    user = emulator.create_user("Куратор", id=CURATOR, started=True)
    await user.command("dashboard")
    message = await user.wait_for(regex=r"/dashboard/login/")
    found = re.search(r"https?://\S+/dashboard/login/[\w-]+", message.text)
    assert found is not None and found.group(0).startswith(base + "/dashboard/login/")
    # unsafe: the jar keeps cookies of an IP address (the test server's) too.
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        async with http.get(found.group(0), allow_redirects=False) as response:
            assert response.status == 303
            assert response.headers["Location"] == "/dashboard/"
            assert response.headers["Referrer-Policy"] == "no-referrer"
        async with http.get(base + "/dashboard/") as response:
            assert response.status == 200
            assert t("dashboard-funnel-title", "ru") in await response.text()
        # The webhook itself still wants its secret.
        async with http.post(base + bot_app_webhook.settings.webhook_path, json={}) as response:
            assert response.status == 401


async def test_without_an_address_the_bot_says_the_dashboard_is_not_set_up(
    emulator: Any, bot_app: Any
) -> None:
    await _curator(bot_app)
    user = emulator.create_user("Куратор", id=CURATOR, started=True)
    await user.command("dashboard")
    await user.wait_for(t("dashboard-not-configured", "ru"))


async def test_a_participant_gets_no_link(emulator: Any, bot_app: Any) -> None:
    """/dashboard is a staff command: anyone else hears it is unknown."""
    user = emulator.create_user("Ученик", id=792_009, started=True)
    await user.command("dashboard")
    await user.wait_for(t("unknown-command", "ru"))


def test_the_mini_app_needs_https() -> None:
    # Telegram opens Mini Apps over https only (Bot API: WebAppInfo.url, «An HTTPS URL»).
    assert mini_app_url(None, "https://bot.school.ru/") == "https://bot.school.ru/dashboard/app"
    assert mini_app_url("https://panel.school.ru", "https://bot.school.ru") == (
        "https://panel.school.ru/dashboard/app"
    )
    assert mini_app_url("http://192.168.1.10:8090", None) is None
    assert mini_app_url(None, None) is None


async def test_the_embedded_mode_serves_the_dashboard_on_its_own_port(
    emulator: Any, bot_process_factory: Any
) -> None:
    """`python -m bot run` with DASHBOARD_BASE_URL starts the dashboard's own server."""
    from emulator.server import free_port

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    await bot_process_factory(
        env={
            "CURATOR_IDS": str(CURATOR),
            "DASHBOARD_HOST": "127.0.0.1",
            "DASHBOARD_PORT": str(port),
            "DASHBOARD_BASE_URL": base,
        }
    )
    user = emulator.create_user("Куратор", id=CURATOR, started=True)
    await user.command("dashboard")
    message = await user.wait_for(regex=r"/dashboard/login/")
    found = re.search(r"https?://\S+/dashboard/login/[\w-]+", message.text)
    assert found is not None and found.group(0).startswith(base + "/dashboard/login/")
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        async with http.get(found.group(0)) as response:
            assert response.status == 200
            assert str(response.url) == base + "/dashboard/"
            # A curator whose programme is not created yet is told where to create it.
            assert t("dashboard-no-programme", "ru") in await response.text()


async def test_the_mini_app_page_hands_telegrams_data_to_the_sign_in(
    emulator: Any, bot_app_webhook: Any
) -> None:
    base = bot_app_webhook.settings.webhook_base_url
    async with aiohttp.ClientSession() as http, http.get(base + "/dashboard/app") as response:
        assert response.status == 200
        page = await response.text()
    assert 'action="/dashboard/webapp"' in page and 'name="init_data"' in page
    assert "https://telegram.org/js/telegram-web-app.js" in page


async def test_the_max_mini_app_page_hands_maxs_data_to_the_sign_in(
    emulator: Any, bot_app_webhook: Any
) -> None:
    """The address a school sets as its MAX bot's mini-app (docs/dashboard.md)."""
    base = bot_app_webhook.settings.webhook_base_url
    async with aiohttp.ClientSession() as http, http.get(base + "/dashboard/max-app") as response:
        assert response.status == 200
        # MAX's web client may frame it, and MAX Bridge may run in it.
        policy = response.headers["Content-Security-Policy"]
        assert "https://web.max.ru" in policy and "https://st.max.ru" in policy
        page = await response.text()
    assert 'action="/dashboard/webapp"' in page and 'name="messenger" value="max"' in page
    assert "https://st.max.ru/js/max-web-app.js" in page
