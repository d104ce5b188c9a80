"""A mentee, often a child, reads the programme and the consent in plain words; the legal
text of the consent, the version stored with the decision, is shown on request."""

from __future__ import annotations

import re
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
    # From the decision on, a school student is addressed as a child (docs/texts.md).
    assert "согласие твоего родителя" in (await child.next_message()).text


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


@pytest.mark.parametrize(
    ("age", "next_question", "hint"),
    [
        # Under 14: «ты» (bot/forms/mentee_profile.yaml, `ru_child`).
        ("12", "Кто ты в программе?", "Напиши ответ одним сообщением."),
        # 14 and older: «вы», like an adult, once the profile tells the age.
        ("15", "Кто вы в программе?", "Напишите ответ одним сообщением."),
    ],
)
async def test_the_register_follows_the_age(
    emulator: Any, bot_app: Any, age: str, next_question: str, hint: str
) -> None:
    from bot.playbook.participant import Parent, give_parent_consent

    setup = await programme_with_invitations(bot_app.db, 700_103)
    child = emulator.create_user("Петя")
    parent = Parent(emulator.create_user("Анна"), "Петрова Анна Ивановна")
    await child.start(setup.mentee_code)
    await child.next_message()
    await child.next_message()
    await child.send("Петров Петя")
    await child.next_message()
    await child.press("✅ Даю согласие, мне ещё нет 18")
    asked = await child.next_message()
    assert "Перешли ему эту ссылку" in asked.text  # the age is not known yet: a child
    found = re.search(r"start=(p_[\w-]+)", asked.text)
    assert found is not None
    await give_parent_consent(parent, found.group(1))
    assert "Родитель дал согласие — можно продолжать" in (await child.next_message()).text
    await child.send("/start")
    assert "Продолжим с того же места" in (await child.next_message()).text
    assert "Сколько тебе лет?" in (await child.next_message()).text
    await child.send(age)
    question = await child.next_message()
    assert next_question in question.text
    await child.press("школьник", message=question)
    grade = await child.wait_for("Вопрос 4")
    assert ("В каком ты классе?" in grade.text) == (age == "12")
    await child.send("6" if age == "12" else "9")
    requests = await child.wait_for("Вопрос 5")
    assert ("Выбери до трёх" in requests.text) == (age == "12")
    await child.press("успеваемость", message=requests)
    await child.press("✅ Готово", message=requests)
    interests = await child.wait_for("Вопрос 6")
    await child.press("музыка", message=interests)
    await child.press("✅ Готово", message=interests)
    assert hint in (await child.wait_for("Вопрос 7")).text
