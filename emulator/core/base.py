"""State of the emulated Telegram, the basic checks and the dispatch of Bot API calls."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import struct
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

import aiohttp

from ..errors import ApiError, bad_request, forbidden
from ..limits import Fault, Faults, RateLimiter, RateLimits
from ..records import (
    CallbackAnswer,
    ChatEvent,
    ChatRecord,
    FileRecord,
    UserRecord,
)
from ..validation import MethodInfo, MethodTable, coerce_form, validate

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


class CoreBase:
    """What every part of the emulator shares: its state and the basic checks."""

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
