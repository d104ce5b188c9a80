"""Matching engine: properties on random instances, and agreement with the `matching` package."""

from __future__ import annotations

import random
import warnings
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from matching.games import HospitalResident

from bot.services.matching import (
    MatchingInstance,
    MenteeInput,
    MentorInput,
    effective_preferences,
    run_matching,
    suggest_mentors,
)
from bot.services.matching.compatibility import (
    Codebook,
    MentorIndex,
    mentee_features,
    mentor_features,
    points,
)
from bot.services.matching.models import (
    MenteeProfile,
    MentorProfile,
    as_mentee_profile,
    as_mentor_profile,
)
from bot.services.vocabulary import FORMATS, INTERESTS, MENTEE_AGES, REQUESTS, TIMES, age_band

PROPERTY = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _subset(values: tuple[str, ...], most: int) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(values), max_size=most, unique=True)


mentee_profiles = st.fixed_dictionaries(
    {},
    optional={
        "requests": _subset((*REQUESTS[:4], "other"), 3),
        "interests": _subset((*INTERESTS[:6], "other"), 4),
        "age": st.integers(10, 40),
        "grade": st.integers(5, 11),
        "format": st.sampled_from(FORMATS),
        "times": _subset(TIMES, 2),
    },
)
mentor_profiles = st.fixed_dictionaries(
    {},
    optional={
        "competencies": _subset((*REQUESTS[:4], "other"), 3),
        "interests": _subset((*INTERESTS[:6], "other"), 4),
        "preferred_ages": _subset(MENTEE_AGES, 2),
        "grade": st.integers(5, 11),
        "format": st.sampled_from(FORMATS),
        "times": _subset(TIMES, 2),
    },
)


@st.composite
def instances(draw: st.DrawFn, constraints: bool = True, profiles: bool = True) -> MatchingInstance:
    """Small instances: incomplete and asymmetric lists, empty lists, capacity shortage."""
    n_mentees = draw(st.integers(0, 9))
    n_mentors = draw(st.integers(0, 5))
    use_ints = draw(st.booleans())

    def mentee_id(i: int) -> Any:
        return 100 + i if use_ints else f"e{i}"

    def mentor_id(i: int) -> Any:
        return 200 + i if use_ints else f"m{i}"

    mentor_ids = [mentor_id(i) for i in range(n_mentors)]
    # Sometimes a person is both: a mentor shares a mentee's id or person field.
    shared = constraints and draw(st.booleans()) and n_mentees and n_mentors
    if shared:
        mentor_ids[0] = mentee_id(0)
    mentee_ids = [mentee_id(i) for i in range(n_mentees)]
    programmes = st.sampled_from([None, "A", "B"]) if constraints else st.just(None)
    persons = st.sampled_from([None, "p1", "p2"]) if constraints else st.just(None)

    def ranked(ids: list[Any]) -> Any:
        return st.lists(st.sampled_from(ids), unique=True) if ids else st.just([])

    mentees = [
        MenteeInput(
            e,
            draw(ranked(mentor_ids)),
            draw(mentee_profiles) if profiles else None,
            programme=draw(programmes),
            person=draw(persons),
        )
        for e in mentee_ids
    ]
    mentors = [
        MentorInput(
            m,
            draw(st.integers(1, 3)),
            draw(ranked(mentee_ids)),
            draw(mentor_profiles) if profiles else None,
            programme=draw(programmes),
            person=draw(persons),
        )
        for m in mentor_ids
    ]
    return MatchingInstance(
        mentees=mentees,
        mentors=mentors,
        complete_preferences=profiles and draw(st.booleans()),
        form=draw(st.sampled_from([None, "student_student"])) if constraints else None,
        completion_length=draw(st.integers(0, 4)),
    )


def matched_pairs(result: Any) -> set[tuple[Any, Any]]:
    return {(e, g.mentor) for g in result.pairs for e in g.mentees}


def reference_pairs(
    mentee_lists: dict[Any, list[Any]],
    mentor_lists: dict[Any, list[Any]],
    capacity: dict[Any, int],
) -> set[tuple[Any, Any]]:
    """The resident-optimal matching of the `matching` package.

    It expects every hospital to rank exactly the residents who rank it and nobody to
    have an empty list (it crashes or warns otherwise), so unreciprocated entries are
    dropped first; that leaves the set of stable matchings unchanged.
    """
    residents = {
        e: [m for m in listed if e in mentor_lists[m]] for e, listed in mentee_lists.items()
    }
    hospitals = {
        m: [e for e in listed if m in mentee_lists[e]] for m, listed in mentor_lists.items()
    }
    residents = {e: listed for e, listed in residents.items() if listed}
    hospitals = {m: listed for m, listed in hospitals.items() if listed}
    if not residents:
        return set()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        game = HospitalResident.create_from_dictionaries(
            residents, hospitals, {m: capacity[m] for m in hospitals}
        )
        solution = game.solve(optimal="resident")
        assert game.check_validity()
        assert game.check_stability()
    return {(r.name, h.name) for h, matched in solution.items() for r in matched}


# --- the invariants -------------------------------------------------------------------


@PROPERTY
@given(instances())
def test_stable_capacity_respecting_and_mutually_acceptable(instance: MatchingInstance) -> None:
    result = run_matching(instance)
    lists = effective_preferences(instance)
    capacity = {m.id: m.capacity for m in instance.mentors}
    pairs = matched_pairs(result)

    mentee_of: dict[Any, Any] = {}
    for e, m in pairs:
        assert e not in mentee_of, "a mentee in two groups"
        mentee_of[e] = m
    groups = {g.mentor: g.mentees for g in result.pairs}
    for m, group in groups.items():
        assert 1 <= len(group) <= capacity[m]
        for e in group:
            assert m in lists.mentees[e] and e in lists.mentors[m]

    # Everyone is either in a group or in `unmatched`, once.
    unmatched = [u.mentee for u in result.unmatched]
    assert sorted(map(str, unmatched + list(mentee_of))) == sorted(
        str(p.id) for p in instance.mentees
    )

    # No blocking pair: both would rather be together than with whom they got.
    for e, e_list in lists.mentees.items():
        for m in e_list:
            if e not in lists.mentors[m]:
                continue
            current = mentee_of.get(e)
            mentee_wants = current is None or e_list.index(m) < e_list.index(current)
            group = groups.get(m, [])
            m_list = lists.mentors[m]
            mentor_wants = len(group) < capacity[m] or any(
                m_list.index(e) < m_list.index(other) for other in group
            )
            assert not (mentee_wants and mentor_wants), f"blocking pair {e}–{m}"


@PROPERTY
@given(instances())
def test_hard_constraints_are_never_broken(instance: MatchingInstance) -> None:
    mentees = {p.id: p for p in instance.mentees}
    mentors = {p.id: p for p in instance.mentors}
    result = run_matching(instance)
    suggested = {(u.mentee, m) for u in result.unmatched for m in u.suggestions}
    for e, m in matched_pairs(result) | suggested:
        mentee, mentor = mentees[e], mentors[m]
        if mentee.programme is not None and mentor.programme is not None:
            assert mentee.programme == mentor.programme
        assert mentee.id != mentor.id
        assert mentee.person is None or mentee.person != mentor.person
        if instance.form == "student_student":
            mentee_grade = as_mentee_profile(mentee.profile).grade
            mentor_grade = as_mentor_profile(mentor.profile).grade
            assert mentee_grade is not None and mentor_grade is not None
            assert mentor_grade > mentee_grade


@PROPERTY
@given(instances(), st.randoms(use_true_random=False))
def test_same_input_same_output_in_any_order(
    instance: MatchingInstance, rng: random.Random
) -> None:
    first = run_matching(instance).as_dict()
    assert run_matching(instance).as_dict() == first
    shuffled = MatchingInstance(
        mentees=rng.sample(list(instance.mentees), len(instance.mentees)),
        mentors=rng.sample(list(instance.mentors), len(instance.mentors)),
        complete_preferences=instance.complete_preferences,
        form=instance.form,
        completion_length=instance.completion_length,
    )
    assert run_matching(shuffled).as_dict() == first


@PROPERTY
@given(instances(constraints=False, profiles=False))
def test_equals_the_reference_on_stated_lists(instance: MatchingInstance) -> None:
    expected = reference_pairs(
        {e.id: list(e.preferences) for e in instance.mentees},
        {m.id: list(m.preferences) for m in instance.mentors},
        {m.id: m.capacity for m in instance.mentors},
    )
    assert matched_pairs(run_matching(instance)) == expected


@PROPERTY
@given(instances())
def test_equals_the_reference_on_effective_lists(instance: MatchingInstance) -> None:
    """With constraints and completion: the same as the reference on the lists used."""
    lists = effective_preferences(instance)
    expected = reference_pairs(
        lists.mentees, lists.mentors, {m.id: m.capacity for m in instance.mentors}
    )
    assert matched_pairs(run_matching(instance)) == expected


@settings(max_examples=5, deadline=None)
@given(st.integers(0, 10_000))
def test_equals_the_reference_on_full_lists(seed: int) -> None:
    rng = random.Random(seed)
    mentors = [f"m{i}" for i in range(12)]
    mentees = [f"e{i}" for i in range(40)]
    instance = MatchingInstance(
        mentees=[MenteeInput(e, rng.sample(mentors, len(mentors))) for e in mentees],
        mentors=[MentorInput(m, rng.randint(1, 4), rng.sample(mentees, 40)) for m in mentors],
    )
    expected = reference_pairs(
        {e.id: list(e.preferences) for e in instance.mentees},
        {m.id: list(m.preferences) for m in instance.mentors},
        {m.id: m.capacity for m in instance.mentors},
    )
    assert matched_pairs(run_matching(instance)) == expected


# --- completion and the candidate search ----------------------------------------------


def brute_force_lists(
    instance: MatchingInstance,
) -> tuple[dict[Any, list[Any]], dict[Any, list[Any]]]:
    """Completion as docs/matching.md states it, scoring every pair one by one."""
    book = Codebook()
    mentees = sorted(instance.mentees, key=lambda p: (isinstance(p.id, str), p.id))
    mentors = sorted(instance.mentors, key=lambda p: (isinstance(p.id, str), p.id))
    e_feat = {p.id: mentee_features(as_mentee_profile(p.profile), book) for p in mentees}
    m_feat = {p.id: mentor_features(as_mentor_profile(p.profile), book) for p in mentors}
    order = {p.id: i for i, p in enumerate(mentors)}
    e_order = {p.id: i for i, p in enumerate(mentees)}

    def allowed(e: MenteeInput, m: MentorInput) -> bool:
        if e.programme is not None and m.programme is not None and e.programme != m.programme:
            return False
        if e.id == m.id or (e.person is not None and e.person == m.person):
            return False
        if instance.form == "student_student":
            ge = as_mentee_profile(e.profile).grade
            gm = as_mentor_profile(m.profile).grade
            return ge is not None and gm is not None and gm > ge
        return True

    def age_ok(e: MenteeInput, m: MentorInput) -> bool:
        # Completion respects the ages the mentor asked for (none asked: anyone).
        ages = as_mentor_profile(m.profile).preferred_ages
        band = age_band(as_mentee_profile(e.profile).age)
        return not ages or "any" in ages or band in ages

    by_id_e = {p.id: p for p in mentees}
    by_id_m = {p.id: p for p in mentors}
    e_lists = {e.id: [m for m in e.preferences if allowed(e, by_id_m[m])] for e in mentees}
    m_lists = {m.id: [e for e in m.preferences if allowed(by_id_e[e], m)] for m in mentors}
    length = instance.completion_length
    if not instance.complete_preferences or length == 0:
        return e_lists, m_lists
    for e in mentees:
        listed = e_lists[e.id]
        if len(listed) >= length:
            continue

        def key(m: Any, e: MenteeInput = e) -> tuple[int, int]:
            return (-points(e_feat[e.id], m_feat[m]), order[m])

        wanted = sorted(
            (m.id for m in mentors if e.id in m_lists[m.id] and m.id not in listed), key=key
        )
        listed.extend(wanted[: length - len(listed)])
        others = sorted(
            (
                m.id
                for m in mentors
                if m.id not in listed
                and allowed(e, m)
                and age_ok(e, m)
                and points(e_feat[e.id], m_feat[m.id]) > 0
            ),
            key=key,
        )
        listed.extend(others[: max(0, length - len(listed))])
    for m in mentors:
        listed = m_lists[m.id]
        need = max(length, m.capacity) - len(listed)
        if need <= 0:
            continue
        proposers = sorted(
            (
                e.id
                for e in mentees
                if m.id in e_lists[e.id] and e.id not in listed and age_ok(e, m)
            ),
            key=lambda e: (-points(e_feat[e], m_feat[m.id]), e_order[e]),
        )
        listed.extend(proposers[:need])
    return e_lists, m_lists


@PROPERTY
@given(instances())
def test_completion_equals_scoring_every_pair(instance: MatchingInstance) -> None:
    lists = effective_preferences(instance)
    e_lists, m_lists = brute_force_lists(instance)
    assert lists.mentees == e_lists
    assert lists.mentors == m_lists


@PROPERTY
@given(
    st.lists(mentor_profiles, max_size=70),
    mentee_profiles,
    st.integers(0, 2**70),
    st.integers(0, 12),
    st.integers(0, 6),
)
def test_candidate_search_equals_sorting_by_score(
    mentors: list[dict], mentee: dict, within: int, count: int, min_points: int
) -> None:
    book = Codebook()
    e = mentee_features(MenteeProfile.from_mapping(mentee), book)
    features = [mentor_features(MentorProfile.from_mapping(p), book) for p in mentors]
    index = MentorIndex(features)
    within &= index.all
    expected = sorted(
        (
            i
            for i in range(len(features))
            if within >> i & 1 and points(e, features[i]) >= min_points
        ),
        key=lambda i: (-points(e, features[i]), i),
    )[:count]
    assert index.best(e, within, count, min_points) == expected
    levels = index.levels(e, within)
    for level, bits in levels.items():
        assert all(points(e, features[i]) == level for i in range(len(features)) if bits >> i & 1)
    assert sum(bin(bits).count("1") for bits in levels.values()) == bin(within).count("1")


@PROPERTY
@given(instances())
def test_suggestions_are_the_best_mentors_with_room(instance: MatchingInstance) -> None:
    result = run_matching(instance)
    load: dict[Any, int] = {g.mentor: len(g.mentees) for g in result.pairs}
    for unmatched in result.unmatched:
        assert len(unmatched.suggestions) <= 3
        assert unmatched.suggestions == suggest_mentors(instance, unmatched.mentee, 3, load)
        for m in unmatched.suggestions:
            mentor = next(p for p in instance.mentors if p.id == m)
            assert load.get(m, 0) < mentor.capacity
