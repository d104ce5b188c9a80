"""Typed text a person cannot mean: a NUL byte, a name of invisible characters.

On PostgreSQL a NUL in a name ended in the generic apology («что-то пошло не так»); a name
of zero-width spaces or a right-to-left override was stored as given. Run on every
configured backend (TEST_DATABASE_URL adds PostgreSQL).
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from emulator import Emulator
from storage.models import Participant
from tests.support.journey import programme_with_invitations
from tests.support.settle import read_settled

APOLOGY = "что-то пошло не так"


@pytest.fixture
def bot_settings(emulator: Emulator, db_url: str) -> Any:
    from bot.config import Settings

    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        bot_token=emulator.token,
        telegram_api_url=emulator.url,
        database_url=db_url,
        webhook_secret="emulator-secret",
        throttle_rate=1000,
    )


@pytest.mark.emulator(rate_limits=False)  # quick answers in one chat are not the point here
async def test_a_nul_byte_or_an_invisible_name_gets_a_clear_answer(
    emulator: Emulator, bot_app: Any
) -> None:
    setup = await programme_with_invitations(bot_app.db, 700_201)
    anya = emulator.create_user("Аня")
    await anya.start(setup.mentee_code)
    await anya.wait_for("Как вас зовут", timeout=10)

    await anya.send("А\x00Б")
    answer = await anya.next_message(10)
    assert "служебные символы" in answer.text and APOLOGY not in answer.text

    await anya.send("\u200b\u200b")
    answer = await anya.next_message(10)
    assert "две буквы" in answer.text

    await anya.send("\u202eАнна Петрова\u200b")
    await anya.wait_for("Согласие на обработку", timeout=10)
    assert all(APOLOGY not in str(m.text) for m in anya.messages)
    async with read_settled(bot_app) as s:  # the reply goes out before the commit
        names = list(await s.scalars(select(Participant.display_name)))
    assert names == ["Анна Петрова"]

    # Anywhere else too (here the age question): the clear answer, not the apology.
    await anya.press("✅ Даю согласие, мне уже есть 18")
    await anya.wait_for("Сколько вам", timeout=10)
    await anya.send("3\x004")
    answer = await anya.next_message(10)
    assert "служебные символы" in answer.text
    await anya.send("34")
    await anya.wait_for("Кто вы в программе", timeout=10)
