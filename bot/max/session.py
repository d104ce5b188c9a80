"""The bot's calls as MAX requests: an aiogram session that speaks MAX's Bot API.

`MaxSession` is the aiogram session of a bot that serves MAX (and, when both
messengers are on, Telegram too): a call whose chat is in MAX's id range, or any call
of the MAX bot, becomes a request to MAX (`/messages`, `/answers`, `/uploads`,
`/chats/{id}/members`, `/updates`, `/me`); any other call goes to Telegram unchanged.
The session middlewares (repeatable calls, replies that commit first) run for both.

What MAX has no counterpart for is either harmless to skip (command menus, chat
actions, an empty answer to a button) and answered `True` here, or refused with a
`TelegramBadRequest` saying "not available in MAX" (docs/max.md lists both).
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from pathlib import Path, PurePosixPath
from typing import Any

import aiohttp
from aiogram import Bot
from aiogram.client.default import Default
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.methods import (
    AnswerCallbackQuery,
    BanChatMember,
    DeleteMessage,
    DeleteMessages,
    DeleteMyCommands,
    DeleteWebhook,
    EditMessageCaption,
    EditMessageReplyMarkup,
    EditMessageText,
    GetChat,
    GetChatMember,
    GetFile,
    GetMe,
    GetUpdates,
    LeaveChat,
    SendChatAction,
    SendDocument,
    SendMessage,
    SendPhoto,
    SetChatMenuButton,
    SetMyCommands,
    SetMyDescription,
    SetMyName,
    SetMyShortDescription,
    TelegramMethod,
    UnbanChatMember,
)
from aiogram.types import (
    AcceptedGiftTypes,
    BufferedInputFile,
    ChatFullInfo,
    ChatMemberAdministrator,
    ChatMemberLeft,
    ChatMemberMember,
    File,
    InlineKeyboardMarkup,
    InputFile,
    Message,
    ReplyKeyboardMarkup,
    Update,
    User,
)

from bot.app.factory import ApiSession
from bot.middlewares.replies import is_reply, result_unread
from storage.db import Database

from .files import is_max_file, parse_file_id
from .ids import chat_from_core, is_max, user_from_core, user_to_core
from .methods import AddChatMembers
from .store import MidStore
from .updates import (
    MessageIds,
    UpdateIds,
    admin_rights,
    message_dict,
    to_update,
    update_messages,
    user_dict,
)

log = logging.getLogger(__name__)

MAX_API_DEFAULT = "https://platform-api.max.ru"
MAX_BOT_TOKEN_PLACEHOLDER = "1:max"  # aiogram's Bot wants a Telegram-shaped token
TEXT_LIMIT = 4000  # MAX: `NewMessageBody.text` maxLength
# MAX documents about 30 a second. Requests paced at sending can arrive bunched (one
# delayed by the network or a busy loop, the next ones not): a sixth is left as room.
REQUESTS_PER_SECOND = 25
NOT_READY = "attachment.not.ready"


class MaxCallError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status, self.code, self.message = status, code, message


class RequestPace:
    """At most `rate` requests in any second, for every caller of one MAX bot."""

    def __init__(self, rate: int = REQUESTS_PER_SECOND) -> None:
        self.rate = rate
        self._sent: deque[float] = deque()
        self._lock = asyncio.Lock()

    async def wait(self) -> None:
        async with self._lock:
            while True:
                now = time.monotonic()
                while self._sent and now - self._sent[0] >= 1.0:
                    self._sent.popleft()
                if len(self._sent) < self.rate:
                    self._sent.append(now)
                    return
                await asyncio.sleep(1.0 - (now - self._sent[0]) + 0.001)


class MaxApi:
    """HTTP to MAX: the token in the `Authorization` header (as every example of
    MAX's documentation does), JSON bodies, MAX's error bodies as `MaxCallError`."""

    def __init__(
        self, base_url: str, token: str, session: ApiSession, rate: int = REQUESTS_PER_SECOND
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.session = session
        self.pace = RequestPace(rate)

    async def call(
        self,
        method: str,
        path: str,
        *,
        query: dict[str, Any] | None = None,
        body: Any = None,
        timeout: float | None = None,
    ) -> Any:
        await self.pace.wait()
        client = await self.session.create_session()
        params = {k: _query_value(v) for k, v in (query or {}).items() if v is not None}
        kwargs: dict[str, Any] = {"params": params, "headers": {"Authorization": self.token}}
        if body is not None:
            kwargs["json"] = body
        wait = aiohttp.ClientTimeout(total=timeout or self.session.timeout)
        try:
            async with client.request(method, self.base_url + path, timeout=wait, **kwargs) as r:
                data = await r.json(content_type=None)
                status = r.status
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            raise MaxCallError(0, "network", type(exc).__name__) from None
        if status != 200:
            data = data if isinstance(data, dict) else {}
            raise MaxCallError(status, str(data.get("code", "")), str(data.get("message", "")))
        return data

    async def upload(self, kind: str, content: bytes, filename: str) -> dict[str, Any]:
        """`POST /uploads`, then the file to the address it gives: the attachment payload."""
        endpoint = await self.call("POST", "/uploads", query={"type": kind})
        form = aiohttp.FormData()
        form.add_field("data", content, filename=filename)
        client = await self.session.create_session()
        await self.pace.wait()
        try:
            async with client.post(endpoint["url"], data=form) as r:
                answer = await r.json(content_type=None)
                status = r.status
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            raise MaxCallError(0, "network", type(exc).__name__) from None
        if status != 200 or not isinstance(answer, dict):
            raise MaxCallError(status, "upload", "the file was not taken")
        if endpoint.get("token"):  # video and audio: the token comes with the address
            return {"token": endpoint["token"]}
        if answer.get("token"):
            return {"token": answer["token"]}
        return {"photos": answer.get("photos") or {}}


def _query_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple | set):
        return ",".join(str(v) for v in value)
    return str(value)


Handler = Callable[["MaxTransport", Bot, Any, float | None], Awaitable[Any]]


class MaxTransport:
    """The translation of aiogram's methods into MAX requests, with its id maps."""

    def __init__(self, api: MaxApi, store: MidStore | None = None) -> None:
        self.api = api
        self.mids = MessageIds(store=store)
        self.update_ids = UpdateIds()
        self.marker: int | None = None
        self.bot_user_id: int | None = None  # MAX's id of the bot itself (from `/me`)
        # Telegram's file by its file_id, as (content, name), when Telegram is served too.
        self.fetch: Callable[[TelegramMethod[Any], str], Awaitable[tuple[bytes, str]]] | None = None

    async def __call__(self, bot: Bot, method: TelegramMethod[Any], timeout: float | None) -> Any:
        handler = _HANDLERS.get(type(method))
        if handler is None:
            raise TelegramBadRequest(method, f"not available in MAX: {type(method).__name__}")
        try:
            return await handler(self, bot, method, timeout)
        except MaxCallError as exc:
            raise _as_telegram_error(method, exc) from None

    # -- pieces ----------------------------------------------------------------------

    async def mid(self, method: TelegramMethod[Any], message_id: int | None) -> str:
        mid = await self.mids.find_mid(message_id) if message_id is not None else None
        if mid is None:
            raise TelegramBadRequest(method, "Bad Request: message to edit not found")
        return mid

    async def message(self, bot: Bot, raw: dict[str, Any]) -> Message:
        await self.mids.prepare([raw])
        return Message.model_validate(message_dict(raw, self.mids), context={"bot": bot})

    async def send_body(
        self, bot: Bot, method: Any, body: dict[str, Any], timeout: float | None
    ) -> Message | bool:
        query = _recipient(method, method.chat_id)
        result = await self.api.call("POST", "/messages", query=query, body=body, timeout=timeout)
        if result_unread() and is_reply(method):
            # A reply sent after the commit, whose result nobody reads (as on Telegram,
            # bot.app.factory): no message to build and no id to store for it now. The
            # message gets its id when an update first names it (a button pressed on it).
            return True
        return await self.message(bot, result["message"])


def _recipient(method: TelegramMethod[Any], chat_id: Any) -> dict[str, Any]:
    if not is_max(chat_id):
        raise TelegramBadRequest(method, "Bad Request: chat not found (not a MAX chat)")
    if int(chat_id) > 0:
        return {"user_id": user_from_core(int(chat_id))}
    return {"chat_id": chat_from_core(int(chat_id))}


def _resolve(bot: Bot, value: Any) -> Any:
    return bot.default[value.name] if isinstance(value, Default) else value


def _format(bot: Bot, parse_mode: Any) -> str | None:
    mode = _resolve(bot, parse_mode)
    return "html" if isinstance(mode, str) and mode.lower() == "html" else None


def keyboard(markup: Any) -> list[dict[str, Any]]:
    """An aiogram keyboard as MAX attachments (MAX: one inline keyboard per message).

    Callback buttons keep their data as MAX's `payload`; URL buttons become `link`
    buttons; a reply keyboard's buttons become `message` buttons (pressing one sends
    its text) or `request_contact`. Rows longer than MAX's 7 are wrapped.
    """
    rows: list[list[dict[str, Any]]] = []
    if isinstance(markup, InlineKeyboardMarkup):
        for row in markup.inline_keyboard:
            out = []
            for button in row:
                if button.callback_data is not None:
                    out.append(
                        {"type": "callback", "text": button.text, "payload": button.callback_data}
                    )
                elif button.url is not None:
                    out.append({"type": "link", "text": button.text, "url": button.url})
            rows += _wrap(out)
    elif isinstance(markup, ReplyKeyboardMarkup):
        for reply_row in markup.keyboard:
            out = []
            for reply in reply_row:
                if reply.request_contact:
                    out.append({"type": "request_contact", "text": reply.text})
                else:
                    out.append({"type": "message", "text": reply.text})
            rows += _wrap(out)
    if not rows:
        return []
    return [{"type": "inline_keyboard", "payload": {"buttons": rows}}]


def _wrap(row: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    return [row[i : i + 7] for i in range(0, len(row), 7)] if row else []


def split_text(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Text longer than MAX takes, in pieces at line ends (a tag never spans lines in
    the bot's texts, so each piece stays valid HTML)."""
    if len(text) <= limit:
        return [text]
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                pieces.append(current)
                current = ""
            pieces.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            pieces.append(current)
            current = line
        else:
            current = candidate
    if current:
        pieces.append(current)
    return pieces


# -- the methods -----------------------------------------------------------------------


async def _send_message(t: MaxTransport, bot: Bot, m: SendMessage, timeout: float | None) -> Any:
    fmt = _format(bot, m.parse_mode)
    pieces = split_text(m.text)
    sent: Message | bool | None = None
    for i, piece in enumerate(pieces):
        last = i == len(pieces) - 1
        body = {
            "text": piece,
            "attachments": keyboard(m.reply_markup) if last else None,
            "link": None,
            "format": fmt,
            "notify": not bool(_resolve(bot, m.disable_notification)),
        }
        sent = await t.send_body(bot, m, body, timeout)
    assert sent is not None
    return sent


async def _send_file(
    t: MaxTransport, bot: Bot, m: SendDocument | SendPhoto, timeout: float | None
) -> Any:
    kind = "image" if isinstance(m, SendPhoto) else "file"
    source = m.photo if isinstance(m, SendPhoto) else m.document
    known = parse_file_id(source) if isinstance(source, str) else None
    payload: dict[str, Any]
    if known is not None:  # a file MAX has: attached again by its token
        kind, payload = known.kind, {"token": known.token}
    elif isinstance(source, InputFile):
        content = b"".join([chunk async for chunk in source.read(bot)])
        payload = await t.api.upload(kind, content, source.filename or "file")
    elif isinstance(source, str) and t.fetch is not None:  # Telegram's: fetched, uploaded
        content, name = await t.fetch(m, source)
        payload = await t.api.upload(kind, content, name)
    else:
        raise TelegramBadRequest(m, "not available in MAX: a file by a URL")
    caption = m.caption or ""
    attachments = [{"type": kind, "payload": payload}, *keyboard(m.reply_markup)]
    body = {
        "text": caption[:TEXT_LIMIT],
        "attachments": attachments,
        "link": None,
        "format": _format(bot, m.parse_mode) if caption else None,
    }
    for attempt in range(6):  # MAX processes an upload before it can be attached
        try:
            return await t.send_body(bot, m, body, timeout)
        except MaxCallError as exc:
            if exc.code != NOT_READY or attempt == 5:
                raise
            await asyncio.sleep(0.5 * (attempt + 1))
    raise AssertionError("unreachable")


async def _edit_text(t: MaxTransport, bot: Bot, m: EditMessageText, timeout: float | None) -> Any:
    mid = await t.mid(m, m.message_id)
    body = {
        "text": split_text(m.text or "")[0],
        "attachments": keyboard(m.reply_markup),
        "link": None,
        "format": _format(bot, m.parse_mode),
    }
    await t.api.call("PUT", "/messages", query={"message_id": mid}, body=body, timeout=timeout)
    return True


async def _edit_markup(
    t: MaxTransport, bot: Bot, m: EditMessageReplyMarkup, timeout: float | None
) -> Any:
    mid = await t.mid(m, m.message_id)
    body = {"text": None, "attachments": keyboard(m.reply_markup), "link": None}
    await t.api.call("PUT", "/messages", query={"message_id": mid}, body=body, timeout=timeout)
    return True


async def _edit_caption(
    t: MaxTransport, bot: Bot, m: EditMessageCaption, timeout: float | None
) -> Any:
    mid = await t.mid(m, m.message_id)
    body = {
        "text": m.caption or "",
        "attachments": None,
        "link": None,
        "format": _format(bot, m.parse_mode),
    }
    await t.api.call("PUT", "/messages", query={"message_id": mid}, body=body, timeout=timeout)
    return True


async def _delete(t: MaxTransport, bot: Bot, m: DeleteMessage, timeout: float | None) -> Any:
    mid = await t.mid(m, m.message_id)
    await t.api.call("DELETE", "/messages", query={"message_id": mid}, timeout=timeout)
    return True


async def _delete_many(t: MaxTransport, bot: Bot, m: DeleteMessages, timeout: float | None) -> Any:
    for message_id in m.message_ids:
        mid = await t.mids.find_mid(message_id)
        if mid is not None:
            await t.api.call("DELETE", "/messages", query={"message_id": mid}, timeout=timeout)
    return True


async def _answer(t: MaxTransport, bot: Bot, m: AnswerCallbackQuery, timeout: float | None) -> Any:
    # MAX's answer carries a message or a notification; a bare acknowledgement has no
    # counterpart (the client does not wait for one), so there is nothing to send.
    if not m.text:
        return True
    query = {"callback_id": m.callback_query_id}
    await t.api.call("POST", "/answers", query=query, body={"notification": m.text})
    return True


async def _get_me(t: MaxTransport, bot: Bot, m: GetMe, timeout: float | None) -> Any:
    info = await t.api.call("GET", "/me", timeout=timeout)
    t.bot_user_id = int(info["user_id"])
    return User.model_validate({**user_dict(info), "is_bot": True}, context={"bot": bot})


async def _get_updates(t: MaxTransport, bot: Bot, m: GetUpdates, timeout: float | None) -> Any:
    query: dict[str, Any] = {
        "marker": t.marker,
        "timeout": min(m.timeout or 0, 90),
        "limit": min(m.limit or 100, 1000),
    }
    wait = (timeout or 0) + (m.timeout or 0) + 5
    # Paced like any other request (a long poll holds no turn while it waits).
    answer = await t.api.call("GET", "/updates", query=query, timeout=wait)
    t.marker = answer.get("marker", t.marker)
    updates: list[Update] = []
    raws = answer.get("updates") or []
    await t.mids.prepare(message for raw in raws for message in update_messages(raw))
    for raw in raws:
        update_id = t.update_ids.next()
        try:
            converted = to_update(raw, update_id, t.mids)
            if converted is not None:
                updates.append(Update.model_validate(converted, context={"bot": bot}))
        except (KeyError, TypeError, ValueError) as exc:
            log.error("MAX update %s cannot be read (%s); skipped", update_id, type(exc).__name__)
    return updates


async def _get_file(t: MaxTransport, bot: Bot, m: GetFile, timeout: float | None) -> Any:
    """A file a MAX person sent: its `file_path` is MAX's download URL (the session's
    `file_url` leaves such a path as it is, so `bot.download` fetches it)."""
    known = parse_file_id(m.file_id)
    if known is None:
        raise TelegramBadRequest(m, "Bad Request: invalid file_id (not a MAX file)")
    return File(file_id=m.file_id, file_unique_id=known.unique_id, file_path=known.url)


async def _accepted(t: MaxTransport, bot: Bot, m: Any, timeout: float | None) -> Any:
    """No counterpart in MAX, nothing lost: command menus, chat actions, the webhook
    switch of Telegram (MAX's subscriptions are set by `python -m bot webhook`)."""
    return True


def _group(m: Any) -> int:
    if not is_max(m.chat_id) or int(m.chat_id) > 0:
        raise TelegramBadRequest(m, "Bad Request: chat not found (not a MAX group)")
    return chat_from_core(int(m.chat_id))


# What the bot may do in a MAX group (`ChatAdminPermission`): adding and removing members
# is one right in MAX, two in Telegram.
_MEMBERS_RIGHT = "add_remove_members"


async def _get_member(t: MaxTransport, bot: Bot, m: GetChatMember, timeout: float | None) -> Any:
    chat = _group(m)
    uid = user_from_core(m.user_id)
    if uid == t.bot_user_id:
        return await _own_membership(bot, t, chat, timeout)
    answer = await t.api.call("GET", f"/chats/{chat}/members", query={"user_ids": [uid]})
    for member in answer.get("members") or []:
        user = user_dict(member)
        if member.get("is_admin"):
            return ChatMemberAdministrator.model_validate(
                {"status": "administrator", "user": user, **admin_rights()}, context={"bot": bot}
            )
        return ChatMemberMember(user=User.model_validate(user))
    left = {"id": user_to_core(uid), "is_bot": False, "first_name": "—"}
    return ChatMemberLeft(user=User.model_validate(left))


async def _own_membership(bot: Bot, t: MaxTransport, chat: int, timeout: float | None) -> Any:
    """The bot itself: `GET /chats/{id}/members/me` (a bot is not always listed among
    the members)."""
    member = await t.api.call("GET", f"/chats/{chat}/members/me", timeout=timeout)
    user = {**user_dict(member), "is_bot": True}
    if not (member.get("is_admin") or member.get("is_owner")):
        return ChatMemberMember(user=User.model_validate(user))
    rights = admin_rights()
    granted = member.get("is_owner") or _MEMBERS_RIGHT in (member.get("permissions") or [])
    rights["can_invite_users"] = rights["can_restrict_members"] = bool(granted)
    return ChatMemberAdministrator.model_validate(
        {"status": "administrator", "user": user, **rights}, context={"bot": bot}
    )


async def _get_chat(t: MaxTransport, bot: Bot, m: GetChat, timeout: float | None) -> Any:
    """A MAX group's title (MAX's messages do not carry it); the rest of Telegram's
    `ChatFullInfo` has no counterpart and is left empty."""
    info = await t.api.call("GET", f"/chats/{_group(m)}", timeout=timeout)
    no_gifts = {name: False for name in AcceptedGiftTypes.model_fields}
    return ChatFullInfo.model_validate(
        {
            "id": int(m.chat_id),
            "type": "supergroup",
            "title": info.get("title"),
            "accent_color_id": 0,
            "max_reaction_count": 0,
            "accepted_gift_types": no_gifts,
        },
        context={"bot": bot},
    )


async def _add_members(t: MaxTransport, bot: Bot, m: AddChatMembers, timeout: float | None) -> Any:
    chat = _group(m)
    failed: list[int] = []
    ids = [user_from_core(uid) for uid in m.user_ids]
    for start in range(0, len(ids), 100):  # MAX: at most 100 ids a request
        body = {"user_ids": ids[start : start + 100]}
        answer = await t.api.call("POST", f"/chats/{chat}/members", body=body, timeout=timeout)
        failed += [user_to_core(int(uid)) for uid in answer.get("failed_user_ids") or []]
    return failed


async def _ban(t: MaxTransport, bot: Bot, m: BanChatMember, timeout: float | None) -> Any:
    chat = _group(m)
    query = {"user_id": user_from_core(m.user_id)}
    await t.api.call("DELETE", f"/chats/{chat}/members", query=query, timeout=timeout)
    return True


async def _leave(t: MaxTransport, bot: Bot, m: LeaveChat, timeout: float | None) -> Any:
    await t.api.call("DELETE", f"/chats/{_group(m)}/members/me", timeout=timeout)
    return True


_HANDLERS: dict[type[Any], Any] = {
    SendMessage: _send_message,
    SendDocument: _send_file,
    GetFile: _get_file,
    SendPhoto: _send_file,
    EditMessageText: _edit_text,
    EditMessageReplyMarkup: _edit_markup,
    EditMessageCaption: _edit_caption,
    DeleteMessage: _delete,
    DeleteMessages: _delete_many,
    AnswerCallbackQuery: _answer,
    GetMe: _get_me,
    GetUpdates: _get_updates,
    GetChatMember: _get_member,
    BanChatMember: _ban,
    AddChatMembers: _add_members,
    GetChat: _get_chat,
    UnbanChatMember: _accepted,  # MAX removes without a ban list: nothing to lift
    LeaveChat: _leave,
    SendChatAction: _accepted,
    SetMyCommands: _accepted,
    DeleteMyCommands: _accepted,
    SetMyName: _accepted,
    SetMyDescription: _accepted,
    SetMyShortDescription: _accepted,
    SetChatMenuButton: _accepted,
    DeleteWebhook: _accepted,
}


def _as_telegram_error(method: TelegramMethod[Any], exc: MaxCallError) -> Exception:
    message = f"MAX {exc.code}: {exc.message}"
    if exc.status == 0:
        return TelegramNetworkError(method, message)
    if exc.status == 429:
        return TelegramRetryAfter(method, message, retry_after=1)
    if exc.status == 401:
        return TelegramUnauthorizedError(method, message)
    if exc.status == 403:
        return TelegramForbiddenError(method, message)
    if exc.status == 404:
        return TelegramNotFound(method, message)
    if exc.status >= 500:
        return TelegramServerError(method, message)
    return TelegramBadRequest(method, message)


@dataclasses.dataclass(frozen=True)
class FilesAnywhere(TelegramAPIServer):
    """Telegram's API server, where a file path that is a whole URL (MAX's) is its own
    download address; Telegram's file paths are relative, so they are unaffected."""

    def file_url(self, token: str, path: str | Path) -> str:
        if str(path).startswith(("https://", "http://")):
            return str(path)
        return super().file_url(token, path)


class MaxSession(ApiSession):
    """Routes each call: to MAX (the MAX bot's calls, MAX chats) or to Telegram."""

    def __init__(
        self,
        *,
        max_api_url: str,
        max_token: str,
        telegram: bool,
        max_rate: int = REQUESTS_PER_SECOND,
        db: Database | None = None,
        telegram_token: str | None = None,
        **kwargs: Any,
    ) -> None:
        api = kwargs.get("api")
        if api is not None:  # MAX's download URLs are left as they are
            kwargs["api"] = FilesAnywhere(**dataclasses.asdict(api))
        super().__init__(**kwargs)
        self.telegram = telegram
        self.telegram_token = telegram_token
        self._telegram_bot: Bot | None = None
        store = MidStore(db) if db is not None else None
        self.transport = MaxTransport(MaxApi(max_api_url, max_token, self, max_rate), store)
        if telegram_token is not None:
            self.transport.fetch = self.telegram_file

    def is_max_call(self, bot: Bot, method: TelegramMethod[Any]) -> bool:
        if bot.token == MAX_BOT_TOKEN_PLACEHOLDER or not self.telegram:
            return True
        # A command menu for one MAX person names them in its scope.
        scope_chat = getattr(getattr(method, "scope", None), "chat_id", None)
        if isinstance(method, GetFile):
            return is_max_file(method.file_id)
        return any(
            is_max(value)
            for value in (
                getattr(method, "chat_id", None),
                getattr(method, "user_id", None),
                scope_chat,
            )
        )

    async def make_request(
        self, bot: Bot, method: TelegramMethod[Any], timeout: int | None = None
    ) -> Any:
        if self.is_max_call(bot, method):
            return await self.transport(bot, method, timeout)
        return await super().make_request(bot, await self._max_files_fetched(method), timeout)

    async def download(self, url: str) -> bytes:
        return b"".join(
            [chunk async for chunk in self.stream_content(url, timeout=int(self.timeout))]
        )

    async def telegram_file(self, method: TelegramMethod[Any], file_id: str) -> tuple[bytes, str]:
        """A file Telegram has, by its file_id, for a MAX chat."""
        assert self.telegram_token is not None
        if self._telegram_bot is None:
            self._telegram_bot = Bot(self.telegram_token, session=self)
        try:
            found = await self._telegram_bot.get_file(file_id)
            if not found.file_path:
                raise TelegramBadRequest(method, "Bad Request: the file cannot be downloaded")
            url = self.api.file_url(self.telegram_token, found.file_path)
            return await self.download(url), PurePosixPath(found.file_path).name
        except aiohttp.ClientError as exc:
            raise TelegramNetworkError(method, f"the file was not fetched: {exc}") from None

    async def _max_files_fetched(self, method: TelegramMethod[Any]) -> TelegramMethod[Any]:
        """A file MAX has, sent to a Telegram chat: downloaded and uploaded to Telegram."""
        field = {SendDocument: "document", SendPhoto: "photo"}.get(type(method))
        source = getattr(method, field, None) if field else None
        known = parse_file_id(source) if isinstance(source, str) else None
        if field is None or known is None:
            return method
        try:
            content = await self.download(known.url)
        except aiohttp.ClientError as exc:
            raise TelegramNetworkError(method, f"the MAX file was not fetched: {exc}") from None
        return method.model_copy(update={field: BufferedInputFile(content, known.name)})
