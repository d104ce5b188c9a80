"""Scripted users and groups: what a test does with its hands on a Telegram client."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .errors import EmulatorError, WaitTimeout
from .records import CallbackAnswer, ChatEvent, ChatMessage, ChatRecord, UserRecord

if TYPE_CHECKING:
    from .api import Emulator

Label = str | re.Pattern[str]


class _Reader:
    """Reads the bot's messages in one chat, each once, in order."""

    def __init__(self, chat: ChatRecord, owner: str) -> None:
        self.chat = chat
        self.owner = owner
        self.cursor = 0

    def _fail(self, what: str, timeout: float) -> WaitTimeout:
        return WaitTimeout(f"{self.owner}: no {what} within {timeout:g}s\n{self.chat.transcript()}")

    async def next_event(
        self,
        accept: Callable[[ChatEvent], bool],
        what: str,
        timeout: float,
    ) -> ChatEvent:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            events = self.chat.events
            while self.cursor < len(events):
                event = events[self.cursor]
                self.cursor += 1
                if accept(event):
                    return event
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise self._fail(what, timeout)
            await self.chat.changed(remaining)

    async def next_message(self, timeout: float) -> ChatMessage:
        event = await self.next_event(
            lambda e: e.kind == "message" and e.from_bot, "new message from the bot", timeout
        )
        assert event.message is not None
        return event.message

    async def wait_for(
        self,
        text_contains: str | None,
        regex: str | re.Pattern[str] | None,
        predicate: Callable[[ChatMessage], bool] | None,
        timeout: float,
        edits: bool,
    ) -> ChatMessage:
        pattern = re.compile(regex) if isinstance(regex, str) else regex
        kinds = ("message", "edit") if edits else ("message",)

        def accept(event: ChatEvent) -> bool:
            if event.kind not in kinds or not event.from_bot or event.message is None:
                return False
            data = event.snapshot or event.message.data
            text = str(data.get("text") or data.get("caption") or "")
            if text_contains is not None and text_contains not in text:
                return False
            if pattern is not None and pattern.search(text) is None:
                return False
            return predicate is None or bool(predicate(event.message))

        conditions = []
        if text_contains is not None:
            conditions.append(f"containing {text_contains!r}")
        if pattern is not None:
            conditions.append(f"matching /{pattern.pattern}/")
        if predicate is not None:
            conditions.append(f"satisfying {getattr(predicate, '__name__', 'predicate')}")
        what = "bot message " + (" and ".join(conditions) or "of any kind")
        event = await self.next_event(accept, what, timeout)
        assert event.message is not None
        return event.message


def _bot_messages(chat: ChatRecord) -> list[ChatMessage]:
    return [m for m in chat.messages.values() if m.from_bot and not m.deleted]


class ScriptedUser:
    """A person with a Telegram client. Every action is seen by the bot as an update."""

    def __init__(self, emulator: Emulator, record: UserRecord) -> None:
        self.emulator = emulator
        self.record = record
        self._readers: dict[int, _Reader] = {}

    def __repr__(self) -> str:
        return f"<ScriptedUser {self.record.display}>"

    @property
    def id(self) -> int:
        return self.record.id

    @property
    def first_name(self) -> str:
        return self.record.first_name

    @property
    def language_code(self) -> str | None:
        return self.record.language_code

    @property
    def username(self) -> str | None:
        return self.record.username

    @property
    def chat(self) -> ChatRecord:
        """The private chat with the bot."""
        return self.emulator.chats[self.record.id]

    @property
    def blocked(self) -> bool:
        return self.record.blocked

    def _chat(self, chat: Any = None) -> ChatRecord:
        if chat is None:
            return self.chat
        if isinstance(chat, ScriptedGroup):
            return chat.record
        if isinstance(chat, ChatRecord):
            return chat
        found = self.emulator.chats.get(int(chat))
        if found is None:
            raise EmulatorError(f"no chat {chat}")
        return found

    def _reader(self, chat: ChatRecord) -> _Reader:
        reader = self._readers.get(chat.id)
        if reader is None:
            reader = self._readers[chat.id] = _Reader(chat, self.record.display)
        return reader

    # -- writing ---------------------------------------------------------------

    async def send(
        self, text: str, *, chat: Any = None, reply_to: ChatMessage | None = None
    ) -> ChatMessage:
        """Send a text; a leading `/command` gets a bot_command entity as in Telegram."""
        msg = self.emulator.user_message(
            self.record, self._chat(chat), self.emulator.text_content(text), reply_to=reply_to
        )
        await asyncio.sleep(0)
        return msg

    async def command(
        self, command: str, payload: str | None = None, *, chat: Any = None
    ) -> ChatMessage:
        """`/start CODE` as a deep link delivers it: `command("start", "CODE")`."""
        text = "/" + command.lstrip("/")
        target = self._chat(chat)
        if not target.is_private:
            text += f"@{self.emulator.bot_user.username}"
        if payload:
            text += f" {payload}"
        return await self.send(text, chat=chat)

    async def start(self, payload: str | None = None) -> ChatMessage:
        return await self.command("start", payload)

    async def send_contact(
        self,
        phone_number: str = "+79990001122",
        *,
        first_name: str | None = None,
        last_name: str | None = None,
        own: bool = True,
        chat: Any = None,
    ) -> ChatMessage:
        """Share a contact; `own=True` is the "share my phone number" button."""
        contact: dict[str, Any] = {
            "phone_number": phone_number,
            "first_name": first_name or self.record.first_name,
        }
        if last_name or (own and self.record.last_name):
            contact["last_name"] = last_name or self.record.last_name
        if own:
            contact["user_id"] = self.record.id
        msg = self.emulator.user_message(self.record, self._chat(chat), {"contact": contact})
        await asyncio.sleep(0)
        return msg

    async def send_document(
        self,
        content: bytes,
        filename: str = "file.bin",
        *,
        mime_type: str | None = None,
        caption: str | None = None,
        chat: Any = None,
    ) -> ChatMessage:
        record = self.emulator._store_file(content, filename, mime_type)
        body: dict[str, Any] = {"document": record.as_document()}
        if caption:
            body["caption"] = caption
        msg = self.emulator.user_message(self.record, self._chat(chat), body, file=record)
        await asyncio.sleep(0)
        return msg

    async def send_photo(
        self, content: bytes, *, caption: str | None = None, chat: Any = None
    ) -> ChatMessage:
        record = self.emulator._store_file(content, None, "image/jpeg", "photo")
        body: dict[str, Any] = {"photo": record.as_photo()}
        if caption:
            body["caption"] = caption
        msg = self.emulator.user_message(self.record, self._chat(chat), body, file=record)
        await asyncio.sleep(0)
        return msg

    async def press_keyboard(self, label: Label) -> ChatMessage:
        """Press a button of the reply keyboard the bot showed (sends its text or contact)."""
        keyboard = self.chat.reply_keyboard
        if keyboard is None:
            raise EmulatorError(
                f"{self.record.display} has no reply keyboard\n{self.chat.transcript()}"
            )
        for row in keyboard.get("keyboard", []):
            for button in row:
                text = button if isinstance(button, str) else button.get("text", "")
                if (isinstance(label, re.Pattern) and label.search(text)) or text == label:
                    if isinstance(button, dict) and button.get("request_contact"):
                        return await self.send_contact()
                    if keyboard.get("one_time_keyboard"):
                        self.chat.reply_keyboard = None
                    return await self.send(text)
        raise EmulatorError(
            f"{self.record.display}: no keyboard button {label!r}\n{self.chat.transcript()}"
        )

    # -- buttons ---------------------------------------------------------------

    def find_button(
        self, label: Label, *, chat: Any = None
    ) -> tuple[ChatMessage, dict[str, Any]] | None:
        """The newest bot message in the chat that has a button with this text."""
        for msg in reversed(_bot_messages(self._chat(chat))):
            button = msg.find_button(label)
            if button is not None:
                return msg, button
        return None

    async def press(
        self,
        label: Label,
        *,
        message: ChatMessage | None = None,
        chat: Any = None,
        answer_timeout: float | None = 5.0,
    ) -> CallbackAnswer:
        """Press an inline button by its text (or a regex) on the newest message that has it.

        Waits for the bot's answerCallbackQuery (None: do not wait) and returns it.
        """
        target = self._chat(chat)
        if message is not None:
            button = message.find_button(label)
            found = (message, button) if button is not None else None
        else:
            found = self.find_button(label, chat=target)
        if found is None:
            raise EmulatorError(
                f"{self.record.display}: no inline button {label!r} in the chat\n"
                f"{target.transcript()}"
            )
        msg, button = found
        if "callback_data" not in button:
            return CallbackAnswer("", None, answered=True, url=button.get("url"))
        return await self._press(target, msg, str(button["callback_data"]), None, answer_timeout)

    async def press_data(
        self,
        data: str,
        *,
        message: ChatMessage | None = None,
        message_id: int | None = None,
        chat: Any = None,
        answer_timeout: float | None = 5.0,
    ) -> CallbackAnswer:
        """Send a callback query with any data: a forged or stale button.

        With neither `message` nor `message_id`, the newest bot message is used.
        """
        target = self._chat(chat)
        if message is None and message_id is not None:
            message = target.messages.get(message_id)
        if message is None and message_id is None:
            messages = _bot_messages(target)
            if not messages:
                raise EmulatorError(f"{self.record.display}: no bot message to press on")
            message = messages[-1]
        return await self._press(target, message, data, message_id, answer_timeout)

    async def _press(
        self,
        chat: ChatRecord,
        msg: ChatMessage | None,
        data: str,
        message_id: int | None,
        answer_timeout: float | None,
    ) -> CallbackAnswer:
        pending = self.emulator.press(self.record, msg, chat, data, message_id)
        if answer_timeout is None:
            await asyncio.sleep(0)
            return pending.answer
        try:
            return await asyncio.wait_for(asyncio.shield(pending.future), answer_timeout)
        except TimeoutError:
            raise WaitTimeout(
                f"{self.record.display}: the bot did not answer the button press "
                f"(data={data!r}) within {answer_timeout:g}s\n{chat.transcript()}"
            ) from None

    # -- groups and the bot ----------------------------------------------------

    async def join(self, link: str | dict[str, Any] | Any) -> str:
        """Open an invite link: "joined", or "requested" for a link with join requests."""
        if isinstance(link, dict):
            link = link["invite_link"]
        link = getattr(link, "invite_link", link)
        result = self.emulator.join(self.record, str(link))
        await asyncio.sleep(0)
        return result

    async def leave(self, group: ScriptedGroup | ChatRecord) -> None:
        chat = self._chat(group)
        member = chat.members.get(self.record.id)
        if member is None or not member.is_member:
            raise EmulatorError(f"{self.record.display} is not in {chat.title!r}")
        self.emulator.change_member(chat, self.record, "left", by=self.record)
        await asyncio.sleep(0)

    async def block_bot(self) -> None:
        self.emulator.set_blocked(self.record, True)
        await asyncio.sleep(0)

    async def unblock_bot(self) -> None:
        self.emulator.set_blocked(self.record, False)
        await asyncio.sleep(0)

    # -- reading ---------------------------------------------------------------

    async def next_message(self, timeout: float = 5.0, *, chat: Any = None) -> ChatMessage:
        """The next new message from the bot that this user has not read yet."""
        return await self._reader(self._chat(chat)).next_message(timeout)

    async def wait_for(
        self,
        text_contains: str | None = None,
        *,
        regex: str | re.Pattern[str] | None = None,
        predicate: Callable[[ChatMessage], bool] | None = None,
        timeout: float = 5.0,
        chat: Any = None,
        edits: bool = True,
    ) -> ChatMessage:
        """The first unread bot message (or edit, with `edits`) that matches.

        Raises WaitTimeout with the chat's transcript when none arrives in time.
        """
        reader = self._reader(self._chat(chat))
        return await reader.wait_for(text_contains, regex, predicate, timeout, edits)

    async def expect_silence(self, within: float = 0.3, *, chat: Any = None) -> None:
        """Fail if the bot sends a new message within `within` seconds."""
        reader = self._reader(self._chat(chat))
        try:
            msg = await reader.next_message(within)
        except WaitTimeout:
            return
        raise AssertionError(
            f"{self.record.display}: unexpected message {msg!r}\n{reader.chat.transcript()}"
        )

    def mark_read(self, *, chat: Any = None) -> None:
        """Skip everything received so far."""
        reader = self._reader(self._chat(chat))
        reader.cursor = len(reader.chat.events)

    @property
    def messages(self) -> list[ChatMessage]:
        """The bot's messages in the private chat, as they are now (deleted ones left out)."""
        return _bot_messages(self.chat)

    @property
    def last_message(self) -> ChatMessage | None:
        messages = self.messages
        return messages[-1] if messages else None

    @property
    def documents(self) -> list[ChatMessage]:
        return [m for m in self.messages if m.document is not None]

    @property
    def photos(self) -> list[ChatMessage]:
        return [m for m in self.messages if m.photo is not None]

    @property
    def reply_keyboard(self) -> dict[str, Any] | None:
        return self.chat.reply_keyboard

    def transcript(self, *, chat: Any = None) -> str:
        return self._chat(chat).transcript()


class ScriptedGroup:
    """A group or supergroup the test controls."""

    def __init__(self, emulator: Emulator, record: ChatRecord) -> None:
        self.emulator = emulator
        self.record = record
        self._reader = _Reader(record, f"group {record.title!r}")

    def __repr__(self) -> str:
        return f"<ScriptedGroup {self.record.title!r} ({self.record.id})>"

    @property
    def id(self) -> int:
        return self.record.id

    @property
    def title(self) -> str:
        return self.record.title or ""

    def member_status(self, user: ScriptedUser | int) -> str:
        uid = user.id if isinstance(user, ScriptedUser) else int(user)
        member = self.record.members.get(uid)
        return member.status if member is not None else "left"

    def is_member(self, user: ScriptedUser | int) -> bool:
        return self.member_status(user) in ("creator", "administrator", "member", "restricted")

    @property
    def member_ids(self) -> list[int]:
        return [uid for uid, m in self.record.members.items() if m.is_member]

    @property
    def bot_status(self) -> str:
        return self.record.bot_status

    @property
    def join_requests(self) -> list[int]:
        """Ids of users whose join requests wait for a decision."""
        return list(self.record.join_requests)

    @property
    def invite_links(self) -> list[str]:
        return [link.invite_link for link in self.record.invite_links.values()]

    async def add_member(
        self, user: ScriptedUser, *, status: str = "member", by: ScriptedUser | None = None
    ) -> None:
        """An admin adds the user (a chat_member update if the bot is an admin)."""
        actor = by.record if by is not None else user.record
        self.emulator.change_member(self.record, user.record, status, by=actor)
        await asyncio.sleep(0)

    async def add_bot(
        self,
        *,
        by: ScriptedUser | None = None,
        admin: bool = False,
        rights: dict[str, bool] | None = None,
    ) -> None:
        """Someone adds the bot (my_chat_member update), as a member or an admin."""
        actor = by.record if by is not None else self._owner()
        status = "administrator" if admin or rights else "member"
        self.emulator.change_bot_status(self.record, status, by=actor, rights=rights)
        await asyncio.sleep(0)

    async def promote_bot(
        self, rights: dict[str, bool] | None = None, *, by: ScriptedUser | None = None
    ) -> None:
        await self.add_bot(by=by, admin=True, rights=rights)

    async def remove_bot(self, *, by: ScriptedUser | None = None, ban: bool = False) -> None:
        actor = by.record if by is not None else self._owner()
        self.emulator.change_bot_status(self.record, "kicked" if ban else "left", by=actor)
        await asyncio.sleep(0)

    def _owner(self) -> UserRecord:
        for member in self.record.members.values():
            if member.status == "creator":
                return member.user
        raise EmulatorError("the group has no owner; pass by=")

    @property
    def messages(self) -> list[ChatMessage]:
        return _bot_messages(self.record)

    @property
    def all_messages(self) -> list[ChatMessage]:
        return list(self.record.messages.values())

    async def next_message(self, timeout: float = 5.0) -> ChatMessage:
        return await self._reader.next_message(timeout)

    async def wait_for(
        self,
        text_contains: str | None = None,
        *,
        regex: str | re.Pattern[str] | None = None,
        predicate: Callable[[ChatMessage], bool] | None = None,
        timeout: float = 5.0,
        edits: bool = True,
    ) -> ChatMessage:
        return await self._reader.wait_for(text_contains, regex, predicate, timeout, edits)

    def transcript(self) -> str:
        return self.record.transcript()
