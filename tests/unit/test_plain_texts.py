"""Time zones in words and texts shortened between words (expected strings by hand)."""

from __future__ import annotations

import pytest

from bot.services.zones import zone_words
from bot.texts import shorten, shorten_lines


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        ("Europe/Moscow", "время московское"),
        ("Asia/Krasnoyarsk", "по времени Красноярска, UTC+7"),
        ("Asia/Novosibirsk", "по времени Новосибирска, UTC+7"),
        ("Europe/Kaliningrad", "по времени Калининграда, UTC+2"),
        ("Asia/Kamchatka", "по времени Петропавловска-Камчатского, UTC+12"),
        ("Asia/Kolkata", "по времени UTC+5:30"),
    ],
)
def test_a_zone_in_words(zone: str, expected: str) -> None:
    assert zone_words(zone, "ru") == expected


def test_no_zone_code_in_the_words() -> None:
    assert "Asia/" not in zone_words("Asia/Irkutsk", "ru")
    assert zone_words("Asia/Irkutsk", "en") == "Irkutsk time, UTC+8"


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("запрос «проектная работа» и цифровые навыки", 24, "запрос «проектная…"),
        ("Анна Петровна Смирнова-Лебедева", 20, "Анна Петровна…"),
        ("коротко", 20, "коротко"),
        # One long word is the only thing cut inside a word.
        ("Петропавловск-Камчатский", 10, "Петропавл…"),
    ],
)
def test_shortened_between_words(text: str, limit: int, expected: str) -> None:
    assert shorten(text, limit) == expected
    assert len(shorten(text, limit)) <= limit


def test_every_line_of_a_group_explanation_stays() -> None:
    text = "\n".join(
        f"{name}: взаимный первый выбор; общие интересы: робототехника, шахматы, история"
        for name in ("Вера Морозова", "Иван Новиков", "Софья Морозова", "Лев Смирнов")
    )
    short = shorten_lines(text, 200)
    lines = short.splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "Вера Морозова",
        "Иван Новиков",
        "Софья Морозова",
        "Лев Смирнов",
    ]
    assert all(line.endswith("…") and not line.endswith(" …") for line in lines)


@pytest.mark.parametrize(
    ("names", "limit", "expected"),
    [
        ("Вера Морозова, Иван Новиков, Софья Морозова", 30, "Вера Морозова, Иван Новиков +1"),
        (["Вера Морозова", "Иван Новиков"], 30, "Вера Морозова, Иван Новиков"),
        ("Вера Морозова, Иван Новиков, Софья Морозова, Лев Смирнов", 20, "Вера Морозова +3"),
    ],
)
def test_a_list_of_names_keeps_each_name_whole(names: object, limit: int, expected: str) -> None:
    """A list button (the pairs of /feedback_round, «Лучшая пара») is never cut inside a name."""
    from bot.texts import shorten_names

    assert shorten_names(names, limit) == expected  # type: ignore[arg-type]
    assert len(expected) <= limit


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Иван Новиков", "Иван Новиков"),
        ("Максим Андреевич Смирнов", "Максим Андреевич Смирнов"),
        ("Александра Константиновна Преображенская", "Преображенская А. К."),
        ("Преображенская Александра Константиновна", "Преображенская А. К."),
    ],
)
def test_a_long_name_on_a_button_is_the_surname_with_initials(name: str, expected: str) -> None:
    from bot.services.names import short_name

    assert short_name(name, 25) == expected
