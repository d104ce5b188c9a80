"""A child under 14 reads the child's register (docs/texts.md): the rule, the child variant of
a message, the child's wording of a form. Expected strings are from the .ftl and YAML files."""

from __future__ import annotations

import pytest

from bot.services.forms import get_form
from bot.services.people import is_child, participant_locale
from bot.texts import has_text, pick_text, reader_locale, register_of, t
from storage.models import Participant, Person

CHILD_RU = reader_locale("ru", child=True)


@pytest.mark.parametrize(
    ("minor", "age", "child"),
    [
        (True, 12, True),
        (True, 13, True),
        (True, 14, False),  # 14 and older read «вы»
        (True, 17, False),
        (True, None, True),  # under 18 and the age not asked yet
        (False, None, False),
        (False, 12, False),  # said «мне уже есть 18»: the consent's word is taken
    ],
)
def test_who_reads_as_a_child(minor: bool, age: int | None, child: bool) -> None:
    participant = Participant(is_minor=minor, age=age)
    assert is_child(participant) is child
    locale = participant_locale(Person(locale="ru"), participant)
    assert register_of(locale) == ("child" if child else "adult")


def test_a_child_gets_the_child_variant_and_an_adult_the_usual_text() -> None:
    assert t("journey-profile-done", CHILD_RU) == (
        "Анкета готова! Посмотреть или поменять её можно в /profile."
    )
    assert t("journey-profile-done", "ru") == (
        "Ваша анкета заполнена и подтверждена. Посмотреть или изменить её можно в /profile."
    )
    # A text with no child variant is the usual one.
    assert t("pairs-held-confirmed", CHILD_RU, when="11.09") == (
        "Спасибо! Встреча 11.09 подтверждена."
    )


def test_english_has_no_child_register_and_stays_english() -> None:
    child_en = reader_locale("en", child=True)
    assert t("journey-profile-done", child_en) == t("journey-profile-done", "en")
    assert "Анкета" not in t("journey-profile-done", child_en)


def test_the_register_survives_a_locale_from_telegram() -> None:
    assert reader_locale("en-US", child=True) == "en-x-child"
    assert reader_locale("ru-x-child", child=False) == "ru"


def test_a_form_shows_the_child_wording_and_keeps_its_ids() -> None:
    form = get_form("mentee_profile")
    age = form.question("age")
    assert age is not None
    assert age.prompt(CHILD_RU) == "Сколько тебе лет?"
    assert age.prompt("ru") == "Сколько вам полных лет?"
    assert age.prompt(reader_locale("en", child=True)) == "How old are you?"
    feedback = get_form("feedback")
    comfort = feedback.question("comfort")
    assert comfort is not None and "в паре" not in comfort.prompt("ru")  # a group too
    # The text with no child wording is the adults'.
    assert pick_text({"ru": "А", "en": "B"}, CHILD_RU) == "А"


def test_every_child_variant_has_its_message_and_no_adult_address() -> None:
    """A `-child` message exists only beside its usual one, takes no variable the usual one
    lacks, and never says «вы»."""
    import re

    from bot.texts import LOCALES_DIR, variables

    key = re.compile(r"^([a-z][a-z0-9-]*)\s*=", re.MULTILINE)
    keys: set[str] = set()
    for path in LOCALES_DIR.joinpath("ru").glob("*.ftl"):
        keys |= set(key.findall(path.read_text(encoding="utf-8")))
    children = sorted(k for k in keys if k.endswith("-child"))
    assert len(children) > 40
    adult = re.compile(r"\b(?:вы|вас|вам|ваш\w*|[а-яё]{3,}(?:ите|йте))\b", re.IGNORECASE)
    for child in children:
        usual = child.removesuffix("-child")
        assert usual in keys, child
        assert set(variables(child, "ru")) <= set(variables(usual, "ru")) | {"register"}, child
        assert not adult.search(t(child, "ru")), child


def test_a_childs_locale_asks_for_texts_of_its_language() -> None:
    # cases.opened_text asks whether a text exists for the reader: a child's locale is
    # Russian for that question (it once reached Fluent as «ru-x-child» and failed).
    child = reader_locale("ru", child=True)
    assert has_text("cases-opened", child)
    assert not has_text("no-such-text", child)
