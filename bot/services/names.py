"""People's names in the grammatical cases Russian texts need, and their grammatical gender.

Names are declined by `pytrovich` (the petrovich rules made for Russian first names,
patronymics and surnames), never by hand-made endings. The gender comes from the profile
when it is known and otherwise from the patronymic, then the first name, then the surname;
when none of them tells (Саша Ким), it stays unknown and texts use wording that fits both.

Texts get the forms as Fluent arguments: `name_args("mentee", "Вера Лебедева")` gives
`mentee`, `mentee_gen`, `mentee_dat`, `mentee_acc`, `mentee_ins`, `mentee_pre` and
`mentee_gender` (`male`, `female` or `other`, for a selector in the message).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from pytrovich.detector import PetrovichGenderDetector
from pytrovich.enums import Case as PetrovichCase
from pytrovich.enums import Gender as PetrovichGender
from pytrovich.enums import NamePart
from pytrovich.maker import PetrovichDeclinationMaker

from bot.texts import esc, shorten


class Case(StrEnum):
    """The six cases; the value is the suffix of the Fluent argument (`name_gen`)."""

    NOMINATIVE = "nom"
    GENITIVE = "gen"
    DATIVE = "dat"
    ACCUSATIVE = "acc"
    INSTRUMENTAL = "ins"
    PREPOSITIONAL = "pre"


class Gender(StrEnum):
    MALE = "male"
    FEMALE = "female"
    UNKNOWN = "other"  # Fluent's default variant is `other`


_CASES = {
    Case.GENITIVE: PetrovichCase.GENITIVE,
    Case.DATIVE: PetrovichCase.DATIVE,
    Case.ACCUSATIVE: PetrovichCase.ACCUSATIVE,
    Case.INSTRUMENTAL: PetrovichCase.INSTRUMENTAL,
    Case.PREPOSITIONAL: PetrovichCase.PREPOSITIONAL,
}
_GENDERS = {Gender.MALE: PetrovichGender.MALE, Gender.FEMALE: PetrovichGender.FEMALE}
_FROM_PETROVICH = {PetrovichGender.MALE: Gender.MALE, PetrovichGender.FEMALE: Gender.FEMALE}

# Patronymics end like this (including the Turkic «оглы»/«кызы» written apart or hyphenated).
_PATRONYMIC = re.compile(r"(вич|ич|вна|чна|шна|оглы|кызы|улы|гызы)$", re.IGNORECASE)
# The usual shapes of Russian surnames: used only to tell «Смирнов Матвей» from «Матвей Смирнов».
_SURNAME = re.compile(
    r"(ов|ова|ев|ева|ёв|ёва|ин|ина|ын|ына|ский|ская|цкий|цкая|ой|ых|их|енко|ук|юк)$",
    re.IGNORECASE,
)
_WORD = re.compile(r"^[А-ЯЁа-яё][А-ЯЁа-яё'-]*$")


@dataclass(frozen=True, slots=True)
class NameParts:
    first: str = ""
    middle: str = ""
    last: str = ""
    # Where each part stood, so that the declined name keeps the order it was written in.
    order: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def _maker() -> PetrovichDeclinationMaker:
    return PetrovichDeclinationMaker()


@lru_cache(maxsize=1)
def _detector() -> PetrovichGenderDetector:
    return PetrovichGenderDetector()


def split_name(full_name: str) -> NameParts | None:
    """The parts of a Russian full name, or None when it is not one (a nickname, Latin
    letters, four words). One word is taken as a first name."""
    words = full_name.split()
    if not words or len(words) > 3 or not all(_WORD.match(w) for w in words):
        return None
    if len(words) == 1:
        return NameParts(first=words[0], order=("first",))
    if len(words) == 3:
        if _PATRONYMIC.search(words[1]):
            return NameParts(words[0], words[1], words[2], ("first", "middle", "last"))
        if _PATRONYMIC.search(words[2]):
            return NameParts(words[1], words[2], words[0], ("last", "first", "middle"))
        return None
    a, b = words
    if _PATRONYMIC.search(b):
        return NameParts(first=a, middle=b, order=("first", "middle"))
    if _SURNAME.search(a) and not _SURNAME.search(b):
        return NameParts(first=b, last=a, order=("last", "first"))
    return NameParts(first=a, last=b, order=("first", "last"))


def gender_of(full_name: str | None, known: str | None = None) -> Gender:
    """The profile's gender when known; else the patronymic's, the first name's, the surname's."""
    if known in (Gender.MALE, Gender.FEMALE):
        return Gender(known)
    parts = split_name(full_name or "")
    if parts is None:
        return Gender.UNKNOWN
    detector = _detector()
    for kwargs in (
        {"middlename": parts.middle},
        {"firstname": parts.first},
        {"lastname": parts.last},
    ):
        value = next(iter(kwargs.values()))
        if not value:
            continue
        found = _FROM_PETROVICH.get(detector.detect(**kwargs))
        if found is not None:
            return found
    return Gender.UNKNOWN


def decline(full_name: str | None, case: Case, gender: Gender | str | None = None) -> str:
    """`full_name` in `case`; a name that cannot be read as a Russian one is left as it is."""
    name = (full_name or "").strip()
    if case is Case.NOMINATIVE or not name:
        return name
    return _declined(name, case, gender_of(name, gender))


@lru_cache(maxsize=4096)
def _declined(name: str, case: Case, gender: Gender) -> str:
    parts = split_name(name)
    if parts is None or gender is Gender.UNKNOWN:
        # Without the gender petrovich may decline a surname wrongly (Ким, Лебедева):
        # the name as written reads better than a wrong form.
        return name
    maker, pcase, pgender = _maker(), _CASES[case], _GENDERS[gender]
    parts_by_role = {
        "first": (NamePart.FIRSTNAME, parts.first),
        "middle": (NamePart.MIDDLENAME, parts.middle),
        "last": (NamePart.LASTNAME, parts.last),
    }
    out = []
    for role in parts.order:
        part, word = parts_by_role[role]
        out.append(_keep_case(word, maker.make(part, pgender, pcase, word)))
    return " ".join(out)


def _keep_case(original: str, declined: str) -> str:
    # petrovich keeps the letters it was given; a name typed in capitals stays in capitals.
    return declined.upper() if original.isupper() and len(original) > 1 else declined


def name_args(
    prefix: str, full_name: str | None, gender: Gender | str | None = None, *, escape: bool = True
) -> dict[str, str]:
    """Fluent arguments for one person: the name in every case and the gender selector.

    Escaped for HTML messages by default (names are typed by people)."""
    name = (full_name or "").strip()
    found = gender_of(name, gender)
    wrap = esc if escape else str
    args = {prefix: wrap(name), f"{prefix}_gender": found.value}
    for case in Case:
        if case is not Case.NOMINATIVE:
            args[f"{prefix}_{case.value}"] = wrap(decline(name, case, found))
    return args


def polite_address(full_name: str | None) -> str:
    """How a letter to an adult begins: by first name and patronymic when there is one
    («Даниил Андреевич»), otherwise by the name as written."""
    name = (full_name or "").strip()
    parts = split_name(name)
    if parts is not None and parts.first and parts.middle:
        return f"{parts.first} {parts.middle}"
    return name


def short_name(full_name: str | None, limit: int) -> str:
    """The name as written when it fits in `limit`, otherwise the surname with initials
    («Новиков И. П.»), the way school lists write it: a name is never cut in the middle."""
    name = (full_name or "").strip()
    if len(name) <= limit:
        return name
    parts = split_name(name)
    if parts is not None and parts.last and parts.first:
        middle = f" {parts.middle[0]}." if parts.middle else ""
        short = f"{parts.last} {parts.first[0]}.{middle}"
        if len(short) <= limit:
            return short
    return shorten(name, limit)
