"""Telegram's flood limits and injected faults."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any

from .errors import ApiError, too_many_requests


@dataclass
class RateLimits:
    """Limits on messages the bot sends; `enabled=False` switches all of them off."""

    enabled: bool = True
    global_per_s: float = 30.0
    global_burst: float = 30.0
    private_per_s: float = 1.0
    private_burst: float = 3.0
    group_per_min: float = 20.0
    group_burst: float = 20.0


class _Bucket:
    __slots__ = ("burst", "last", "rate", "tokens")

    def __init__(self, rate: float, burst: float, now: float) -> None:
        self.rate = rate
        self.burst = max(burst, 1.0)
        self.tokens = self.burst
        self.last = now

    def refill(self, now: float) -> None:
        self.tokens = min(self.burst, self.tokens + (now - self.last) * self.rate)
        self.last = now

    def wait(self) -> float:
        return 0.0 if self.tokens >= 1.0 else (1.0 - self.tokens) / self.rate


class RateLimiter:
    """Token buckets: one overall, one per chat. A refused send consumes nothing."""

    def __init__(self, limits: RateLimits | None = None) -> None:
        self.limits = limits or RateLimits()
        self._global: _Bucket | None = None
        self._chats: dict[int, _Bucket] = {}
        self.refused = 0

    def configure(self, **changes: float | bool) -> None:
        for key, value in changes.items():
            if not hasattr(self.limits, key):
                raise TypeError(f"unknown rate limit setting {key!r}")
            setattr(self.limits, key, value)
        self.reset()

    def reset(self) -> None:
        self._global = None
        self._chats.clear()

    def acquire(self, chat_id: int, *, group: bool) -> None:
        """Count one message to `chat_id`, or raise 429 with retry_after."""
        limits = self.limits
        if not limits.enabled:
            return
        now = time.monotonic()
        if self._global is None:
            self._global = _Bucket(limits.global_per_s, limits.global_burst, now)
        bucket = self._chats.get(chat_id)
        if bucket is None:
            if group:
                bucket = _Bucket(limits.group_per_min / 60.0, limits.group_burst, now)
            else:
                bucket = _Bucket(limits.private_per_s, limits.private_burst, now)
            self._chats[chat_id] = bucket
        glob = self._global
        glob.refill(now)
        bucket.refill(now)
        wait = max(glob.wait(), bucket.wait())
        if wait > 0:
            self.refused += 1
            raise too_many_requests(max(1, math.ceil(wait)))
        glob.tokens -= 1.0
        bucket.tokens -= 1.0


FAULT_KINDS = ("500", "502", "hang", "429")


@dataclass
class Fault:
    """The next `count` calls (of `method`, or any) answer `kind`.

    kind "500"/"502" answers that status with Telegram's JSON body; "hang" keeps the
    request open for `hang_seconds` (past the client's timeout) and then answers 504;
    "429" answers Too Many Requests with `retry_after` seconds, as Telegram does when a
    chat's limit is hit. With `chat_id` only calls addressed to that chat are hit.
    With `after=True` the call is carried out first and only its answer is lost, which is
    what a bot sees when Telegram sent the message but the connection broke.
    """

    kind: str = "500"
    count: int = 1
    method: str | None = None
    after: bool = False
    hang_seconds: float = 3600.0
    hits: int = field(default=0)
    chat_id: int | None = None
    retry_after: int = 1

    def error(self) -> ApiError:
        if self.kind == "429":
            return too_many_requests(self.retry_after)
        if self.kind == "502":
            return ApiError(502, "Bad Gateway")
        if self.kind == "hang":
            return ApiError(504, "Gateway Timeout")
        return ApiError(500, "Internal Server Error")


class Faults:
    def __init__(self) -> None:
        self._faults: list[Fault] = []

    def add(
        self,
        kind: str = "500",
        *,
        count: int = 1,
        method: str | None = None,
        after: bool = False,
        hang_seconds: float = 3600.0,
        chat_id: int | None = None,
        retry_after: int = 1,
    ) -> Fault:
        kind = str(kind)
        if kind not in FAULT_KINDS:
            raise ValueError(f"fault kind must be one of {FAULT_KINDS}, not {kind!r}")
        fault = Fault(
            kind,
            count,
            method.lower() if method else None,
            after,
            hang_seconds,
            chat_id=chat_id,
            retry_after=max(1, int(retry_after)),
        )
        self._faults.append(fault)
        return fault

    def clear(self) -> None:
        self._faults.clear()

    def __bool__(self) -> bool:
        return bool(self._faults)

    def take(self, method: str, chat_id: Any = None) -> Fault | None:
        for fault in self._faults:
            if fault.method is not None and fault.method != method:
                continue
            if fault.chat_id is None or str(fault.chat_id) == str(chat_id):
                fault.count -= 1
                fault.hits += 1
                if fault.count <= 0:
                    self._faults.remove(fault)
                return fault
        return None
