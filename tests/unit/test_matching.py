"""Matching engine: examples, explanations, checks of the input, the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.services.matching import (
    MAX_POINTS,
    MatchingInputError,
    MatchingInstance,
    MenteeInput,
    MenteeProfile,
    MentorInput,
    compatibility_score,
    constraint_violations,
    effective_preferences,
    run_matching,
    stable_matching,
    suggest_mentors,
    validate_instance,
)
from bot.services.matching.cli import main

ROOT = Path(__file__).resolve().parents[2]


def pairs_of(result) -> dict:
    return {g.mentor: list(g.mentees) for g in result.pairs}


# --- the matching itself --------------------------------------------------------------


def test_textbook_instance_gives_mentee_optimal_matching() -> None:
    # Two mentees want m1 first; m1 has one seat and prefers e2.
    result = stable_matching(
        {"e1": ["m1", "m2"], "e2": ["m1", "m2"], "e3": ["m2"]},
        {"m1": ["e2", "e1"], "m2": ["e1", "e3", "e2"]},
        {"m1": 1, "m2": 1},
    )
    assert result == {"m1": ["e2"], "m2": ["e1"]}


def test_capacity_makes_groups_in_mentor_order() -> None:
    instance = MatchingInstance(
        mentees=[MenteeInput(f"e{i}", ["m1"]) for i in range(1, 5)],
        mentors=[MentorInput("m1", 3, ["e4", "e2", "e1", "e3"])],
    )
    result = run_matching(instance)
    assert pairs_of(result) == {"m1": ["e4", "e2", "e1"]}
    assert [u.mentee for u in result.unmatched] == ["e3"]
    assert result.unmatched[0].reason_code == "mentors_full"
    assert result.unmatched[0].suggestions == []


def test_pair_needs_both_sides_to_list_each_other() -> None:
    instance = MatchingInstance(
        mentees=[MenteeInput("e1", ["m1"]), MenteeInput("e2", [])],
        mentors=[MentorInput("m1", 2, ["e2"])],
    )
    result = run_matching(instance)
    assert result.pairs == []
    reasons = {u.mentee: u.reason_code for u in result.unmatched}
    assert reasons == {"e1": "not_reciprocated", "e2": "empty_list"}
    by_id = {u.mentee: u for u in result.unmatched}
    assert by_id["e1"].reason == "никто из наставников в списке не ответил взаимным выбором"
    assert by_id["e2"].reason == "список предпочтений пуст"
    assert by_id["e1"].suggestions == ["m1"]


def test_int_ids_work_in_the_python_api() -> None:
    instance = MatchingInstance(
        mentees=[MenteeInput(11, [2, 1]), MenteeInput(10, [2])],
        mentors=[MentorInput(2, 1, [10, 11]), MentorInput(1, 1, [11])],
    )
    result = run_matching(instance)
    assert pairs_of(result) == {1: [11], 2: [10]}


# --- explanations ---------------------------------------------------------------------


def test_explanation_of_mutual_first_choice_with_shared_profile() -> None:
    instance = MatchingInstance(
        mentees=[
            MenteeInput(
                "e1",
                ["m1"],
                {"requests": ["career"], "interests": ["robotics", "music"]},
            )
        ],
        mentors=[
            MentorInput(
                "m1",
                1,
                ["e1"],
                {"competencies": ["career", "grades"], "interests": ["robotics", "sport"]},
            )
        ],
    )
    (group,) = run_matching(instance).pairs
    assert group.explanation == (
        "взаимный первый выбор; общие интересы: робототехника; "
        "наставник поможет с запросом «выбор профессии»"
    )


def test_explanation_in_english() -> None:
    instance = MatchingInstance(
        mentees=[MenteeInput("e1", ["m1"], {"interests": ["robotics"]})],
        mentors=[MentorInput("m1", 1, ["e1"], {"interests": ["robotics"]})],
    )
    (group,) = run_matching(instance, locale="en").pairs
    assert group.explanation == "mutual first choice; shared interests: robotics"


def test_explanation_of_a_group_has_a_line_per_mentee() -> None:
    instance = MatchingInstance(
        mentees=[MenteeInput("e1", ["m1"]), MenteeInput("e2", ["m1"])],
        mentors=[MentorInput("m1", 2, ["e2", "e1"])],
    )
    (group,) = run_matching(instance).pairs
    assert group.mentees == ["e2", "e1"]
    assert group.explanation.splitlines() == [
        "e2: взаимный первый выбор",
        "e1: взаимный выбор (наставник — №1 у наставляемого, наставляемый — №2 у наставника)",
    ]
    assert group.mentee_explanations["e1"].startswith("взаимный выбор")


def test_other_code_is_never_a_shared_interest() -> None:
    instance = MatchingInstance(
        mentees=[MenteeInput("e1", ["m1"], {"interests": ["other"], "requests": ["other"]})],
        mentors=[MentorInput("m1", 1, ["e1"], {"interests": ["other"], "competencies": ["other"]})],
    )
    assert run_matching(instance).pairs[0].explanation == "взаимный первый выбор"


# --- completion from profiles ---------------------------------------------------------


def _profiles_instance(complete: bool, length: int = 10) -> MatchingInstance:
    return MatchingInstance(
        mentees=[
            MenteeInput("e1", [], {"requests": ["career"], "interests": ["it"], "age": 15}),
            MenteeInput("e2", ["m2"], {"requests": ["grades"], "interests": ["sport"]}),
        ],
        mentors=[
            MentorInput(
                "m1",
                1,
                [],
                {"competencies": ["career"], "interests": ["it"], "preferred_ages": ["14_17"]},
            ),
            MentorInput("m2", 1, [], {"competencies": ["grades"]}),
            MentorInput("m3", 1, [], {}),
        ],
        complete_preferences=complete,
        completion_length=length,
    )


def test_without_completion_nobody_is_matched() -> None:
    result = run_matching(_profiles_instance(False))
    assert result.pairs == []
    assert {u.mentee: u.reason_code for u in result.unmatched} == {
        "e1": "empty_list",
        "e2": "not_reciprocated",
    }
    # Suggestions by score among mentors with room: m1 fits e1 best, m3 has nothing.
    assert result.unmatched[0].suggestions == ["m1", "m2", "m3"]


def test_completion_fills_short_lists_on_both_sides() -> None:
    instance = _profiles_instance(True)
    lists = effective_preferences(instance)
    # Only mentors with something in common; best first.
    assert lists.mentees["e1"] == ["m1"]
    assert lists.mentees["e2"] == ["m2"]
    assert lists.mentors["m1"] == ["e1"]
    assert lists.mentors["m2"] == ["e2"]
    result = run_matching(instance)
    assert pairs_of(result) == {"m1": ["e1"], "m2": ["e2"]}
    explanations = {g.mentor: g.explanation for g in result.pairs}
    assert explanations["m1"].startswith("подобраны по анкетам (совместимость 41%)")
    assert "возраст наставляемого (14–17 лет) подходит наставнику" in explanations["m1"]
    assert explanations["m2"].startswith("выбор наставляемого (наставник — №1 в списке)")


def test_completion_length_zero_changes_nothing() -> None:
    lists = effective_preferences(_profiles_instance(True, length=0))
    assert lists.mentees == {"e1": [], "e2": ["m2"]}


def test_completion_puts_mentors_who_chose_the_mentee_first() -> None:
    instance = MatchingInstance(
        mentees=[MenteeInput("e1", [], {"interests": ["it"]})],
        mentors=[
            MentorInput("m1", 1, [], {"interests": ["it"]}),
            MentorInput("m2", 1, ["e1"], {}),
        ],
        complete_preferences=True,
    )
    assert effective_preferences(instance).mentees["e1"] == ["m2", "m1"]
    result = run_matching(instance)
    assert pairs_of(result) == {"m2": ["e1"]}
    assert result.pairs[0].explanation.startswith("выбор наставника (наставляемый — №1 в списке)")


# --- hard constraints -----------------------------------------------------------------


def test_student_student_needs_an_older_mentor() -> None:
    instance = MatchingInstance(
        mentees=[
            MenteeInput("e1", ["m1", "m2"], {"grade": "7А"}),
            MenteeInput("e2", ["m1"], {"grade": 9}),
            MenteeInput("e3", ["m1"]),
        ],
        mentors=[
            MentorInput("m1", 3, ["e2", "e3", "e1"], {"grade": 9}),
            MentorInput("m2", 1, ["e1"], {"grade": "10Б"}),
        ],
        form="student_student",
    )
    result = run_matching(instance)
    assert pairs_of(result) == {"m1": ["e1"]}
    reasons = {u.mentee: u for u in result.unmatched}
    assert reasons["e2"].reason_code == "constraints"
    assert reasons["e2"].reason.endswith("наставник не старше по классу")
    assert reasons["e2"].suggestions == ["m2"]
    assert reasons["e3"].reason.endswith("не указан класс")
    assert reasons["e3"].suggestions == []


def test_programmes_and_persons_are_never_mixed() -> None:
    instance = MatchingInstance(
        mentees=[
            MenteeInput("e1", ["m1", "m2"], programme="A"),
            MenteeInput("p7", ["p7", "m3"], person="u7"),
            MenteeInput("e3", ["m3"], person="u3"),
        ],
        mentors=[
            MentorInput("m1", 1, ["e1"], programme="B"),
            MentorInput("m2", 1, ["e1"]),
            MentorInput("p7", 1, ["p7"]),
            MentorInput("m3", 2, ["p7", "e3"], person="u3"),
        ],
    )
    result = run_matching(instance)
    assert pairs_of(result) == {"m2": ["e1"], "m3": ["p7"]}
    (unmatched,) = result.unmatched
    assert unmatched.mentee == "e3"
    assert (
        unmatched.reason
        == "все выбранные наставники недоступны по правилам программы: это тот же человек"
    )
    assert "m3" not in unmatched.suggestions


def test_constraint_violations_lists_every_rule_broken() -> None:
    mentee = MenteeInput("x", programme="A", profile={"grade": 8})
    mentor = MentorInput("x", programme="B", profile={"grade": 8})
    assert constraint_violations(mentee, mentor, "student_student") == [
        "programme",
        "grade",
        "self",
    ]
    assert constraint_violations(MenteeInput("a"), MentorInput("b")) == []


# --- compatibility and suggestions ----------------------------------------------------


def test_compatibility_score_bounds() -> None:
    full_mentee = {
        "requests": ["career", "grades"],
        "interests": ["it", "math", "music"],
        "age": 12,
        "format": "online",
        "times": ["weekend"],
    }
    full_mentor = {
        "competencies": ["career", "grades"],
        "interests": ["it", "math", "music"],
        "preferred_ages": ["10_13"],
        "format": "online",
        "times": ["weekend", "weekday_evening"],
    }
    assert compatibility_score(full_mentee, full_mentor) == 1.0
    assert compatibility_score({}, {}) == 0.0
    assert compatibility_score(None, {"preferred_ages": ["any"]}) == 2 / MAX_POINTS
    mixed = compatibility_score({"format": "mixed"}, {"format": "in_person"})
    assert mixed == 1 / MAX_POINTS
    assert compatibility_score({"format": "online"}, {"format": "in_person"}) == 0.0
    assert compatibility_score(MenteeProfile(requests=frozenset({"career"})), full_mentor) == (
        3 / MAX_POINTS
    )


def test_suggest_mentors_respects_room_and_constraints() -> None:
    instance = MatchingInstance(
        mentees=[MenteeInput("e1", [], {"interests": ["it", "math"]}, programme="A")],
        mentors=[
            MentorInput("m1", 1, [], {"interests": ["it", "math"]}),
            MentorInput("m2", 2, [], {"interests": ["it"]}),
            MentorInput("m3", 1, [], {"interests": ["it", "math"]}, programme="B"),
            MentorInput("m4", 1, [], {}),
            MentorInput("m5", 1, [], {}),
        ],
    )
    assert suggest_mentors(instance, "e1") == ["m1", "m2", "m4"]
    assert suggest_mentors(instance, "e1", count=2, assigned={"m1": 1, "m2": 1}) == ["m2", "m4"]
    with pytest.raises(MatchingInputError):
        suggest_mentors(instance, "nobody")


# --- checks of the input --------------------------------------------------------------


@pytest.mark.parametrize(
    ("instance", "fragment"),
    [
        (
            MatchingInstance([MenteeInput("e1", ["m9"])], [MentorInput("m1")]),
            "неизвестный mentor m9",
        ),
        (
            MatchingInstance([MenteeInput("e1", ["m1", "m1"])], [MentorInput("m1")]),
            "m1 встречается в preferences дважды",
        ),
        (MatchingInstance([MenteeInput("e1"), MenteeInput("e1")], []), "id e1 встречается дважды"),
        (MatchingInstance([], [MentorInput("m1", 0)]), "capacity должен быть"),
        (MatchingInstance([], [MentorInput("m1", True)]), "capacity должен быть"),
        (MatchingInstance([MenteeInput(True)], []), "id должен быть"),
        (MatchingInstance([MenteeInput(1, [True])], [MentorInput(1)]), "неизвестный mentor True"),
        (MatchingInstance([], [], form="nope"), "неизвестная форма"),
        (MatchingInstance([MenteeInput("e1", profile={"grade": "A"})], []), "класс должен быть"),
        (
            MatchingInstance([MenteeInput("e1", profile={"interests": "it"})], []),
            "списком кодов",
        ),
        (MatchingInstance([], [], completion_length=-1), "completion_length"),
    ],
)
def test_invalid_instances_are_refused(instance: MatchingInstance, fragment: str) -> None:
    with pytest.raises(MatchingInputError) as caught:
        validate_instance(instance)
    assert fragment in str(caught.value)
    with pytest.raises(MatchingInputError):
        run_matching(instance)


def test_error_messages_have_an_english_version() -> None:
    with pytest.raises(MatchingInputError) as caught:
        validate_instance(MatchingInstance([], [MentorInput("m1", 0)]))
    assert (
        caught.value.message("en") == "mentor m1: capacity must be an integer of at least 1, not 0"
    )


# --- CLI ------------------------------------------------------------------------------

EXAMPLE = {
    "mentees": [
        {
            "id": "e1",
            "preferences": ["m2", "m1"],
            "profile": {"interests": ["robotics"], "requests": ["career"]},
        },
        {"id": "e2", "preferences": ["m2"]},
        {"id": "e3", "preferences": []},
    ],
    "mentors": [
        {
            "id": "m1",
            "capacity": 2,
            "preferences": ["e1"],
            "profile": {"interests": ["robotics"], "competencies": ["career"]},
        },
        {"id": "m2", "capacity": 1, "preferences": ["e2", "e1"]},
        {"id": "m3", "capacity": 1, "preferences": []},
    ],
    "complete_preferences": False,
}

EXPECTED = {
    "pairs": [
        {
            "mentor": "m1",
            "mentees": ["e1"],
            "explanation": (
                "взаимный выбор (наставник — №2 у наставляемого, наставляемый — №1 у наставника); "
                "общие интересы: робототехника; "
                "наставник поможет с запросом «выбор профессии»"
            ),
        },
        {"mentor": "m2", "mentees": ["e2"], "explanation": "взаимный первый выбор"},
    ],
    "unmatched": [
        {
            "mentee": "e3",
            "reason": "список предпочтений пуст",
            "reason_code": "empty_list",
            "suggestions": ["m1", "m3"],
        }
    ],
}


def test_cli_main_prints_the_result(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "instance.json"
    path.write_text(json.dumps(EXAMPLE), encoding="utf-8")
    assert main([str(path)]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out) == EXPECTED
    assert err == ""


def test_cli_main_with_lists(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "instance.json"
    path.write_text(json.dumps(EXAMPLE), encoding="utf-8")
    assert main([str(path), "--with-lists"]) == 0
    output = json.loads(capsys.readouterr().out)
    assert output["preferences"]["mentees"][0] == {"id": "e1", "preferences": ["m2", "m1"]}


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("{not json", "не является корректным JSON"),
        ("[]", "ожидается JSON-объект"),
        ('{"mentees": []}', "не хватает поля «mentors»"),
        ('{"mentees": [], "mentors": [{"id": "m1"}]}', "не хватает поля «capacity» (mentor m1)"),
        ('{"mentees": [{"preferences": []}], "mentors": []}', "не хватает поля «id» (mentee)"),
        ('{"mentees": [], "mentors": [], "extra": 1}', "неизвестное поле «extra»"),
        ('{"mentees": {}, "mentors": []}', "«mentees» должно быть списком"),
        (
            '{"mentees": [{"id": "e1", "preferences": ["x"]}], "mentors": []}',
            "неизвестный mentor x",
        ),
        ('{"mentees": [], "mentors": [{"id": "m1", "capacity": 0}]}', "capacity"),
        ('{"mentees": [{"id": "e1"}, {"id": "e1"}], "mentors": []}', "встречается дважды"),
        ('{"mentees": [{"id": 1.5}], "mentors": []}', "id должен быть"),
        ('{"mentees": [], "mentors": [], "complete_preferences": "yes"}', "true или false"),
    ],
)
def test_cli_main_refuses_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, fragment: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    assert main([str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("ошибка: ")
    assert fragment in err


def test_cli_main_missing_file_and_usage(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["/nonexistent/instance.json"]) == 2
    assert "не удалось прочитать файл" in capsys.readouterr().err
    assert main([]) == 2
    assert "использование" in capsys.readouterr().err
    assert main(["a.json", "--locale", "en", "--bogus"]) == 2
    assert capsys.readouterr().err.startswith("error: usage")


def _run_module(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.services.matching.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )


def test_cli_as_a_module_with_a_file_and_stdin(tmp_path: Path) -> None:
    path = tmp_path / "instance.json"
    path.write_text(json.dumps(EXAMPLE, ensure_ascii=False), encoding="utf-8")
    done = _run_module(str(path))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == EXPECTED
    piped = _run_module("-", stdin=json.dumps(EXAMPLE))
    assert piped.returncode == 0
    assert json.loads(piped.stdout) == EXPECTED


def test_cli_as_a_module_errors_without_traceback(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"mentees": [{"id": "e1", "preferences": ["m1"]}], "mentors": []}')
    done = _run_module(str(path), "--locale", "en")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == "error: mentee e1: unknown mentor m1 in preferences\n"
    assert "Traceback" not in done.stderr
