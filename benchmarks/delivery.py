"""Delivery throughput: one round of messages to N participants against the emulator's limits.

`python -m benchmarks delivery [--n 5000] [--limit 30]`. The emulator enforces an
overall limit (`--limit` messages a second) and 1 a second per chat, answering 429 past
them; the bot's delivery worker is set to the same overall limit. Reported:

- delivery_rate_vs_limit: messages a second achieved ÷ the emulator's overall limit
- delivery_lost: participants who got nothing (must be 0)
- delivery_duplicates: messages beyond the first one to a participant
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

GOALS = {"delivery_rate_vs_limit": ">= 0.9", "delivery_lost": "== 0"}


async def _round(n: int, limit: float, max_in_flight: int, folder: Path) -> dict[str, Any]:
    from aiogram import Bot
    from aiogram.client.session.aiohttp import AiohttpSession
    from aiogram.client.telegram import TelegramAPIServer
    from sqlalchemy import insert

    from bot.infra.clock import Clock
    from bot.infra.delivery import DeliveryWorker
    from bot.infra.outbox import status_counts
    from bot.infra.ratelimit import SendLimiter
    from emulator.api import Emulator
    from emulator.limits import RateLimits
    from storage.db import Database
    from storage.migrate import upgrade
    from storage.models import OutboxMessage

    emulator = Emulator(
        rate_limits=RateLimits(
            global_per_s=limit, global_burst=limit, private_per_s=1.0, private_burst=1.0
        )
    )
    await emulator.start()
    url = f"sqlite+aiosqlite:///{folder / 'bench.db'}"
    await upgrade(url)
    db = Database(url)
    bot = Bot(emulator.token, session=AiohttpSession(api=TelegramAPIServer.from_base(emulator.url)))
    task: asyncio.Task[None] | None = None
    worker: DeliveryWorker | None = None
    try:
        users = [emulator.create_user(f"Участник {i}", started=True) for i in range(n)]
        now = Clock().now()
        async with db.session() as session:
            await session.execute(
                insert(OutboxMessage),
                [
                    {
                        "idempotency_key": f"bench:{user.id}",
                        "chat_id": user.id,
                        "method": "sendMessage",
                        "payload": {"text": "Пожалуйста, заполните анкету", "parse_mode": "HTML"},
                        "kind": "form",
                        "urgent": False,
                        "status": "pending",
                        "attempts": 0,
                        "not_before": now,
                        "created_at": now,
                    }
                    for user in users
                ],
            )
        worker = DeliveryWorker(
            db,
            bot,
            Clock(),
            limiter=SendLimiter(limit, 1.0, 20.0),
            max_in_flight=max_in_flight,
        )
        started = time.monotonic()
        task = asyncio.create_task(worker.run())
        await emulator.wait_until(
            lambda: emulator.stats.messages_sent >= n, timeout=n / limit * 5 + 30
        )
        elapsed = time.monotonic() - started
        worker.stop()
        await task
        async with db.read() as session:
            statuses = await status_counts(session)
        counts = [len(user.messages) for user in users]
        rate = n / elapsed
        return {
            "delivery_rate_vs_limit": round(rate / limit, 3),
            "delivery_lost": counts.count(0),
            "delivery_duplicates": sum(c - 1 for c in counts if c > 1),
            "delivery_rate_per_s": round(rate, 2),
            "delivery_seconds": round(elapsed, 2),
            "delivery_n": n,
            "delivery_limit_per_s": limit,
            "delivery_429": emulator.stats.rate_limited,
            "delivery_max_in_flight": max_in_flight,
            "delivery_rows_sent": statuses.get("sent", 0),
        }
    finally:
        if worker is not None and task is not None and not task.done():
            worker.stop()
            await asyncio.wait_for(task, 10)
        await bot.session.close()
        await db.dispose()
        await emulator.stop()


def main(argv: list[str]) -> dict[str, Any]:
    from bot.infra.delivery import MAX_IN_FLIGHT

    parser = argparse.ArgumentParser(prog="benchmarks delivery", description=__doc__)
    parser.add_argument("--n", type=int, default=5000, help="participants in the round")
    parser.add_argument(
        "--limit", type=float, default=30.0, help="the overall limit, messages a second"
    )
    parser.add_argument("--in-flight", type=int, default=MAX_IN_FLIGHT)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-delivery-") as folder:
        return asyncio.run(_round(args.n, args.limit, args.in_flight, Path(folder)))


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))
