"""Names in the cases the texts use, and the gender they agree with.

Every expected string is written out by hand as a Russian speaker would say it."""

from __future__ import annotations

import pytest

from bot.playbook.hands import plain
from bot.services.names import Case, Gender, decline, gender_of, name_args, polite_address
from bot.texts import t


@pytest.mark.parametrize(
    ("name", "case", "expected"),
    [
        ("Матвей Смирнов", Case.GENITIVE, "Матвея Смирнова"),
        ("Матвей Смирнов", Case.DATIVE, "Матвею Смирнову"),
        ("Матвей Смирнов", Case.INSTRUMENTAL, "Матвеем Смирновым"),
        ("Полина Сергеевна Морозова", Case.ACCUSATIVE, "Полину Сергеевну Морозову"),
        ("Полина Сергеевна Морозова", Case.GENITIVE, "Полины Сергеевны Морозовой"),
        ("Вера Лебедева", Case.GENITIVE, "Веры Лебедевой"),
        ("Вера Лебедева", Case.DATIVE, "Вере Лебедевой"),
        ("Лев Андреевич Смирнов", Case.INSTRUMENTAL, "Львом Андреевичем Смирновым"),
        ("Иванова Мария Петровна", Case.DATIVE, "Ивановой Марии Петровне"),
        ("Смирнов Матвей", Case.GENITIVE, "Смирнова Матвея"),
        ("Ольга Викторовна", Case.DATIVE, "Ольге Викторовне"),
        ("Никита Ильин", Case.ACCUSATIVE, "Никиту Ильина"),
    ],
)
def test_names_are_declined(name: str, case: Case, expected: str) -> None:
    assert decline(name, case) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Вера Лебедева", Gender.FEMALE),
        ("Матвей Смирнов", Gender.MALE),
        ("Полина Сергеевна Морозова", Gender.FEMALE),
        ("Никита Ильин", Gender.MALE),
        # The patronymic decides where the first name does not.
        ("Саша Ким", Gender.UNKNOWN),
        ("Саша Викторовна", Gender.FEMALE),
        ("Женя Андреевич", Gender.MALE),
    ],
)
def test_gender_from_the_name(name: str, expected: Gender) -> None:
    assert gender_of(name) is expected


def test_the_profile_gender_wins_over_the_name() -> None:
    assert gender_of("Саша Ким", "female") is Gender.FEMALE
    assert decline("Саша Ким", Case.GENITIVE, "female") == "Саши Ким"
    assert decline("Саша Ким", Case.GENITIVE, "male") == "Саши Кима"


def test_what_cannot_be_declined_is_left_as_written() -> None:
    # Unknown gender: «Ким» declines differently for him and for her.
    assert decline("Саша Ким", Case.GENITIVE) == "Саша Ким"
    assert decline("John Smith", Case.GENITIVE) == "John Smith"
    assert decline("", Case.GENITIVE) == ""


def test_names_are_escaped_for_html() -> None:
    args = name_args("who", "Вера <b>Лебедева</b>")
    assert args["who"] == "Вера &lt;b&gt;Лебедева&lt;/b&gt;"


@pytest.mark.parametrize(
    ("key", "name", "expected"),
    [
        ("pairs-alert-low-score", "Матвей Смирнов", "низкая оценка от Матвея Смирнова"),
        ("pairs-vote-done", "Полина Сергеевна Морозова", "за Полину Сергеевну Морозову учтён"),
        ("journey-curator-parent-wait", "Вера Лебедева", "наставляемая Вера Лебедева ждёт"),
        ("journey-curator-parent-wait", "Матвей Смирнов", "наставляемый Матвей Смирнов ждёт"),
        ("journey-curator-parent-agreed", "Вера Лебедева", "родитель участницы Веры Лебедевой"),
        ("journey-curator-parent-declined", "Матвей Смирнов", "родитель участника Матвея Смирнова"),
        ("pairs-meeting-accepted", "Вера Лебедева", "Вера Лебедева подтвердила встречу"),
        ("pairs-meeting-logged", "Полина Сергеевна Морозова", "Морозова отметила встречу"),
        ("relay-incoming", "Вера Лебедева", "Сообщение от наставляемой Веры Лебедевой"),
    ],
)
def test_messages_decline_and_agree(key: str, name: str, expected: str) -> None:
    prefix = {"pairs-alert-low-score": "person", "pairs-meeting-accepted": "mentee"}.get(key)
    prefix = prefix or ("mentor" if key == "pairs-meeting-logged" else "name")
    text = plain(t(key, "ru", role="mentee", **name_args(prefix, name)))
    assert expected in text
    assert "(а)" not in text


def test_unknown_gender_has_no_bracket_endings() -> None:
    text = t("pairs-meeting-accepted", "ru", **name_args("mentee", "Саша Ким"), when="11.09")
    assert "Саша Ким" in text and "(а)" not in text and "подтвердил " not in text


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Даниил Андреевич Новиков", "Даниил Андреевич"),
        ("Иванова Мария Петровна", "Мария Петровна"),
        ("Мария Иванова", "Мария Иванова"),
    ],
)
def test_an_adult_is_addressed_by_first_name_and_patronymic(name: str, expected: str) -> None:
    assert polite_address(name) == expected
