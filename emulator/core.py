"""The emulated Telegram: state, Bot API methods, updates (polling and webhook)."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import re
import secrets
import struct
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

import aiohttp

from .errors import ApiError, EmulatorError, bad_request, forbidden
from .html import EntityParseError, parse_html, utf16_len
from .limits import Fault, Faults, RateLimiter, RateLimits
from .records import (
    CallbackAnswer,
    ChatEvent,
    ChatMessage,
    ChatRecord,
    FileRecord,
    InviteLinkRecord,
    MemberRecord,
    UserRecord,
)
from .validation import MethodInfo, MethodTable, coerce_form, validate

log = logging.getLogger("emulator")

DEFAULT_TOKEN = "7000000001:AAEmulatorTestTokenForNastavnik0000000"
# Telegram sends these only when asked for them explicitly in allowed_updates.
OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
MAX_TEXT = 4096
MAX_CAPTION = 1024
# ChatJoinRequest.user_chat_id: "The bot can use this identifier for 5 minutes to send
# messages until the join request is processed".
JOIN_REQUEST_WRITE_SECONDS = 5 * 60
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid"
_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")
_BOT_COMMAND_RE = re.compile(r"^/[A-Za-z0-9_]{1,64}(@[A-Za-z0-9_]{3,64})?")

# Methods that change nothing the emulator models; they are checked and answered True.
ACCEPTED = frozenset(
    m.lower()
    for m in (
        "setMyName",
        "setMyDescription",
        "setMyShortDescription",
        "setChatMenuButton",
        "setMyDefaultAdministratorRights",
        "setMessageReaction",
        "setChatTitle",
        "setChatDescription",
        "setChatPermissions",
        "restrictChatMember",
        "promoteChatMember",
    )
)

ADMIN_RIGHTS = (
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_promote_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
    "can_pin_messages",
    "can_manage_topics",
    "can_send_welcome_messages",
)


def default_admin_rights() -> dict[str, bool]:
    rights = dict.fromkeys(ADMIN_RIGHTS, True)
    rights["can_promote_members"] = False
    return rights


class ClockLike(Protocol):
    def now(self) -> datetime: ...


@dataclass
class WebhookState:
    url: str | None = None
    secret_token: str | None = None
    max_connections: int = 40
    last_error_date: int | None = None
    last_error_message: str | None = None


@dataclass
class PendingCallback:
    answer: CallbackAnswer
    chat: ChatRecord
    created: float
    future: asyncio.Future[CallbackAnswer]


_BOUNDARY_RE = re.compile(r'boundary="?([^";]+)"?')
_DISPOSITION_RE = re.compile(
    rb'(?i)content-disposition:[^\r\n]*?\bname="([^"]*)"(?:[^\r\n]*?filename="([^"]*)")?'
)


def multipart_parts(raw: bytes, content_type: str) -> list[tuple[str, str, bytes]]:
    """(name, file name or "", content) of each part of a multipart/form-data body.

    What a webhook's answer carries is a handful of short fields: a split on the
    boundary does, where the e-mail parser took milliseconds a body.
    """
    found = _BOUNDARY_RE.search(content_type)
    if found is None:
        raise ValueError("no boundary")
    delimiter = b"--" + found.group(1).encode()
    parts: list[tuple[str, str, bytes]] = []
    for chunk in raw.split(delimiter)[1:]:
        if chunk.startswith(b"--"):
            break  # the closing delimiter
        head, _, body = chunk.partition(b"\r\n\r\n")
        disposition = _DISPOSITION_RE.search(head)
        if disposition is None:
            continue
        if body.endswith(b"\r\n"):
            body = body[:-2]
        filename = (disposition.group(2) or b"").decode()
        parts.append((disposition.group(1).decode(), filename, body))
    return parts


@dataclass
class Stats:
    """Counters for tests and benchmarks."""

    calls: Counter[str] = field(default_factory=Counter)  # by method as Telegram spells it
    errors: Counter[int] = field(default_factory=Counter)  # by status code
    error_descriptions: Counter[str] = field(default_factory=Counter)
    rate_limited: int = 0
    faults: int = 0
    updates: int = 0
    updates_dropped: int = 0  # not in allowed_updates
    webhook_deliveries: int = 0
    webhook_failures: int = 0
    # calls the bot made in its answer to a webhook request, by method
    webhook_replies: Counter[str] = field(default_factory=Counter)
    messages_sent: int = 0  # by the bot
    # "method.parameter" -> calls that used a deprecated parameter (MethodTable)
    deprecated_params: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, Any]:
        return {
            "calls": dict(self.calls),
            "errors": {str(k): v for k, v in self.errors.items()},
            "rate_limited": self.rate_limited,
            "faults": self.faults,
            "updates": self.updates,
            "updates_dropped": self.updates_dropped,
            "webhook_deliveries": self.webhook_deliveries,
            "webhook_failures": self.webhook_failures,
            "webhook_replies": dict(self.webhook_replies),
            "messages_sent": self.messages_sent,
            "deprecated_params": dict(self.deprecated_params),
        }


_CONFLICT = object()


class EmulatorCore:
    """All of Telegram the bot can see. The HTTP server and the scripted users drive it."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        bot_username: str = "nastavnik_test_bot",
        bot_name: str = "Nastavnik Test",
        rate_limits: RateLimits | bool | None = None,
        clock: ClockLike | None = None,
        spec_path: str | None = None,
        use_spec: bool = True,
        validate_params: bool | str = True,
        strict_html: bool = True,
        require_start: bool = True,
        privacy_mode: bool = True,
        webhook_round_robin: list[str] | None = None,
        webhook_retry_delay: float = 0.1,
        webhook_retry_max_delay: float = 2.0,
        webhook_timeout: float = 10.0,
        callback_timeout: float = 15.0,
        deprecated_params: str = "record",
    ) -> None:
        if ":" not in token or not token.split(":", 1)[0].isdigit():
            raise ValueError("a bot token looks like '123456:secret'")
        self.token = token
        self.bot_user = UserRecord(
            id=int(token.split(":", 1)[0]),
            first_name=bot_name,
            username=bot_username,
            is_bot=True,
        )
        if isinstance(rate_limits, bool):
            rate_limits = RateLimits(enabled=rate_limits)
        self.limiter = RateLimiter(rate_limits)
        self.faults = Faults()
        self.clock = clock
        self.table = MethodTable(spec_path, use_spec=use_spec)
        self.validate_params = validate_params
        self.strict_html = strict_html
        self.require_start = require_start
        self.privacy_mode = privacy_mode
        self.webhook_round_robin = list(webhook_round_robin or [])
        self.webhook_retry_delay = webhook_retry_delay
        self.webhook_retry_max_delay = webhook_retry_max_delay
        self.webhook_timeout = webhook_timeout
        self.callback_timeout = callback_timeout
        if deprecated_params not in ("record", "reject"):
            raise ValueError("deprecated_params is 'record' or 'reject'")
        self.deprecated_params = deprecated_params
        self.stats = Stats()

        self.users: dict[int, UserRecord] = {}
        self.chats: dict[int, ChatRecord] = {}
        self.files: dict[str, FileRecord] = {}
        self._files_by_path: dict[str, FileRecord] = {}
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.logged_out = False

        self._next_user_id = 10_001
        self._next_group_id = 1_000_000_001
        self._next_update_id = 500_000_001
        self._next_file = 1
        self._next_callback = 1

        self.allowed_updates: frozenset[str] | None = None
        self._updates: deque[dict[str, Any]] = deque()
        self._poll_waiter: asyncio.Future[Any] | None = None
        self.polling = False  # a getUpdates is waiting right now
        self.webhook = WebhookState()
        self._wh_queues: dict[int, deque[dict[str, Any]]] = {}
        self._wh_tasks: dict[int, asyncio.Task[None]] = {}
        self._wh_sem: asyncio.Semaphore | None = None
        self._wh_session: aiohttp.ClientSession | None = None
        self._rr_index = 0
        self._callbacks: dict[str, PendingCallback] = {}
        # user id -> {chat id: date} of join requests not yet approved or declined
        self._join_requested_at: dict[int, dict[int, int]] = {}
        self._state_waiters: list[asyncio.Future[None]] = []
        self._closed = False
        self._files_in_request: dict[str, FileRecord] = {}

        self._handlers: dict[str, Callable[[dict[str, Any]], Any]] = {}
        self._async_handlers: set[str] = set()
        for attr in dir(self):
            if attr.startswith("api_"):
                fn = getattr(self, attr)
                self._handlers[attr[4:]] = fn
                if asyncio.iscoroutinefunction(fn):
                    self._async_handlers.add(attr[4:])

    # ------------------------------------------------------------------ basics

    def now(self) -> int:
        if self.clock is not None:
            return int(self.clock.now().timestamp())
        return int(time.time())

    def _notify_state(self) -> None:
        waiters, self._state_waiters = self._state_waiters, []
        for fut in waiters:
            if not fut.done():
                fut.set_result(None)

    async def wait_until(self, predicate: Callable[[], bool], timeout: float = 5.0) -> None:
        """Wait until `predicate()` is true (checked on every state change)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not predicate():
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError("condition not reached in time")
            fut: asyncio.Future[None] = loop.create_future()
            self._state_waiters.append(fut)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(fut, min(remaining, 0.05))

    def _chat_or_none(self, chat_id: Any) -> ChatRecord | None:
        if isinstance(chat_id, int):
            return self.chats.get(chat_id)
        if isinstance(chat_id, str):
            if chat_id.lstrip("-").isdigit():
                return self.chats.get(int(chat_id))
            if chat_id.startswith("@"):
                name = chat_id[1:].lower()
                for chat in self.chats.values():
                    uname = chat.username or (chat.user.username if chat.user else None)
                    if uname and uname.lower() == name:
                        return chat
        return None

    def _chat(self, params: dict[str, Any], key: str = "chat_id") -> ChatRecord:
        chat = self._chat_or_none(params.get(key))
        if chat is None:
            raise bad_request("chat not found")
        if not chat.is_private and chat.bot_status in ("left", "kicked") and key == "chat_id":
            # The bot sees a group it is not in as missing, except for sending (403 below).
            pass
        return chat

    def _group_word(self, chat: ChatRecord) -> str:
        return "supergroup chat" if chat.type == "supergroup" else "group chat"

    def _check_can_send(self, chat: ChatRecord) -> None:
        if chat.is_private:
            user = chat.user
            assert user is not None
            if user.deactivated:
                raise forbidden("user is deactivated")
            if user.blocked:
                raise forbidden("bot was blocked by the user")
            if self.require_start and not user.started and not self._may_write_to_applicant(user):
                raise forbidden("bot can't initiate conversation with a user")
            return
        status = chat.bot_status
        if status == "kicked":
            raise forbidden(f"bot was kicked from the {self._group_word(chat)}")
        if status == "left":
            raise forbidden(f"bot is not a member of the {self._group_word(chat)}")

    def _may_write_to_applicant(self, user: UserRecord) -> bool:
        """The Bot API on `ChatJoinRequest.user_chat_id`: "The bot can use this identifier
        for 5 minutes to send messages until the join request is processed". A pending
        request of this user, made less than 5 minutes ago, in any chat of the bot."""
        now = self.now()
        return any(
            now - at < JOIN_REQUEST_WRITE_SECONDS
            for at in self._join_requested_at.get(user.id, {}).values()
        )

    def _check_in_group(self, chat: ChatRecord) -> None:
        if not chat.is_private and chat.bot_status in ("left", "kicked"):
            raise bad_request("chat not found")

    def _need_admin(self, chat: ChatRecord, right: str, description: str) -> None:
        if chat.is_private:
            raise bad_request("method is available for supergroup and channel chats only")
        self._check_in_group(chat)
        if not chat.bot_right(right):
            raise bad_request(description)

    # ------------------------------------------------------------------ calls

    async def call_api(
        self,
        method: str,
        params: dict[str, Any],
        files: dict[str, FileRecord] | None = None,
        *,
        form: bool = False,
    ) -> Any:
        """Carry out one Bot API call; raise ApiError as Telegram would answer."""
        lower = method.lower()
        info = self.table.get(lower)
        handler = self._handlers.get(lower)
        if info is None and handler is None:
            raise ApiError(404, "Not Found")
        name = info.name if info is not None else method
        self.stats.calls[name] += 1
        fault = self.faults.take(lower, params.get("chat_id")) if self.faults else None
        if fault is not None and not fault.after:
            await self._apply_fault(fault)
        if form:
            params = coerce_form(info, params)
        if files and info is not None:
            for key in files:
                if key in info.kinds and key not in params:
                    params[key] = f"attach://{key}"  # uploaded under the parameter's name
        if info is not None and info.deprecated:
            self._note_deprecated(info, params)
        if self.validate_params and info is not None:
            validate(info, params, full=self.validate_params == "full")
        self._files_in_request = files or {}
        if handler is None:
            if lower in ACCEPTED:
                result: Any = True
            else:
                raise ApiError(501, f"Not Implemented: the emulator does not support {name}")
        elif lower in self._async_handlers:
            result = await handler(params)
        else:
            result = handler(params)
        if fault is not None:
            await self._apply_fault(fault)
        return result

    def _note_deprecated(self, info: MethodInfo, params: dict[str, Any]) -> None:
        """Count (or refuse) parameters the Bot API replaced, such as
        `disable_web_page_preview` (now `link_preview_options`)."""
        used = sorted(info.deprecated.intersection(params))
        if not used:
            return
        for name in used:
            self.stats.deprecated_params[f"{info.name}.{name}"] += 1
        if self.deprecated_params == "reject":
            raise bad_request(f"parameter {used[0]!r} is deprecated")

    async def _apply_fault(self, fault: Fault) -> None:
        self.stats.faults += 1
        if fault.kind == "hang":
            await asyncio.sleep(fault.hang_seconds)
        raise fault.error()

    def note_error(self, method: str, params: dict[str, Any], error: ApiError) -> None:
        self.stats.errors[error.code] += 1
        self.stats.error_descriptions[error.description] += 1
        if error.code == 429:
            self.stats.rate_limited += 1
        chat = self._chat_or_none(params.get("chat_id"))
        if chat is not None:
            chat.record(
                ChatEvent(
                    "error",
                    True,
                    f"bot call {method} failed: {error.code} {error.description}",
                )
            )

    # ------------------------------------------------------------------ updates

    def _allowed(self, kind: str) -> bool:
        allowed = self.allowed_updates
        if allowed is None:
            return kind not in OPT_IN_UPDATES
        return kind in allowed

    def emit(self, kind: str, payload: dict[str, Any], key: int) -> dict[str, Any] | None:
        """Queue an update for the bot (`key` orders webhook delivery per chat)."""
        if not self._allowed(kind) or self.logged_out:
            self.stats.updates_dropped += 1
            return None
        return self._queue_update({"update_id": self._next_update_id, kind: payload}, key)

    def emit_raw(self, fields: dict[str, Any], key: int = 0) -> dict[str, Any]:
        """For tests only: queue an update made of `fields` exactly as given, unchecked
        (an update the bot's library may fail to read, as a new Bot API field can be)."""
        return self._queue_update({"update_id": self._next_update_id, **fields}, key)

    def _queue_update(self, update: dict[str, Any], key: int) -> dict[str, Any]:
        self._next_update_id += 1
        self.stats.updates += 1
        if self.webhook.url is not None:
            self._wh_enqueue(key, update)
        else:
            self._updates.append(update)
            waiter = self._poll_waiter
            if waiter is not None and not waiter.done():
                waiter.set_result(None)
        return update

    @property
    def pending_update_count(self) -> int:
        return len(self._updates) + sum(len(q) for q in self._wh_queues.values())

    def _set_allowed(self, allowed: Any) -> None:
        if allowed is None:
            return
        if isinstance(allowed, str):
            allowed = json.loads(allowed)
        self.allowed_updates = frozenset(allowed) if allowed else None

    def _confirm(self, offset: int) -> None:
        updates = self._updates
        if offset < 0:
            while len(updates) > -offset:
                updates.popleft()
            return
        while updates and updates[0]["update_id"] < offset:
            updates.popleft()

    def _collect(self, offset: int, limit: int) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for update in self._updates:
            if update["update_id"] >= offset:
                out.append(update)
                if len(out) >= limit:
                    break
        return out

    async def api_getupdates(self, p: dict[str, Any]) -> list[dict[str, Any]]:
        if self.webhook.url is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = int(p.get("offset") or 0)
        limit = max(1, min(100, int(p.get("limit") or 100)))
        timeout = max(0.0, float(p.get("timeout") or 0))
        self._set_allowed(p.get("allowed_updates"))
        if offset:
            self._confirm(offset)
        if offset < 0:
            offset = 0
        previous = self._poll_waiter
        if previous is not None and not previous.done():
            previous.set_result(_CONFLICT)
        result = self._collect(offset, limit)
        if result or timeout <= 0 or self._closed:
            return result
        waiter: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._poll_waiter = waiter
        self.polling = True
        self._notify_state()
        try:
            outcome = await asyncio.wait_for(waiter, timeout)
        except TimeoutError:
            return []
        finally:
            if self._poll_waiter is waiter:
                self._poll_waiter = None
                self.polling = False
        if outcome is _CONFLICT:
            raise ApiError(
                409,
                "Conflict: terminated by other getUpdates request; "
                "make sure that only one bot instance is running",
            )
        return self._collect(offset, limit)

    # ------------------------------------------------------------------ webhook

    def api_setwebhook(self, p: dict[str, Any]) -> bool:
        url = str(p.get("url") or "")
        if not url:
            return self.api_deletewebhook(p)
        if not url.startswith(("http://", "https://")):
            raise bad_request(
                "bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443"
            )
        secret = p.get("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
            raise bad_request("secret token contains unallowed characters")
        self._set_allowed(p.get("allowed_updates"))
        if p.get("drop_pending_updates"):
            self._updates.clear()
            self._wh_queues.clear()
        was_active = self.webhook.url is not None
        self.webhook.url = url
        self.webhook.secret_token = str(secret) if secret is not None else None
        self.webhook.max_connections = int(p.get("max_connections") or 40)
        self.webhook.last_error_date = None
        self.webhook.last_error_message = None
        self._wh_sem = asyncio.Semaphore(self.webhook.max_connections)
        if not was_active:
            waiter = self._poll_waiter
            if waiter is not None and not waiter.done():
                waiter.set_result(_CONFLICT)
            pending = list(self._updates)
            self._updates.clear()
            for update in pending:
                self._wh_enqueue(self._update_key(update), update)
        self._notify_state()
        return True

    def api_deletewebhook(self, p: dict[str, Any]) -> bool:
        if self.webhook.url is None:
            if p.get("drop_pending_updates"):
                self._updates.clear()
            return True
        self.webhook.url = None
        self.webhook.secret_token = None
        for task in self._wh_tasks.values():
            task.cancel()
        self._wh_tasks.clear()
        pending = sorted(
            (u for q in self._wh_queues.values() for u in q), key=lambda u: u["update_id"]
        )
        self._wh_queues.clear()
        if not p.get("drop_pending_updates"):
            self._updates.extend(pending)
        self._notify_state()
        return True

    def api_getwebhookinfo(self, p: dict[str, Any]) -> dict[str, Any]:
        info: dict[str, Any] = {
            "url": self.webhook.url or "",
            "has_custom_certificate": False,
            "pending_update_count": self.pending_update_count,
        }
        if self.webhook.url is not None:
            info["max_connections"] = self.webhook.max_connections
            info["ip_address"] = "127.0.0.1"
        if self.allowed_updates is not None:
            info["allowed_updates"] = sorted(self.allowed_updates)
        if self.webhook.last_error_date is not None:
            info["last_error_date"] = self.webhook.last_error_date
            info["last_error_message"] = self.webhook.last_error_message
        return info

    @staticmethod
    def _update_key(update: dict[str, Any]) -> int:
        for key, value in update.items():
            if key == "update_id" or not isinstance(value, dict):
                continue
            chat = value.get("chat") or (value.get("message") or {}).get("chat")
            if chat is not None:
                return int(chat["id"])
            sender = value.get("from")
            if sender is not None:
                return int(sender["id"])
        return 0

    def _wh_enqueue(self, key: int, update: dict[str, Any]) -> None:
        queue = self._wh_queues.get(key)
        if queue is None:
            queue = self._wh_queues[key] = deque()
        queue.append(update)
        if key not in self._wh_tasks and not self._closed:
            self._wh_tasks[key] = asyncio.get_running_loop().create_task(self._wh_worker(key))

    def _next_target(self) -> str:
        targets = self.webhook_round_robin
        if targets:
            url = targets[self._rr_index % len(targets)]
            self._rr_index += 1
            return url
        assert self.webhook.url is not None
        return self.webhook.url

    async def _wh_worker(self, key: int) -> None:
        try:
            while True:
                queue = self._wh_queues.get(key)
                if not queue or self.webhook.url is None:
                    break
                update = queue[0]
                delivered = await self._deliver(update)
                if delivered and queue and queue[0] is update:
                    queue.popleft()
                    self._notify_state()
                if not queue:
                    self._wh_queues.pop(key, None)
        finally:
            if self._wh_tasks.get(key) is asyncio.current_task():
                del self._wh_tasks[key]

    async def _deliver(self, update: dict[str, Any]) -> bool:
        body = json.dumps(update, ensure_ascii=False).encode()
        delay = self.webhook_retry_delay
        while self.webhook.url is not None and not self._closed:
            if self._wh_session is None or self._wh_session.closed:
                self._wh_session = aiohttp.ClientSession()
            headers = {"Content-Type": "application/json"}
            if self.webhook.secret_token:
                headers["X-Telegram-Bot-Api-Secret-Token"] = self.webhook.secret_token
            url = self._next_target()
            sem = self._wh_sem or asyncio.Semaphore(40)
            error: str
            async with sem:
                try:
                    async with self._wh_session.post(
                        url,
                        data=body,
                        headers=headers,
                        timeout=aiohttp.ClientTimeout(total=self.webhook_timeout),
                    ) as resp:
                        raw = await resp.read()
                        if 200 <= resp.status < 300:
                            self.stats.webhook_deliveries += 1
                            await self._webhook_reply(raw, resp.headers.get("Content-Type", ""))
                            return True
                        error = f"Wrong response from the webhook: {resp.status} {resp.reason}"
                except (aiohttp.ClientError, TimeoutError, OSError) as exc:
                    error = f"Connection failed: {type(exc).__name__}: {exc}"
            self.stats.webhook_failures += 1
            self.webhook.last_error_date = self.now()
            self.webhook.last_error_message = error
            log.debug("webhook delivery to %s failed: %s", url, error)
            await asyncio.sleep(delay)
            delay = min(delay * 2, self.webhook_retry_max_delay)
        return False

    async def _webhook_reply(self, raw: bytes, content_type: str) -> None:
        """A webhook answer may carry one method call, which Telegram carries out."""
        if not raw or len(raw) < 10:
            return
        params: dict[str, Any] = {}
        files: dict[str, FileRecord] = {}
        form = False
        try:
            if content_type.startswith("application/json"):
                data = json.loads(raw)
                if not isinstance(data, dict):
                    return
                params = data
            elif content_type.startswith("multipart/form-data"):
                form = True
                for name, filename, payload in multipart_parts(raw, content_type):
                    if filename:
                        files[name] = self._store_file(payload, filename, None)
                    else:
                        params[name] = payload.decode()
            else:
                return
        except ValueError:
            return
        method = params.pop("method", None)
        if not method:
            return
        self.stats.webhook_replies[str(method)] += 1
        try:
            await self.call_api(str(method), params, files, form=form)
        except ApiError as exc:
            self.note_error(str(method), params, exc)

    # ------------------------------------------------------------------ the bot itself

    def api_getme(self, p: dict[str, Any]) -> dict[str, Any]:
        me = dict(self.bot_user.as_dict())
        me.update(
            can_join_groups=True,
            can_read_all_group_messages=not self.privacy_mode,
            supports_inline_queries=False,
            can_connect_to_business=False,
            has_main_web_app=False,
        )
        return me

    def api_logout(self, p: dict[str, Any]) -> bool:
        return True

    def api_close(self, p: dict[str, Any]) -> bool:
        return True

    @staticmethod
    def _scope_key(scope: Any) -> str:
        if scope is None:
            return "default"
        if isinstance(scope, str):
            scope = json.loads(scope)
        kind = scope.get("type", "default")
        parts = [kind]
        if "chat_id" in scope:
            parts.append(str(scope["chat_id"]))
        if "user_id" in scope:
            parts.append(str(scope["user_id"]))
        return ":".join(parts)

    def api_setmycommands(self, p: dict[str, Any]) -> bool:
        commands = p.get("commands")
        if not isinstance(commands, list):
            raise bad_request("can't parse commands JSON object")
        if len(commands) > 100:
            raise bad_request("too many commands")
        cleaned = []
        for cmd in commands:
            name = str(cmd.get("command", ""))
            description = str(cmd.get("description", ""))
            if not _COMMAND_RE.fullmatch(name):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(description) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
            cleaned.append({"command": name, "description": description})
        key = (self._scope_key(p.get("scope")), str(p.get("language_code") or ""))
        self.commands[key] = cleaned
        return True

    def api_getmycommands(self, p: dict[str, Any]) -> list[dict[str, Any]]:
        key = (self._scope_key(p.get("scope")), str(p.get("language_code") or ""))
        return list(self.commands.get(key, []))

    def api_deletemycommands(self, p: dict[str, Any]) -> bool:
        key = (self._scope_key(p.get("scope")), str(p.get("language_code") or ""))
        self.commands.pop(key, None)
        return True

    def get_commands(
        self, scope: dict[str, Any] | None = None, language_code: str = ""
    ) -> list[dict[str, Any]]:
        """The commands the bot set for a scope and language (for assertions)."""
        return list(self.commands.get((self._scope_key(scope), language_code), []))

    # ------------------------------------------------------------------ message content

    def _parse_text(
        self, text: Any, parse_mode: Any, entities: Any, *, caption: bool = False
    ) -> tuple[str, list[dict[str, Any]] | None]:
        text = "" if text is None else str(text)
        ents: list[dict[str, Any]] | None = None
        mode = str(parse_mode or "").lower()
        if entities:
            if isinstance(entities, str):
                entities = json.loads(entities)
            ents = list(entities)
        elif mode == "html":
            try:
                text, ents = parse_html(text, strict_ampersand=self.strict_html)
            except EntityParseError as exc:
                raise bad_request(f"can't parse entities: {exc}") from None
        elif mode and mode not in ("markdown", "markdownv2"):
            raise bad_request(f"unsupported parse_mode {parse_mode}")
        if caption:
            if utf16_len(text) > MAX_CAPTION:
                raise bad_request("message caption is too long")
        else:
            if not text.strip():
                raise bad_request("message text is empty")
            if utf16_len(text) > MAX_TEXT:
                raise bad_request("message is too long")
        return text, ents or None

    def _markup(self, raw: Any) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
        """(inline markup to echo back, reply keyboard change for the user's client)."""
        if raw is None:
            return None, None
        if isinstance(raw, str):
            try:
                raw = json.loads(raw)
            except ValueError:
                raise bad_request("can't parse reply keyboard markup JSON object") from None
        if not isinstance(raw, dict):
            raise bad_request("can't parse reply keyboard markup JSON object")
        if "inline_keyboard" in raw:
            rows = raw["inline_keyboard"]
            if not isinstance(rows, list):
                raise bad_request("can't parse inline keyboard markup JSON object")
            clean_rows = []
            for row in rows:
                if not isinstance(row, list):
                    raise bad_request("can't parse inline keyboard markup JSON object")
                clean_row = []
                for button in row:
                    clean_row.append(self._inline_button(button))
                if clean_row:
                    clean_rows.append(clean_row)
            if not clean_rows:
                return None, None
            return {"inline_keyboard": clean_rows}, None
        if "keyboard" in raw:
            return None, raw
        if raw.get("remove_keyboard"):
            return None, {"remove_keyboard": True}
        return None, None

    @staticmethod
    def _inline_button(button: Any) -> dict[str, Any]:
        if not isinstance(button, dict) or not isinstance(button.get("text"), str):
            raise bad_request(
                'can\'t parse inline keyboard button: Field "text" must be of type String'
            )
        if not button["text"].strip():
            raise bad_request("BUTTON_TEXT_EMPTY")  # not exactly Telegram's, close enough
        clean = {k: v for k, v in button.items() if v is not None}
        if "callback_data" in clean:
            size = len(str(clean["callback_data"]).encode("utf-8"))
            if not 1 <= size <= 64:
                raise bad_request("BUTTON_DATA_INVALID")
        elif "url" in clean:
            if not re.match(r"^(https?|tg)://\S+$", str(clean["url"])):
                raise bad_request("BUTTON_URL_INVALID")
        elif not any(
            k in clean
            for k in (
                "login_url",
                "switch_inline_query",
                "switch_inline_query_current_chat",
                "switch_inline_query_chosen_chat",
                "web_app",
                "callback_game",
                "pay",
                "copy_text",
            )
        ):
            raise bad_request(
                "can't parse inline keyboard button: "
                "Text buttons are unallowed in the inline keyboard"
            )
        return clean

    def _reply_to(self, chat: ChatRecord, p: dict[str, Any]) -> dict[str, Any] | None:
        params = p.get("reply_parameters")
        target = None
        allow_missing = bool(p.get("allow_sending_without_reply"))
        if isinstance(params, dict):
            target = params.get("message_id")
            allow_missing = allow_missing or bool(params.get("allow_sending_without_reply"))
        elif p.get("reply_to_message_id") is not None:
            target = p.get("reply_to_message_id")
        if target is None:
            return None
        original = chat.messages.get(int(target))
        if original is None or original.deleted:
            if allow_missing:
                return None
            raise bad_request("message to be replied not found")
        replied = {k: v for k, v in original.data.items() if k != "reply_to_message"}
        return replied

    def _bot_message(
        self,
        chat: ChatRecord,
        content: dict[str, Any],
        p: dict[str, Any],
        *,
        file: FileRecord | None = None,
    ) -> ChatMessage:
        inline, keyboard = self._markup(p.get("reply_markup"))
        replied = self._reply_to(chat, p)
        self._check_can_send(chat)
        self.limiter.acquire(chat.id, group=not chat.is_private)
        data: dict[str, Any] = {
            "message_id": chat.allocate_message_id(),
            "from": self.bot_user.as_dict(),
            "chat": chat.as_dict(),
            "date": self.now(),
        }
        if replied is not None:
            data["reply_to_message"] = replied
        data.update(content)
        if inline is not None:
            data["reply_markup"] = inline
        msg = ChatMessage(chat, data, from_bot=True)
        msg.file = file
        if keyboard is not None:
            if keyboard.get("remove_keyboard"):
                chat.reply_keyboard = None
            else:
                chat.reply_keyboard = keyboard
                msg.reply_keyboard = keyboard
        chat.messages[data["message_id"]] = msg
        self.stats.messages_sent += 1
        chat.record(
            ChatEvent("message", True, f"bot → #{data['message_id']}: ", msg, snapshot=data)
        )
        return msg

    def api_sendmessage(self, p: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(p)
        text, entities = self._parse_text(p.get("text"), p.get("parse_mode"), p.get("entities"))
        content: dict[str, Any] = {"text": text}
        if entities:
            content["entities"] = entities
        return self._bot_message(chat, content, p).data

    def api_sendchataction(self, p: dict[str, Any]) -> bool:
        chat = self._chat(p)
        self._check_can_send(chat)
        return True

    # ------------------------------------------------------------------ files

    def _store_file(
        self, content: bytes, filename: str | None, mime_type: str | None, kind: str = "document"
    ) -> FileRecord:
        n = self._next_file
        self._next_file += 1
        digest = hashlib.sha1(content).hexdigest()[:16]
        file_id = f"BQACAgIAAx{n:08d}{secrets.token_hex(8)}"
        folder = "photos" if kind == "photo" else "documents"
        suffix = ""
        if filename and "." in filename:
            suffix = "." + filename.rsplit(".", 1)[1]
        record = FileRecord(
            file_id=file_id,
            file_unique_id=f"AgAD{digest}",
            file_path=f"{folder}/file_{n}{suffix}",
            content=content,
            filename=filename,
            mime_type=mime_type,
            kind=kind,
        )
        if kind == "photo":
            record.width, record.height = _image_size(content)
        self.files[file_id] = record
        self._files_by_path[record.file_path] = record
        return record

    def file_by_path(self, path: str) -> FileRecord | None:
        return self._files_by_path.get(path)

    def _input_file(self, value: Any, kind: str) -> FileRecord:
        if not value and kind in self._files_in_request:
            value = f"attach://{kind}"  # the file uploaded under the parameter's own name
        if not value:
            raise bad_request(f"there is no {kind} in the request")
        value = str(value)
        if value.startswith("attach://"):
            part = self._files_in_request.get(value[len("attach://") :])
            if part is None:
                raise bad_request(f"there is no {kind} in the request")
            if not part.content:
                raise bad_request("file must be non-empty")
            if kind == "photo" and part.kind != "photo":
                return self._store_file(part.content, part.filename, part.mime_type, "photo")
            return part
        existing = self.files.get(value)
        if existing is not None:
            return existing
        if value.startswith(("http://", "https://")):
            name = value.rsplit("/", 1)[-1] or None
            return self._store_file(b"", name, None, kind)
        raise bad_request("wrong file identifier/HTTP URL specified")

    def _send_file(self, p: dict[str, Any], kind: str) -> dict[str, Any]:
        chat = self._chat(p)
        record = self._input_file(p.get(kind), kind)
        caption, entities = self._parse_text(
            p.get("caption"), p.get("parse_mode"), p.get("caption_entities"), caption=True
        )
        content: dict[str, Any] = {}
        if kind == "photo":
            content["photo"] = record.as_photo()
        else:
            content["document"] = record.as_document()
        if caption:
            content["caption"] = caption
            if entities:
                content["caption_entities"] = entities
        return self._bot_message(chat, content, p, file=record).data

    def api_senddocument(self, p: dict[str, Any]) -> dict[str, Any]:
        return self._send_file(p, "document")

    def api_sendphoto(self, p: dict[str, Any]) -> dict[str, Any]:
        return self._send_file(p, "photo")

    def api_getfile(self, p: dict[str, Any]) -> dict[str, Any]:
        record = self.files.get(str(p.get("file_id")))
        if record is None:
            raise bad_request("invalid file_id")
        return record.as_file()

    def api_sendmediagroup(self, p: dict[str, Any]) -> list[dict[str, Any]]:
        chat = self._chat(p)
        media = p.get("media")
        if not isinstance(media, list) or not 2 <= len(media) <= 10:
            raise bad_request("wrong number of media in the group: must be 2-10")
        out = []
        group_id = str(secrets.randbelow(10**15))
        for item in media:
            kind = "photo" if item.get("type") == "photo" else "document"
            record = self._input_file(item.get("media"), kind)
            caption, _ = self._parse_text(
                item.get("caption"), item.get("parse_mode"), None, caption=True
            )
            content: dict[str, Any] = {"media_group_id": group_id}
            content[kind] = record.as_photo() if kind == "photo" else record.as_document()
            if caption:
                content["caption"] = caption
            out.append(self._bot_message(chat, content, {}, file=record).data)
        return out

    # ------------------------------------------------------------------ edits

    def _message_to_edit(self, p: dict[str, Any]) -> ChatMessage:
        if p.get("inline_message_id"):
            raise bad_request("MESSAGE_ID_INVALID")
        chat = self._chat(p)
        self._check_in_group(chat)
        mid = p.get("message_id")
        if mid is None:
            raise bad_request("message identifier is not specified")
        msg = chat.messages.get(int(mid))
        if msg is None or msg.deleted:
            raise bad_request("message to edit not found")
        if not msg.from_bot:
            raise bad_request("message can't be edited")
        return msg

    def _apply_edit(
        self, msg: ChatMessage, changes: dict[str, Any], removes: Iterable[str]
    ) -> dict[str, Any]:
        before = dict(msg.data)
        after = dict(before)
        after.update(changes)
        for key in removes:
            if key not in changes:
                after.pop(key, None)
        watched = ("text", "entities", "caption", "caption_entities", "reply_markup")
        if all(before.get(k) == after.get(k) for k in watched):
            raise bad_request(NOT_MODIFIED)
        after["edit_date"] = self.now()
        msg.history.append(before)
        msg.data = after
        msg.chat.record(
            ChatEvent(
                "edit",
                True,
                f"bot edited #{msg.message_id}: ",
                msg,
                snapshot=after,
            )
        )
        return after

    def api_editmessagetext(self, p: dict[str, Any]) -> dict[str, Any]:
        msg = self._message_to_edit(p)
        if "text" not in msg.data:
            raise bad_request("there is no text in the message to edit")
        text, entities = self._parse_text(p.get("text"), p.get("parse_mode"), p.get("entities"))
        inline, _ = self._markup(p.get("reply_markup"))
        changes: dict[str, Any] = {"text": text}
        if entities:
            changes["entities"] = entities
        if inline is not None:
            changes["reply_markup"] = inline
        return self._apply_edit(msg, changes, ("entities", "reply_markup"))

    def api_editmessagecaption(self, p: dict[str, Any]) -> dict[str, Any]:
        msg = self._message_to_edit(p)
        if msg.file is None:
            raise bad_request("there is no caption in the message to edit")
        caption, entities = self._parse_text(
            p.get("caption"), p.get("parse_mode"), p.get("caption_entities"), caption=True
        )
        inline, _ = self._markup(p.get("reply_markup"))
        changes: dict[str, Any] = {}
        if caption:
            changes["caption"] = caption
        if entities:
            changes["caption_entities"] = entities
        if inline is not None:
            changes["reply_markup"] = inline
        return self._apply_edit(msg, changes, ("caption", "caption_entities", "reply_markup"))

    def api_editmessagereplymarkup(self, p: dict[str, Any]) -> dict[str, Any]:
        msg = self._message_to_edit(p)
        inline, _ = self._markup(p.get("reply_markup"))
        changes = {"reply_markup": inline} if inline is not None else {}
        return self._apply_edit(msg, changes, ("reply_markup",))

    def api_deletemessage(self, p: dict[str, Any]) -> bool:
        chat = self._chat(p)
        self._check_in_group(chat)
        msg = chat.messages.get(int(p.get("message_id") or 0))
        if msg is None or msg.deleted:
            raise bad_request("message to delete not found")
        if not chat.is_private and not msg.from_bot and not chat.bot_right("can_delete_messages"):
            raise bad_request("message can't be deleted")
        msg.deleted = True
        chat.record(ChatEvent("delete", True, f"bot deleted #{msg.message_id}", msg))
        return True

    def api_deletemessages(self, p: dict[str, Any]) -> bool:
        ids = p.get("message_ids") or []
        chat = self._chat(p)
        for mid in ids:
            msg = chat.messages.get(int(mid))
            if msg is not None and not msg.deleted:
                msg.deleted = True
                chat.record(ChatEvent("delete", True, f"bot deleted #{msg.message_id}", msg))
        return True

    def api_pinchatmessage(self, p: dict[str, Any]) -> bool:
        chat = self._chat(p)
        if not chat.is_private:
            self._need_admin(
                chat, "can_pin_messages", "not enough rights to manage pinned messages in the chat"
            )
        msg = chat.messages.get(int(p.get("message_id") or 0))
        if msg is None or msg.deleted:
            raise bad_request("message to pin not found")
        if msg.message_id not in chat.pinned:
            chat.pinned.append(msg.message_id)
        chat.record(ChatEvent("pin", True, f"bot pinned #{msg.message_id}", msg))
        return True

    def api_unpinchatmessage(self, p: dict[str, Any]) -> bool:
        chat = self._chat(p)
        mid = p.get("message_id")
        if mid is None and chat.pinned:
            chat.pinned.pop()
        elif mid is not None and int(mid) in chat.pinned:
            chat.pinned.remove(int(mid))
        return True

    def api_unpinallchatmessages(self, p: dict[str, Any]) -> bool:
        self._chat(p).pinned.clear()
        return True

    # ------------------------------------------------------------------ callbacks

    def api_answercallbackquery(self, p: dict[str, Any]) -> bool:
        query_id = str(p.get("callback_query_id") or "")
        pending = self._callbacks.pop(query_id, None)
        if pending is None or time.monotonic() - pending.created > self.callback_timeout:
            raise bad_request(QUERY_TOO_OLD)
        answer = pending.answer
        answer.answered = True
        answer.text = p.get("text")
        answer.show_alert = bool(p.get("show_alert"))
        answer.url = p.get("url")
        if answer.text:
            how = "alert" if answer.show_alert else "notification"
            line = f"bot answered the press with {how}: {answer.text!r}"
        else:
            line = "bot answered the press"
        pending.chat.record(ChatEvent("answer", True, line))
        if not pending.future.done():
            pending.future.set_result(answer)
        return True

    # ------------------------------------------------------------------ chats and members

    def _member_dict(
        self, chat: ChatRecord, member: MemberRecord | None, user: UserRecord
    ) -> dict[str, Any]:
        status = member.status if member is not None else "left"
        data: dict[str, Any] = {"status": status, "user": user.as_dict()}
        if status == "creator":
            data["is_anonymous"] = False
        elif status == "administrator":
            assert member is not None
            data["can_be_edited"] = False
            data["is_anonymous"] = False
            for right in ADMIN_RIGHTS:
                data[right] = bool(member.rights.get(right, False))
        elif status == "kicked":
            data["until_date"] = member.until_date if member is not None else 0
        elif status == "restricted":
            data.update(
                is_member=True,
                can_send_messages=False,
                can_send_audios=False,
                can_send_documents=False,
                can_send_photos=False,
                can_send_videos=False,
                can_send_video_notes=False,
                can_send_voice_notes=False,
                can_send_polls=False,
                can_send_other_messages=False,
                can_add_web_page_previews=False,
                can_change_info=False,
                can_invite_users=False,
                can_pin_messages=False,
                can_manage_topics=False,
                until_date=0,
            )
        return data

    def _bot_member_dict(self, chat: ChatRecord) -> dict[str, Any]:
        if chat.is_private:
            status = "kicked" if chat.user is not None and chat.user.blocked else "member"
            data: dict[str, Any] = {"status": status, "user": self.bot_user.as_dict()}
            if status == "kicked":
                data["until_date"] = 0
            return data
        return self._member_dict(chat, chat.bot_member, self.bot_user)

    def api_getchat(self, p: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(p)
        self._check_in_group(chat)
        data = dict(chat.as_dict())
        data.update(
            accent_color_id=0,
            max_reaction_count=11,
            accepted_gift_types={
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        )
        if chat.pinned:
            pinned = chat.messages.get(chat.pinned[-1])
            if pinned is not None:
                data["pinned_message"] = pinned.data
        return data

    def _user_param(self, p: dict[str, Any]) -> UserRecord:
        user_id = p.get("user_id")
        if user_id is not None and int(user_id) == self.bot_user.id:
            return self.bot_user
        user = self.users.get(int(user_id or 0))
        if user is None:
            raise bad_request("user not found")
        return user

    def api_getchatmember(self, p: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(p)
        self._check_in_group(chat)
        user = self._user_param(p)
        if user is self.bot_user:
            return self._bot_member_dict(chat)
        if chat.is_private:
            if chat.user is not user:
                raise bad_request("user not found")
            return {"status": "member", "user": user.as_dict()}
        return self._member_dict(chat, chat.members.get(user.id), user)

    def api_getchatadministrators(self, p: dict[str, Any]) -> list[dict[str, Any]]:
        chat = self._chat(p)
        self._check_in_group(chat)
        if chat.is_private:
            raise bad_request("there are no administrators in the private chat")
        out = [
            self._member_dict(chat, m, m.user)
            for m in chat.members.values()
            if m.status in ("creator", "administrator")
        ]
        if chat.bot_status == "administrator":
            out.append(self._bot_member_dict(chat))
        return out

    def api_getchatmembercount(self, p: dict[str, Any]) -> int:
        chat = self._chat(p)
        self._check_in_group(chat)
        if chat.is_private:
            return 2
        count = sum(1 for m in chat.members.values() if m.is_member)
        return count + (1 if chat.bot_member is not None and chat.bot_member.is_member else 0)

    def _new_link(self, chat: ChatRecord, p: dict[str, Any], *, primary: bool) -> InviteLinkRecord:
        creates = bool(p.get("creates_join_request"))
        member_limit = p.get("member_limit")
        if creates and member_limit:
            raise bad_request(
                "member limit can't be specified for links requiring administrator approval"
            )
        name = p.get("name")
        if name is not None and len(str(name)) > 32:
            raise bad_request("invite link name is too long")
        link = InviteLinkRecord(
            invite_link=f"https://t.me/+{secrets.token_urlsafe(12)}",
            creator=self.bot_user,
            chat_id=chat.id,
            creates_join_request=creates,
            is_primary=primary,
            name=str(name) if name is not None else None,
            expire_date=int(p["expire_date"]) if p.get("expire_date") else None,
            member_limit=int(member_limit) if member_limit else None,
        )
        chat.invite_links[link.invite_link] = link
        return link

    _LINK_RIGHTS = "not enough rights to manage chat invite link"

    def api_createchatinvitelink(self, p: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(p)
        self._need_admin(chat, "can_invite_users", self._LINK_RIGHTS)
        return self._new_link(chat, p, primary=False).as_dict()

    def api_exportchatinvitelink(self, p: dict[str, Any]) -> str:
        chat = self._chat(p)
        self._need_admin(chat, "can_invite_users", self._LINK_RIGHTS)
        for link in chat.invite_links.values():
            if link.is_primary:
                link.is_revoked = True
                link.is_primary = False
        return self._new_link(chat, {}, primary=True).invite_link

    def api_editchatinvitelink(self, p: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(p)
        self._need_admin(chat, "can_invite_users", self._LINK_RIGHTS)
        link = chat.invite_links.get(str(p.get("invite_link")))
        if link is None:
            raise bad_request("INVITE_HASH_EXPIRED")
        for key in ("name", "expire_date", "member_limit", "creates_join_request"):
            if key in p:
                setattr(link, key, p[key])
        return link.as_dict()

    def api_revokechatinvitelink(self, p: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(p)
        self._need_admin(chat, "can_invite_users", self._LINK_RIGHTS)
        link = chat.invite_links.get(str(p.get("invite_link")))
        if link is None:
            raise bad_request("INVITE_HASH_EXPIRED")
        link.is_revoked = True
        return link.as_dict()

    def _join_request_decision(self, p: dict[str, Any], approve: bool) -> bool:
        chat = self._chat(p)
        self._need_admin(chat, "can_invite_users", "CHAT_ADMIN_REQUIRED")
        user = self._user_param(p)
        if user.id not in chat.join_requests:
            raise bad_request("HIDE_REQUESTER_MISSING")
        link = chat.join_requests.pop(user.id)
        self._join_requested_at.get(user.id, {}).pop(chat.id, None)  # processed
        if link is not None:
            link.pending = max(0, link.pending - 1)
        if approve:
            if user.id in chat.members and chat.members[user.id].is_member:
                raise bad_request("USER_ALREADY_PARTICIPANT")
            self.change_member(chat, user, "member", by=self.bot_user, link=link, via_request=True)
        else:
            chat.record(
                ChatEvent("member", True, f"bot declined the join request of {user.display}")
            )
        return True

    def api_approvechatjoinrequest(self, p: dict[str, Any]) -> bool:
        return self._join_request_decision(p, True)

    def api_declinechatjoinrequest(self, p: dict[str, Any]) -> bool:
        return self._join_request_decision(p, False)

    def api_banchatmember(self, p: dict[str, Any]) -> bool:
        chat = self._chat(p)
        self._need_admin(
            chat, "can_restrict_members", "not enough rights to restrict/unrestrict chat member"
        )
        user = self._user_param(p)
        member = chat.members.get(user.id)
        if member is not None and member.status in ("creator", "administrator"):
            raise bad_request("user is an administrator of the chat")
        self.change_member(
            chat, user, "kicked", by=self.bot_user, until=int(p.get("until_date") or 0)
        )
        return True

    def api_unbanchatmember(self, p: dict[str, Any]) -> bool:
        chat = self._chat(p)
        self._need_admin(
            chat, "can_restrict_members", "not enough rights to restrict/unrestrict chat member"
        )
        user = self._user_param(p)
        member = chat.members.get(user.id)
        if member is None:
            return True
        if member.status == "kicked":
            self.change_member(chat, user, "left", by=self.bot_user)
        elif not p.get("only_if_banned") and member.is_member:
            if member.status in ("creator", "administrator"):
                raise bad_request("user is an administrator of the chat")
            self.change_member(chat, user, "left", by=self.bot_user)
        return True

    def api_leavechat(self, p: dict[str, Any]) -> bool:
        chat = self._chat(p)
        if chat.is_private:
            raise bad_request("chat member status can't be changed in private chats")
        self._check_in_group(chat)
        self.change_bot_status(chat, "left", by=self.bot_user)
        return True

    # ------------------------------------------------------------------ membership changes

    def change_member(
        self,
        chat: ChatRecord,
        user: UserRecord,
        status: str,
        *,
        by: UserRecord,
        link: InviteLinkRecord | None = None,
        via_request: bool = False,
        until: int = 0,
        rights: dict[str, bool] | None = None,
    ) -> None:
        """A user's status in a group changes: chat_member update and service message."""
        old_member = chat.members.get(user.id)
        old = self._member_dict(chat, old_member, user)
        member = MemberRecord(user, status, dict(rights or {}), until)
        chat.members[user.id] = member
        new = self._member_dict(chat, member, user)
        chat.record(
            ChatEvent("member", by is self.bot_user, f"{user.display}: {old['status']} → {status}")
        )
        if chat.bot_status == "administrator" or chat.bot_status == "creator":
            payload: dict[str, Any] = {
                "chat": chat.as_dict(),
                "from": by.as_dict(),
                "date": self.now(),
                "old_chat_member": old,
                "new_chat_member": new,
            }
            if link is not None:
                payload["invite_link"] = link.as_dict()
            if via_request:
                payload["via_join_request"] = True
            self.emit("chat_member", payload, chat.id)
        was_in = old_member is not None and old_member.is_member
        if member.is_member and not was_in:
            self._service_message(
                chat,
                by if by is not self.bot_user else user,
                {"new_chat_members": [user.as_dict()]},
            )
        elif was_in and not member.is_member:
            self._service_message(
                chat, by if by is not self.bot_user else user, {"left_chat_member": user.as_dict()}
            )

    def _service_message(
        self, chat: ChatRecord, sender: UserRecord, content: dict[str, Any]
    ) -> None:
        if chat.bot_status in ("left", "kicked"):
            return
        data = {
            "message_id": chat.allocate_message_id(),
            "from": sender.as_dict(),
            "chat": chat.as_dict(),
            "date": self.now(),
            **content,
        }
        msg = ChatMessage(chat, data, from_bot=False)
        chat.messages[msg.message_id] = msg
        self.emit("message", data, chat.id)

    def change_bot_status(
        self,
        chat: ChatRecord,
        status: str,
        *,
        by: UserRecord,
        rights: dict[str, bool] | None = None,
    ) -> None:
        """The bot is added, promoted or removed in a group: my_chat_member update."""
        old = self._bot_member_dict(chat)
        if status == "administrator" and rights is None:
            rights = default_admin_rights()
        chat.bot_member = MemberRecord(self.bot_user, status, dict(rights or {}))
        new = self._bot_member_dict(chat)
        chat.record(
            ChatEvent("member", False, f"bot: {old['status']} → {status} (by {by.display})")
        )
        self.emit(
            "my_chat_member",
            {
                "chat": chat.as_dict(),
                "from": by.as_dict(),
                "date": self.now(),
                "old_chat_member": old,
                "new_chat_member": new,
            },
            chat.id,
        )
        if old["status"] in ("left", "kicked") and status in ("member", "administrator"):
            self._service_message(chat, by, {"new_chat_members": [self.bot_user.as_dict()]})

    # ------------------------------------------------------------------ users and groups

    def add_user(
        self,
        first_name: str = "User",
        *,
        id: int | None = None,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "ru",
        started: bool = False,
    ) -> UserRecord:
        if id is None:
            while self._next_user_id in self.users:
                self._next_user_id += 1
            id = self._next_user_id
            self._next_user_id += 1
        if id in self.users or id == self.bot_user.id:
            raise EmulatorError(f"user {id} exists already")
        user = UserRecord(id, first_name, last_name, username, language_code, started=started)
        self.users[id] = user
        self.chats[id] = ChatRecord(id, "private", user=user)
        return user

    def add_group(
        self,
        title: str,
        *,
        id: int | None = None,
        chat_type: str = "supergroup",
        owner: UserRecord | None = None,
        username: str | None = None,
    ) -> ChatRecord:
        if id is None:
            id = (
                -(1_000_000_000_000 + self._next_group_id)
                if chat_type == "supergroup"
                else -self._next_group_id
            )
            self._next_group_id += 1
        if id in self.chats:
            raise EmulatorError(f"chat {id} exists already")
        chat = ChatRecord(id, chat_type, title=title, username=username)
        if owner is not None:
            chat.members[owner.id] = MemberRecord(owner, "creator")
        self.chats[id] = chat
        return chat

    def user_message(
        self,
        user: UserRecord,
        chat: ChatRecord,
        content: dict[str, Any],
        *,
        reply_to: ChatMessage | None = None,
        file: FileRecord | None = None,
    ) -> ChatMessage:
        """A user writes to a chat: the message is stored and, if the bot sees it, delivered."""
        if chat.is_private:
            if chat.user is not user:
                raise EmulatorError(f"{user.display} cannot write in the private chat {chat.id}")
            if user.blocked:
                raise EmulatorError(f"{user.display} has blocked the bot; unblock it first")
            user.started = True
        else:
            member = chat.members.get(user.id)
            if member is None or not member.is_member:
                raise EmulatorError(f"{user.display} is not a member of {chat.title!r}")
        data: dict[str, Any] = {
            "message_id": chat.allocate_message_id(),
            "from": user.as_dict(),
            "chat": chat.as_dict(),
            "date": self.now(),
        }
        if reply_to is not None:
            data["reply_to_message"] = {
                k: v for k, v in reply_to.data.items() if k != "reply_to_message"
            }
        data.update(content)
        msg = ChatMessage(chat, data, from_bot=False)
        msg.file = file
        chat.messages[msg.message_id] = msg
        where = "bot" if chat.is_private else f"group {chat.title!r}"
        chat.record(
            ChatEvent(
                "message",
                False,
                f"{user.display} → {where} #{msg.message_id}: ",
                msg,
                snapshot=data,
            )
        )
        if self._bot_sees(chat, msg):
            self.emit("message", data, chat.id)
        return msg

    def _bot_sees(self, chat: ChatRecord, msg: ChatMessage) -> bool:
        if chat.is_private:
            return True
        status = chat.bot_status
        if status in ("left", "kicked"):
            return False
        if status in ("administrator", "creator") or not self.privacy_mode:
            return True
        text = str(msg.data.get("text") or "")
        if text.startswith("/"):
            return True
        reply = msg.data.get("reply_to_message")
        return bool(reply and reply.get("from", {}).get("id") == self.bot_user.id)

    @staticmethod
    def text_content(text: str) -> dict[str, Any]:
        content: dict[str, Any] = {"text": text}
        match = _BOT_COMMAND_RE.match(text)
        if match:
            content["entities"] = [
                {"type": "bot_command", "offset": 0, "length": utf16_len(match.group(0))}
            ]
        return content

    def press(
        self,
        user: UserRecord,
        msg: ChatMessage | None,
        chat: ChatRecord,
        data: str,
        message_id: int | None = None,
    ) -> PendingCallback:
        """A user presses an inline button: a callback_query update."""
        query_id = f"{self.bot_user.id}{self._next_callback:010d}"
        self._next_callback += 1
        if msg is not None and not msg.deleted:
            message = dict(msg.data)
        else:
            # Gone or never existed: Telegram gives an InaccessibleMessage (date 0).
            mid = msg.message_id if msg is not None else int(message_id or 0)
            message = {"message_id": mid, "chat": chat.as_dict(), "date": 0}
        payload = {
            "id": query_id,
            "from": user.as_dict(),
            "message": message,
            "chat_instance": str(abs(hash((chat.id, self.bot_user.id))) % 10**18),
            "data": data,
        }
        answer = CallbackAnswer(query_id, data)
        fut: asyncio.Future[CallbackAnswer] = asyncio.get_running_loop().create_future()
        pending = PendingCallback(answer, chat, time.monotonic(), fut)
        self._callbacks[query_id] = pending
        label = ""
        if msg is not None:
            for row in msg.buttons:
                for button in row:
                    if button.get("callback_data") == data:
                        label = button["text"]
        on = f"#{message['message_id']}"
        chat.record(
            ChatEvent(
                "callback",
                False,
                f"{user.display} pressed [{label or '?'}] on {on} (data={data!r})",
                msg,
            )
        )
        self.emit("callback_query", payload, chat.id)
        return pending

    def join(self, user: UserRecord, link_text: str) -> str:
        """A user opens an invite link; returns "joined" or "requested"."""
        for chat in self.chats.values():
            link = chat.invite_links.get(link_text)
            if link is not None:
                break
        else:
            raise EmulatorError(f"no such invite link: {link_text}")
        if link.is_revoked:
            raise EmulatorError("the invite link was revoked")
        if link.expire_date is not None and link.expire_date <= self.now():
            raise EmulatorError("the invite link has expired")
        member = chat.members.get(user.id)
        if member is not None and member.status == "kicked":
            raise EmulatorError(f"{user.display} is banned in {chat.title!r}")
        if member is not None and member.is_member:
            return "joined"
        if link.creates_join_request:
            if user.id in chat.join_requests:
                return "requested"
            chat.join_requests[user.id] = link
            self._join_requested_at.setdefault(user.id, {})[chat.id] = self.now()
            link.pending += 1
            chat.record(
                ChatEvent("member", False, f"{user.display} asked to join via {link.invite_link}")
            )
            if chat.bot_right("can_invite_users"):
                self.emit(
                    "chat_join_request",
                    {
                        "chat": chat.as_dict(),
                        "from": user.as_dict(),
                        "user_chat_id": user.id,
                        "date": self.now(),
                        "invite_link": link.as_dict(),
                    },
                    chat.id,
                )
            return "requested"
        if link.member_limit is not None and link.joined >= link.member_limit:
            raise EmulatorError("the invite link has reached its member limit")
        link.joined += 1
        self.change_member(chat, user, "member", by=user, link=link)
        return "joined"

    def set_blocked(self, user: UserRecord, blocked: bool) -> None:
        if user.blocked == blocked:
            return
        chat = self.chats[user.id]
        old = self._bot_member_dict(chat)
        user.blocked = blocked
        if not blocked:
            user.started = True
        new = self._bot_member_dict(chat)
        chat.record(
            ChatEvent(
                "member", False, f"{user.display} {'blocked' if blocked else 'unblocked'} the bot"
            )
        )
        self.emit(
            "my_chat_member",
            {
                "chat": chat.as_dict(),
                "from": user.as_dict(),
                "date": self.now(),
                "old_chat_member": old,
                "new_chat_member": new,
            },
            chat.id,
        )

    # ------------------------------------------------------------------ lifecycle

    async def aclose(self) -> None:
        self._closed = True
        waiter = self._poll_waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)
        tasks = list(self._wh_tasks.values())
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(BaseException):
                await task
        self._wh_tasks.clear()
        for pending in self._callbacks.values():
            if not pending.future.done():
                pending.future.cancel()
        if self._wh_session is not None:
            await self._wh_session.close()


def _image_size(content: bytes) -> tuple[int, int]:
    """Width and height of a PNG or JPEG, (1, 1) when unknown."""
    if content[:8] == b"\x89PNG\r\n\x1a\n" and len(content) >= 24:
        width, height = struct.unpack(">II", content[16:24])
        return int(width), int(height)
    if content[:2] == b"\xff\xd8":
        i = 2
        while i + 9 < len(content):
            if content[i] != 0xFF:
                break
            marker = content[i + 1]
            length = struct.unpack(">H", content[i + 2 : i + 4])[0]
            if marker in (0xC0, 0xC1, 0xC2):
                height, width = struct.unpack(">HH", content[i + 5 : i + 9])
                return int(width), int(height)
            i += 2 + length
    return 1, 1
