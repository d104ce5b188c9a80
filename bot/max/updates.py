"""MAX updates as the Telegram-shaped updates the handlers already understand.

| MAX | becomes |
|---|---|
| `bot_started` (payload of `https://max.ru/<bot>?start=<payload>`) | a message `/start <payload>` |
| `message_created` | a message (text, contact, file, photo) |
| `message_callback` | a callback query (`payload` is the callback data) |
| `user_added` / `user_removed` | `chat_member` (member / left) |
| `bot_added` / `bot_removed` | `my_chat_member` (member / left; the rights are asked for) |

Ids move into MAX's own range (`bot.max.ids`); MAX's string message ids (`mid`) get
integer ids from `MessageIds`. Other kinds (dialog muted, chat title changed, …) have
no counterpart and are skipped.
"""

from __future__ import annotations

import itertools
import json
import re
import time
import zlib
from collections import OrderedDict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .files import MaxFile
from .ids import MAX_UPDATE_BASE, chat_to_core, user_to_core

if TYPE_CHECKING:
    from .store import MidStore

KEEP_MESSAGE_IDS = 200_000
TEL = re.compile(r"^TEL[^:]*:(.+)$", re.MULTILINE)


class MessageIds:
    """MAX's `mid` strings ↔ the integer message ids aiogram's models carry.

    With a store (`bot.max.store.MidStore`) the integers are kept on disk and a message
    from before a restart is found again; the newest `KEEP_MESSAGE_IDS` are at hand in
    memory. The async `prepare` / `find_mid` reach the store; the conversion of updates
    (`id_of`, `mid_of`) reads only what is at hand. Without a store (or if it fails)
    an id comes from a counter far above the store's ids (rising across restarts).
    """

    def __init__(self, keep: int = KEEP_MESSAGE_IDS, store: MidStore | None = None) -> None:
        self.keep = keep
        self.store = store
        self._ids: dict[str, int] = {}
        self._mids: OrderedDict[int, str] = OrderedDict()
        self._counter = itertools.count(int(time.time() * 1000) * 16)

    def _remember(self, mid: str, number: int) -> None:
        previous = self._mids.get(number)
        if previous is not None and previous != mid:
            self._ids.pop(previous, None)
        self._ids[mid] = number
        self._mids[number] = mid
        self._mids.move_to_end(number)
        while len(self._mids) > self.keep:
            _, old = self._mids.popitem(last=False)
            self._ids.pop(old, None)

    def id_of(self, mid: str | None) -> int:
        if mid is None:
            return next(self._counter)
        found = self._ids.get(mid)
        if found is not None:
            return found
        number = next(self._counter)
        self._remember(mid, number)
        return number

    def mid_of(self, message_id: int) -> str | None:
        return self._mids.get(message_id)

    async def prepare(self, messages: Iterable[dict[str, Any] | None]) -> None:
        """Before MAX messages are converted: their ids from the store (new ones made)."""
        if self.store is None:
            return
        chats: dict[str, int] = {}
        for message in messages:
            mid = ((message or {}).get("body") or {}).get("mid")
            if message and mid and mid not in self._ids:
                chats[str(mid)] = chat_core_id(message)
        for mid, number in (await self.store.ids_of(chats)).items():
            self._remember(mid, number)

    async def find_mid(self, message_id: int) -> str | None:
        """The mid of a message id, from the store if it is not at hand."""
        mid = self._mids.get(message_id)
        if mid is None and self.store is not None:
            mid = await self.store.mid_of(message_id)
            if mid is not None:
                self._remember(mid, message_id)
        return mid


def update_messages(raw: Any) -> list[dict[str, Any] | None]:
    """The MAX messages an update carries (their ids are prepared before converting)."""
    message = raw.get("message") if isinstance(raw, dict) else None
    return [message if isinstance(message, dict) else None]


class UpdateIds:
    """Update ids for MAX updates, above Telegram's and rising across restarts."""

    def __init__(self) -> None:
        # Milliseconds since the epoch times 16: a restart starts above what came before
        # unless the last run took more than 16 updates a millisecond.
        self._counter = itertools.count(MAX_UPDATE_BASE + int(time.time() * 1000) * 16)

    def next(self) -> int:
        return next(self._counter)


# The bits of a delivered update's id under its millisecond (see `delivery_id`), and the
# latest millisecond such an id can hold within a signed 64-bit column (the year 2109).
_CHECKSUM_BITS = 20
_LAST_STAMP = 2**42 - 1


def delivery_id(raw: dict[str, Any]) -> int:
    """The id of a MAX update that came to the webhook, the same at every delivery of it.

    MAX sends an update again, unchanged, when the webhook did not answer 200 (a timeout
    after the bot had already handled it, say); its updates carry no id of their own. The
    id is made of the update's time and a checksum of its body, so a copy is known for one
    (`processed_updates`) and not handled twice; different updates in one millisecond
    differ by the checksum."""
    body = json.dumps(raw, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    stamp = raw.get("timestamp")
    millis = min(max(stamp, 0), _LAST_STAMP) if isinstance(stamp, int) else 0
    checksum = zlib.crc32(body.encode()) & (2**_CHECKSUM_BITS - 1)
    return MAX_UPDATE_BASE + (millis << _CHECKSUM_BITS) + checksum


def user_dict(user: dict[str, Any], locale: str | None = None) -> dict[str, Any]:
    first = user.get("first_name") or user.get("name") or "—"
    data: dict[str, Any] = {
        "id": user_to_core(int(user["user_id"])),
        "is_bot": bool(user.get("is_bot")),
        "first_name": first,
    }
    if user.get("last_name"):
        data["last_name"] = user["last_name"]
    if user.get("username"):
        data["username"] = user["username"]
    if locale:
        data["language_code"] = locale[:2]
    return data


def _private_chat(user: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": user_to_core(int(user["user_id"])),
        "type": "private",
        "first_name": user.get("first_name") or "—",
    }


def _group_chat(chat_id: int) -> dict[str, Any]:
    # MAX's updates do not carry a group's title (`GET /chats/{chatId}` does).
    return {"id": chat_to_core(chat_id), "type": "supergroup"}


def keyboard_markup(attachments: list[dict[str, Any]] | None) -> dict[str, Any] | None:
    for attachment in attachments or []:
        if attachment.get("type") != "inline_keyboard":
            continue
        rows = []
        for row in attachment["payload"].get("buttons", []):
            buttons = []
            for button in row:
                if button.get("type") == "callback":
                    buttons.append({"text": button["text"], "callback_data": button["payload"]})
                elif button.get("type") == "link":
                    buttons.append({"text": button["text"], "url": button["url"]})
            if buttons:
                rows.append(buttons)
        return {"inline_keyboard": rows}
    return None


def _dialog_person(message: dict[str, Any]) -> dict[str, Any]:
    sender = message.get("sender")
    if sender and not sender.get("is_bot"):
        return dict(sender)
    # the bot's own message: the chat is the person it went to
    return {"user_id": (message.get("recipient") or {}).get("user_id") or 0, "first_name": "—"}


def chat_core_id(message: dict[str, Any]) -> int:
    """The core's id of a MAX message's chat: the person of a dialog, or the group."""
    recipient = message.get("recipient") or {}
    if recipient.get("chat_type") == "dialog":
        return user_to_core(int(_dialog_person(message)["user_id"]))
    return chat_to_core(int(recipient.get("chat_id") or 0))


def message_dict(
    message: dict[str, Any], mids: MessageIds, locale: str | None = None
) -> dict[str, Any]:
    """A MAX `Message` as a Telegram message in the core's ids."""
    recipient = message.get("recipient") or {}
    sender = message.get("sender")
    body = message.get("body") or {}
    if recipient.get("chat_type") == "dialog":
        chat = _private_chat(_dialog_person(message))
    else:
        chat = _group_chat(int(recipient.get("chat_id") or 0))
    data: dict[str, Any] = {
        "message_id": mids.id_of(body.get("mid")),
        "date": int(message.get("timestamp", 0)) // 1000,
        "chat": chat,
    }
    if sender:
        data["from"] = user_dict(sender, locale)
    if body.get("text"):
        data["text"] = body["text"]
    markup = keyboard_markup(body.get("attachments"))
    if markup:
        data["reply_markup"] = markup
    for attachment in body.get("attachments") or []:
        _attachment(data, attachment, sender)
    return data


def _attachment(data: dict[str, Any], attachment: dict[str, Any], sender: Any) -> None:
    kind = attachment.get("type")
    payload = attachment.get("payload") or {}
    if kind == "contact":
        found = TEL.search(payload.get("vcf_info") or "")
        owner = payload.get("max_info") or sender or {}
        contact: dict[str, Any] = {
            "phone_number": found.group(1).strip() if found else "",
            "first_name": owner.get("first_name") or "—",
        }
        if owner.get("user_id"):
            contact["user_id"] = user_to_core(int(owner["user_id"]))
        data["contact"] = contact
    elif kind in ("file", "image"):
        # `token` to send it again, `url` to download it (bot.max.files)
        sent = MaxFile(kind, str(payload.get("token") or ""), str(payload.get("url") or ""))
        if kind == "file":
            data["document"] = {
                "file_id": sent.file_id,
                "file_unique_id": sent.unique_id,
                "file_name": attachment.get("filename"),
                "file_size": attachment.get("size"),
            }
        else:
            data["photo"] = [
                {
                    "file_id": sent.file_id,
                    "file_unique_id": sent.unique_id,
                    "width": 1,
                    "height": 1,
                }
            ]
        if "text" in data:  # a file's words are its caption
            data["caption"] = data.pop("text")


def to_update(raw: dict[str, Any], update_id: int, mids: MessageIds) -> dict[str, Any] | None:
    """A MAX update as a Telegram update, or None for a kind the core does not use."""
    kind = raw.get("update_type")
    locale = raw.get("user_locale")
    date = int(raw.get("timestamp", 0)) // 1000
    if kind == "bot_started":
        user = raw["user"]
        payload = raw.get("payload")
        text = f"/start {payload}" if payload else "/start"
        message = {
            "message_id": mids.id_of(None),
            "date": date,
            "chat": _private_chat(user),
            "from": user_dict(user, locale),
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        }
        return {"update_id": update_id, "message": message}
    if kind == "message_created":
        sender = raw["message"].get("sender") or {}
        if sender.get("is_bot"):  # a bot's message in a group (Telegram sends none)
            return None
        return {"update_id": update_id, "message": message_dict(raw["message"], mids, locale)}
    if kind == "message_callback":
        callback = raw["callback"]
        query: dict[str, Any] = {
            "id": str(callback["callback_id"]),
            "from": user_dict(callback["user"], locale),
            "chat_instance": "max",
            "data": callback.get("payload") or "",
        }
        if raw.get("message"):
            query["message"] = message_dict(raw["message"], mids, locale)
        return {"update_id": update_id, "callback_query": query}
    if kind in ("user_added", "user_removed", "bot_added", "bot_removed"):
        return _membership(raw, kind, update_id, date)
    return None


def _membership(raw: dict[str, Any], kind: str, update_id: int, date: int) -> dict[str, Any]:
    user = user_dict(raw["user"])
    joined = kind in ("user_added", "bot_added")
    is_bot = kind.startswith("bot_")
    # MAX does not say which rights the bot was given: "member" (the handlers ask
    # `GET /chats/{chatId}/members/me` through getChatMember when they need them).
    status = "member" if joined else "left"
    new: dict[str, Any] = {"status": status, "user": user}
    old = {"status": "left" if joined else "member", "user": user}
    # Who did it: the admin who removed, or whoever added (MAX: `admin_id`, `inviter_id`);
    # without one, the person themselves (left, or came by a link).
    actor_id = raw.get("admin_id") if kind == "user_removed" else raw.get("inviter_id")
    actor = user
    if kind.startswith("user_") and actor_id:
        actor = {"id": user_to_core(int(actor_id)), "is_bot": False, "first_name": "—"}
    event = {
        "chat": _group_chat(int(raw["chat_id"])),
        "from": actor,
        "date": date,
        "old_chat_member": old,
        "new_chat_member": new,
    }
    return {"update_id": update_id, ("my_chat_member" if is_bot else "chat_member"): event}


# A MAX chat administrator (`GET /chats/{chatId}/members`: `is_admin`); the
# rights aiogram's model requires are read from the model, so a newer Bot API's new
# right is there too (as not granted).
_GRANTED = {"can_manage_chat", "can_delete_messages", "can_restrict_members", "can_invite_users"}


def admin_rights() -> dict[str, bool]:
    from aiogram.types import ChatMemberAdministrator

    return {
        name: name in _GRANTED
        for name, info in ChatMemberAdministrator.model_fields.items()
        if info.is_required() and info.annotation is bool
    }
