"""A mentee, often a child, reads the programme and the consent in plain words; the legal
text of the consent, the version stored with the decision, is shown on request."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.journey import programme_with_invitations

FULL = "📄 Полный текст согласия"


@pytest.fixture
def emulator_options() -> dict[str, Any]:
    return {"rate_limits": False}


async def test_a_mentee_reads_plain_words_and_the_legal_text_on_request(
    emulator: Any, bot_app: Any
) -> None:
    setup = await programme_with_invitations(bot_app.db, 700_101)
    child = emulator.create_user("Маша")
    stranger = emulator.create_user("Чужой")

    await child.start(setup.mentee_code)
    about = await child.next_message()
    assert "Добро пожаловать" in about.text and "у вас появится наставник" in about.text
    assert "Формы наставничества" not in about.text and "ученик – ученик" not in about.text
    await child.next_message()  # the name
    await child.send("Мария Иванова")
    consent = await child.next_message()
    assert "Можно сохранить ваши ответы?" in consent.text
    # Plain words: neither the legal wording nor the bracket endings.
    assert "Как отозвать:" not in consent.text and "(на)" not in consent.text
    assert consent.button_texts == [
        "✅ Даю согласие, мне уже есть 18",
        "✅ Даю согласие, мне ещё нет 18",
        "Не даю согласия",
        FULL,
    ]
    button = consent.find_button(FULL)
    assert button is not None

    # Somebody else's press shows them nothing.
    await stranger.send("привет")
    await stranger.next_message()
    answer = await stranger.press_data(str(button["callback_data"]))
    assert answer.alert is not None
    await stranger.expect_silence()

    await child.press(FULL, message=consent)
    legal = await child.next_message()
    assert "Согласие на обработку персональных данных" in legal.text
    assert "Оператор:" in legal.text and "Как отозвать:" in legal.text
    # The decision is still taken on the first screen, which keeps its buttons.
    await child.press("✅ Даю согласие, мне ещё нет 18", message=consent)
    assert "согласие вашего родителя" in (await child.next_message()).text


async def test_a_mentor_reads_the_legal_text_at_once(emulator: Any, bot_app: Any) -> None:
    setup = await programme_with_invitations(bot_app.db, 700_102)
    mentor = emulator.create_user("Анна")
    await mentor.start(setup.mentor_code)
    about = await mentor.next_message()
    assert "Формы наставничества" in about.text
    await mentor.next_message()
    await mentor.send("Анна Петровна Смирнова")
    consent = await mentor.next_message()
    assert "Оператор:" in consent.text and "Как отозвать:" in consent.text
    assert FULL not in consent.button_texts
