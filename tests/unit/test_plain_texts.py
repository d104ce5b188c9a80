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
