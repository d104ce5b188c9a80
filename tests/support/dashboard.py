"""The web dashboard in tests: its own address in the settings, and its server."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from aiohttp import web

from emulator.server import free_port


def with_dashboard(settings: Any) -> Any:
    """The settings plus an address of the dashboard's own (the embedded mode's) server."""
    port = free_port()
    return settings.model_copy(
        update={
            "dashboard_base_url": f"http://127.0.0.1:{port}",
            "dashboard_host": "127.0.0.1",
            "dashboard_port": port,
        }
    )


@asynccontextmanager
async def served(app: Any) -> AsyncIterator[str]:
    """The dashboard served as the embedded mode serves it; yields its base address."""
    settings = app.settings
    runner = web.AppRunner(app.dashboard_app())
    await runner.setup()
    await web.TCPSite(runner, settings.dashboard_host, settings.dashboard_port).start()
    try:
        yield settings.dashboard_base_url
    finally:
        await runner.cleanup()
