"""What the MAX emulator remembers: users, chats, messages, callbacks, files."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field
from typing import Any

Label = str | re.Pattern[str]


@dataclass
class MaxUserRecord:
    user_id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    is_bot: bool = False
    started: bool = False
    dialog_id: int = 0
    # privacy settings that do not let anyone add them to chats (`add.participant.privacy`)
    no_adding: bool = False

    def as_dict(self, now_ms: int) -> dict[str, Any]:
        name = " ".join(p for p in (self.first_name, self.last_name) if p)
        return {
            "user_id": self.user_id,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "username": self.username,
            "is_bot": self.is_bot,
            "last_activity_time": now_ms,
            "name": name,
        }


@dataclass
class MaxMessage:
    """One message as MAX keeps it (`Message`), with what a reader needs."""

    data: dict[str, Any]
    from_bot: bool
    text: str = ""  # as shown, without markup
    deleted: bool = False
    edits: int = 0
    uploads: list[UploadRecord] = field(default_factory=list)  # the files it carries

    @property
    def mid(self) -> str:
        return str(self.data["body"]["mid"])

    @property
    def attachments(self) -> list[dict[str, Any]]:
        return list(self.data["body"].get("attachments") or [])

    @property
    def buttons(self) -> list[list[dict[str, Any]]]:
        for attachment in self.attachments:
            if attachment.get("type") == "inline_keyboard":
                return list(attachment["payload"]["buttons"])
        return []

    @property
    def button_texts(self) -> list[str]:
        return [b["text"] for row in self.buttons for b in row]

    def find_button(self, label: Label) -> dict[str, Any] | None:
        for row in self.buttons:
            for button in row:
                text = button.get("text", "")
                if isinstance(label, re.Pattern):
                    if label.search(text):
                        return button
                elif text == label:
                    return button
        return None

    @property
    def files(self) -> list[dict[str, Any]]:
        return [a for a in self.attachments if a.get("type") in ("file", "image")]

    @property
    def document(self) -> UploadRecord | None:
        """The file it carries (`content`, `filename`), as the Telegram emulator's."""
        return next((u for u in self.uploads if u.kind == "file"), None)

    @property
    def photo(self) -> UploadRecord | None:
        return next((u for u in self.uploads if u.kind == "image"), None)

    @property
    def caption(self) -> str | None:
        return self.text if self.uploads else None


@dataclass
class MaxChat:
    """A dialog of the bot with one user, or a group chat."""

    chat_id: int
    kind: str  # "dialog" or "chat"
    title: str | None = None
    user_id: int | None = None  # the other side of a dialog
    members: set[int] = field(default_factory=set)
    admins: set[int] = field(default_factory=set)
    bot_member: bool = False
    owner_id: int | None = None
    messages: list[MaxMessage] = field(default_factory=list)
    seq: int = 0
    changed_event: asyncio.Event = field(default_factory=asyncio.Event)

    version: int = 0  # every change a person could see
    # What a reader sees, in order: ("message" | "edit", the message, its text then).
    events: list[tuple[str, MaxMessage, str]] = field(default_factory=list)

    def touch(self) -> None:
        self.version += 1
        self.changed_event.set()
        self.changed_event = asyncio.Event()

    async def changed(self, timeout: float) -> None:
        event = self.changed_event
        try:
            await asyncio.wait_for(event.wait(), timeout)
        except TimeoutError:
            pass

    def transcript(self, last: int | None = 40) -> str:
        """The chat as lines `[bot] …` / `[user] …` (the `last` ones; None: all)."""
        lines = []
        for m in self.messages:
            who = "bot" if m.from_bot else "user"
            gone = " (deleted)" if m.deleted else ""
            buttons = f" {m.button_texts}" if m.buttons else ""
            lines.append(f"[{who}{gone}] {m.text}{buttons}")
        return "\n".join(lines[-last:] if last else lines)


@dataclass
class CallbackRecord:
    callback_id: str
    user_id: int
    mid: str | None
    payload: str
    answered: bool = False
    notification: str | None = None


@dataclass
class Rejection:
    """A request the emulator refused as MAX would (schema or documented limits)."""

    method: str
    path: str
    errors: list[str]


@dataclass
class UploadRecord:
    token: str
    kind: str
    content: bytes = b""
    filename: str | None = None
