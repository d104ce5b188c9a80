"""The emulated Telegram: state, Bot API methods, updates (polling and webhook).

`EmulatorCore` is built from parts, one per area, each a base of the next:
base (state, checks, calls) → bot_self → messages → files → edits (and button answers)
→ updates (getUpdates and the webhook) → chats (members, links, membership changes)
→ people (the scripted users and groups). The HTTP server and the scripted users drive it.
"""

from __future__ import annotations

import contextlib

from .base import DEFAULT_TOKEN, NOT_MODIFIED, default_admin_rights
from .people import People

__all__ = ["DEFAULT_TOKEN", "NOT_MODIFIED", "EmulatorCore", "default_admin_rights"]


class EmulatorCore(People):
    """All of Telegram the bot can see. The HTTP server and the scripted users drive it."""

    # ------------------------------------------------------------------ lifecycle

    async def aclose(self) -> None:
        self._closed = True
        waiter = self._poll_waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)
        tasks = list(self._wh_tasks.values())
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(BaseException):
                await task
        self._wh_tasks.clear()
        for pending in self._callbacks.values():
            if not pending.future.done():
                pending.future.cancel()
        if self._wh_session is not None:
            await self._wh_session.close()
