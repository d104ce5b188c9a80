"""An outbox round in MAX: N forms to N MAX participants within MAX's ~30 requests/s.

`python -m benchmarks max_delivery [--n 1000]`. The MAX emulator refuses the 31st
request within a second (429); the bot's MAX session paces itself and the delivery
worker keeps its usual overall limit. Reported:

- max_delivery_lost: participants who got nothing (must be 0)
- max_delivery_429: requests MAX refused for the rate (must be 0)
- max_delivery_peak_per_s: the most requests MAX took within one second (≤ 30)
- max_delivery_rejected: requests MAX's schema refused (must be 0)
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

GOALS = {
    "max_delivery_lost": "== 0",
    "max_delivery_429": "== 0",
    "max_delivery_peak_per_s": "<= 30",
    "max_delivery_rejected": "== 0",
}


async def _round(n: int, folder: Path) -> dict[str, Any]:
    from sqlalchemy import insert

    from bot.app.factory import create_bot
    from bot.config import Settings
    from bot.infra.clock import Clock
    from bot.infra.delivery import DeliveryWorker
    from bot.infra.outbox import status_counts
    from bot.infra.ratelimit import SendLimiter
    from bot.max.ids import user_to_core
    from emulator.max import MaxEmulator
    from storage.db import Database
    from storage.migrate import upgrade
    from storage.models import OutboxMessage

    emulator = MaxEmulator(rate_limits=True)
    await emulator.start()
    url = f"sqlite+aiosqlite:///{folder / 'bench.db'}"
    await upgrade(url)
    db = Database(url)
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        max_bot_token=emulator.token,
        max_api_url=emulator.url,
        database_url=url,
    )
    limiter = SendLimiter(30.0, 1.0, 20.0)
    bot = create_bot(settings, db, limiter)
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
                        "chat_id": user_to_core(user.id),
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
        worker = DeliveryWorker(db, bot, Clock(), limiter=limiter)
        started = time.monotonic()
        task = asyncio.create_task(worker.run())
        deadline = started + n / 25 * 3 + 30
        while sum(1 for u in users if u.messages) < n and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
        elapsed = time.monotonic() - started
        worker.stop()
        await task
        async with db.read() as session:
            statuses = await status_counts(session)
        counts = [len(user.messages) for user in users]
        return {
            "max_delivery_lost": counts.count(0),
            "max_delivery_duplicates": sum(c - 1 for c in counts if c > 1),
            "max_delivery_429": emulator.rate_limited,
            "max_delivery_peak_per_s": emulator.peak_per_second(),
            "max_delivery_rejected": len(emulator.rejections),
            "max_delivery_rate_per_s": round(n / elapsed, 2),
            "max_delivery_seconds": round(elapsed, 2),
            "max_delivery_n": n,
            "max_delivery_rows_sent": statuses.get("sent", 0),
        }
    finally:
        if worker is not None and task is not None and not task.done():
            worker.stop()
            await asyncio.wait_for(task, 10)
        await bot.session.close()
        await db.dispose()
        await emulator.stop()


def main(argv: list[str]) -> dict[str, Any]:
    parser = argparse.ArgumentParser(prog="benchmarks max_delivery", description=__doc__)
    parser.add_argument("--n", type=int, default=1000, help="participants in the round")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-max-delivery-") as folder:
        return asyncio.run(_round(args.n, Path(folder)))


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))
