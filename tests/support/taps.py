"""Counting a person's taps: every button pressed, every command and every message typed
(a search query typed is one tap, as the curator's thumbs feel it)."""

from __future__ import annotations

from typing import Any


class TapCounter:
    """Wraps a scripted user; `taps` grows by one for each press, command or text sent."""

    def __init__(self, user: Any) -> None:
        self.user = user
        self.taps = 0

    async def press(self, label: Any, **kwargs: Any) -> Any:
        self.taps += 1
        return await self.user.press(label, **kwargs)

    async def command(self, name: str, payload: str | None = None) -> Any:
        self.taps += 1
        return await self.user.command(name, payload)

    async def send(self, text: str) -> Any:
        self.taps += 1
        return await self.user.send(text)

    def __getattr__(self, name: str) -> Any:
        # Reading the chat (wait_for, messages…) is not a tap.
        return getattr(self.user, name)
