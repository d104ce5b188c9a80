"""`MaxEmulator`: MAX's Bot API over real HTTP, for tests and the demo.

Every request is checked against MAX's official OpenAPI description (`schema.py`) and
MAX's documented limits before it changes anything; a refused request is answered as
MAX answers (`{"code": ..., "message": ...}`) and kept in `rejections`, which an
end-to-end test expects to stay empty.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
import time
from collections import deque
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, Protocol

import aiohttp
from aiohttp import web

from emulator.server import free_port

from .markup import MarkupError, plain_text
from .records import (
    CallbackRecord,
    MaxChat,
    MaxMessage,
    MaxUserRecord,
    Rejection,
    UploadRecord,
)
from .schema import Operation, Schema, default_spec_path, load

DEFAULT_TOKEN = "max-emulator-token-0001"
# MAX's documentation, outside the schema: about 30 requests per second, an inline
# keyboard of at most 210 buttons in at most 30 rows of at most 7.
REQUESTS_PER_SECOND = 30
MAX_BUTTONS, MAX_ROWS, MAX_ROW = 210, 30, 7
MAX_ADD_IDS = 100  # `UserIdsList.user_ids`: «максимум 100 идентификаторов» in one request
BOT_PERMISSIONS = ["read_all_messages", "add_remove_members", "write", "pin_message"]
FIRST_USER_ID = 200_001
# Where MAX's schema is narrower than what MAX sends (emulator/README.md): a dialog's
# `chat_type` is "dialog", the schema's `ChatType` lists only "chat".
SCHEMA_SLIPS = ("chat_type: 'dialog' is not one of",)
BOT_USER_ID = 900_000_001


class ClockLike(Protocol):
    def now(self) -> datetime: ...


class MaxApiError(Exception):
    """An answer other than 200, with MAX's body."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


class MaxEmulator:
    """MAX for one bot. Create people with `create_user`, groups with `create_group`."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        rate_limits: bool = True,
        spec_path: str | None = None,
        clock: ClockLike | None = None,
        bot_username: str = "nastavnik_school_bot",
    ) -> None:
        path = spec_path or default_spec_path()
        self.schema: Schema = load(str(path))
        self.token = token
        self.rate_limits = rate_limits
        self.clock = clock
        self.bot = MaxUserRecord(BOT_USER_ID, "Наставник", username=bot_username, is_bot=True)
        self.users: dict[int, MaxUserRecord] = {}
        self.chats: dict[int, MaxChat] = {}
        self.messages: dict[str, tuple[MaxChat, MaxMessage]] = {}
        self.callbacks: dict[str, CallbackRecord] = {}
        self.uploads: dict[str, UploadRecord] = {}
        self.subscriptions: list[dict[str, Any]] = []
        self.rejections: list[Rejection] = []
        self.calls: list[tuple[str, str]] = []  # (METHOD, template) of every accepted call
        self.rate_limited = 0
        self.call_times: list[float] = []  # when the accepted calls arrived (monotonic)
        self.queued: list[dict[str, Any]] = []
        self.confirmed_upto = 0  # updates before this position were taken by a marker
        self.new_update = asyncio.Event()
        self._recent: deque[float] = deque()
        self._next_user = FIRST_USER_ID
        self._next_group = 1
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None
        self._deliveries: set[asyncio.Task[None]] = set()
        self.port = 0
        self._scripted: dict[int, Any] = {}
        self.polled = False
        self.closing = False

    # -- lifecycle -------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The base URL for MAX_API_URL."""
        return f"http://127.0.0.1:{self.port}"

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> MaxEmulator:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/_upload/{token}", self._upload)
        app.router.add_route("GET", "/_files/{token}", self._download)
        app.router.add_route("*", "/{tail:.*}", self._dispatch)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        self.port = port or free_port(host)
        await web.TCPSite(self._runner, host, self.port).start()
        return self

    async def stop(self) -> None:
        self.closing = True
        self.new_update.set()  # long polls in hand return at once
        for task in list(self._deliveries):
            task.cancel()
        if self._session is not None:
            await self._session.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def __aenter__(self) -> MaxEmulator:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def now_ms(self) -> int:
        moment = self.clock.now() if self.clock is not None else None
        return int((moment.timestamp() if moment else time.time()) * 1000)

    # -- people and chats ------------------------------------------------------------

    def create_user(
        self,
        first_name: str = "User",
        *,
        last_name: str | None = None,
        username: str | None = None,
        user_id: int | None = None,
        started: bool = False,
        id: int | None = None,  # the Telegram emulator's name for user_id
        language_code: str | None = None,
    ) -> Any:
        """A person with a MAX client (a `MaxUser` of emulator.max.scripted)."""
        from .scripted import MaxUser

        user_id = user_id if user_id is not None else id
        uid = user_id if user_id is not None else self._next_user
        self._next_user = max(self._next_user, uid) + 1
        record = MaxUserRecord(uid, first_name, last_name, username, dialog_id=10_000_000 + uid)
        record.started = started
        self.users[uid] = record
        self.chats[record.dialog_id] = MaxChat(record.dialog_id, "dialog", user_id=uid)
        user = MaxUser(self, record)
        self._scripted[uid] = user
        return user

    def create_group(
        self, title: str, owner: Any, *, with_bot: bool = True, bot_admin: bool = True
    ) -> Any:
        """A group chat `owner` created; `with_bot`: the owner adds the bot (an
        administrator unless `bot_admin` is False)."""
        from .scripted import MaxGroup

        chat_id = -(70_000_000 + self._next_group)
        self._next_group += 1
        chat = MaxChat(
            chat_id, "chat", title=title, members={owner.id}, admins={owner.id}, owner_id=owner.id
        )
        self.chats[chat_id] = chat
        group = MaxGroup(self, chat)
        if with_bot:
            chat.bot_member = True
            if bot_admin:
                chat.admins.add(self.bot.user_id)
            self.push(
                "bot_added",
                chat_id=chat_id,
                user=self.users[owner.id].as_dict(self.now_ms()),
                is_channel=False,
            )
        return group

    def dialog_of(self, user_id: int) -> MaxChat:
        return self.chats[self.users[user_id].dialog_id]

    # -- updates ---------------------------------------------------------------------

    def push(self, update_type: str, **fields: Any) -> dict[str, Any]:
        update = {"update_type": update_type, "timestamp": self.now_ms(), **fields}
        errors = self.schema.check({"$ref": "#/components/schemas/Update"}, update, "update")
        errors = [e for e in errors if not any(slip in e for slip in SCHEMA_SLIPS)]
        if errors:  # the emulator's own slip: fail loudly, not in the bot
            raise AssertionError(f"the emulator built an update MAX would not send: {errors}")
        self.queued.append(update)
        self.new_update.set()
        self.new_update = asyncio.Event()
        for sub in self.subscriptions:
            self._deliver(sub, update)
        return update

    def add_message(
        self,
        chat: MaxChat,
        sender: MaxUserRecord,
        body: dict[str, Any],
        text: str,
        *,
        from_bot: bool,
    ) -> MaxMessage:
        chat.seq += 1
        recipient: dict[str, Any] = {"chat_id": chat.chat_id, "chat_type": chat.kind}
        recipient["user_id"] = chat.user_id if chat.kind == "dialog" else None
        mid = "mid." + secrets.token_hex(16)
        data = {
            "sender": sender.as_dict(self.now_ms()),
            "recipient": recipient,
            "timestamp": self.now_ms(),
            "body": {"mid": mid, "seq": chat.seq, "text": text, **body},
        }
        message = MaxMessage(data, from_bot=from_bot, text=text)
        chat.messages.append(message)
        chat.events.append(("message", message, text))
        self.messages[mid] = (chat, message)
        chat.touch()
        return message

    # -- HTTP ------------------------------------------------------------------------

    async def _dispatch(self, request: web.Request) -> web.Response:
        arrived = time.monotonic()
        token = request.headers.get("Authorization") or request.query.get("access_token")
        if token != self.token:
            return _error(401, "verify.token", "Invalid access_token")
        if self.rate_limits and self._over_rate():
            self.rate_limited += 1
            return _error(429, "too.many.requests", "Too many requests")
        operation, path_known = self.schema.find(request.method, request.path)
        if operation is None:
            status, code = (405, "method.not.allowed") if path_known else (404, "not.found")
            self._reject(request, [f"{request.method} {request.path}: {code}"])
            return _error(status, code, f"{request.method} {request.path} is not in the API")
        query = {k: v for k, v in request.query.items()}
        errors = self.schema.check_query(operation, query)
        body: Any = None
        body_schema = self.schema.body_schema(operation)
        if body_schema is not None:
            try:
                body = json.loads(await request.text() or "null")
            except ValueError:
                errors.append("body is not JSON")
            else:
                errors += self.schema.check(body_schema, body)
                errors += _keyboard_limits(body)
        if errors:
            self._reject(request, errors)
            return _error(400, "proto.payload", "; ".join(errors))
        handler = _HANDLERS.get((operation.method, operation.template))
        if handler is None:
            return _error(501, "not.implemented", f"{operation.operation_id} is not modelled")
        try:
            result = await handler(self, operation, query, body)
        except MaxApiError as exc:
            return _error(exc.status, exc.code, exc.message)
        self.calls.append((operation.method, operation.template))
        self.call_times.append(arrived)
        return web.json_response(result, dumps=_dumps)

    def _reject(self, request: web.Request, errors: list[str]) -> None:
        self.rejections.append(Rejection(request.method, request.path, errors))

    def _over_rate(self) -> bool:
        now = time.monotonic()
        while self._recent and now - self._recent[0] >= 1.0:
            self._recent.popleft()
        if len(self._recent) >= REQUESTS_PER_SECOND:
            return True
        self._recent.append(now)
        return False

    async def _upload(self, request: web.Request) -> web.Response:
        record = self.uploads.get(request.match_info["token"])
        if record is None:
            return _error(404, "not.found", "upload not found")
        reader = await request.multipart()
        part = await reader.next()
        if part is None or not isinstance(part, aiohttp.BodyPartReader):
            return _error(400, "proto.payload", "no file in the upload")
        record.filename = part.filename
        record.content = await part.read()
        if record.kind == "image":
            return web.json_response({"photos": {"1": {"token": record.token}}})
        return web.json_response({"token": record.token})

    async def _download(self, request: web.Request) -> web.Response:
        """A file's download URL (MAX's attachment `url`; no token needed, as MAX's)."""
        record = self.uploads.get(request.match_info["token"])
        if record is None or not record.content:
            return _error(404, "not.found", "file not found")
        return web.Response(body=record.content, content_type="application/octet-stream")

    def user_file(self, kind: str, content: bytes, filename: str | None) -> dict[str, Any]:
        """A file a person attaches in their client: the attachment MAX shows the bot."""
        token = secrets.token_urlsafe(16)
        self.uploads[token] = UploadRecord(token, kind, content, filename)
        return _stored_file(self, self.uploads[token])

    def _deliver(self, subscription: dict[str, Any], update: dict[str, Any]) -> None:
        task = asyncio.get_event_loop().create_task(self._post(subscription, update))
        self._deliveries.add(task)
        task.add_done_callback(self._deliveries.discard)

    async def _post(self, subscription: dict[str, Any], update: dict[str, Any]) -> None:
        if self._session is None:
            self._session = aiohttp.ClientSession()
        headers = {"Content-Type": "application/json"}
        if subscription.get("secret"):
            headers["X-Max-Bot-Api-Secret"] = subscription["secret"]
        for _ in range(20):  # MAX retries a failed delivery
            with contextlib.suppress(aiohttp.ClientError, TimeoutError):
                async with self._session.post(
                    subscription["url"], data=_dumps(update), headers=headers
                ) as answer:
                    if answer.status == 200:
                        return
            await asyncio.sleep(0.2)

    # -- waiting ---------------------------------------------------------------------

    async def wait_for_polling(self, timeout: float = 10.0) -> None:
        """Until the bot has asked for updates once."""
        deadline = time.monotonic() + timeout
        while not self.polled:
            if time.monotonic() > deadline:
                raise TimeoutError("the bot did not poll MAX")
            await asyncio.sleep(0.02)

    async def wait_until(self, predicate: Callable[[], bool], timeout: float = 5.0) -> None:
        """Wait until `predicate()` is true (checked every few milliseconds)."""
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                raise TimeoutError("condition not reached in time")
            await asyncio.sleep(0.01)

    def answered(self, callback_id: str) -> CallbackRecord:
        return self.callbacks[callback_id]

    def peak_per_second(self) -> int:
        """The most calls accepted within any one second."""
        times, peak, start = self.call_times, 0, 0
        for end in range(len(times)):
            while times[end] - times[start] >= 1.0:
                start += 1
            peak = max(peak, end - start + 1)
        return peak

    def requests_of(self, template: str, method: str | None = None) -> int:
        return sum(1 for m, t in self.calls if t == template and (method is None or m == method))


# -- the API's methods ---------------------------------------------------------------


async def _me(emu: MaxEmulator, op: Operation, query: dict[str, str], body: Any) -> Any:
    return {**emu.bot.as_dict(emu.now_ms()), "commands": None}


async def _updates(emu: MaxEmulator, op: Operation, query: dict[str, str], body: Any) -> Any:
    emu.polled = True
    if emu.subscriptions:
        raise MaxApiError(405, "method.not.allowed", "Long polling is off with a webhook")
    marker = query.get("marker")
    if marker is not None:
        emu.confirmed_upto = max(emu.confirmed_upto, int(marker))
    limit = int(query.get("limit", 100))
    timeout = int(query.get("timeout", 30))
    types = set(query["types"].split(",")) if query.get("types") else None
    deadline = time.monotonic() + timeout
    while True:
        waiting = emu.new_update
        batch = emu.queued[emu.confirmed_upto :][:limit]
        chosen = [u for u in batch if types is None or u["update_type"] in types]
        if batch and (chosen or len(batch) == limit):
            end = emu.confirmed_upto + len(batch)
            if not chosen:
                emu.confirmed_upto = end
                continue
            return {"updates": chosen, "marker": end}
        remaining = deadline - time.monotonic()
        if remaining <= 0 or emu.closing:
            return {"updates": [], "marker": emu.confirmed_upto}
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(waiting.wait(), remaining)


def _recipient(emu: MaxEmulator, query: dict[str, str]) -> MaxChat:
    if "user_id" in query:
        user = emu.users.get(int(query["user_id"]))
        if user is None:
            raise MaxApiError(404, "not.found", "Chat not found")
        if not user.started:
            raise MaxApiError(403, "chat.denied", "The user has not started the bot")
        return emu.chats[user.dialog_id]
    if "chat_id" in query:
        chat = emu.chats.get(int(query["chat_id"]))
        if chat is None or (chat.kind == "chat" and not chat.bot_member):
            raise MaxApiError(404, "not.found", "Chat not found")
        return chat
    raise MaxApiError(400, "proto.payload", "user_id or chat_id is required")


def _body_parts(emu: MaxEmulator, body: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    """The shown text and the attachments as MAX stores them."""
    try:
        text = plain_text(body.get("text") or "", body.get("format"))
    except MarkupError as exc:
        raise MaxApiError(400, "proto.payload", f"text: {exc}") from None
    stored: list[dict[str, Any]] = []
    for attachment in body.get("attachments") or []:
        kind = attachment["type"]
        if kind == "inline_keyboard":
            stored.append({"type": kind, "payload": attachment["payload"]})
        elif kind in ("file", "image"):
            token = attachment["payload"].get("token")
            photos = attachment["payload"].get("photos") or {}
            if token is None and photos:
                token = next(iter(photos.values()))["token"]
            upload = emu.uploads.get(str(token))
            if upload is None or not upload.content:
                raise MaxApiError(
                    400, "attachment.not.ready", "Key: errors.process.attachment.file.not.processed"
                )
            if upload.kind != kind:
                raise MaxApiError(400, "proto.payload", f"attachment: the token is not of a {kind}")
            stored.append(_stored_file(emu, upload))
        else:
            raise MaxApiError(400, "proto.payload", f"attachment {kind} is not modelled")
    return text, stored


def _stored_file(emu: MaxEmulator, upload: UploadRecord) -> dict[str, Any]:
    url = f"{emu.url}/_files/{upload.token}"
    if upload.kind == "image":
        payload = {
            "photo_id": abs(hash(upload.token)) % 10**9,
            "url": url,
            "token": upload.token,
        }
        return {"type": "image", "payload": payload}
    return {
        "type": "file",
        "payload": {"url": url, "token": upload.token},
        "filename": upload.filename or "file",
        "size": len(upload.content),
    }


async def _send(emu: MaxEmulator, op: Operation, query: dict[str, str], body: Any) -> Any:
    chat = _recipient(emu, query)
    text, attachments = _body_parts(emu, body)
    if not text and not attachments:
        raise MaxApiError(400, "proto.payload", "text: empty message")
    stored: dict[str, Any] = {"attachments": attachments}
    message = emu.add_message(chat, emu.bot, stored, text, from_bot=True)
    tokens = [a["payload"]["token"] for a in attachments if a["type"] in ("file", "image")]
    message.uploads = [emu.uploads[token] for token in tokens]
    return {"message": message.data}


def _message(emu: MaxEmulator, mid: str) -> tuple[MaxChat, MaxMessage]:
    found = emu.messages.get(mid)
    if found is None or found[1].deleted:
        raise MaxApiError(404, "not.found", "Message not found")
    return found


def _edit(emu: MaxEmulator, mid: str, body: dict[str, Any]) -> None:
    chat, message = _message(emu, mid)
    if not message.from_bot:
        raise MaxApiError(403, "access.denied", "The bot can edit only its own messages")
    text, attachments = _body_parts(emu, body)
    if body.get("text") is not None:
        message.text = text
        message.data["body"]["text"] = text
    if body.get("attachments") is not None:
        message.data["body"]["attachments"] = attachments
    message.edits += 1
    chat.events.append(("edit", message, message.text))
    chat.touch()


async def _edit_message(emu: MaxEmulator, op: Operation, query: dict[str, str], body: Any) -> Any:
    _edit(emu, query["message_id"], body)
    return {"success": True}


async def _delete(emu: MaxEmulator, op: Operation, query: dict[str, str], body: Any) -> Any:
    chat, message = _message(emu, query["message_id"])
    message.deleted = True
    chat.touch()
    return {"success": True}


async def _answer(emu: MaxEmulator, op: Operation, query: dict[str, str], body: Any) -> Any:
    callback = emu.callbacks.get(query["callback_id"])
    if callback is None:
        raise MaxApiError(404, "not.found", "Callback not found")
    if not body.get("message") and not body.get("notification"):
        raise MaxApiError(400, "proto.payload", "message or notification is required")
    callback.answered = True
    callback.notification = body.get("notification")
    if body.get("message") and callback.mid:
        _edit(emu, callback.mid, body["message"])
    return {"success": True}


async def _uploads(emu: MaxEmulator, op: Operation, query: dict[str, str], body: Any) -> Any:
    token = secrets.token_urlsafe(16)
    emu.uploads[token] = UploadRecord(token, query["type"])
    return {"url": f"{emu.url}/_upload/{token}"}


def _group(emu: MaxEmulator, op: Operation) -> MaxChat:
    chat = emu.chats.get(int(op.path_params["chatId"]))
    if chat is None or chat.kind != "chat" or not chat.bot_member:
        raise MaxApiError(404, "not.found", "Chat not found")
    return chat


async def _members(emu: MaxEmulator, op: Operation, query: dict[str, str], body: Any) -> Any:
    chat = _group(emu, op)
    wanted = {int(x) for x in query["user_ids"].split(",")} if query.get("user_ids") else None
    now = emu.now_ms()
    members = []
    for uid in sorted(chat.members):
        if wanted is not None and uid not in wanted:
            continue
        user = emu.users[uid].as_dict(now)
        members.append(
            {
                **user,
                "last_access_time": now,
                "is_owner": False,
                "is_admin": uid in chat.admins,
                "join_time": now,
                "permissions": None,
            }
        )
    return {"members": members, "marker": None}


async def _chat(emu: MaxEmulator, op: Operation, query: dict[str, str], body: Any) -> Any:
    chat = _group(emu, op)
    return {
        "chat_id": chat.chat_id,
        "type": "chat",
        "status": "active",
        "title": chat.title,
        "icon": None,
        "last_event_time": emu.now_ms(),
        "participants_count": len(chat.members) + (1 if chat.bot_member else 0),
        "owner_id": chat.owner_id,
        "is_public": False,
        "description": None,
    }


async def _membership(emu: MaxEmulator, op: Operation, query: dict[str, str], body: Any) -> Any:
    chat = _group(emu, op)
    now = emu.now_ms()
    is_admin = emu.bot.user_id in chat.admins
    return {
        **emu.bot.as_dict(now),
        "last_access_time": now,
        "is_owner": False,
        "is_admin": is_admin,
        "join_time": now,
        "permissions": list(BOT_PERMISSIONS) if is_admin else None,
    }


async def _add_members(emu: MaxEmulator, op: Operation, query: dict[str, str], body: Any) -> Any:
    chat = _group(emu, op)
    if emu.bot.user_id not in chat.admins:
        raise MaxApiError(403, "access.denied", "The bot is not an admin")
    if not body["user_ids"] or len(body["user_ids"]) > MAX_ADD_IDS:
        raise MaxApiError(400, "proto.payload", f"user_ids: from 1 to {MAX_ADD_IDS} ids")
    if len(set(body["user_ids"])) != len(body["user_ids"]):
        raise MaxApiError(400, "proto.payload", "user_ids: the ids must be unique")
    unknown = [uid for uid in body["user_ids"] if uid not in emu.users]
    private = [uid for uid in body["user_ids"] if uid in emu.users and emu.users[uid].no_adding]
    failed = unknown + private
    details = [
        {"error_code": code, "user_ids": ids}
        for code, ids in (
            ("add.participant.not.found", unknown),
            ("add.participant.privacy", private),
        )
        if ids
    ]
    for uid in body["user_ids"]:
        if uid in emu.users and uid not in failed and uid not in chat.members:
            chat.members.add(uid)
            emu.push(
                "user_added",
                chat_id=chat.chat_id,
                user=emu.users[uid].as_dict(emu.now_ms()),
                inviter_id=emu.bot.user_id,
                is_channel=False,
            )
    return {
        "success": not failed,
        "failed_user_ids": failed or None,
        "failed_user_details": details or None,
    }


async def _remove_member(emu: MaxEmulator, op: Operation, query: dict[str, str], body: Any) -> Any:
    chat = _group(emu, op)
    uid = int(query["user_id"])
    if emu.bot.user_id not in chat.admins:
        raise MaxApiError(403, "access.denied", "The bot is not an admin")
    if uid == chat.owner_id:
        raise MaxApiError(403, "access.denied", "The chat owner cannot be removed")
    if uid in chat.members:
        chat.members.discard(uid)
        emu.push(
            "user_removed",
            chat_id=chat.chat_id,
            user=emu.users[uid].as_dict(emu.now_ms()),
            admin_id=emu.bot.user_id,
            is_channel=False,
        )
    return {"success": True}


async def _subscribe(emu: MaxEmulator, op: Operation, query: dict[str, str], body: Any) -> Any:
    emu.subscriptions = [s for s in emu.subscriptions if s["url"] != body["url"]]
    emu.subscriptions.append({**body, "time": emu.now_ms()})
    return {"success": True}


async def _subscriptions(emu: MaxEmulator, op: Operation, query: dict[str, str], body: Any) -> Any:
    listed = [
        {"url": s["url"], "time": s["time"], "update_types": s.get("update_types")}
        for s in emu.subscriptions
    ]
    return {"subscriptions": listed}


async def _unsubscribe(emu: MaxEmulator, op: Operation, query: dict[str, str], body: Any) -> Any:
    emu.subscriptions = [s for s in emu.subscriptions if s["url"] != query["url"]]
    return {"success": True}


async def _action(emu: MaxEmulator, op: Operation, query: dict[str, str], body: Any) -> Any:
    if int(op.path_params["chatId"]) not in emu.chats:
        raise MaxApiError(404, "not.found", "Chat not found")
    return {"success": True}


_HANDLERS: dict[tuple[str, str], Any] = {
    ("GET", "/me"): _me,
    ("GET", "/updates"): _updates,
    ("POST", "/messages"): _send,
    ("PUT", "/messages"): _edit_message,
    ("DELETE", "/messages"): _delete,
    ("POST", "/answers"): _answer,
    ("POST", "/uploads"): _uploads,
    ("GET", "/chats/{chatId}/members"): _members,
    ("GET", "/chats/{chatId}/members/me"): _membership,
    ("GET", "/chats/{chatId}"): _chat,
    ("POST", "/chats/{chatId}/members"): _add_members,
    ("DELETE", "/chats/{chatId}/members"): _remove_member,
    ("POST", "/subscriptions"): _subscribe,
    ("GET", "/subscriptions"): _subscriptions,
    ("DELETE", "/subscriptions"): _unsubscribe,
    ("POST", "/chats/{chatId}/actions"): _action,
}


def _keyboard_limits(body: Any) -> list[str]:
    """MAX's documented limits of an inline keyboard (not in the schema)."""
    if not isinstance(body, dict):
        return []
    bodies: Iterable[Any] = [body, body.get("message")]
    errors = []
    for each in bodies:
        if not isinstance(each, dict):
            continue
        keyboards = [
            a
            for a in each.get("attachments") or []
            if isinstance(a, dict) and a.get("type") == "inline_keyboard"
        ]
        if len(keyboards) > 1:
            errors.append("attachments: more than one inline keyboard")
        for keyboard in keyboards:
            rows = keyboard.get("payload", {}).get("buttons") or []
            total = sum(len(row) for row in rows if isinstance(row, list))
            if len(rows) > MAX_ROWS:
                errors.append(f"inline keyboard: {len(rows)} rows, at most {MAX_ROWS}")
            if any(isinstance(row, list) and len(row) > MAX_ROW for row in rows):
                errors.append(f"inline keyboard: a row of more than {MAX_ROW} buttons")
            if total > MAX_BUTTONS:
                errors.append(f"inline keyboard: {total} buttons, at most {MAX_BUTTONS}")
            if any(isinstance(row, list) and not row for row in rows):
                errors.append("inline keyboard: an empty row")
    return errors


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _error(status: int, code: str, message: str) -> web.Response:
    return web.json_response({"code": code, "message": message}, status=status, dumps=_dumps)
