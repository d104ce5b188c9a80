"""A very small fake Bot API server: enough for the process-level smoke tests."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from aiohttp import web


class FakeBotAPI:
    def __init__(self) -> None:
        self.updates: list[dict[str, Any]] = []
        self.sent: list[dict[str, Any]] = []
        self.calls: list[str] = []
        self._next_update = 1
        self._new = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.url = ""

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def send_text(self, user_id: int, text: str, language: str = "ru") -> None:
        entities = []
        if text.startswith("/"):
            entities = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        self.updates.append(
            {
                "update_id": self._next_update,
                "message": {
                    "message_id": self._next_update,
                    "date": int(time.time()),
                    "chat": {"id": user_id, "type": "private", "first_name": "Тест"},
                    "from": {
                        "id": user_id,
                        "is_bot": False,
                        "first_name": "Тест",
                        "language_code": language,
                    },
                    "text": text,
                    "entities": entities,
                },
            }
        )
        self._next_update += 1
        self._new.set()

    async def wait_sent(self, count: int, timeout: float = 15) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while len(self.sent) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"expected {count} messages, got {self.sent}")
            await asyncio.sleep(0.05)
        return self.sent

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"].lower()
        self.calls.append(method)
        if request.content_type == "application/json":
            params: dict[str, Any] = await request.json()
        else:
            form = await request.post()
            params = {k: v for k, v in form.items() if isinstance(v, str)}
        if method == "getme":
            result: Any = {"id": 1, "is_bot": True, "first_name": "Наставник", "username": "nb"}
        elif method == "getupdates":
            offset = int(params.get("offset") or 0)
            timeout = float(params.get("timeout") or 0)
            deadline = time.monotonic() + min(timeout, 1.0)
            while True:
                pending = [u for u in self.updates if u["update_id"] >= offset]
                if pending or time.monotonic() > deadline:
                    break
                self._new.clear()
                try:
                    await asyncio.wait_for(self._new.wait(), 0.1)
                except TimeoutError:
                    pass
            result = pending
        elif method == "sendmessage":
            markup = params.get("reply_markup")
            self.sent.append(
                {
                    "chat_id": int(params["chat_id"]),
                    "text": params["text"],
                    "reply_markup": json.loads(markup) if isinstance(markup, str) else markup,
                }
            )
            result = {
                "message_id": 1000 + len(self.sent),
                "date": int(time.time()),
                "chat": {"id": int(params["chat_id"]), "type": "private"},
                "text": params["text"],
            }
        else:
            result = True
        return web.json_response({"ok": True, "result": result})
