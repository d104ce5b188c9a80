"""The bot's replies go out once the update's work is committed: a handler that fails
after it replied has told the person nothing of what was rolled back, and a button press
is answered in the webhook's own HTTP answer instead of a Bot API call of its own."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from bot.handlers.enrolment import questionnaire
from bot.services import forms
from storage.models import Participant
from tests.support.journey import programme_with_invitations

NAME = "Тимофей Звягинцев"
APOLOGY = "что-то пошло не так"
NEXT_STEP = "Согласие на обработку"  # what follows the name in the mentee's form


@pytest.fixture
def emulator_options() -> dict[str, Any]:
    return {"rate_limits": False, "webhook_retry_delay": 0.05, "webhook_retry_max_delay": 0.2}


def _texts(user: Any) -> list[str]:
    return [str(m.text) for m in user.chat.messages.values() if m.from_bot]


async def _name_answer(db: Any, programme_id: int) -> Any:
    async with db.read() as s:
        participant = await s.scalar(
            select(Participant).where(Participant.programme_id == programme_id)
        )
        if participant is None:
            return None
        answers = await forms.answers_of(s, participant.id, "mentee_profile") or {}
    return answers.get("full_name")


def _fail_once_after_replying(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The questionnaire's step replies (the next question), then the update fails."""
    original = questionnaire.present
    failures: list[int] = []

    async def present_then_fail(*args: Any, **kwargs: Any) -> None:
        await original(*args, **kwargs)
        if not failures:
            failures.append(1)
            raise RuntimeError("the database went away after the reply")

    monkeypatch.setattr(questionnaire, "present", present_then_fail)
    return failures


async def _at_the_first_question(emulator: Any, app: Any) -> tuple[Any, Any]:
    setup = await programme_with_invitations(app.db, 700_111)
    user = emulator.create_user("Тима")
    await user.start(setup.mentee_code)
    await user.next_message()  # about the programme
    assert "Вопрос 1 из" in (await user.next_message()).text
    return setup, user


async def test_polling_a_reply_is_not_sent_when_the_update_fails(
    emulator: Any, bot_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    setup, user = await _at_the_first_question(emulator, bot_app)
    failures = _fail_once_after_replying(monkeypatch)

    await user.send(NAME)
    assert APOLOGY in (await user.next_message(timeout=10)).text
    await emulator.wait_idle(10)
    assert failures == [1]
    # The next question belonged to work that was rolled back: it never went out.
    assert not any(NEXT_STEP in text for text in _texts(user))
    assert await _name_answer(bot_app.db, setup.programme_id) is None

    # Said again, the name is taken and the form goes on from where it was.
    await user.send(NAME)
    assert NEXT_STEP in (await user.next_message(timeout=10)).text
    assert await _name_answer(bot_app.db, setup.programme_id) == NAME


async def test_webhook_a_failed_update_replies_once_when_it_is_delivered_again(
    emulator: Any, bot_app_webhook: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    setup, user = await _at_the_first_question(emulator, bot_app_webhook)
    failures = _fail_once_after_replying(monkeypatch)

    await user.send(NAME)
    await user.wait_for(NEXT_STEP, timeout=10)  # Telegram sent the update again
    await emulator.wait_idle(10)
    assert failures == [1]
    after_name = _texts(user)[2:]
    # One apology for the failed attempt, then the one reply of the attempt that held.
    assert [APOLOGY in text for text in after_name] == [True, False]
    assert sum(NEXT_STEP in text for text in after_name) == 1
    assert await _name_answer(bot_app_webhook.db, setup.programme_id) == NAME


async def test_webhook_a_button_press_is_answered_in_the_webhook_answer(
    emulator: Any, bot_app_webhook: Any
) -> None:
    _setup, user = await _at_the_first_question(emulator, bot_app_webhook)
    await user.send(NAME)
    await user.wait_for(NEXT_STEP, timeout=10)
    calls_before = emulator.stats.calls["answerCallbackQuery"]
    in_webhook_before = emulator.stats.webhook_replies["answerCallbackQuery"]

    await user.press("✅ Даю согласие, мне уже есть 18")
    await user.wait_for("Согласие сохранено", timeout=10)
    await emulator.wait_idle(10)
    answered = emulator.stats.calls["answerCallbackQuery"] - calls_before
    in_webhook = emulator.stats.webhook_replies["answerCallbackQuery"] - in_webhook_before
    # The press was answered (the spinner stopped), with no Bot API call of its own.
    assert answered == 1
    assert in_webhook == 1
