"""Edits, deletions and pins of messages, and answers to button presses."""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

from ..errors import bad_request
from ..records import (
    ChatEvent,
    ChatMessage,
)
from .base import NOT_MODIFIED, QUERY_TOO_OLD
from .files import Files


class Edits(Files):
    """Edits, deletions and pins of messages; answers to button presses."""

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
