"""Who may be grouped: one form of mentoring per group, mentors' preferred ages bind completion.

The categories of mentees and the age bands are read from the shipped questionnaires
(bot/forms/*.yaml): the codes of their options and the ages written in their Russian
labels («10–13 лет», «взрослые», «любой возраст»), not from the matching code.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.services.forms import get_form
from bot.services.matching import (
    MatchingInstance,
    MenteeInput,
    MentorInput,
    run_matching,
    suggest_mentors,
)
from bot.services.matching.engine import placement_violations

ROOT = Path(__file__).resolve().parents[2]
PROPERTY = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _options(form: str, question: str) -> list[tuple[str, str]]:
    found = get_form(form).question(question)
    assert found is not None
    return [(option.code, option.label("ru")) for option in found.options]


CATEGORIES = dict(_options("mentee_profile", "category"))
SCHOOL = next(code for code, label in CATEGORIES.items() if label == "школьник")
YOUNG_TEACHER = next(code for code, label in CATEGORIES.items() if label == "молодой педагог")
AGE_OPTIONS = _options("mentor_profile", "mentee_ages")


def _age_ranges() -> dict[str, range | None]:
    """Option code → the ages it covers; None for «любой возраст»."""
    out: dict[str, range | None] = {}
    top = 0
    for code, label in AGE_OPTIONS:
        bounds = re.match(r"(\d+)\D+(\d+)", label)
        if bounds:
            out[code] = range(int(bounds.group(1)), int(bounds.group(2)) + 1)
            top = max(top, int(bounds.group(2)))
    for code, label in AGE_OPTIONS:
        if label == "взрослые":
            out[code] = range(top + 1, 200)
        elif label == "любой возраст":
            out[code] = None
    assert len(out) == len(AGE_OPTIONS), AGE_OPTIONS
    return out


AGES = _age_ranges()


def age_wanted(age: int | None, preferred: list[str]) -> bool:
    if not preferred:
        return True
    for code in preferred:
        ages = AGES[code]
        if ages is None or (age is not None and age in ages):
            return True
    return False


@st.composite
def programmes(draw: st.DrawFn) -> MatchingInstance:
    """A programme with «ученик – ученик» and «педагог – педагог»: school students and
    young teachers of all ages, mentors with capacities and preferred ages."""
    n_mentees = draw(st.integers(1, 10))
    n_mentors = draw(st.integers(1, 5))
    mentee_ids = [f"e{i}" for i in range(n_mentees)]
    mentor_ids = [f"m{i}" for i in range(n_mentors)]
    mentees = []
    for mentee_id in mentee_ids:
        category = draw(st.sampled_from(sorted(CATEGORIES)))
        mentees.append(
            MenteeInput(
                mentee_id,
                preferences=draw(st.lists(st.sampled_from(mentor_ids), unique=True)),
                profile={
                    "category": category,
                    "age": draw(st.integers(10, 40)),
                    "grade": draw(st.integers(5, 11)),
                    "interests": draw(st.lists(st.sampled_from(["robotics", "music"]))),
                    "format": draw(st.sampled_from(["online", "in_person", "mixed"])),
                },
            )
        )
    mentors = [
        MentorInput(
            mentor_id,
            capacity=draw(st.integers(1, 4)),
            # Some mentors already have a group of one category.
            group_category=draw(st.none() | st.sampled_from(sorted(CATEGORIES))),
            preferences=draw(st.lists(st.sampled_from(mentee_ids), unique=True)),
            profile={
                "category": "teacher",
                "preferred_ages": draw(
                    st.lists(st.sampled_from([code for code, _ in AGE_OPTIONS]), unique=True)
                ),
                "interests": ["robotics"],
                "format": draw(st.sampled_from(["online", "in_person", "mixed"])),
            },
        )
        for mentor_id in mentor_ids
    ]
    return MatchingInstance(
        mentees=mentees,
        mentors=mentors,
        complete_preferences=True,
        forms=draw(
            st.sampled_from(
                [
                    ["student_student", "teacher_teacher"],
                    ["teacher_teacher", "employer_student", "college_college"],
                ]
            )
        ),
        completion_length=draw(st.integers(1, 10)),
    )


@PROPERTY
@given(programmes())
def test_a_group_never_mixes_categories_of_mentees(instance: MatchingInstance) -> None:
    category = {m.id: m.profile["category"] for m in instance.mentees}  # type: ignore[index]
    kept = {m.id: m.group_category for m in instance.mentors}
    for group in run_matching(instance).pairs:
        kinds = {category[e] for e in group.mentees}
        assert len(kinds) == 1, group
        assert not {SCHOOL, YOUNG_TEACHER} <= kinds
        if kept[group.mentor] is not None:
            assert kinds == {kept[group.mentor]}


@PROPERTY
@given(programmes())
def test_completion_never_gives_a_mentor_a_mentee_outside_the_preferred_ages(
    instance: MatchingInstance,
) -> None:
    mentees = {m.id: m for m in instance.mentees}
    for group in run_matching(instance).pairs:
        mentor = next(m for m in instance.mentors if m.id == group.mentor)
        wanted = mentor.profile["preferred_ages"]  # type: ignore[index]
        for e in group.mentees:
            if e in mentor.preferences:
                continue  # the mentor chose this mentee by name
            age = mentees[e].profile["age"]  # type: ignore[index]
            assert age_wanted(age, wanted), (group, age, wanted)


@PROPERTY
@given(programmes())
def test_suggestions_respect_the_preferred_ages(instance: MatchingInstance) -> None:
    mentees = {m.id: m for m in instance.mentees}
    mentors = {m.id: m for m in instance.mentors}
    for mentee in instance.mentees:
        for m in suggest_mentors(instance, mentee.id, 3):
            wanted = mentors[m].profile["preferred_ages"]  # type: ignore[index]
            assert age_wanted(mentees[mentee.id].profile["age"], wanted)  # type: ignore[index]


def _teacher(mentor_id: str, ages: list[str], prefs: list[str], capacity: int = 3) -> MentorInput:
    return MentorInput(
        mentor_id,
        capacity=capacity,
        preferences=prefs,
        profile={"category": "teacher", "preferred_ages": ages, "interests": ["robotics"]},
    )


def _mentee(mentee_id: str, category: str, age: int, prefs: list[str]) -> MenteeInput:
    return MenteeInput(
        mentee_id,
        preferences=prefs,
        profile={"category": category, "age": age, "grade": 6, "interests": ["robotics"]},
    )


def test_the_demo_case_a_twelve_year_old_is_not_completed_to_an_adults_mentor() -> None:
    # The mentor asked for «18–25 лет» and «взрослые»; a 12-year-old chose the mentor.
    adults = [code for code, ages in AGES.items() if ages is not None and 12 not in ages]
    adults = [code for code in adults if AGES[code].start >= 18]  # type: ignore[union-attr]
    instance = MatchingInstance(
        mentees=[_mentee("kid", SCHOOL, 12, ["m1"]), _mentee("t", YOUNG_TEACHER, 23, ["m1"])],
        mentors=[_teacher("m1", adults, [])],
        complete_preferences=True,
        forms=["student_student", "teacher_teacher"],
    )
    result = run_matching(instance)
    assert [(g.mentor, g.mentees, g.form) for g in result.pairs] == [
        ("m1", ["t"], "teacher_teacher")
    ]
    assert [(u.mentee, u.reason_code) for u in result.unmatched] == [("kid", "ages")]
    assert "педагог – педагог" in result.pairs[0].explanation


def test_a_mentor_keeps_the_category_of_the_mentee_ranked_first() -> None:
    # m1 (room for 3) names a young teacher first, then two school students.
    instance = MatchingInstance(
        mentees=[
            _mentee("t", YOUNG_TEACHER, 24, ["m1"]),
            _mentee("s1", SCHOOL, 12, ["m1", "m2"]),
            _mentee("s2", SCHOOL, 11, ["m1"]),
        ],
        mentors=[_teacher("m1", [], ["t", "s1", "s2"]), _teacher("m2", [], ["s1"])],
        forms=["student_student", "teacher_teacher"],
    )
    result = run_matching(instance)
    assert {g.mentor: g.mentees for g in result.pairs} == {"m1": ["t"], "m2": ["s1"]}
    reasons = {u.mentee: u.reason_code for u in result.unmatched}
    assert reasons == {"s2": "constraints"}


def test_a_category_outside_the_programme_forms_is_not_matched() -> None:
    instance = MatchingInstance(
        mentees=[_mentee("t", YOUNG_TEACHER, 24, ["m1"])],
        mentors=[_teacher("m1", [], ["t"])],
        forms=["student_student"],
    )
    result = run_matching(instance)
    assert result.pairs == []
    assert "ни одна форма наставничества" in result.unmatched[0].reason


def test_placement_names_each_rule_a_curator_would_break() -> None:
    kid = _mentee("kid", SCHOOL, 12, [])
    adults_only = _teacher("m1", [code for code, _ in AGE_OPTIONS if code.startswith("18")], [])
    teacher = _mentee("t", YOUNG_TEACHER, 24, [])
    forms = ["student_student", "teacher_teacher"]
    assert placement_violations(kid, adults_only, [teacher], forms) == ["group-category", "age"]
    assert placement_violations(teacher, adults_only, [], forms) == []


def test_cli_takes_forms_and_categories_and_prints_the_form() -> None:
    instance: dict[str, Any] = {
        "forms": ["student_student", "teacher_teacher"],
        "complete_preferences": True,
        "mentees": [
            {"id": "kid", "preferences": ["m1"], "profile": {"category": SCHOOL, "age": 12}},
            {"id": "t", "preferences": ["m1"], "profile": {"category": YOUNG_TEACHER, "age": 23}},
        ],
        "mentors": [
            {
                "id": "m1",
                "capacity": 2,
                "profile": {"category": "teacher", "preferred_ages": ["18_25", "adult"]},
            }
        ],
    }
    done = subprocess.run(
        [sys.executable, "-m", "bot", "match", "-"],
        input=json.dumps(instance),
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    output = json.loads(done.stdout)
    assert [(p["mentor"], p["mentees"], p["form"]) for p in output["pairs"]] == [
        ("m1", ["t"], "teacher_teacher")
    ]
    assert [u["mentee"] for u in output["unmatched"]] == ["kid"]
