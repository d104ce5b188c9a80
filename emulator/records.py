"""What the emulator remembers: users, chats, messages, files, invite links, transcripts."""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass, field
from typing import Any

PRIVATE = "private"
GROUP_TYPES = ("group", "supergroup")


@dataclass
class FileRecord:
    """A file the bot or a user sent; `content` holds its bytes."""

    file_id: str
    file_unique_id: str
    file_path: str
    content: bytes
    filename: str | None = None
    mime_type: str | None = None
    kind: str = "document"
    width: int = 0
    height: int = 0

    @property
    def size(self) -> int:
        return len(self.content)

    def as_document(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": self.size,
        }
        if self.filename:
            doc["file_name"] = self.filename
        if self.mime_type:
            doc["mime_type"] = self.mime_type
        return doc

    def as_photo(self) -> list[dict[str, Any]]:
        return [
            {
                "file_id": self.file_id,
                "file_unique_id": self.file_unique_id,
                "file_size": self.size,
                "width": self.width or 1,
                "height": self.height or 1,
            }
        ]

    def as_file(self) -> dict[str, Any]:
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": self.size,
            "file_path": self.file_path,
        }


@dataclass
class UserRecord:
    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None
    is_bot: bool = False
    started: bool = False  # has written to the bot at least once
    blocked: bool = False  # has blocked the bot
    deactivated: bool = False
    _dict: dict[str, Any] | None = field(default=None, repr=False)

    def as_dict(self) -> dict[str, Any]:
        if self._dict is None:
            data: dict[str, Any] = {
                "id": self.id,
                "is_bot": self.is_bot,
                "first_name": self.first_name,
            }
            if self.last_name:
                data["last_name"] = self.last_name
            if self.username:
                data["username"] = self.username
            if self.language_code:
                data["language_code"] = self.language_code
            self._dict = data
        return self._dict

    @property
    def display(self) -> str:
        return f"{self.first_name}({self.id})"


@dataclass
class MemberRecord:
    """A user's (or the bot's) membership in a group."""

    user: UserRecord
    status: str = "member"  # creator administrator member restricted left kicked
    rights: dict[str, bool] = field(default_factory=dict)
    until_date: int = 0

    @property
    def is_member(self) -> bool:
        return self.status in ("creator", "administrator", "member", "restricted")


@dataclass
class InviteLinkRecord:
    invite_link: str
    creator: UserRecord
    chat_id: int
    creates_join_request: bool = False
    is_primary: bool = False
    is_revoked: bool = False
    name: str | None = None
    expire_date: int | None = None
    member_limit: int | None = None
    joined: int = 0
    pending: int = 0

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "invite_link": self.invite_link,
            "creator": self.creator.as_dict(),
            "creates_join_request": self.creates_join_request,
            "is_primary": self.is_primary,
            "is_revoked": self.is_revoked,
        }
        if self.name is not None:
            data["name"] = self.name
        if self.expire_date is not None:
            data["expire_date"] = self.expire_date
        if self.member_limit is not None:
            data["member_limit"] = self.member_limit
        if self.creates_join_request:
            data["pending_join_request_count"] = self.pending
        return data


@dataclass
class CallbackAnswer:
    """What the bot answered to a button press (answerCallbackQuery)."""

    query_id: str
    data: str | None
    answered: bool = False
    text: str | None = None
    show_alert: bool = False
    url: str | None = None

    @property
    def alert(self) -> str | None:
        """The text shown in an alert box, if the answer was an alert."""
        return self.text if self.show_alert else None


class ChatMessage:
    """A message in a chat as the emulator keeps it; `data` is its Telegram JSON."""

    __slots__ = (
        "chat",
        "data",
        "deleted",
        "file",
        "from_bot",
        "history",
        "reply_keyboard",
    )

    def __init__(self, chat: ChatRecord, data: dict[str, Any], *, from_bot: bool) -> None:
        self.chat = chat
        self.data = data
        self.from_bot = from_bot
        self.deleted = False
        self.file: FileRecord | None = None
        self.history: list[dict[str, Any]] = []
        self.reply_keyboard: dict[str, Any] | None = None

    @property
    def message_id(self) -> int:
        return int(self.data["message_id"])

    id = message_id

    @property
    def chat_id(self) -> int:
        return self.chat.id

    @property
    def text(self) -> str:
        """The text, or the caption of a document or photo ("" when there is none)."""
        return str(self.data.get("text") or self.data.get("caption") or "")

    @property
    def caption(self) -> str | None:
        return self.data.get("caption")

    @property
    def entities(self) -> list[dict[str, Any]]:
        return list(self.data.get("entities") or self.data.get("caption_entities") or [])

    @property
    def reply_markup(self) -> dict[str, Any] | None:
        return self.data.get("reply_markup")

    @property
    def buttons(self) -> list[list[dict[str, Any]]]:
        markup = self.data.get("reply_markup") or {}
        return [list(row) for row in markup.get("inline_keyboard", [])]

    @property
    def button_texts(self) -> list[str]:
        return [b["text"] for row in self.buttons for b in row]

    def find_button(self, label: str | re.Pattern[str]) -> dict[str, Any] | None:
        for row in self.buttons:
            for button in row:
                if _label_matches(label, button["text"]):
                    return button
        return None

    @property
    def document(self) -> FileRecord | None:
        return self.file if self.file is not None and self.file.kind == "document" else None

    @property
    def photo(self) -> FileRecord | None:
        return self.file if self.file is not None and self.file.kind == "photo" else None

    @property
    def edit_count(self) -> int:
        return len(self.history)

    @property
    def is_edited(self) -> bool:
        return bool(self.history)

    @property
    def sender_id(self) -> int | None:
        sender = self.data.get("from")
        return None if sender is None else int(sender["id"])

    def describe(self, data: dict[str, Any] | None = None) -> str:
        """One line for a transcript (of `data`, a past version, if given)."""
        data = self.data if data is None else data
        parts: list[str] = []
        if self.file is not None:
            label = self.file.filename or self.file.kind
            parts.append(f"[{self.file.kind}: {label}, {self.file.size} bytes]")
        for key in ("contact", "new_chat_members", "left_chat_member"):
            if key in data:
                parts.append(f"[{key}]")
        text = data.get("text") or data.get("caption")
        if text:
            parts.append(str(text))
        markup = data.get("reply_markup") or {}
        rows = []
        for row in markup.get("inline_keyboard", []):
            cells = []
            for b in row:
                target = b.get("callback_data") or b.get("url") or ""
                cells.append(f"{b['text']}→{target}" if target else b["text"])
            rows.append(" | ".join(cells))
        if rows:
            parts.append("{buttons: " + " / ".join(f"[{r}]" for r in rows) + "}")
        if self.reply_keyboard:
            keys = [
                b if isinstance(b, str) else b.get("text", "")
                for row in self.reply_keyboard.get("keyboard", [])
                for b in row
            ]
            parts.append("{keyboard: " + ", ".join(keys) + "}")
        return " ".join(parts) if parts else "(empty)"

    def __repr__(self) -> str:
        who = "bot" if self.from_bot else f"user {self.sender_id}"
        return f"<ChatMessage #{self.message_id} in {self.chat.id} from {who}: {self.describe()!r}>"


def _label_matches(label: str | re.Pattern[str], text: str) -> bool:
    if isinstance(label, re.Pattern):
        return label.search(text) is not None
    return text == label


@dataclass
class ChatEvent:
    """One line of a chat's transcript; `message` is set for messages and edits.

    With a `snapshot`, the line is `text` followed by the message as it was then,
    rendered only when a transcript is asked for.
    """

    kind: str  # message edit delete callback answer member error pin
    from_bot: bool
    text: str
    message: ChatMessage | None = None
    snapshot: dict[str, Any] | None = None  # the message JSON at the time of the event
    at: float = field(default_factory=time.time)

    def line(self) -> str:
        stamp = time.strftime("%H:%M:%S", time.localtime(self.at))
        stamp += f".{int(self.at * 1000) % 1000:03d}"
        text = self.text
        if self.snapshot is not None and self.message is not None:
            text += self.message.describe(self.snapshot)
        return f"{stamp} {text}"


class ChatRecord:
    """A private chat or a group with its members, messages and transcript."""

    def __init__(
        self,
        chat_id: int,
        chat_type: str,
        *,
        title: str | None = None,
        user: UserRecord | None = None,
        username: str | None = None,
    ) -> None:
        self.id = chat_id
        self.type = chat_type
        self.title = title
        self.user = user  # the other side of a private chat
        self.username = username
        self.messages: dict[int, ChatMessage] = {}
        self.next_message_id = 1
        self.members: dict[int, MemberRecord] = {}
        self.bot_member: MemberRecord | None = None
        self.invite_links: dict[str, InviteLinkRecord] = {}
        self.join_requests: dict[int, InviteLinkRecord | None] = {}
        self.events: list[ChatEvent] = []
        self.pinned: list[int] = []
        self.reply_keyboard: dict[str, Any] | None = None
        self._waiters: list[asyncio.Future[None]] = []
        self._dict: dict[str, Any] | None = None

    @property
    def is_private(self) -> bool:
        return self.type == PRIVATE

    def as_dict(self) -> dict[str, Any]:
        if self._dict is None:
            data: dict[str, Any] = {"id": self.id, "type": self.type}
            if self.user is not None:
                data["first_name"] = self.user.first_name
                if self.user.last_name:
                    data["last_name"] = self.user.last_name
                if self.user.username:
                    data["username"] = self.user.username
            else:
                data["title"] = self.title or ""
                if self.username:
                    data["username"] = self.username
            self._dict = data
        return self._dict

    def allocate_message_id(self) -> int:
        mid = self.next_message_id
        self.next_message_id += 1
        return mid

    def record(self, event: ChatEvent) -> None:
        self.events.append(event)
        if self._waiters:
            waiters, self._waiters = self._waiters, []
            for fut in waiters:
                if not fut.done():
                    fut.set_result(None)

    async def changed(self, timeout: float) -> bool:
        """Wait until a new event is recorded; False on timeout."""
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append(fut)
        try:
            await asyncio.wait_for(fut, timeout)
        except TimeoutError:
            return False
        return True

    @property
    def bot_status(self) -> str:
        if self.is_private:
            return "member"
        return self.bot_member.status if self.bot_member is not None else "left"

    def bot_right(self, right: str) -> bool:
        member = self.bot_member
        if member is None:
            return False
        if member.status == "creator":
            return True
        return member.status == "administrator" and member.rights.get(right, False)

    def member(self, user_id: int) -> MemberRecord | None:
        return self.members.get(user_id)

    def transcript(self) -> str:
        name = self.title if not self.is_private else (self.user.display if self.user else "")
        header = (
            f"--- transcript of {self.type} chat {self.id} ({name}), {len(self.events)} events ---"
        )
        return "\n".join([header, *(e.line() for e in self.events), "--- end of transcript ---"])
