"""The scripted side: users and groups created, their messages, button presses and joins."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from ..errors import EmulatorError
from ..html import utf16_len
from ..records import (
    CallbackAnswer,
    ChatEvent,
    ChatMessage,
    ChatRecord,
    FileRecord,
    MemberRecord,
    UserRecord,
)
from .base import _BOT_COMMAND_RE, PendingCallback
from .chats import Chats


class People(Chats):
    """Users and groups made by a test, their messages, presses and joins."""

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
