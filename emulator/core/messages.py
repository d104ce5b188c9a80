"""Messages the bot sends: text and entities, markup, replies, sendMessage."""

from __future__ import annotations

import json
import re
from typing import Any

from ..errors import bad_request
from ..html import EntityParseError, parse_html, utf16_len
from ..records import (
    ChatEvent,
    ChatMessage,
    ChatRecord,
    FileRecord,
)
from .base import MAX_CAPTION, MAX_TEXT
from .bot_self import BotSelf


class Messages(BotSelf):
    """Messages the bot sends: their text, entities, markup and replies."""

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
