"""A chat's flood limit hit on the bot's own reply: the person's answer is kept and the
reply arrives once Telegram's `retry_after` has passed (long polling and webhook)."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from sqlalchemy import select

from bot.services import forms
from storage.models import Participant
from tests.support.journey import programme_with_invitations
from tests.support.settle import read_settled

NAME = "Тимофей Звягинцев"
RETRY_AFTER = 2  # seconds, as Telegram would say in `parameters.retry_after`


@pytest.fixture
def emulator_options() -> dict[str, Any]:
    # Only the forced 429 below: the script answers faster than Telegram's usual limits.
    return {"rate_limits": False}


async def _name_answer(db: Any, programme_id: int) -> Any:
    async with db.read() as s:
        participant = await s.scalar(
            select(Participant).where(Participant.programme_id == programme_id)
        )
        if participant is None:
            return None
        answers = await forms.answers_of(s, participant.id, "mentee_profile") or {}
    return answers.get("full_name")


async def test_polling_a_reply_that_meets_429_is_sent_later_and_the_answer_is_kept(
    emulator: Any, bot_app: Any
) -> None:
    await _answer_while_the_chat_is_limited(emulator, bot_app)


async def test_webhook_a_reply_that_meets_429_is_sent_later_and_the_answer_is_kept(
    emulator: Any, bot_app_webhook: Any
) -> None:
    await _answer_while_the_chat_is_limited(emulator, bot_app_webhook)


async def _answer_while_the_chat_is_limited(emulator: Any, app: Any) -> None:
    setup = await programme_with_invitations(app.db, 700_101)
    user = emulator.create_user("Тима")
    await user.start(setup.mentee_code)
    await user.next_message()  # about the programme
    assert "Вопрос 1 из" in (await user.next_message()).text

    fault = emulator.limit_next(user.id, retry_after=RETRY_AFTER)
    limited_before = emulator.stats.rate_limited
    sent_at = time.monotonic()
    await user.send(NAME)

    # While the reply waits for Telegram's permission, the answer is already stored.
    await asyncio.sleep(RETRY_AFTER / 2)
    assert fault.hits == 1, "the reply did not meet the chat's limit"
    assert await _name_answer(app.db, setup.programme_id) == NAME
    await user.expect_silence(within=0.1)

    reply = await user.next_message(timeout=RETRY_AFTER + 5)
    assert "Согласие на обработку" in reply.text  # the step after the name
    assert time.monotonic() - sent_at >= RETRY_AFTER
    assert emulator.stats.rate_limited == limited_before + 1
    async with read_settled(app) as s:
        participant = await s.scalar(
            select(Participant).where(Participant.programme_id == setup.programme_id)
        )
        assert participant is not None
        answers = await forms.answers_of(s, participant.id, "mentee_profile") or {}
    assert answers.get("full_name") == NAME
    # The next step is answered as usual: the dialog went on from where it was.
    await user.press("✅ Даю согласие, мне уже есть 18")
    assert "Согласие сохранено" in (await user.next_message()).text
    assert "что-то пошло не так" not in user.transcript()
