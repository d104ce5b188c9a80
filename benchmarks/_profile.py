"""Where an update of the bot spends its CPU: a tool, not a benchmark with goals.

`python -m benchmarks._profile [--people 40] [--participants 10000] [--out FILE]
[--messenger telegram|max]`
sets up the database of `python -m benchmarks throughput` (a programme with 10,000
participants, the short questionnaire of tests/scale/forms), starts the bot
(`python -m bot webhook`, SQLite) in a process of its own under this module's
`--serve`, lets N people fill in the questionnaire at once and prints, as JSON:

- `cpu_ms_per_update`: the bot process's CPU time per update, without a profiler
  (a first pass of N people), and `net_cpu_ms_per_update`: the same less what the
  process spends when idle (`idle_cpu_ms_per_s`, its workers' polls, measured for two
  seconds before the pass) over the pass's duration: a slower emulator (MAX's) makes
  a pass longer and would otherwise count its idle time as the updates';
- `statements_per_update`: SQL statements the bot ran per update (an engine event,
  whose few microseconds a statement are in the CPU figures), and `sql`: each
  statement's text with how many times an update ran it;
- with `--out FILE`, a second pass of N other people under cProfile, written to FILE
  (`python -c "import pstats; pstats.Stats('FILE').sort_stats('tottime').print_stats(40)"`),
  `by_package`: the share of the profiled time spent in each package's own code, and
  `python_calls_per_update`: the function calls the profiler counted per update (a
  coroutine's every resumption counts as one), a measure of the Python work that a
  busy machine does not blur.

The bot's process counts what it does between SIGUSR1 (start) and SIGUSR2 (stop and
write the figures to PROFILE_OUT), so the start-up and the warm-up are left out.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from benchmarks.common import REPO_ROOT

IDLE_SECONDS = 2.0


def _serve(argv: list[str]) -> None:
    """In the bot's process: `python -m bot ARGV`, counting between the two signals."""
    import cProfile
    import resource

    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    out = os.environ["PROFILE_OUT"]
    profiled = os.environ.get("PROFILE_CPROFILE") == "1"
    state: dict[str, Any] = {"statements": 0, "profiler": None, "cpu": 0.0}
    texts: Counter[str] = Counter()

    @event.listens_for(Engine, "before_cursor_execute")
    def _count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        state["statements"] += 1
        texts[" ".join(statement.split())[:160]] += 1

    def cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime

    def start(*_: Any) -> None:
        state["statements"] = 0
        texts.clear()
        state["cpu"] = cpu()
        if profiled:
            state["profiler"] = cProfile.Profile()
            state["profiler"].enable()

    def stop(*_: Any) -> None:
        profiler = state["profiler"]
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(out + ".prof")
        Path(out).write_text(
            json.dumps(
                {
                    "statements": state["statements"],
                    "cpu": cpu() - state["cpu"],
                    "texts": texts.most_common(),
                }
            )
        )

    signal.signal(signal.SIGUSR1, start)
    signal.signal(signal.SIGUSR2, stop)
    sys.argv = ["bot", *argv]
    import runpy

    runpy.run_module("bot", run_name="__main__", alter_sys=True)


def python_calls(path: str) -> int:
    """Function calls counted by the profiler: unlike times, the same on a busy machine."""
    import pstats

    return int(pstats.Stats(path).total_calls)  # type: ignore[attr-defined]


def by_package(path: str) -> dict[str, float]:
    """The share of the profiled time spent in each package's own code (tottime)."""
    import pstats

    stats = pstats.Stats(path)
    totals: dict[str, float] = defaultdict(float)
    for (filename, _line, name), row in stats.stats.items():  # type: ignore[attr-defined]
        tottime = row[2]
        if "site-packages/" in filename:
            package = filename.split("site-packages/")[1].split("/")[0]
        elif filename.startswith(str(REPO_ROOT)):
            package = "/".join(Path(filename).relative_to(REPO_ROOT).parts[:2])
        elif filename == "~":
            if name in ("<method 'poll' of 'select.epoll' objects>",):
                continue  # waiting, not working
            package = "builtin " + name.split(" of ")[0].strip("<>{}")[:40]
        else:
            package = "stdlib " + Path(filename).parts[-2 if "/" in filename else -1]
        totals[package] += tottime
    whole = sum(totals.values()) or 1.0
    return {
        key: round(value / whole * 100, 1)
        for key, value in sorted(totals.items(), key=lambda kv: -kv[1])
        if value / whole >= 0.005
    }


def _api_calls(emulator: Any) -> Counter[str]:
    """The API calls the emulator has answered so far, by method (MAX's: by the HTTP
    method and the path's template)."""
    stats = getattr(emulator, "stats", None)
    if stats is not None:
        return Counter(dict(stats.calls))
    return Counter(f"{method} {template}" for method, template in emulator.calls)


class _MaxBot:
    """The bot serving MAX alone through its webhook, in a process of its own (what
    `tests.scale.cluster.Cluster` does for Telegram)."""

    def __init__(self, emulator: Any, url: str, env: dict[str, str], log: Path) -> None:
        from benchmarks.common import free_port

        self.emulator = emulator
        self.port = free_port()
        self.log = log
        self.proc: asyncio.subprocess.Process | None = None
        self.env = {
            **os.environ,
            "MAX_BOT_TOKEN": emulator.token,
            "MAX_API_URL": emulator.url,
            "DATABASE_URL": url,
            "WEBHOOK_BASE_URL": f"http://127.0.0.1:{self.port}",
            "WEBHOOK_HOST": "127.0.0.1",
            "WEBHOOK_PORT": str(self.port),
            "WEBHOOK_SECRET": "emulator-secret",
            "FORMS_DIR": str(REPO_ROOT / "tests" / "scale" / "forms"),
            "PYTHONUNBUFFERED": "1",
            **env,
        }
        self.env.pop("BOT_TOKEN", None)

    @property
    def pid(self) -> int | None:
        return None if self.proc is None else self.proc.pid

    async def start(self) -> None:
        import aiohttp

        with self.log.open("ab") as log:
            self.proc = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "benchmarks._profile",
                "--serve",
                "webhook",
                cwd=str(REPO_ROOT),
                env=self.env,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log,
                stderr=asyncio.subprocess.STDOUT,
            )
        health = f"http://127.0.0.1:{self.port}/healthz"
        async with aiohttp.ClientSession() as http:
            for _ in range(600):
                if self.proc.returncode is not None:
                    raise RuntimeError(self.log.read_text()[-3000:])
                try:
                    async with http.get(health) as resp:
                        if resp.status == 200 and self.emulator.subscriptions:
                            return
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.1)
        raise RuntimeError("the MAX bot did not start\n" + self.log.read_text()[-3000:])

    async def stop(self) -> None:
        if self.proc is not None and self.proc.returncode is None:
            self.proc.send_signal(signal.SIGTERM)
            await self.proc.wait()


async def _measure(
    work: Path, people: int, participants: int, out: str | None, messenger: str
) -> dict[str, Any]:
    from benchmarks.throughput import UPDATES_PER_PERSON, prepare
    from emulator.api import Emulator
    from emulator.max import MaxEmulator
    from tests.scale.cluster import Cluster, fill_questionnaire

    url, setup = await prepare(work, participants)
    figures_file = work / "figures.json"
    env = {"LOG_LEVEL": "WARNING", "PROFILE_OUT": str(figures_file), "PROFILE_CPROFILE": "0"}
    emulator: Any
    bot: Any
    if messenger == "max":
        emulator = MaxEmulator()
        await emulator.start()
        bot = _MaxBot(emulator, url, env, work / "max.log")
        pid = lambda: bot.pid  # noqa: E731
        environment = bot.env
    else:
        emulator = Emulator(rate_limits=False, webhook_timeout=60, callback_timeout=600)
        await emulator.start()
        bot = Cluster(emulator, database_url=url, redis_url="", replicas=1, log_dir=work, env=env)
        process = bot.processes[0]
        process.cmd = [sys.executable, "-m", "benchmarks._profile", "--serve", "webhook"]
        pid = lambda: process.pid  # noqa: E731
        environment = process.env
    results: dict[str, Any] = {"messenger": messenger, "people": people}
    results["participants"] = participants

    async def counted(number: int) -> dict[str, Any]:
        os.kill(number, signal.SIGUSR2)
        while not figures_file.exists():
            await asyncio.sleep(0.1)
        await asyncio.sleep(0.2)
        return dict(json.loads(figures_file.read_text()))

    async def idle_cpu_ms_per_s() -> float:
        """What the process spends with nothing to handle (its workers' polls)."""
        number = pid()
        assert number is not None
        figures_file.unlink(missing_ok=True)
        os.kill(number, signal.SIGUSR1)
        started = time.perf_counter()
        await asyncio.sleep(IDLE_SECONDS)
        idle = await counted(number)
        return float(idle["cpu"]) * 1000 / (time.perf_counter() - started)

    async def one_pass(first: int, key: str) -> dict[str, Any]:
        idle_rate = await idle_cpu_ms_per_s()
        number = pid()
        assert number is not None
        figures_file.unlink(missing_ok=True)
        os.kill(number, signal.SIGUSR1)
        await asyncio.sleep(0.2)
        users = [emulator.create_user(f"Человек{first + i}") for i in range(people)]
        calls_before = _api_calls(emulator)
        started = time.perf_counter()
        await asyncio.gather(
            *(fill_questionnaire(u, setup.mentee_code, first + i) for i, u in enumerate(users))
        )
        seconds = time.perf_counter() - started
        await asyncio.sleep(0.5)  # the last replies' journal rows
        figures = await counted(number)
        updates = people * UPDATES_PER_PERSON
        cpu_ms = figures["cpu"] * 1000
        calls = _api_calls(emulator) - calls_before
        return {
            f"{key}api_calls_per_update": {
                method: round(n / updates, 2) for method, n in calls.most_common()
            },
            f"{key}sql": [f"{n / updates:.2f} {text}" for text, n in figures["texts"]],
            f"{key}cpu_ms_per_update": round(cpu_ms / updates, 2),
            f"{key}idle_cpu_ms_per_s": round(idle_rate, 1),
            f"{key}net_cpu_ms_per_update": round(
                (cpu_ms - idle_rate * (seconds + 0.5)) / updates, 2
            ),
            f"{key}statements_per_update": round(figures["statements"] / updates, 2),
            f"{key}seconds": round(seconds, 1),
        }

    try:
        await bot.start()
        warm = [emulator.create_user(f"Разминка{i}") for i in range(10)]
        await asyncio.gather(
            *(fill_questionnaire(u, setup.mentee_code, 20_000 + i) for i, u in enumerate(warm))
        )
        results.update(await one_pass(30_000, ""))
        if out is not None:
            await bot.stop()
            environment["PROFILE_CPROFILE"] = "1"
            await bot.start()
            results.update(await one_pass(40_000, "profiled_"))
            os.replace(str(figures_file) + ".prof", out)
            results["by_package"] = by_package(out)
            results["python_calls_per_update"] = round(
                python_calls(out) / (people * UPDATES_PER_PERSON)
            )
    finally:
        await bot.stop()
        await emulator.stop()
    results["load_average_1m"] = round(os.getloadavg()[0], 2)
    return results


def main(argv: list[str]) -> dict[str, Any]:
    if argv[:1] == ["--serve"]:
        _serve(argv[1:])
        return {}
    parser = argparse.ArgumentParser(prog="python -m benchmarks._profile", description=__doc__)
    parser.add_argument("--people", type=int, default=40)
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--out", default=None, help="write a cProfile of a second pass here")
    parser.add_argument("--messenger", choices=("telegram", "max"), default="telegram")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-profile-") as folder:
        return asyncio.run(
            _measure(Path(folder), args.people, args.participants, args.out, args.messenger)
        )


if __name__ == "__main__":
    figures = main(sys.argv[1:])
    if figures:
        print(json.dumps(figures, ensure_ascii=False, indent=1))
