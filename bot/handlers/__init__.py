"""Routers by audience. Order matters: specific flows first, the common fallback last.

Each call builds new aiogram routers (see `bot.handlers.routing`): one set per dispatcher.
"""

from __future__ import annotations

from aiogram import F, Router

from bot.handlers.enrolment import questionnaire
from bot.handlers.pairwork import cases
from bot.handlers.reporting import reports
from bot.handlers.routing import Handlers

from . import common, curator
from . import community as group
from . import enrolment as participant
from . import pairwork as pairs


def _first() -> Handlers:
    """What most updates of a private chat are, met before every other feature: a typed
    answer (the words a case asked for, else the questionnaire's) and a questionnaire's
    button. No handler of the routers after it takes what these take (commands, dialog
    states and other buttons are theirs), so the order only saves the walk over them."""
    first = Handlers(f"{__name__}.first")
    first.message.filter(F.chat.type == "private")
    first.include_routers(cases.first, questionnaire.first)
    return first


def get_routers() -> list[Router]:
    return [
        group.router.build(),  # group chats only; silent for anything not meant for it
        _first().build(),
        # Feature routers go here, before the common fallback.
        # before participant: staff invitation codes of /start, the console
        curator.router.build(),
        pairs.router.build(),
        participant.router.build(),
        reports.router.build(),
        common.router.build(),
    ]
