"""Shared option codes of the questionnaires, matching and reports.

Labels live in `locales/<lang>/vocabulary.ftl` as `vocab-<group>-<code>`; forms and the
matching engine use the codes, so a request «выбор профессии» (mentee) meets the
competency «выбор профессии» (mentor) by its code `career`.
"""

from __future__ import annotations

from bot.texts import has_text, t

# What a mentee asks for and what a mentor can help with: the same codes on both sides.
REQUESTS = (
    "grades",  # успеваемость
    "adaptation",  # адаптация в коллективе
    "career",  # выбор профессии
    "project",  # проект
    "olympiad",  # олимпиада, конкурс
    "leadership",  # лидерство
    "digital",  # цифровые навыки
    "professional_growth",  # профессиональный рост (педагоги)
    "other",
)

INTERESTS = (
    "it",
    "robotics",
    "science",
    "math",
    "languages",
    "literature",
    "history",
    "art",
    "music",
    "sport",
    "volunteering",
    "business",
    "media",
    "games",
    "travel",
    "other",
)

FORMATS = ("in_person", "online", "mixed")

# Convenient times for meetings (a mentee and a mentor match on any shared slot).
TIMES = ("weekday_morning", "weekday_afternoon", "weekday_evening", "weekend")

MENTEE_CATEGORIES = ("school_student", "college_student", "young_teacher")
MENTOR_CATEGORIES = ("student", "teacher", "graduate", "employer", "parent", "ngo")

# Preferred age of mentees for mentors.
MENTEE_AGES = ("10_13", "14_17", "18_25", "adult", "any")

# Forms of mentoring from Р-145 and the Bratsk model.
MENTORING_FORMS = (
    "student_student",  # ученик – ученик
    "college_college",  # студент – студент
    "student_college",  # ученик – студент
    "employer_student",  # работодатель – ученик
    "employer_college",  # работодатель – студент
    "teacher_teacher",  # педагог – педагог
    "college_teacher",  # студент – педагог
)

GROUPS: dict[str, tuple[str, ...]] = {
    "request": REQUESTS,
    "interest": INTERESTS,
    "format": FORMATS,
    "time": TIMES,
    "mentee-category": MENTEE_CATEGORIES,
    "mentor-category": MENTOR_CATEGORIES,
    "mentee-age": MENTEE_AGES,
    "form": MENTORING_FORMS,
}


def label(group: str, code: str, locale: str | None = None) -> str:
    """The human label of an option code; unknown codes (e.g. «Другое» text) as they are."""
    key = f"vocab-{group}-{code.replace('_', '-')}"
    return t(key, locale) if has_text(key) else code


def age_band(age: int | None) -> str | None:
    """The `MENTEE_AGES` band an age falls into."""
    if age is None:
        return None
    if age <= 13:
        return "10_13"
    if age <= 17:
        return "14_17"
    if age <= 25:
        return "18_25"
    return "adult"
