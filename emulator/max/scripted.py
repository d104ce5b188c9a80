"""Scripted MAX users: what a test does with its hands on a MAX client.

The same verbs as the Telegram emulator's `ScriptedUser` (`start`, `send`, `command`,
`press`, `next_message`, `wait_for`, `messages`, `documents`), so a story reads the
same in both messengers.
"""

from __future__ import annotations

import asyncio
import re
import secrets
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from emulator.errors import EmulatorError, WaitTimeout

from .records import CallbackRecord, Label, MaxChat, MaxMessage, MaxUserRecord

if TYPE_CHECKING:
    from .emulator import MaxEmulator


class MaxUser:
    """A person with a MAX client; every action reaches the bot as a MAX update."""

    def __init__(self, emulator: MaxEmulator, record: MaxUserRecord) -> None:
        self.emulator = emulator
        self.record = record
        self._cursors: dict[int, int] = {}

    def __repr__(self) -> str:
        return f"<MaxUser {self.record.user_id} {self.record.first_name}>"

    @property
    def id(self) -> int:
        """The MAX user id."""
        return self.record.user_id

    @property
    def first_name(self) -> str:
        return self.record.first_name

    @property
    def chat(self) -> MaxChat:
        return self.emulator.dialog_of(self.id)

    def as_user(self) -> dict[str, Any]:
        return self.record.as_dict(self.emulator.now_ms())

    # -- actions ---------------------------------------------------------------------

    async def start(self, payload: str | None = None) -> None:
        """Open the bot by a link `https://max.ru/<bot>?start=<payload>` (or «Начать»)."""
        self.record.started = True
        fields: dict[str, Any] = {
            "chat_id": self.chat.chat_id,
            "user": self.as_user(),
            "user_locale": "ru",
        }
        if payload is not None:
            fields["payload"] = payload
        self.emulator.push("bot_started", **fields)
        await asyncio.sleep(0)

    async def send(self, text: str, *, chat: MaxChat | MaxGroup | None = None) -> MaxMessage:
        target = self._target(chat)
        self.record.started = True
        message = self.emulator.add_message(
            target, self.record, {"attachments": None}, text, from_bot=False
        )
        self.emulator.push("message_created", message=message.data, user_locale="ru")
        await asyncio.sleep(0)
        return message

    async def send_document(
        self, content: bytes, filename: str = "file.bin", *, caption: str | None = None
    ) -> MaxMessage:
        """Attach a file in the dialog (MAX: a `file` attachment with a token and a URL)."""
        return await self._send_file("file", content, filename, caption)

    async def send_photo(self, content: bytes, *, caption: str | None = None) -> MaxMessage:
        return await self._send_file("image", content, None, caption)

    async def _send_file(
        self, kind: str, content: bytes, filename: str | None, caption: str | None
    ) -> MaxMessage:
        self.record.started = True
        attachment = self.emulator.user_file(kind, content, filename)
        message = self.emulator.add_message(
            self.chat, self.record, {"attachments": [attachment]}, caption or "", from_bot=False
        )
        message.uploads = [self.emulator.uploads[attachment["payload"]["token"]]]
        self.emulator.push("message_created", message=message.data, user_locale="ru")
        await asyncio.sleep(0)
        return message

    async def command(self, name: str, args: str | None = None) -> MaxMessage:
        return await self.send(f"/{name}" + (f" {args}" if args else ""))

    def find_button(
        self, label: Label, *, chat: Any = None
    ) -> tuple[MaxMessage, dict[str, Any]] | None:
        for message in reversed(self._target(chat).messages):
            if not message.from_bot or message.deleted:
                continue
            button = message.find_button(label)
            if button is not None:
                return message, button
        return None

    async def press(
        self,
        label: Label,
        *,
        message: MaxMessage | None = None,
        chat: Any = None,
        answer_timeout: float | None = 5.0,
    ) -> CallbackRecord:
        """Press a callback button by its text on the newest message that has it."""
        if message is not None:
            button = message.find_button(label)
            found = (message, button) if button is not None else None
        else:
            found = self.find_button(label, chat=chat)
        if found is None:
            raise EmulatorError(f"{self!r}: no button {label!r}\n{self._target(chat).transcript()}")
        msg, button = found
        if button.get("type") != "callback":
            return CallbackRecord("", self.id, msg.mid, button.get("url", ""), answered=True)
        return await self.press_payload(str(button["payload"]), message=msg, settle=answer_timeout)

    async def press_payload(
        self, payload: str, *, message: MaxMessage | None = None, settle: float | None = 5.0
    ) -> CallbackRecord:
        """A callback with any payload: a forged or stale button.

        As a person waits to see what a press did before the next one, this waits (up to
        `settle` seconds) until the bot changed the chat or answered the press."""
        if message is None:
            mine = [m for m in self.chat.messages if m.from_bot and not m.deleted]
            if not mine:
                raise EmulatorError(f"{self!r}: no bot message to press on")
            message = mine[-1]
        chat = self.emulator.messages[message.mid][0]
        before = chat.version
        callback_id = secrets.token_hex(12)
        record = CallbackRecord(callback_id, self.id, message.mid, payload)
        self.emulator.callbacks[callback_id] = record
        callback = {
            "timestamp": self.emulator.now_ms(),
            "callback_id": callback_id,
            "payload": payload,
            "user": self.as_user(),
        }
        self.emulator.push(
            "message_callback", callback=callback, message=message.data, user_locale="ru"
        )
        if settle is None:
            await asyncio.sleep(0)
            return record
        loop = asyncio.get_running_loop()
        deadline = loop.time() + settle
        while chat.version == before and not record.answered:
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise WaitTimeout(
                    f"{self!r}: nothing came of the press {payload!r}\n{chat.transcript()}"
                )
            await chat.changed(min(remaining, 0.05))
        return record

    async def answer(self, record: CallbackRecord, timeout: float = 5.0) -> CallbackRecord:
        """Wait until the bot answered this press with a notification (`/answers`)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not record.answered:
            if loop.time() > deadline:
                raise WaitTimeout(f"{self!r}: the press {record.payload!r} got no answer")
            await asyncio.sleep(0.01)
        return record

    # -- reading ---------------------------------------------------------------------

    def _target(self, chat: Any) -> MaxChat:
        if chat is None:
            return self.chat
        if isinstance(chat, MaxGroup):
            return chat.record
        if isinstance(chat, MaxChat):
            return chat
        return self.emulator.chats[int(chat)]

    async def _next(
        self,
        accept: Callable[[MaxMessage, str], bool],
        what: str,
        timeout: float,
        chat: Any = None,
        edits: bool = False,
    ) -> MaxMessage:
        target = self._target(chat)
        kinds = ("message", "edit") if edits else ("message",)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            cursor = self._cursors.get(target.chat_id, 0)
            while cursor < len(target.events):
                kind, message, text = target.events[cursor]
                cursor += 1
                self._cursors[target.chat_id] = cursor
                if kind in kinds and message.from_bot and accept(message, text):
                    return message
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise WaitTimeout(f"{self!r}: no {what} within {timeout:g}s\n{target.transcript()}")
            await target.changed(remaining)

    async def next_message(self, timeout: float = 5.0, *, chat: Any = None) -> MaxMessage:
        """The next new message from the bot this user has not read yet."""
        return await self._next(lambda m, text: True, "new message from the bot", timeout, chat)

    async def wait_for(
        self,
        text_contains: str | None = None,
        *,
        regex: str | re.Pattern[str] | None = None,
        predicate: Callable[[MaxMessage], bool] | None = None,
        timeout: float = 5.0,
        chat: Any = None,
        edits: bool = True,
    ) -> MaxMessage:
        """The first unread bot message (or edit, with `edits`) that matches."""
        pattern = re.compile(regex) if isinstance(regex, str) else regex

        def accept(message: MaxMessage, text: str) -> bool:
            if text_contains is not None and text_contains not in text:
                return False
            if predicate is not None and not predicate(message):
                return False
            return pattern is None or pattern.search(text) is not None

        what = f"bot message {text_contains or regex or 'matching'!r}"
        return await self._next(accept, what, timeout, chat, edits)

    async def expect_silence(self, within: float = 0.3, *, chat: Any = None) -> None:
        """Fail if the bot sends a new message within `within` seconds."""
        try:
            message = await self.next_message(within, chat=chat)
        except WaitTimeout:
            return
        raise AssertionError(f"{self!r}: unexpected message {message.text!r}")

    def mark_read(self, *, chat: Any = None) -> None:
        target = self._target(chat)
        self._cursors[target.chat_id] = len(target.events)

    @property
    def messages(self) -> list[MaxMessage]:
        """The bot's messages in the dialog, as they are now (deleted ones left out)."""
        return [m for m in self.chat.messages if m.from_bot and not m.deleted]

    @property
    def last_message(self) -> MaxMessage | None:
        mine = self.messages
        return mine[-1] if mine else None

    @property
    def documents(self) -> list[MaxMessage]:
        return [m for m in self.messages if m.document is not None]

    @property
    def photos(self) -> list[MaxMessage]:
        return [m for m in self.messages if m.photo is not None]

    def file_content(self, message: MaxMessage) -> bytes:
        token = message.files[0]["payload"]["token"]
        return self.emulator.uploads[token].content

    def transcript(self, *, chat: Any = None) -> str:
        return self._target(chat).transcript(last=None)


class MaxGroup:
    """A MAX group chat (the mentors' chat)."""

    def __init__(self, emulator: MaxEmulator, record: MaxChat) -> None:
        self.emulator = emulator
        self.record = record

    @property
    def id(self) -> int:
        return self.record.chat_id

    def is_member(self, user: MaxUser | int) -> bool:
        uid = user.id if isinstance(user, MaxUser) else user
        return uid in self.record.members

    def messages(self) -> list[MaxMessage]:
        return [m for m in self.record.messages if m.from_bot and not m.deleted]

    async def add_member(self, user: MaxUser, *, by: MaxUser | None = None) -> None:
        """A member (`by`) adds someone by hand (MAX has no join requests)."""
        self.record.members.add(user.id)
        self.emulator.push(
            "user_added",
            chat_id=self.id,
            user=user.as_user(),
            inviter_id=by.id if by is not None else None,
            is_channel=False,
        )
        await asyncio.sleep(0)

    async def leave(self, user: MaxUser) -> None:
        """Someone leaves the group themselves."""
        self.record.members.discard(user.id)
        self.emulator.push("user_removed", chat_id=self.id, user=user.as_user(), is_channel=False)
        await asyncio.sleep(0)
