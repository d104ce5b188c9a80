"""Long polling of MAX (`GET /updates` with its marker), through the same crash-safe
poller as Telegram's: the MAX session answers aiogram's `getUpdates`."""

from __future__ import annotations

from bot.polling import Poller
from bot.services.messenger import MAX, use_messenger

from .ids import is_max_update


class MaxPoller(Poller):
    """Takes MAX's updates; every update's handling knows it came from MAX (the links
    it hands out are MAX's)."""

    @staticmethod
    def owns(update_id: int) -> bool:
        return is_max_update(update_id)

    async def run(self) -> None:
        use_messenger(MAX)  # the tasks this loop spawns inherit it
        await super().run()
