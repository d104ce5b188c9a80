"""Profile compatibility of a mentee and a mentor, and fast top-N search over mentors.

The score is a sum of small integer points, so equal scores are exactly equal and ties
fall to id order:

| part | points |
|---|---|
| requests ↔ competencies | 3 per shared code, at most 2 codes counted |
| shared interests | 2 per shared code, at most 3 codes counted |
| preferred age of mentees | 2 when the mentee's age band is among the mentor's (or «any») |
| format | 2 the same, 1 when one side is «mixed» and the other in person or online |
| time | 1 when they share a convenient time slot |

The code `other` («другое») never counts as shared: two people who both ticked «другое»
may mean different things.

`MentorIndex` finds the best mentors for a mentee without scoring every mentor: each
option code has a bitset (a Python int) of the mentors that have it, the parts of the
score become bitsets of mentors per points level, and the levels are combined with `&`
and `|` on those ints, one machine word per 64 mentors.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.services.vocabulary import age_band

from .models import (
    MenteeProfile,
    MenteeProfileLike,
    MentorProfile,
    MentorProfileLike,
    as_mentee_profile,
    as_mentor_profile,
)

REQUEST_POINTS = 3
REQUEST_CAP = 2
INTEREST_POINTS = 2
INTEREST_CAP = 3
AGE_POINTS = 2
FORMAT_SAME_POINTS = 2
FORMAT_MIXED_POINTS = 1
TIME_POINTS = 1
MAX_POINTS = (
    REQUEST_POINTS * REQUEST_CAP
    + INTEREST_POINTS * INTEREST_CAP
    + AGE_POINTS
    + FORMAT_SAME_POINTS
    + TIME_POINTS
)

UNSPECIFIED_CODE = "other"
ANY_AGE = "any"
MIXED = "mixed"
PURE_FORMATS = ("in_person", "online")


class Codebook:
    """Bit numbers for option codes, one numbering per group (requests share theirs)."""

    def __init__(self) -> None:
        self._bits: dict[str, dict[str, int]] = {}

    def mask(self, group: str, codes: Iterable[str]) -> int:
        numbering = self._bits.setdefault(group, {})
        out = 0
        for code in codes:
            if code == UNSPECIFIED_CODE:
                continue
            bit = numbering.get(code)
            if bit is None:
                bit = numbering[code] = len(numbering)
            out |= 1 << bit
        return out


@dataclass(frozen=True, slots=True)
class MenteeFeatures:
    requests: int
    interests: int
    band: str | None
    format: str | None
    times: int


@dataclass(frozen=True, slots=True)
class MentorFeatures:
    competencies: int
    interests: int
    ages: frozenset[str]
    any_age: bool
    format: str | None
    times: int


def mentee_features(profile: MenteeProfile, book: Codebook) -> MenteeFeatures:
    return MenteeFeatures(
        requests=book.mask("request", profile.requests),
        interests=book.mask("interest", profile.interests),
        band=age_band(profile.age),
        format=profile.format,
        times=book.mask("time", profile.times),
    )


def mentor_features(profile: MentorProfile, book: Codebook) -> MentorFeatures:
    return MentorFeatures(
        competencies=book.mask("request", profile.competencies),
        interests=book.mask("interest", profile.interests),
        ages=profile.preferred_ages,
        any_age=ANY_AGE in profile.preferred_ages,
        format=profile.format,
        times=book.mask("time", profile.times),
    )


def age_fits(band: str | None, ages: frozenset[str]) -> bool:
    return ANY_AGE in ages or (band is not None and band in ages)


def format_points(mentee_format: str | None, mentor_format: str | None) -> int:
    if mentee_format is None or mentor_format is None:
        return 0
    if mentee_format == mentor_format:
        return FORMAT_SAME_POINTS
    pair = {mentee_format, mentor_format}
    if MIXED in pair and pair - {MIXED} <= set(PURE_FORMATS):
        return FORMAT_MIXED_POINTS
    return 0


def points(mentee: MenteeFeatures, mentor: MentorFeatures) -> int:
    """The compatibility of two profiles in points, 0..`MAX_POINTS`.

    Written out flat: completion calls it ~10⁵ times on a big instance.
    """
    shared = (mentee.requests & mentor.competencies).bit_count()
    total = REQUEST_POINTS * (shared if shared < REQUEST_CAP else REQUEST_CAP)
    shared = (mentee.interests & mentor.interests).bit_count()
    total += INTEREST_POINTS * (shared if shared < INTEREST_CAP else INTEREST_CAP)
    if mentor.any_age or (mentee.band is not None and mentee.band in mentor.ages):
        total += AGE_POINTS
    if mentee.format is not None and mentor.format is not None:
        if mentee.format == mentor.format:
            total += FORMAT_SAME_POINTS
        else:
            total += format_points(mentee.format, mentor.format)
    if mentee.times & mentor.times:
        total += TIME_POINTS
    return total


def compatibility_score(
    mentee_profile: MenteeProfileLike, mentor_profile: MentorProfileLike
) -> float:
    """How well a mentor's profile fits a mentee's, from 0.0 (nothing in common) to 1.0.

    Profiles are `MenteeProfile` / `MentorProfile` or plain mappings with the fields
    documented in docs/matching.md.
    """
    book = Codebook()
    mentee = mentee_features(as_mentee_profile(mentee_profile), book)
    mentor = mentor_features(as_mentor_profile(mentor_profile), book)
    return points(mentee, mentor) / MAX_POINTS


Levels = dict[int, int]  # points → bitset of mentors with exactly these points


def _saturating_levels(sets: Sequence[int], cap: int) -> list[int]:
    """`at_least[k]` = bitset of the mentors found in at least k of `sets` (k ≤ cap)."""
    at_least = [0] * (cap + 1)
    for bits in sets:
        for k in range(cap, 1, -1):
            at_least[k] |= at_least[k - 1] & bits
        at_least[1] |= bits
    return at_least


def _exact_levels(at_least: list[int], everyone: int, weight: int) -> Levels:
    out: Levels = {}
    upper = 0
    for k in range(len(at_least) - 1, 0, -1):
        level = at_least[k] & ~upper
        if level:
            out[k * weight] = level
        upper |= at_least[k]
    rest = everyone & ~upper
    if rest:
        out[0] = rest
    return out


def _combine(first: Levels, second: Levels) -> Levels:
    out: Levels = {}
    for a, bits_a in first.items():
        for b, bits_b in second.items():
            both = bits_a & bits_b
            if both:
                out[a + b] = out.get(a + b, 0) | both
    return out


class MentorIndex:
    """Bitsets of mentors (bit i = the i-th mentor) per option code.

    A mentee's score splits into what they ask for (requests, interests: many
    combinations, computed per mentee) and when and how they can meet (age band,
    format, times: few combinations, cached). `best` walks the total points from the
    top down and stops as soon as it has enough mentors.
    """

    def __init__(self, mentors: Sequence[MentorFeatures]) -> None:
        self.size = len(mentors)
        self.all = (1 << self.size) - 1
        self._competency: dict[int, int] = {}
        self._interest: dict[int, int] = {}
        self._time: dict[int, int] = {}
        self._age: dict[str, int] = {}
        self._any_age = 0
        self._format: dict[str, int] = {}
        self._context_cache: dict[tuple[str | None, str | None, int], Levels] = {}
        for i, mentor in enumerate(mentors):
            bit = 1 << i
            _spread(self._competency, mentor.competencies, bit)
            _spread(self._interest, mentor.interests, bit)
            _spread(self._time, mentor.times, bit)
            for code in mentor.ages:
                self._age[code] = self._age.get(code, 0) | bit
            if mentor.any_age:
                self._any_age |= bit
            if mentor.format is not None:
                self._format[mentor.format] = self._format.get(mentor.format, 0) | bit

    def levels(self, mentee: MenteeFeatures, within: int) -> Levels:
        """Mentors among `within` by compatibility with `mentee`: points → bitset."""
        combined = _combine(self._wishes(mentee), self._context(mentee))
        return {p: bits & within for p, bits in combined.items() if bits & within}

    def best(
        self, mentee: MenteeFeatures, within: int, count: int, min_points: int = 0
    ) -> list[int]:
        """Up to `count` mentor numbers from `within`, best first, ties by number."""
        if count <= 0 or not within:
            return []
        wishes = self._wishes(mentee)
        context = self._context(mentee)
        totals = sorted({a + b for a in wishes for b in context}, reverse=True)
        out: list[int] = []
        for total in totals:
            if total < min_points:
                break
            bits = 0
            for a, bits_a in wishes.items():
                bits_b = context.get(total - a)
                if bits_b is not None:
                    bits |= bits_a & bits_b
            bits &= within
            while bits:
                low = bits & -bits
                out.append(low.bit_length() - 1)
                if len(out) == count:
                    return out
                bits ^= low
        return out

    def _wishes(self, mentee: MenteeFeatures) -> Levels:
        requests = _exact_levels(
            _saturating_levels(
                [self._competency.get(b, 0) for b in _bits(mentee.requests)], REQUEST_CAP
            ),
            self.all,
            REQUEST_POINTS,
        )
        if not mentee.interests:
            return requests
        interests = _exact_levels(
            _saturating_levels(
                [self._interest.get(b, 0) for b in _bits(mentee.interests)], INTEREST_CAP
            ),
            self.all,
            INTEREST_POINTS,
        )
        return _combine(requests, interests)

    def _context(self, mentee: MenteeFeatures) -> Levels:
        key = (mentee.band, mentee.format, mentee.times)
        cached = self._context_cache.get(key)
        if cached is not None:
            return cached
        everyone = self.all
        age_ok = self._any_age
        if mentee.band is not None:
            age_ok |= self._age.get(mentee.band, 0)
        levels = _two_levels(age_ok, everyone, AGE_POINTS)
        if mentee.format is not None:
            same = self._format.get(mentee.format, 0)
            if mentee.format == MIXED:
                mixed = self._format.get("in_person", 0) | self._format.get("online", 0)
            elif mentee.format in PURE_FORMATS:
                mixed = self._format.get(MIXED, 0)
            else:
                mixed = 0
            part = {FORMAT_SAME_POINTS: same, FORMAT_MIXED_POINTS: mixed}
            part[0] = everyone & ~same & ~mixed
            levels = _combine(levels, {p: b for p, b in part.items() if b})
        time_ok = 0
        for b in _bits(mentee.times):
            time_ok |= self._time.get(b, 0)
        levels = _combine(levels, _two_levels(time_ok, everyone, TIME_POINTS))
        self._context_cache[key] = levels
        return levels


def _two_levels(hit: int, everyone: int, weight: int) -> Levels:
    part = {weight: hit, 0: everyone & ~hit}
    return {p: b for p, b in part.items() if b}


def _spread(target: dict[int, int], mask: int, bit: int) -> None:
    for code_bit in _bits(mask):
        target[code_bit] = target.get(code_bit, 0) | bit


def _bits(mask: int) -> list[int]:
    out = []
    while mask:
        low = mask & -mask
        out.append(low.bit_length() - 1)
        mask ^= low
    return out
