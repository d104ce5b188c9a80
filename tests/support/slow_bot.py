"""The real bot with one extra command, /slow, that takes SLOW_SECONDS to finish.

`python tests/support/slow_bot.py webhook|run`: used to show that a SIGTERM in the middle
of a handler lets it finish and answer before the process exits.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message

import bot.app.factory as factory
from bot.__main__ import main

router = Router(name="slow")


@router.message(Command("slow"))
async def slow(message: Message) -> None:
    await message.answer("начала")
    await asyncio.sleep(float(os.environ.get("SLOW_SECONDS", "2")))
    await message.answer("готово")


_routers = factory.get_routers


def _with_slow() -> list[Router]:
    return [router, *_routers()]


factory.get_routers = _with_slow

if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
