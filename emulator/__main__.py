"""`python -m emulator`: run the emulator as a standalone server (demo, benchmarks)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal

from .api import Emulator
from .core import DEFAULT_TOKEN


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m emulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default=DEFAULT_TOKEN)
    parser.add_argument("--no-rate-limits", action="store_true", help="switch flood limits off")
    parser.add_argument("--no-validation", action="store_true", help="skip parameter checks")
    parser.add_argument("--users", type=int, default=0, help="create N users who started the bot")
    parser.add_argument("--log-level", default="WARNING")
    args = parser.parse_args(argv)
    logging.basicConfig(level=args.log_level)

    async def run() -> None:
        emu = Emulator(
            args.token,
            rate_limits=not args.no_rate_limits,
            validate_params=not args.no_validation,
        )
        for _ in range(args.users):
            emu.create_user(started=True)
        await emu.start(args.host, args.port)
        print(f"emulator listening on {emu.url} token={emu.token}", flush=True)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(sig, stop.set)
        await stop.wait()
        await emu.stop()

    asyncio.run(run())


if __name__ == "__main__":
    main()
