"""Pictures of the dashboard's pages for the demo (`demo-output/dashboard-*.png`).

Headless Chromium from the system (Debian's `chromium` package) driven by Playwright,
both optional: without them there are no pictures and the demo says so.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
PAGES = (
    ("overview", "/dashboard/"),
    ("pairs", "/dashboard/pairs"),
    ("registry", "/dashboard/registry"),
    ("feedback", "/dashboard/feedback"),
    ("cases", "/dashboard/cases"),
    ("documents", "/dashboard/documents"),
)
# A coordinator's page.
ORGANISATIONS = (("organisations", "/dashboard/organisations"),)


def browser_available() -> bool:
    if not CHROMIUM.exists():
        return False
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        return False
    return True


async def save_screenshots(
    base_url: str,
    link: str,
    out: Path,
    pages: tuple[tuple[str, str], ...] = PAGES,
    *,
    phone: bool = True,
) -> list[Path]:
    """Sign in by the one-time `link`, then picture the `pages` (on a desktop) and, with
    `phone`, the overview on a phone."""
    if not browser_available():
        return []
    from playwright.async_api import async_playwright

    saved: list[Path] = []
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=list(CHROMIUM_ARGS)
        )
        try:
            desktop = await browser.new_context(viewport={"width": 1280, "height": 860})
            page = await desktop.new_page()
            await page.goto(link)
            for name, path in pages:
                await page.goto(base_url.rstrip("/") + path)
                target = out / f"dashboard-{name}.png"
                await page.screenshot(path=str(target), full_page=True)
                saved.append(target)
            if phone:
                saved.append(await _phone(browser, desktop, base_url, out))
        finally:
            await browser.close()
    return saved


async def _phone(browser: Any, desktop: Any, base_url: str, out: Path) -> Path:
    phone = await browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, device_scale_factor=2
    )
    # The phone shares the desktop's session (the link opened one, once).
    cookies: Any = await desktop.cookies()
    await phone.add_cookies(cookies)
    small = await phone.new_page()
    await small.goto(base_url.rstrip("/") + "/dashboard/")
    target = out / "dashboard-phone.png"
    await small.screenshot(path=str(target), full_page=True)
    return target
