"""The bot's own account: getMe, logOut, close and its command menus."""

from __future__ import annotations

import json
from typing import Any

from ..errors import bad_request
from .base import _COMMAND_RE, CoreBase


class BotSelf(CoreBase):
    """The bot's own account (getMe, logOut, close, command menus)."""

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
