"""How many sendMessage calls per second the emulator alone answers.

The emulator runs in its own process (as it does when a bot is benchmarked against it)
with rate limits off. Several client processes, each with concurrent aiohttp requests,
send form-encoded calls exactly as aiogram does (HTML text and a two-button inline
keyboard) to the real server socket. Besides the wall-clock rate, the emulator's own CPU
time gives its capacity per core, which does not depend on how busy the machine is.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from typing import Any
from urllib.parse import urlencode

import aiohttp

from benchmarks.common import percentile, start_emulator, stop_process

GOALS = {
    "emulator_send_per_s": ">= 2000",
    # the same goal for one core of the emulator's own CPU time: it holds on a busy machine
    "emulator_send_per_cpu_s": ">= 2000",
}

_MARKUP = json.dumps(
    {
        "inline_keyboard": [
            [
                {"text": "Да", "callback_data": "consent:yes"},
                {"text": "Нет", "callback_data": "consent:no"},
            ]
        ]
    }
)


async def _client(
    endpoint: str, user_ids: list[int], concurrency: int, start_at: float, stop_at: float, seed: int
) -> tuple[int, int, list[float], float]:
    ok = errors = 0
    latencies: list[float] = []
    # The bytes aiogram puts on the wire for these calls (a urlencoded form), made in
    # advance so that the clients spend their time on HTTP, not on encoding.
    bodies = [
        urlencode(
            {
                "chat_id": str(user_ids[n % len(user_ids)]),
                "text": f"<b>Сообщение</b> номер {n}: проверка связи &amp; скорости",
                "parse_mode": "HTML",
                "reply_markup": _MARKUP,
            }
        ).encode()
        for n in range(seed, seed + 997)
    ]
    headers = {"Content-Type": "application/x-www-form-urlencoded"}

    async def worker(n: int, session: aiohttp.ClientSession) -> None:
        nonlocal ok, errors
        while True:
            began = time.time()
            if began >= stop_at:
                return
            body = bodies[n % len(bodies)]
            n += concurrency
            async with session.post(endpoint, data=body, headers=headers) as resp:
                await resp.read()
                good = resp.status == 200
            if began >= start_at:
                if good:
                    ok += 1
                else:
                    errors += 1
                if len(latencies) < 50_000:
                    latencies.append(time.time() - began)

    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        cpu_before = time.process_time()
        await asyncio.gather(*(worker(i, session) for i in range(concurrency)))
        cpu_used = time.process_time() - cpu_before
    return ok, errors, latencies, cpu_used


def _client_process(
    endpoint: str, user_ids: list[int], concurrency: int, start_at: float, stop_at: float, seed: int
) -> tuple[int, int, list[float], float]:
    return asyncio.run(_client(endpoint, user_ids, concurrency, start_at, stop_at, seed))


def _ready(barrier: Any) -> None:
    barrier.wait(timeout=120)


def _cpu_seconds(pid: int) -> float:
    import psutil

    times = psutil.Process(pid).cpu_times()
    return float(times.user + times.system)


def measure(
    url: str,
    token: str,
    user_ids: list[int],
    *,
    duration: float,
    warmup: float,
    processes: int,
    concurrency: int,
    server_pid: int,
) -> dict[str, Any]:
    endpoint = f"{url}/bot{token}/sendMessage"
    ctx = get_context("spawn")
    ready = ctx.Barrier(processes + 1)
    with ProcessPoolExecutor(
        processes, mp_context=ctx, initializer=_ready, initargs=(ready,)
    ) as pool:
        # every client process has started and imported before the clock runs
        for _ in range(processes):
            pool.submit(time.sleep, 0)
        ready.wait(timeout=120)
        start_at = time.time() + warmup
        stop_at = start_at + duration
        futures = [
            pool.submit(_client_process, endpoint, user_ids, concurrency, start_at, stop_at, i)
            for i in range(processes)
        ]
        while time.time() < start_at:
            time.sleep(0.01)
        cpu_before = _cpu_seconds(server_pid)
        results = [f.result() for f in futures]
        cpu_used = _cpu_seconds(server_pid) - cpu_before
    ok = sum(r[0] for r in results)
    errors = sum(r[1] for r in results)
    latencies = [x for r in results for x in r[2]]
    client_cpu = sum(r[3] for r in results)
    return {
        "emulator_send_per_s": round(ok / duration, 1),
        # calls per second of the emulator's own CPU time: what one core of it handles
        "emulator_send_per_cpu_s": round(ok / cpu_used, 1) if cpu_used > 0 else None,
        "emulator_server_cpu_share": round(cpu_used / duration, 2),
        "emulator_send_errors": errors,
        # the clients' CPU per call (warm-up included): on a shared machine they, not the
        # emulator, are what limits the wall-clock rate
        "client_cpu_ms_per_call": round(client_cpu / max(ok, 1) * 1000, 3),
        "emulator_send_p50_ms": round(percentile(latencies, 0.5) * 1000, 2),
        "emulator_send_p99_ms": round(percentile(latencies, 0.99) * 1000, 2),
        "emulator_clients": f"{processes} processes x {concurrency} concurrent requests",
    }


def main(argv: list[str]) -> dict[str, Any]:
    parser = argparse.ArgumentParser(prog="python -m benchmarks emulator")
    parser.add_argument("--duration", type=float, default=5.0)
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--processes", type=int, default=max(2, os.cpu_count() or 1))
    parser.add_argument("--concurrency", type=int, default=32, help="requests per process")
    parser.add_argument("--users", type=int, default=200)
    args = parser.parse_args(argv)
    proc, url, token = start_emulator(users=args.users)
    try:
        # `python -m emulator --users N` creates users with ids from 10001 upwards
        user_ids = list(range(10_001, 10_001 + args.users))
        figures = measure(
            url,
            token,
            user_ids,
            duration=args.duration,
            warmup=args.warmup,
            processes=args.processes,
            concurrency=args.concurrency,
            server_pid=proc.pid,
        )
        figures["machine_load_avg_1m"] = round(os.getloadavg()[0], 2)
        return figures
    finally:
        stop_process(proc)
