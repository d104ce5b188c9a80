"""Typed text: control characters refused, bidi controls removed, names need two letters.

The name question is the shipped one (bot/forms/mentee_profile.yaml and mentor_profile.yaml,
`full_name`, min 2, max 200).
"""

from __future__ import annotations

import pytest

from bot.services import forms
from bot.services.forms import InvalidAnswer
from bot.services.forms.answers import parse_text
from bot.services.text_input import clean_name, has_controls


@pytest.fixture(params=["mentee_profile", "mentor_profile"])
def name_question(request: pytest.FixtureRequest) -> forms.Question:
    question = forms.load_forms()[str(request.param)].question("full_name")
    assert question is not None and question.maps_to == "display_name"
    return question


@pytest.mark.parametrize(
    "typed",
    [
        "\u200b\u200b",  # two zero-width spaces
        "\u202e\u202e\u202e",  # right-to-left overrides only
        "\u200b\u200c\u200d\u2060\ufeff\u00ad",  # zero-width (non-)joiners, word joiner, BOM
        "\u202eЯ\u200b",  # one letter is not a name
        "12 34",
        "🙂🙂",
        "-- ..",
    ],
)
def test_a_name_without_two_visible_letters_is_refused(
    name_question: forms.Question, typed: str
) -> None:
    with pytest.raises(InvalidAnswer) as caught:
        parse_text(name_question, typed)
    assert caught.value.key == "forms-error-name-letters"
    assert "две буквы" in caught.value.message("ru")
    assert "two letters" in caught.value.message("en")


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("\u202eабв", "абв"),  # shown as «вба» if the override stayed
        ("Иванова\u200b Мария", "Иванова Мария"),
        ("\u2067Анна\u2069  Петрова ", "Анна Петрова"),
        ("Ян", "Ян"),
        ("Анна-Мария О'Нил", "Анна-Мария О'Нил"),
        ("李雷", "李雷"),
    ],
)
def test_a_name_is_stored_without_invisible_characters(
    name_question: forms.Question, typed: str, stored: str
) -> None:
    assert parse_text(name_question, typed) == stored


@pytest.mark.parametrize("typed", ["А\x00Б", "Анна\x00", "\x00", "Анна\x1bПетрова"])
def test_a_name_with_a_control_character_is_refused_clearly(
    name_question: forms.Question, typed: str
) -> None:
    with pytest.raises(InvalidAnswer) as caught:
        parse_text(name_question, typed)
    assert caught.value.key == "forms-error-text-controls"
    assert "служебные символы" in caught.value.message("ru")


def test_other_text_answers_lose_bidi_controls_and_refuse_nul() -> None:
    question = forms.load_forms()["mentee_profile"].question("goals")
    assert question is not None and question.type == "text" and question.maps_to is None
    assert parse_text(question, "\u202eхочу научиться\u202c читать") == "хочу научиться читать"
    family = "семья 👨\u200d👩\u200d👧 и школа"  # joiners inside an emoji are text
    assert parse_text(question, family) == family
    assert parse_text(question, "строка 1\nстрока 2\tи табуляция") == (
        "строка 1\nстрока 2\tи табуляция"
    )
    with pytest.raises(InvalidAnswer, match="forms-error-text-controls"):
        parse_text(question, "ответ\x00с нулём")


def test_helpers() -> None:
    assert has_controls("a\x00b") and has_controls("\x7f") and not has_controls("a\nb\tc\r")
    assert clean_name("  \u200bО\u00adльга  ") == "Ольга"


def test_a_telegram_profile_name_loses_invisible_characters() -> None:
    from bot.services.people import TelegramUser

    user = TelegramUser(id=1, first_name="\u202eМария", last_name="Ивановна\u200b")
    assert user.shown_name == "Мария Ивановна"
