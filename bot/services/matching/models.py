"""Input and output types of the matching engine, and the checks of an instance."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.services.vocabulary import MENTORING_FORMS
from bot.texts import t

# Participant ids: strings in the CLI, participant ids (ints) in the bot.
ParticipantId = str | int
ProgrammeId = str | int

DEFAULT_COMPLETION_LENGTH = 10


def id_key(value: ParticipantId) -> tuple[int, int, str]:
    """Sort key of an id: ints before strings, each in their natural order."""
    if isinstance(value, int):
        return (0, value, "")
    return (1, 0, value)


class MatchingInputError(ValueError):
    """An instance that cannot be matched; `str()` is the Russian message."""

    def __init__(self, key: str, **args: Any) -> None:
        self.key = key
        self.args_map = {name: _show(value) for name, value in args.items()}
        super().__init__(self.message("ru"))

    def message(self, locale: str | None = "ru") -> str:
        return t(self.key, locale, **self.args_map)


def _show(value: Any) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value if isinstance(value, str) else repr(value)


@dataclass(frozen=True, slots=True)
class MenteeProfile:
    """What a mentee's questionnaire tells the matching (codes from the vocabulary)."""

    requests: frozenset[str] = frozenset()
    interests: frozenset[str] = frozenset()
    age: int | None = None
    grade: int | None = None
    format: str | None = None
    times: frozenset[str] = frozenset()
    # `MENTEE_CATEGORIES`: school student, college student, young teacher.
    category: str | None = None

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | None, owner: str = "") -> MenteeProfile:
        if data is None:
            return cls()
        _require_mapping(data, f"{owner}.profile")
        return cls(
            requests=_codes(data.get("requests"), f"{owner}.profile.requests"),
            interests=_codes(data.get("interests"), f"{owner}.profile.interests"),
            age=_optional_int(data.get("age"), f"{owner}.profile.age"),
            grade=parse_grade(data.get("grade"), f"{owner}.profile.grade"),
            format=_optional_code(data.get("format"), f"{owner}.profile.format"),
            times=_codes(data.get("times"), f"{owner}.profile.times"),
            category=_optional_code(data.get("category"), f"{owner}.profile.category"),
        )


@dataclass(frozen=True, slots=True)
class MentorProfile:
    """What a mentor's questionnaire tells the matching (codes from the vocabulary)."""

    competencies: frozenset[str] = frozenset()
    interests: frozenset[str] = frozenset()
    preferred_ages: frozenset[str] = frozenset()
    grade: int | None = None
    format: str | None = None
    times: frozenset[str] = frozenset()
    # `MENTOR_CATEGORIES`; informative only: the form of a pair follows the mentee.
    category: str | None = None

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | None, owner: str = "") -> MentorProfile:
        if data is None:
            return cls()
        _require_mapping(data, f"{owner}.profile")
        return cls(
            competencies=_codes(data.get("competencies"), f"{owner}.profile.competencies"),
            interests=_codes(data.get("interests"), f"{owner}.profile.interests"),
            preferred_ages=_codes(data.get("preferred_ages"), f"{owner}.profile.preferred_ages"),
            grade=parse_grade(data.get("grade"), f"{owner}.profile.grade"),
            format=_optional_code(data.get("format"), f"{owner}.profile.format"),
            times=_codes(data.get("times"), f"{owner}.profile.times"),
            category=_optional_code(data.get("category"), f"{owner}.profile.category"),
        )


MenteeProfileLike = MenteeProfile | Mapping[str, Any] | None
MentorProfileLike = MentorProfile | Mapping[str, Any] | None


def as_mentee_profile(profile: MenteeProfileLike, owner: str = "mentee") -> MenteeProfile:
    if isinstance(profile, MenteeProfile):
        return profile
    return MenteeProfile.from_mapping(profile, owner)


def as_mentor_profile(profile: MentorProfileLike, owner: str = "mentor") -> MentorProfile:
    if isinstance(profile, MentorProfile):
        return profile
    return MentorProfile.from_mapping(profile, owner)


@dataclass(frozen=True, slots=True)
class MenteeInput:
    id: ParticipantId
    preferences: Sequence[ParticipantId] = ()
    profile: MenteeProfileLike = None
    programme: ProgrammeId | None = None
    # The same person may be a mentee and a mentor in one instance; never pair them.
    person: ParticipantId | None = None


@dataclass(frozen=True, slots=True)
class MentorInput:
    id: ParticipantId
    capacity: int = 1
    preferences: Sequence[ParticipantId] = ()
    profile: MentorProfileLike = None
    programme: ProgrammeId | None = None
    person: ParticipantId | None = None
    # The category of the mentees the mentor already has (a group keeps one category).
    group_category: str | None = None


@dataclass(frozen=True, slots=True)
class MatchingInstance:
    mentees: Sequence[MenteeInput]
    mentors: Sequence[MentorInput]
    complete_preferences: bool = False
    form: str | None = None
    # How long completion makes a short list (a mentor's: at least its capacity).
    completion_length: int = DEFAULT_COMPLETION_LENGTH
    # All forms of the programme; `form` alone is the same as `forms=[form]`.
    forms: Sequence[str] = ()

    def all_forms(self) -> tuple[str, ...]:
        """The programme's forms of mentoring, `form` first, without repeats."""
        out: list[str] = [self.form] if self.form else []
        for code in self.forms:
            if code not in out:
                out.append(code)
        return tuple(out)


@dataclass(frozen=True, slots=True)
class ProposedGroup:
    mentor: ParticipantId
    mentees: list[ParticipantId]
    explanation: str
    # The same explanation split by mentee, for a curator's screen.
    mentee_explanations: dict[ParticipantId, str] = field(default_factory=dict)
    # The form of mentoring of the group (None when the instance names no forms).
    form: str | None = None


@dataclass(frozen=True, slots=True)
class Unmatched:
    mentee: ParticipantId
    reason: str
    suggestions: list[ParticipantId]
    # One of: empty_list, constraints, not_reciprocated, mentors_full.
    reason_code: str = ""


@dataclass(frozen=True, slots=True)
class MatchingResult:
    pairs: list[ProposedGroup]
    unmatched: list[Unmatched]

    def as_dict(self) -> dict[str, Any]:
        return {
            "pairs": [_group_dict(g) for g in self.pairs],
            "unmatched": [
                {
                    "mentee": u.mentee,
                    "reason": u.reason,
                    "reason_code": u.reason_code,
                    "suggestions": list(u.suggestions),
                }
                for u in self.unmatched
            ],
        }


def _group_dict(group: ProposedGroup) -> dict[str, Any]:
    out: dict[str, Any] = {"mentor": group.mentor, "mentees": list(group.mentees)}
    if group.form is not None:
        out["form"] = group.form
    out["explanation"] = group.explanation
    return out


# --- checks -------------------------------------------------------------------------


def validate_instance(instance: MatchingInstance) -> None:
    """Raise `MatchingInputError` on the first problem of the instance."""
    parse_instance(instance)


def parse_instance(
    instance: MatchingInstance,
) -> tuple[list[MenteeProfile], list[MentorProfile]]:
    """Check the instance; return the profiles of its mentees and mentors (input order)."""
    if not isinstance(instance.complete_preferences, bool):
        raise MatchingInputError("match-error-not-bool", field="complete_preferences")
    if instance.form is not None and instance.form not in MENTORING_FORMS:
        raise MatchingInputError("match-error-form", form=instance.form)
    forms = instance.forms
    if isinstance(forms, str | bytes) or not isinstance(forms, Sequence):
        raise MatchingInputError("match-error-list", field="forms")
    for code in forms:
        if code not in MENTORING_FORMS:
            raise MatchingInputError("match-error-form", form=code)
    length = instance.completion_length
    if not _is_int(length) or length < 0:
        raise MatchingInputError("match-error-completion-length", value=length)
    mentee_ids = _check_people(instance.mentees, MenteeInput, "mentee")
    mentor_ids = _check_people(instance.mentors, MentorInput, "mentor")
    mentee_profiles = []
    for mentee in instance.mentees:
        _check_preferences(mentee.id, mentee.preferences, mentor_ids, "mentee", "mentor")
        mentee_profiles.append(as_mentee_profile(mentee.profile, f"mentee {mentee.id}"))
    mentor_profiles = []
    for mentor in instance.mentors:
        if not _is_int(mentor.capacity) or mentor.capacity < 1:
            raise MatchingInputError("match-error-capacity", id=mentor.id, value=mentor.capacity)
        _optional_code(mentor.group_category, f"mentor {mentor.id}.group_category")
        _check_preferences(mentor.id, mentor.preferences, mentee_ids, "mentor", "mentee")
        mentor_profiles.append(as_mentor_profile(mentor.profile, f"mentor {mentor.id}"))
    return mentee_profiles, mentor_profiles


def _check_people(people: Iterable[Any], kind: type, role: str) -> set[ParticipantId]:
    seen: set[ParticipantId] = set()
    for item in people:
        if not isinstance(item, kind):
            raise MatchingInputError("match-error-item-type", role=role, value=item)
        person: Any = item
        if not _is_id(person.id):
            raise MatchingInputError("match-error-id", role=role, value=person.id)
        if person.id in seen:
            raise MatchingInputError("match-error-duplicate-id", role=role, id=person.id)
        seen.add(person.id)
        for name in ("programme", "person"):
            value = getattr(person, name)
            if value is not None and not _is_id(value):
                raise MatchingInputError(
                    "match-error-field-type", field=f"{role} {person.id}.{name}", value=value
                )
    return seen


def _check_preferences(
    owner: ParticipantId,
    preferences: Any,
    known: set[ParticipantId],
    role: str,
    other_role: str,
) -> None:
    if isinstance(preferences, str | bytes) or not isinstance(preferences, Sequence):
        raise MatchingInputError("match-error-preferences-type", role=role, id=owner)
    distinct = set(preferences)
    # Fast path for long lists; bools and floats equal to known ints fail the type test.
    if (
        len(distinct) == len(preferences)
        and distinct <= known
        and {type(item) for item in distinct} <= {str, int}
    ):
        return
    seen: set[ParticipantId] = set()
    for item in preferences:
        if not _is_id(item) or item not in known:
            raise MatchingInputError(
                "match-error-unknown-preference", role=role, id=owner, other=other_role, ref=item
            )
        if item in seen:
            raise MatchingInputError(
                "match-error-duplicate-preference", role=role, id=owner, ref=item
            )
        seen.add(item)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_id(value: Any) -> bool:
    return (isinstance(value, str) and value != "") or _is_int(value)


def _require_mapping(data: Any, where: str) -> None:
    if not isinstance(data, Mapping):
        raise MatchingInputError("match-error-field-type", field=where, value=data)


_NO_CODES: frozenset[str] = frozenset()


def _codes(value: Any, where: str) -> frozenset[str]:
    if value is None:
        return _NO_CODES
    if type(value) is list or type(value) is tuple or type(value) is frozenset:
        codes = frozenset(value)
        if all(type(code) is str for code in codes):
            return codes
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise MatchingInputError("match-error-codes", field=where, value=value)
    items = list(value)
    if not all(isinstance(item, str) for item in items):
        raise MatchingInputError("match-error-codes", field=where, value=value)
    return frozenset(items)


def _optional_code(value: Any, where: str) -> str | None:
    if value is None or isinstance(value, str):
        return value or None
    raise MatchingInputError("match-error-field-type", field=where, value=value)


def _optional_int(value: Any, where: str) -> int | None:
    if value is None:
        return None
    if _is_int(value):
        return int(value)
    raise MatchingInputError("match-error-field-type", field=where, value=value)


def parse_grade(value: Any, where: str = "grade") -> int | None:
    """A class or course number: `9`, `"9"`, `"9А"`, `"10 Б"` → 9, 9, 9, 10."""
    if value is None or value == "":
        return None
    if _is_int(value):
        return int(value)
    if isinstance(value, str):
        digits = ""
        for char in value.strip():
            if char not in "0123456789":
                break
            digits += char
        if digits:
            return int(digits)
    raise MatchingInputError("match-error-grade", field=where, value=value)
