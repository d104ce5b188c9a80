"""Mentee-proposing deferred acceptance with mentor capacities (hospitals/residents).

The result is the mentee-optimal stable matching of the effective preference lists:
the stated lists without the pairs the hard constraints forbid, completed from profiles
when the instance asks for it. A pair is acceptable only when each side lists the other.
Everything is indexed in id order, so the same instance always gives the same result.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from heapq import heappush, heapreplace

from bot.services.vocabulary import age_band

from .compatibility import (
    ANY_AGE,
    Codebook,
    MenteeFeatures,
    MentorFeatures,
    MentorIndex,
    age_fits,
    mentee_features,
    mentor_features,
    points,
)
from .explain import Explainer
from .models import (
    MatchingInputError,
    MatchingInstance,
    MatchingResult,
    MenteeInput,
    MenteeProfile,
    MentorInput,
    MentorProfile,
    ParticipantId,
    ProposedGroup,
    Unmatched,
    as_mentee_profile,
    as_mentor_profile,
    id_key,
    parse_instance,
)

STUDENT_STUDENT = "student_student"
SUGGESTIONS = 3

# Why a pair is forbidden (keys of `match-constraint-*` texts).
CONSTRAINT_PROGRAMME = "programme"
CONSTRAINT_GRADE = "grade"
CONSTRAINT_GRADE_UNKNOWN = "grade-unknown"
CONSTRAINT_SELF = "self"
CONSTRAINT_FORM = "form"
# Rules only a curator's manual placement can break (the matching never does).
CONSTRAINT_GROUP_CATEGORY = "group-category"
CONSTRAINT_AGE = "age"

# Whom each form of mentoring is for. A form is named «наставник – наставляемый», so the
# second word names the mentee: «педагог – педагог» is for young teachers, «работодатель –
# ученик» for school students. The form of a pair follows from its mentees' category.
FORM_MENTEE_CATEGORY: dict[str, str] = {
    "student_student": "school_student",
    "college_college": "college_student",
    "student_college": "college_student",
    "employer_student": "school_student",
    "employer_college": "college_student",
    "teacher_teacher": "young_teacher",
    "college_teacher": "young_teacher",
}
# Mentor categories the grade rule of «ученик – ученик» applies to (unknown included).
GRADED_MENTORS = (None, "student")


def pair_form(mentee_category: str | None, forms: Sequence[str]) -> str | None:
    """The form of mentoring a mentee of this category is in, among the programme's forms.

    An unknown category gives the programme's only form, or None when it has several.
    """
    if mentee_category is None:
        return forms[0] if len(forms) == 1 else None
    for code in forms:
        if FORM_MENTEE_CATEGORY.get(code) == mentee_category:
            return code
    return None


def age_allows(mentee: MenteeProfile, mentor: MentorProfile) -> bool:
    """Whether the mentee's age is among the mentor's preferred ages (no preference: yes)."""
    ages = mentor.preferred_ages
    return not ages or age_fits(age_band(mentee.age), ages)


@dataclass(frozen=True, slots=True)
class PreferenceLists:
    """The lists the matching really used: stated, minus forbidden pairs, plus completion."""

    mentees: dict[ParticipantId, list[ParticipantId]]
    mentors: dict[ParticipantId, list[ParticipantId]]


def constraint_violations(
    mentee: MenteeInput,
    mentor: MentorInput,
    form: str | None = None,
    forms: Sequence[str] = (),
) -> list[str]:
    """The hard constraints a mentee–mentor pair breaks (empty: the pair is allowed).

    `forms` are the programme's forms of mentoring; `form` alone means `[form]`.
    """
    every = tuple(dict.fromkeys([*([form] if form else []), *forms]))
    out = []
    if (
        mentee.programme is not None
        and mentor.programme is not None
        and mentee.programme != mentor.programme
    ):
        out.append(CONSTRAINT_PROGRAMME)
    mentee_profile = as_mentee_profile(mentee.profile)
    mentor_profile = as_mentor_profile(mentor.profile)
    if every and mentee_profile.category is not None:
        if pair_form(mentee_profile.category, every) is None:
            out.append(CONSTRAINT_FORM)
    if (
        pair_form(mentee_profile.category, every) == STUDENT_STUDENT
        and mentor_profile.category in GRADED_MENTORS
    ):
        mentee_grade = mentee_profile.grade
        mentor_grade = mentor_profile.grade
        if mentee_grade is None or mentor_grade is None:
            out.append(CONSTRAINT_GRADE_UNKNOWN)
        elif mentor_grade <= mentee_grade:
            out.append(CONSTRAINT_GRADE)
    if mentee.id == mentor.id or (mentee.person is not None and mentee.person == mentor.person):
        out.append(CONSTRAINT_SELF)
    if mentor.group_category is not None and mentee_profile.category != mentor.group_category:
        out.append(CONSTRAINT_GROUP_CATEGORY)
    return out


@dataclass(slots=True)
class _Prepared:
    instance: MatchingInstance
    mentees: list[MenteeInput]
    mentors: list[MentorInput]
    mentee_index: dict[ParticipantId, int]
    mentor_index: dict[ParticipantId, int]
    mentee_profiles: list[MenteeProfile]
    mentor_profiles: list[MentorProfile]
    mentee_features: list[MenteeFeatures]
    mentor_features: list[MentorFeatures]
    capacity: list[int]
    allowed: list[int]  # per mentee: bitset of the mentors the hard constraints allow
    # per mentee: bitset of the mentors whose preferred ages admit the mentee
    age_ok: list[int] = field(default_factory=list)
    mentee_lists: list[list[int]] = field(default_factory=list)
    mentor_lists: list[list[int]] = field(default_factory=list)
    _index: MentorIndex | None = None

    @property
    def index(self) -> MentorIndex:
        if self._index is None:
            self._index = MentorIndex(self.mentor_features)
        return self._index


def placement_violations(
    mentee: MenteeInput,
    mentor: MentorInput,
    group: Sequence[MenteeInput] = (),
    forms: Sequence[str] = (),
) -> list[str]:
    """Every rule a curator's placement of `mentee` with `mentor` breaks.

    `group` are the mentees already with this mentor. Beyond the hard constraints: the
    group would mix categories of mentees (so forms of mentoring), or the mentee's age is
    outside the ages the mentor asked for.
    """
    out = constraint_violations(mentee, mentor, forms=forms)
    category = as_mentee_profile(mentee.profile).category
    mixed = any(as_mentee_profile(other.profile).category != category for other in group)
    if mixed and CONSTRAINT_GROUP_CATEGORY not in out:
        out.append(CONSTRAINT_GROUP_CATEGORY)
    if not age_allows(as_mentee_profile(mentee.profile), as_mentor_profile(mentor.profile)):
        out.append(CONSTRAINT_AGE)
    return out


def _prepare(instance: MatchingInstance, complete: bool | None = None) -> _Prepared:
    mentee_parsed, mentor_parsed = parse_instance(instance)
    mentee_order = sorted(
        range(len(instance.mentees)), key=lambda i: id_key(instance.mentees[i].id)
    )
    mentor_order = sorted(
        range(len(instance.mentors)), key=lambda i: id_key(instance.mentors[i].id)
    )
    mentees = [instance.mentees[i] for i in mentee_order]
    mentors = [instance.mentors[i] for i in mentor_order]
    mentee_profiles = [mentee_parsed[i] for i in mentee_order]
    mentor_profiles = [mentor_parsed[i] for i in mentor_order]
    book = Codebook()
    mentor_index = {p.id: i for i, p in enumerate(mentors)}
    prepared = _Prepared(
        instance=instance,
        mentees=mentees,
        mentors=mentors,
        mentee_index={p.id: i for i, p in enumerate(mentees)},
        mentor_index=mentor_index,
        mentee_profiles=mentee_profiles,
        mentor_profiles=mentor_profiles,
        mentee_features=[mentee_features(p, book) for p in mentee_profiles],
        mentor_features=[mentor_features(p, book) for p in mentor_profiles],
        capacity=[p.capacity for p in mentors],
        allowed=_allowed_masks(
            instance.all_forms(), mentees, mentee_profiles, mentors, mentor_profiles
        ),
        age_ok=_age_masks(mentee_profiles, mentor_profiles),
    )
    _stated_lists(prepared)
    if instance.complete_preferences if complete is None else complete:
        _complete_lists(prepared, instance.completion_length)
    return prepared


def _age_masks(
    mentee_profiles: Sequence[MenteeProfile], mentor_profiles: Sequence[MentorProfile]
) -> list[int]:
    """Per mentee: the mentors with no age preference, «any», or the mentee's age band."""
    open_to_all = 0
    by_band: dict[str, int] = {}
    for i, mentor in enumerate(mentor_profiles):
        bit = 1 << i
        ages = mentor.preferred_ages
        if not ages or ANY_AGE in ages:
            open_to_all |= bit
            continue
        for code in ages:
            by_band[code] = by_band.get(code, 0) | bit
    out = []
    for mentee in mentee_profiles:
        band = age_band(mentee.age)
        out.append(open_to_all | (by_band.get(band, 0) if band is not None else 0))
    return out


def _allowed_masks(
    forms: Sequence[str],
    mentees: Sequence[MenteeInput],
    mentee_profiles: Sequence[MenteeProfile],
    mentors: Sequence[MentorInput],
    mentor_profiles: Sequence[MentorProfile],
) -> list[int]:
    everyone = (1 << len(mentors)) - 1
    by_programme: dict[object, int] = {}
    no_programme = 0
    by_person: dict[object, int] = {}
    by_id: dict[object, int] = {}
    graded: list[tuple[int, int]] = []
    # Mentors the grade rule does not concern (adults: a teacher, an employer…).
    ungraded = 0
    # Mentors who already have mentees of one category take only that category.
    by_group_category: dict[str, int] = {}
    fixed = 0
    for i, mentor in enumerate(mentors):
        bit = 1 << i
        if mentor.programme is None:
            no_programme |= bit
        else:
            by_programme[mentor.programme] = by_programme.get(mentor.programme, 0) | bit
        if mentor.person is not None:
            by_person[mentor.person] = by_person.get(mentor.person, 0) | bit
        by_id[mentor.id] = bit
        if mentor_profiles[i].category not in GRADED_MENTORS:
            ungraded |= bit
        if mentor.group_category is not None:
            fixed |= bit
            key = mentor.group_category
            by_group_category[key] = by_group_category.get(key, 0) | bit
        grade = mentor_profiles[i].grade
        if grade is not None:
            graded.append((grade, bit))
    older: dict[int | None, int] = {None: 0}

    def older_than(grade: int | None) -> int:
        if grade not in older:
            bits = 0
            for mentor_grade, bit in graded:
                if grade is not None and mentor_grade > grade:
                    bits |= bit
            older[grade] = bits
        return older[grade]

    out = []
    for mentee, profile in zip(mentees, mentee_profiles, strict=True):
        mask = everyone
        if mentee.programme is not None and by_programme:
            mask &= by_programme.get(mentee.programme, 0) | no_programme
        form = pair_form(profile.category, forms)
        if forms and profile.category is not None and form is None:
            mask = 0
        if form == STUDENT_STUDENT:
            mask &= older_than(profile.grade) | ungraded
        if fixed:
            mask &= ~fixed | by_group_category.get(profile.category or "", 0)
        mask &= ~by_id.get(mentee.id, 0)
        if mentee.person is not None:
            mask &= ~by_person.get(mentee.person, 0)
        out.append(mask)
    return out


def _stated_lists(prepared: _Prepared) -> None:
    allowed = prepared.allowed
    everyone = (1 << len(prepared.mentors)) - 1
    mentor_index = prepared.mentor_index
    mentee_index = prepared.mentee_index
    restricted = [mask != everyone for mask in allowed]
    mentee_lists = []
    for e, mentee in enumerate(prepared.mentees):
        listed = list(map(mentor_index.__getitem__, mentee.preferences))
        if restricted[e]:
            mask = allowed[e]
            listed = [m for m in listed if mask >> m & 1]
        mentee_lists.append(listed)
    mentor_lists = []
    any_restricted = any(restricted)
    for m, mentor in enumerate(prepared.mentors):
        listed = list(map(mentee_index.__getitem__, mentor.preferences))
        if any_restricted:
            listed = [e for e in listed if not restricted[e] or allowed[e] >> m & 1]
        mentor_lists.append(listed)
    prepared.mentee_lists = mentee_lists
    prepared.mentor_lists = mentor_lists


def _complete_lists(prepared: _Prepared, length: int) -> None:
    """Extend short lists after the stated choices.

    A mentee's list: first the mentors who listed this mentee (best score first), then
    the best-scoring allowed mentors with any points in common. A mentor's list (up to
    `max(length, capacity)`): the mentees who now list this mentor, best score first;
    nobody else could be paired with this mentor anyway, since a pair needs both sides.
    """
    if length <= 0:
        return
    e_feat = prepared.mentee_features
    m_feat = prepared.mentor_features
    mentee_lists = prepared.mentee_lists
    mentor_lists = prepared.mentor_lists

    listed_by: list[list[int]] = [[] for _ in prepared.mentees]
    for m, listed in enumerate(mentor_lists):
        for e in listed:
            listed_by[e].append(m)

    for e, listed in enumerate(mentee_lists):
        need = length - len(listed)
        if need <= 0:
            continue
        taken = 0
        for m in listed:
            taken |= 1 << m
        wanted = [m for m in listed_by[e] if not taken >> m & 1]
        if wanted:
            feat = e_feat[e]
            wanted.sort(key=lambda m: (-points(feat, m_feat[m]), m))
            for m in wanted[:need]:
                listed.append(m)
                taken |= 1 << m
            need = length - len(listed)
        if need > 0:
            # Completion never offers a mentor a mentee outside the ages they asked for.
            within = prepared.allowed[e] & prepared.age_ok[e] & ~taken
            listed.extend(prepared.index.best(e_feat[e], within, need, min_points=1))

    proposers: list[list[int]] = [[] for _ in prepared.mentors]
    for e, listed in enumerate(mentee_lists):
        for m in listed:
            proposers[m].append(e)
    for m, listed in enumerate(mentor_lists):
        need = max(length, prepared.capacity[m]) - len(listed)
        if need <= 0 or not proposers[m]:
            continue
        already = set(listed)
        feat_m = m_feat[m]
        age_ok = prepared.age_ok
        candidates = [e for e in proposers[m] if e not in already and age_ok[e] >> m & 1]
        candidates.sort(key=lambda e: (-points(e_feat[e], feat_m), e))
        listed.extend(candidates[:need])


def deferred_acceptance(
    mentee_lists: Sequence[Sequence[int]],
    mentor_lists: Sequence[Sequence[int]],
    capacity: Sequence[int],
) -> list[int]:
    """Mentee-optimal stable matching on numbered players: mentee → mentor or -1."""
    return _deferred_acceptance(mentee_lists, _ranks(mentor_lists), capacity)


def _ranks(lists: Sequence[Sequence[int]]) -> list[dict[int, int]]:
    return [{e: r for r, e in enumerate(listed)} for listed in lists]


def _deferred_acceptance(
    mentee_lists: Sequence[Sequence[int]],
    mentor_rank: Sequence[Mapping[int, int]],
    capacity: Sequence[int],
) -> list[int]:
    match = [-1] * len(mentee_lists)
    next_choice = [0] * len(mentee_lists)
    held: list[list[tuple[int, int]]] = [[] for _ in mentor_rank]
    free = list(range(len(mentee_lists) - 1, -1, -1))
    while free:
        e = free.pop()
        listed = mentee_lists[e]
        i = next_choice[e]
        while i < len(listed):
            m = listed[i]
            i += 1
            rank = mentor_rank[m].get(e)
            if rank is None:
                continue
            seats = held[m]
            if len(seats) < capacity[m]:
                heappush(seats, (-rank, e))
                match[e] = m
                break
            if -seats[0][0] > rank:
                out = heapreplace(seats, (-rank, e))[1]
                match[e] = m
                match[out] = -1
                free.append(out)
                break
        next_choice[e] = i
    return match


def stable_matching(
    mentee_preferences: Mapping[ParticipantId, Sequence[ParticipantId]],
    mentor_preferences: Mapping[ParticipantId, Sequence[ParticipantId]],
    capacities: Mapping[ParticipantId, int],
) -> dict[ParticipantId, list[ParticipantId]]:
    """The mentee-optimal stable matching of plain lists: mentor → mentees (by id)."""
    instance = MatchingInstance(
        mentees=[MenteeInput(i, list(p)) for i, p in mentee_preferences.items()],
        mentors=[MentorInput(i, capacities[i], list(p)) for i, p in mentor_preferences.items()],
    )
    prepared = _prepare(instance)
    match = deferred_acceptance(prepared.mentee_lists, prepared.mentor_lists, prepared.capacity)
    out: dict[ParticipantId, list[ParticipantId]] = {}
    for e, m in enumerate(match):
        if m >= 0:
            out.setdefault(prepared.mentors[m].id, []).append(prepared.mentees[e].id)
    return out


def _solve(prepared: _Prepared) -> tuple[list[int], list[dict[int, int]]]:
    """Deferred acceptance, re-run until no group mixes categories of mentees.

    A group is one form of mentoring, so one category of mentees. When a mentor ends up
    with several categories, the mentor keeps the category of the mentee they ranked
    highest in the group; the mentees of other categories are struck from that mentor's
    list (and the mentor from theirs), and the matching runs again. Each round fixes at
    least one mentor, so there are at most as many rounds as mentors.
    """
    while True:
        mentor_rank = _ranks(prepared.mentor_lists)
        match = _deferred_acceptance(prepared.mentee_lists, mentor_rank, prepared.capacity)
        if not _split_mixed_groups(prepared, match, mentor_rank):
            return match, mentor_rank


def _split_mixed_groups(
    prepared: _Prepared, match: Sequence[int], mentor_rank: Sequence[Mapping[int, int]]
) -> bool:
    categories = [profile.category for profile in prepared.mentee_profiles]
    if len(set(categories)) <= 1:
        return False
    held: dict[int, list[int]] = {}
    for e, m in enumerate(match):
        if m >= 0:
            held.setdefault(m, []).append(e)
    changed = False
    for m, group in held.items():
        if len({categories[e] for e in group}) <= 1:
            continue
        keep = categories[min(group, key=mentor_rank[m].__getitem__)]
        prepared.mentor_lists[m] = [e for e in prepared.mentor_lists[m] if categories[e] == keep]
        bit = 1 << m
        for e, category in enumerate(categories):
            if category != keep:
                prepared.allowed[e] &= ~bit
                if m in prepared.mentee_lists[e]:
                    prepared.mentee_lists[e].remove(m)
        changed = True
    return changed


def effective_preferences(instance: MatchingInstance) -> PreferenceLists:
    """The preference lists the matching of `instance` runs on (for audits and tests)."""
    prepared = _prepare(instance)
    _solve(prepared)
    return PreferenceLists(
        mentees={
            prepared.mentees[e].id: [prepared.mentors[m].id for m in listed]
            for e, listed in enumerate(prepared.mentee_lists)
        },
        mentors={
            prepared.mentors[m].id: [prepared.mentees[e].id for e in listed]
            for m, listed in enumerate(prepared.mentor_lists)
        },
    )


@contextmanager
def _without_gc_pauses() -> Iterator[None]:
    # A run allocates some 10⁵ short-lived lists and tuples and makes no cycles; the
    # cyclic collector firing on them only costs time (~15% on a big instance).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def run_matching(instance: MatchingInstance, locale: str | None = "ru") -> MatchingResult:
    """Propose pairs and groups, explain each, and say why the rest stay unmatched."""
    with _without_gc_pauses():
        return _run_matching(instance, locale)


def _run_matching(instance: MatchingInstance, locale: str | None) -> MatchingResult:
    prepared = _prepare(instance)
    match, mentor_rank = _solve(prepared)
    explainer = Explainer(locale)
    forms = instance.all_forms()

    members: list[list[int]] = [[] for _ in prepared.mentors]
    for e, m in enumerate(match):
        if m >= 0:
            members[m].append(e)

    pairs = []
    for m, group in enumerate(members):
        if not group:
            continue
        mentor = prepared.mentors[m]
        group.sort(key=mentor_rank[m].__getitem__)
        category = prepared.mentee_profiles[group[0]].category
        form = pair_form(category, forms)
        texts: dict[ParticipantId, str] = {}
        for e in group:
            mentee = prepared.mentees[e]
            texts[mentee.id] = explainer.pair(
                mentee_rank=_position(mentee.preferences, mentor.id),
                mentor_rank=_position(mentor.preferences, mentee.id),
                mentee=prepared.mentee_profiles[e],
                mentor=prepared.mentor_profiles[m],
                points=points(prepared.mentee_features[e], prepared.mentor_features[m]),
                # Named when the programme has several forms: then it is a real choice.
                form=form if len(forms) > 1 else None,
            )
        pairs.append(
            ProposedGroup(
                mentor=mentor.id,
                mentees=list(texts),
                explanation=explainer.group(texts),
                mentee_explanations=texts,
                form=form,
            )
        )

    room = 0
    for m, group in enumerate(members):
        if len(group) < prepared.capacity[m]:
            room |= 1 << m
    unmatched = []
    for e, m in enumerate(match):
        if m >= 0:
            continue
        code, reason = _unmatched_reason(prepared, mentor_rank, e, explainer)
        best = prepared.index.best(
            prepared.mentee_features[e],
            prepared.allowed[e] & prepared.age_ok[e] & room,
            SUGGESTIONS,
        )
        unmatched.append(
            Unmatched(
                mentee=prepared.mentees[e].id,
                reason=reason,
                suggestions=[prepared.mentors[i].id for i in best],
                reason_code=code,
            )
        )
    return MatchingResult(pairs=pairs, unmatched=unmatched)


def _position(preferences: Sequence[ParticipantId], ref: ParticipantId) -> int | None:
    """1-based place of `ref` in a stated list, or None."""
    try:
        return preferences.index(ref) + 1
    except ValueError:
        return None


def _unmatched_reason(
    prepared: _Prepared, mentor_rank: Sequence[Mapping[int, int]], e: int, explainer: Explainer
) -> tuple[str, str]:
    mentee = prepared.mentees[e]
    listed = prepared.mentee_lists[e]
    completing = prepared.instance.complete_preferences
    if not listed:
        if not mentee.preferences:
            outside_ages = prepared.allowed[e] & ~prepared.age_ok[e]
            features = prepared.mentee_features[e]
            if completing and prepared.index.best(features, outside_ages, 1, min_points=1):
                # Mentors were there, but none asked for mentees of this age.
                return "ages", explainer.ages()
            return "empty_list", explainer.empty_list(completed=completing)
        violations: list[str] = []
        for ref in mentee.preferences:
            mentor = prepared.mentors[prepared.mentor_index[ref]]
            for code in constraint_violations(mentee, mentor, forms=prepared.instance.all_forms()):
                if code not in violations:
                    violations.append(code)
        if not violations:  # struck out so that a group keeps one category of mentees
            violations.append(CONSTRAINT_GROUP_CATEGORY)
        return "constraints", explainer.constraints(violations)
    if not any(e in mentor_rank[m] for m in listed):
        if completing and all(not prepared.age_ok[e] >> m & 1 for m in listed):
            # Completion would have answered the choice, but the ages did not fit.
            return "ages", explainer.ages(chosen=True)
        return "not_reciprocated", explainer.not_reciprocated()
    return "mentors_full", explainer.mentors_full()


def suggest_mentors(
    instance: MatchingInstance,
    mentee: ParticipantId,
    count: int = SUGGESTIONS,
    assigned: Mapping[ParticipantId, int] | None = None,
) -> list[ParticipantId]:
    """The best mentors by compatibility who still have room for `mentee`.

    `assigned` says how many mentees each mentor already has (e.g. confirmed pairs);
    mentors missing from it are empty. Hard constraints and the mentors' preferred ages
    are respected.
    """
    prepared = _prepare(instance, complete=False)
    if mentee not in prepared.mentee_index:
        raise MatchingInputError("match-error-unknown-mentee", id=mentee)
    taken = assigned or {}
    room = 0
    for m, mentor in enumerate(prepared.mentors):
        if taken.get(mentor.id, 0) < mentor.capacity:
            room |= 1 << m
    e = prepared.mentee_index[mentee]
    within = prepared.allowed[e] & prepared.age_ok[e] & room
    best = prepared.index.best(prepared.mentee_features[e], within, count)
    return [prepared.mentors[i].id for i in best]
