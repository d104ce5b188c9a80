"""The HTTP side: `/bot<token>/<method>` and `/file/bot<token>/<path>` on a real socket."""

from __future__ import annotations

import asyncio
import json
import socket
from typing import Any

from aiohttp import web
from multidict import MultiDictProxy

from .core import EmulatorCore
from .errors import ApiError
from .records import FileRecord

_JSON = "application/json"
_NOT_FOUND = json.dumps({"ok": False, "error_code": 404, "description": "Not Found"})
_UNAUTHORIZED = json.dumps({"ok": False, "error_code": 401, "description": "Unauthorized"})


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class EmulatorServer:
    """Serves an EmulatorCore over HTTP."""

    def __init__(self, core: EmulatorCore) -> None:
        self.core = core
        self.app = web.Application(client_max_size=64 * 1024 * 1024)
        self.app.router.add_route("*", "/bot{token}/{method}", self.handle_method)
        self.app.router.add_get("/file/bot{token}/{path:.+}", self.handle_file)
        self.app.router.add_get("/_emulator/stats", self.handle_stats)
        self.app.router.add_post("/_emulator/users", self.handle_add_users)
        self._runner: web.AppRunner | None = None
        self.host = "127.0.0.1"
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host = host
        self.port = port or free_port(host)
        # handler_cancellation: a client that gives up (a timeout, a killed bot) frees
        # its long poll or its hanging fault at once.
        self._runner = web.AppRunner(
            self.app, handler_cancellation=True, access_log=None, shutdown_timeout=0.5
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, self.port, backlog=1024, reuse_address=True)
        await site.start()

    async def stop(self) -> None:
        await self.core.aclose()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _params(
        self, request: web.Request
    ) -> tuple[dict[str, Any], dict[str, FileRecord], bool]:
        """(params, uploaded files, whether values are form strings)."""
        params: dict[str, Any] = {}
        files: dict[str, FileRecord] = {}
        form = True
        if request.query_string:
            params.update(request.query)
        if request.method == "POST" and request.body_exists:
            ctype = request.content_type
            if ctype == _JSON:
                raw = await request.read()
                if raw:
                    try:
                        body = json.loads(raw)
                    except ValueError:
                        raise ApiError(
                            400, "Bad Request: can't parse JSON encoded request"
                        ) from None
                    if not isinstance(body, dict):
                        raise ApiError(400, "Bad Request: JSON object expected")
                    if params:
                        params = {k: v for k, v in params.items() if k not in body}
                        # query values are strings, body values are typed: keep them apart
                        from .validation import coerce_form

                        params = coerce_form(
                            self.core.table.get(request.match_info["method"]), params
                        )
                    params.update(body)
                    form = False
            else:
                post: MultiDictProxy[Any] = await request.post()
                for key, value in post.items():
                    if isinstance(value, str):
                        params[key] = value
                    else:
                        content = value.file.read()
                        files[key] = self.core._store_file(
                            content, value.filename, value.content_type
                        )
        return params, files, form

    async def handle_method(self, request: web.Request) -> web.Response:
        core = self.core
        if request.match_info["token"] != core.token:
            return web.Response(status=401, text=_UNAUTHORIZED, content_type=_JSON)
        method = request.match_info["method"]
        params: dict[str, Any] = {}
        try:
            params, files, form = await self._params(request)
            result = await core.call_api(method, params, files, form=form)
        except ApiError as exc:
            if exc.code == 404:
                return web.Response(status=404, text=_NOT_FOUND, content_type=_JSON)
            core.note_error(method, params, exc)
            return web.Response(status=exc.code, text=_dumps(exc.payload()), content_type=_JSON)
        except asyncio.CancelledError:
            raise
        return web.Response(text=_dumps({"ok": True, "result": result}), content_type=_JSON)

    async def handle_file(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.core.token:
            return web.Response(status=401, text=_UNAUTHORIZED, content_type=_JSON)
        record = self.core.file_by_path(request.match_info["path"])
        if record is None:
            return web.Response(status=404, text=_NOT_FOUND, content_type=_JSON)
        return web.Response(
            body=record.content, content_type=record.mime_type or "application/octet-stream"
        )

    async def handle_stats(self, request: web.Request) -> web.Response:
        return web.json_response(self.core.stats.as_dict())

    async def handle_add_users(self, request: web.Request) -> web.Response:
        """Create users over HTTP (for an emulator in another process, e.g. benchmarks).

        Body: {"count": N, "started": true} or {"users": [{"id":..., "first_name":...}]}.
        """
        body = await request.json()
        created = []
        for spec in body.get("users") or [{} for _ in range(int(body.get("count", 0)))]:
            spec = dict(spec)
            spec.setdefault("started", bool(body.get("started", True)))
            user = self.core.add_user(spec.pop("first_name", "User"), **spec)
            created.append(user.id)
        return web.json_response({"ids": created})
