"""Telegram's sending limits as a schedule: overall per second, per private chat, per group.

Pure bookkeeping on a monotonic time axis (seconds), no sleeping and no I/O, so the
delivery worker asks it "when may I send to this chat?" and tests check the invariants
directly. Each limit is a GCRA (a token bucket written as a "theoretical arrival time"):
a send is allowed when the next slot is not further ahead than the burst allows, and
taking it moves the slot on by one interval. Groups are chats with negative ids.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class _Cell:
    """One limit: `interval` seconds per message, `tolerance` seconds of burst."""

    interval: float
    tolerance: float
    tat: float = float("-inf")  # theoretical arrival time of the next message

    def wait(self, now: float) -> float:
        return max(0.0, self.tat - self.tolerance - now)

    def take(self, now: float) -> None:
        self.tat = max(self.tat, now) + self.interval


def is_group(chat_id: int) -> bool:
    return chat_id < 0


class SendLimiter:
    """About 30 messages a second overall, 1 a second per chat, 20 a minute per group.

    `global_burst` lets a few messages go back to back (a late wake-up is caught up
    instead of lost); per-chat limits have no burst by default. `pause(seconds)` stops
    everything, as Telegram asks with `429 retry_after`.
    """

    def __init__(
        self,
        global_per_s: float = 30.0,
        chat_per_s: float = 1.0,
        group_per_min: float = 20.0,
        *,
        global_burst: float = 3.0,
        chat_burst: float = 1.0,
        group_burst: float = 1.0,
    ) -> None:
        if min(global_per_s, chat_per_s, group_per_min) <= 0:
            raise ValueError("limits must be positive")
        self.global_per_s = global_per_s
        self._global = _Cell(1.0 / global_per_s, (max(global_burst, 1.0) - 1.0) / global_per_s)
        self._chat_interval = 1.0 / chat_per_s
        self._chat_tolerance = (max(chat_burst, 1.0) - 1.0) / chat_per_s
        self._group_interval = 60.0 / group_per_min
        self._group_tolerance = (max(group_burst, 1.0) - 1.0) * self._group_interval
        self._chats: dict[int, _Cell] = {}
        self.paused_until = float("-inf")

    def chat_wait(self, chat_id: int, now: float) -> float:
        """Seconds until this chat may get a message (ignoring the overall limit)."""
        cell = self._chats.get(chat_id)
        return cell.wait(now) if cell is not None else 0.0

    def global_wait(self, now: float) -> float:
        """Seconds until the next message may go to anyone."""
        return max(self._global.wait(now), self.paused_until - now, 0.0)

    def wait(self, chat_id: int, now: float) -> float:
        return max(self.chat_wait(chat_id, now), self.global_wait(now))

    def take(self, chat_id: int, now: float) -> None:
        """Count one message to `chat_id` sent at `now` (call only when `wait` is 0)."""
        self._global.take(now)
        cell = self._chats.get(chat_id)
        if cell is None:
            if is_group(chat_id):
                cell = _Cell(self._group_interval, self._group_tolerance)
            else:
                cell = _Cell(self._chat_interval, self._chat_tolerance)
            self._chats[chat_id] = cell
        cell.take(now)

    def pause(self, seconds: float, now: float) -> None:
        """Telegram said `retry_after`: nobody gets anything until it has passed."""
        self.paused_until = max(self.paused_until, now + seconds)

    def forget_idle(self, now: float) -> int:
        """Drop chats whose limit has fully recovered (keeps memory flat on big rounds)."""
        idle = [chat for chat, cell in self._chats.items() if cell.tat <= now]
        for chat in idle:
            del self._chats[chat]
        return len(idle)

    def __len__(self) -> int:
        return len(self._chats)
