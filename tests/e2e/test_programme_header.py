"""A person in more than one programme sees which programme a questionnaire step belongs
to («Programme» on a line of its own); a person in one programme does not."""

from __future__ import annotations

from datetime import time
from typing import Any

import pytest

from bot.services.enrolment.invitations import create_invitation
from tests.support.factories import make_curator, make_programme

FIRST = "Наставничество в лицее"
SECOND = "Летняя школа «Байкал»"


@pytest.fixture
def emulator_options() -> dict[str, Any]:
    return {"rate_limits": False}


async def _mentee_code(db: Any, name: str, curator_tg: int) -> str:
    async with db.session() as s:
        programme = await make_programme(s, name=name, quiet_start=time(0, 0), quiet_end=time(0, 0))
        await make_curator(s, programme, tg_id=curator_tg)
        invitation = await create_invitation(s, kind="mentee", programme_id=programme.id)
        return invitation.code


async def test_the_header_names_the_programme_once_the_person_has_two(
    emulator: Any, bot_app: Any
) -> None:
    first = await _mentee_code(bot_app.db, FIRST, 700_201)
    second = await _mentee_code(bot_app.db, SECOND, 700_202)
    user = emulator.create_user("Лиза")

    await user.start(first)
    await user.next_message()  # about the programme
    question = (await user.next_message()).text
    assert "Вопрос 1 из" in question
    assert "«" not in question.split("\n")[0]  # one programme: no header

    await user.start(second)
    await user.next_message()  # about the second programme
    question = (await user.next_message()).text
    assert "Вопрос 1 из" in question
    assert question.split("\n")[0] == f"«{SECOND}»"

    await user.send("Елизавета Громова")  # the name, in the second programme's form
    consent = (await user.next_message()).text
    assert consent.split("\n")[0] == f"«{SECOND}»"
