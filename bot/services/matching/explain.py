"""Short explanations of proposed pairs and of unmatched mentees (texts in matching.ftl)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from bot.services.vocabulary import INTERESTS, REQUESTS, TIMES, age_band, label
from bot.texts import t

from .compatibility import MAX_POINTS, UNSPECIFIED_CODE
from .models import MenteeProfile, MentorProfile, ParticipantId

_PLACES: dict[tuple[str, ...], dict[str, int]] = {
    vocabulary: {code: i for i, code in enumerate(vocabulary)}
    for vocabulary in (INTERESTS, REQUESTS, TIMES)
}


def _ordered(codes: Iterable[str], vocabulary: tuple[str, ...]) -> list[str]:
    """Shared codes in questionnaire order, unknown ones after them alphabetically."""
    place = _PLACES[vocabulary]
    return sorted(
        (c for c in codes if c != UNSPECIFIED_CODE),
        key=lambda c: (place.get(c, len(place)), c),
    )


class Explainer:
    """Builds the texts of one matching run in one locale (labels are cached)."""

    def __init__(self, locale: str | None = "ru") -> None:
        self.locale = locale
        self._labels: dict[tuple[str, str], str] = {}
        self._texts: dict[tuple[Any, ...], str] = {}

    def label(self, group: str, code: str) -> str:
        key = (group, code)
        found = self._labels.get(key)
        if found is None:
            found = self._labels[key] = label(group, code, self.locale)
        return found

    def text(self, key: str, **args: Any) -> str:
        # The same few phrases repeat across thousands of pairs: format each once.
        memo_key = (key, *sorted(args.items()))
        found = self._texts.get(memo_key)
        if found is None:
            found = self._texts[memo_key] = t(key, self.locale, **args)
        return found

    def pair(
        self,
        *,
        mentee_rank: int | None,
        mentor_rank: int | None,
        mentee: MenteeProfile,
        mentor: MentorProfile,
        points: int,
        form: str | None = None,
    ) -> str:
        """Why this mentee goes to this mentor: the choices first, then the profiles."""
        parts = [self._choices(mentee_rank, mentor_rank, points)]
        if form is not None:
            parts.append(self.text("match-explain-form", form=self.label("form", form)))
        interests = _ordered(mentee.interests & mentor.interests, INTERESTS)
        if interests:
            items = ", ".join(self.label("interest", c) for c in interests)
            parts.append(self.text("match-explain-interests", items=items))
        requests = _ordered(mentee.requests & mentor.competencies, REQUESTS)
        if requests:
            # A request and the competency that answers it are the same word: said once.
            names = ", ".join(
                self.text("match-quoted", item=self.label("request", c)) for c in requests
            )
            parts.append(self.text("match-explain-request", request=names, count=len(requests)))
        band = age_band(mentee.age)
        if band is not None and band in mentor.preferred_ages:
            parts.append(self.text("match-explain-age", band=self.label("mentee-age", band)))
        if mentee.format is not None and mentee.format == mentor.format:
            parts.append(
                self.text("match-explain-format", format=self.label("format", mentee.format))
            )
        times = _ordered(mentee.times & mentor.times, TIMES)
        if times:
            items = ", ".join(self.label("time", c) for c in times)
            parts.append(self.text("match-explain-times", items=items))
        return "; ".join(parts)

    def _choices(self, mentee_rank: int | None, mentor_rank: int | None, points: int) -> str:
        if mentee_rank == 1 and mentor_rank == 1:
            return self.text("match-explain-mutual-first")
        if mentee_rank is not None and mentor_rank is not None:
            # Where the mentor stands on the mentee's list, and the mentee on the mentor's.
            return self.text(
                "match-explain-mutual", mentor_place=mentee_rank, mentee_place=mentor_rank
            )
        percent = round(100 * points / MAX_POINTS)
        if mentee_rank is not None:
            return self.text("match-explain-mentee-choice", rank=mentee_rank, percent=percent)
        if mentor_rank is not None:
            return self.text("match-explain-mentor-choice", rank=mentor_rank, percent=percent)
        return self.text("match-explain-profiles", percent=percent)

    def group(self, texts: Mapping[ParticipantId, str]) -> str:
        """One text for a group: a line per mentee when there are several."""
        if len(texts) == 1:
            return next(iter(texts.values()))
        return "\n".join(
            self.text("match-explain-group-line", mentee=str(mentee), text=text)
            for mentee, text in texts.items()
        )

    def empty_list(self, completed: bool) -> str:
        key = "match-unmatched-empty-completed" if completed else "match-unmatched-empty"
        return self.text(key)

    def constraints(self, violations: Iterable[str]) -> str:
        details = ", ".join(self.text(f"match-constraint-{code}") for code in violations)
        return self.text("match-unmatched-constraints", details=details)

    def ages(self, chosen: bool = False) -> str:
        return self.text("match-unmatched-ages-chosen" if chosen else "match-unmatched-ages")

    def not_reciprocated(self) -> str:
        return self.text("match-unmatched-not-reciprocated")

    def mentors_full(self) -> str:
        return self.text("match-unmatched-full")
