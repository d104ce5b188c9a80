"""«Лучшая пара» (stage 7): a short list ranked by what the pairs did, and the curator's award.

The curator decides; the data only orders the list. A pair's score, out of 100:

- meetings: 40 × its held meetings / the most held meetings of any candidate (a meeting
  counts when the mentor logged it or the mentee confirmed it);
- scores: 60 × (average − 1) / 4, where the average (1–5) is the mean of the biweekly
  feedback average (usefulness, progress, comfort) and the final survey's average (its
  1–10 scales put on 1–5: 1 → 1, 10 → 5), whichever exist. Each of the two is the mean
  of the two sides (the mentor; the mentees together), so the side that answers more
  does not outweigh the other.

Only the answers of participants whose consent is in force count. A pair is a candidate
when it held at least one meeting and its mentor and at least one mentee are still in it.
Ties: more meetings first, then the older pair.

The award is open while the programme is finishing; one pair per programme, and a new
choice replaces the old one. Once the programme is finished the choice is read-only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, literal, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from bot.infra.clock import now
from bot.infra.notify import notify
from bot.services.access import require_programme
from bot.services.pairwork.cycle import WrongState, load_pair
from bot.services.reporting.reports import (
    FINAL_SURVEY_FORM,
    HELD,
    NamedPair,
    best_pair_of,
    describe_pairs,
)
from bot.texts import esc, t
from storage.models import (
    AuditRecord,
    FeedbackAnswer,
    FormAnswer,
    FormSession,
    FormStatus,
    Meeting,
    Pair,
    PairMember,
    PairStatus,
    Participant,
    ParticipantStatus,
    Person,
    Programme,
    ProgrammeStatus,
)

SHORT_LIST = 5
MEETING_POINTS = 40
SCORE_POINTS = 60
FINAL_SCALES = ("expectations", "comfort", "usefulness", "goals_reached")
FINAL_SCALE_MAX = 10
FEEDBACK_SCALE_MAX = 5
NOMINATION = "best_pair"


@dataclass(frozen=True)
class PairFigures:
    """What a pair did, as the ranking sees it."""

    pair_id: int
    meetings: int
    feedback: float | None = None  # 1–5, the mean of the sides' feedback averages
    final: float | None = None  # 1–5, the mean of the sides' final survey averages

    @property
    def average(self) -> float | None:
        parts = [v for v in (self.feedback, self.final) if v is not None]
        return sum(parts) / len(parts) if parts else None


def score(figures: PairFigures, most_meetings: int) -> float:
    """The pair's points out of 100 (see the module's description)."""
    meetings = MEETING_POINTS * figures.meetings / most_meetings if most_meetings else 0.0
    average = figures.average
    scores = SCORE_POINTS * (average - 1) / (FEEDBACK_SCALE_MAX - 1) if average is not None else 0.0
    return round(meetings + scores, 1)


def rank(
    figures: Sequence[PairFigures], limit: int = SHORT_LIST
) -> list[tuple[PairFigures, float]]:
    """Pairs with at least one meeting, best first, with their points."""
    met = [f for f in figures if f.meetings > 0]
    most = max((f.meetings for f in met), default=0)
    scored = [(f, score(f, most)) for f in met]
    scored.sort(key=lambda item: (-item[1], -item[0].meetings, item[0].pair_id))
    return scored[:limit]


@dataclass(frozen=True)
class Candidate:
    figures: PairFigures
    points: float | None  # None for the awarded pair when it is no longer on the list
    names: NamedPair
    awarded: bool


@dataclass(frozen=True)
class BestPairOverview:
    programme_id: int
    programme_name: str
    editable: bool  # the programme is finishing: the choice can still be made or changed
    candidates: list[Candidate]
    awarded: Candidate | None


@dataclass(frozen=True)
class AwardPreview:
    programme_id: int
    programme_name: str
    pair: NamedPair
    figures: PairFigures
    current: NamedPair | None  # the pair named before, if another one


# ---------------------------------------------------------------- figures


def _mean(total: float, count: int) -> float | None:
    return total / count if count else None


def _mean_of(values: Sequence[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


def final_on_five(value: Any) -> float | None:
    """A final survey answer on its 1–10 scale, put on the feedback's 1–5 scale."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int | float) or not 1 <= value <= FINAL_SCALE_MAX:
        return None
    return 1 + (value - 1) * (FEEDBACK_SCALE_MAX - 1) / (FINAL_SCALE_MAX - 1)


async def _sides(session: AsyncSession, pair_ids: Sequence[int]) -> dict[int, dict[int, str]]:
    """pair → {participant: "mentor" | "mentee"}, members whose consent is in force."""
    members = union_all(
        select(
            Pair.id.label("pair_id"),
            Pair.mentor_id.label("participant_id"),
            literal("mentor").label("side"),
        ).where(Pair.id.in_(pair_ids)),
        select(PairMember.pair_id, PairMember.mentee_id, literal("mentee")).where(
            PairMember.pair_id.in_(pair_ids)
        ),
    ).subquery()
    rows = await session.execute(
        select(members.c.pair_id, members.c.participant_id, members.c.side)
        .join(Participant, Participant.id == members.c.participant_id)
        .where(Participant.status == ParticipantStatus.ACTIVE)
    )
    sides: dict[int, dict[int, str]] = defaultdict(dict)
    for pair_id, participant_id, side in rows:
        sides[int(pair_id)][int(participant_id)] = str(side)
    return sides


async def pair_figures(session: AsyncSession, pair_ids: Sequence[int]) -> list[PairFigures]:
    """The figures of the pairs that still have their mentor and a mentee, in id order."""
    sides = await _sides(session, pair_ids)
    ids = sorted(p for p, members in sides.items() if {"mentor", "mentee"} <= set(members.values()))
    if not ids:
        return []
    meetings = dict(
        (int(pair_id), int(n))
        for pair_id, n in await session.execute(
            select(Meeting.pair_id, func.count())
            .where(Meeting.pair_id.in_(ids), Meeting.status.in_(HELD))
            .group_by(Meeting.pair_id)
        )
    )

    FA = FeedbackAnswer
    feedback_sum: dict[tuple[int, str], float] = defaultdict(float)
    feedback_n: dict[tuple[int, str], int] = defaultdict(int)
    for pair_id, participant_id, total, count in await session.execute(
        select(
            FA.pair_id,
            FA.participant_id,
            func.coalesce(func.sum(FA.usefulness), 0)
            + func.coalesce(func.sum(FA.progress), 0)
            + func.coalesce(func.sum(FA.comfort), 0),
            func.count(FA.usefulness) + func.count(FA.progress) + func.count(FA.comfort),
        )
        .where(FA.pair_id.in_(ids))
        .group_by(FA.pair_id, FA.participant_id)
    ):
        side = sides[int(pair_id)].get(int(participant_id))
        if side is not None:
            feedback_sum[(int(pair_id), side)] += float(total or 0)
            feedback_n[(int(pair_id), side)] += int(count or 0)

    people = {pid for members in sides.values() for pid in members}
    finals: dict[int, list[float]] = defaultdict(list)
    for participant_id, value in await session.execute(
        select(FormSession.participant_id, FormAnswer.value)
        .join(FormAnswer, FormAnswer.session_id == FormSession.id)
        .where(
            FormSession.form == FINAL_SURVEY_FORM,
            FormSession.status == FormStatus.COMPLETED,
            FormSession.participant_id.in_(people),
            FormAnswer.question_id.in_(FINAL_SCALES),
        )
    ):
        scale = final_on_five(value)
        if scale is not None:
            finals[int(participant_id)].append(scale)

    result = []
    for pair_id in ids:
        by_side: dict[str, list[float]] = defaultdict(list)
        for participant_id, side in sides[pair_id].items():
            by_side[side].extend(finals.get(participant_id, []))
        result.append(
            PairFigures(
                pair_id=pair_id,
                meetings=meetings.get(pair_id, 0),
                feedback=_mean_of(
                    [
                        _mean(feedback_sum[(pair_id, side)], feedback_n[(pair_id, side)])
                        for side in ("mentor", "mentee")
                    ]
                ),
                final=_mean_of(
                    [_mean(sum(v), len(v)) for v in (by_side["mentor"], by_side["mentee"])]
                ),
            )
        )
    return result


async def _worked_until_completion(session: AsyncSession, programme: Programme) -> list[int]:
    """The pairs that were working when the completion came: confirmed ones, or, once the
    programme is finished, the ones its finish ended."""
    if programme.status == ProgrammeStatus.FINISHED:
        rows = await session.execute(
            select(Pair.id, Pair.ended_at).where(
                Pair.programme_id == programme.id, Pair.status == PairStatus.ENDED
            )
        )
        return [int(pid) for pid, ended in rows if ended == programme.finished_at]
    return list(
        (
            await session.scalars(
                select(Pair.id).where(
                    Pair.programme_id == programme.id, Pair.status == PairStatus.CONFIRMED
                )
            )
        ).all()
    )


def _open_for_view(programme: Programme) -> None:
    if programme.status not in (ProgrammeStatus.FINISHING, ProgrammeStatus.FINISHED):
        raise WrongState(programme.status)


async def best_pair_overview(
    session: AsyncSession, actor: Person, programme_id: int
) -> BestPairOverview:
    """The short list for the curator, with the pair named so far."""
    programme = await require_programme(session, actor.id, programme_id)
    _open_for_view(programme)
    figures = await pair_figures(session, await _worked_until_completion(session, programme))
    ranked = rank(figures)
    current = await best_pair_of(session, programme_id)
    shown = [f.pair_id for f, _ in ranked]
    extra = current.pair_id if current is not None and current.pair_id not in shown else None
    names = {
        n.pair_id: n
        for n in await describe_pairs(session, shown + ([extra] if extra is not None else []))
    }
    candidates = [
        Candidate(f, points, names[f.pair_id], current is not None and current.pair_id == f.pair_id)
        for f, points in ranked
    ]
    awarded = next((c for c in candidates if c.awarded), None)
    if awarded is None and current is not None:
        found = next((f for f in figures if f.pair_id == current.pair_id), None)
        awarded = Candidate(
            found or PairFigures(current.pair_id, 0), None, names[current.pair_id], True
        )
    return BestPairOverview(
        programme_id=programme.id,
        programme_name=programme.name,
        editable=programme.status == ProgrammeStatus.FINISHING,
        candidates=candidates,
        awarded=awarded,
    )


async def _award_target(
    session: AsyncSession, actor: Person, programme_id: int, pair_id: int
) -> tuple[Programme, PairFigures]:
    """The curator's programme and the pair to name, if the award is possible now."""
    programme = await require_programme(session, actor.id, programme_id)
    if programme.status != ProgrammeStatus.FINISHING:
        raise WrongState(programme.status)
    pair = await session.get(Pair, pair_id)
    if pair is None or pair.programme_id != programme.id or pair.status != PairStatus.CONFIRMED:
        raise WrongState("pair")
    figures = await pair_figures(session, [pair_id])
    if not figures or figures[0].meetings == 0:
        raise WrongState("not-a-candidate")
    return programme, figures[0]


async def award_preview(
    session: AsyncSession, actor: Person, programme_id: int, pair_id: int
) -> AwardPreview:
    """What the curator is about to confirm (nothing changes yet)."""
    programme, figures = await _award_target(session, actor, programme_id, pair_id)
    current = await best_pair_of(session, programme_id)
    (named,) = await describe_pairs(session, [pair_id])
    return AwardPreview(
        programme_id=programme.id,
        programme_name=programme.name,
        pair=named,
        figures=figures,
        current=current if current is not None and current.pair_id != pair_id else None,
    )


def _names_together(names: Sequence[str], locale: str) -> str:
    if len(names) < 2:
        return "".join(names)
    return ", ".join(names[:-1]) + t("pairs-best-and", locale) + names[-1]


async def award_best_pair(
    session: AsyncSession, actor: Person, programme_id: int, pair_id: int
) -> BestPairOverview:
    """Name the pair «Лучшая пара» of the programme (replacing an earlier choice) and
    congratulate its members. Naming the same pair again changes nothing."""
    programme = await require_programme(session, actor.id, programme_id)
    # Two curators pressing at once: the programme row is locked (PostgreSQL) and read
    # afresh, so only one choice stands; SQLite's write transactions are serial anyway.
    await session.refresh(programme, with_for_update=True)
    programme, _ = await _award_target(session, actor, programme_id, pair_id)
    named = (
        await session.scalars(
            select(Pair).where(Pair.programme_id == programme.id, Pair.best_pair_at.is_not(None))
        )
    ).all()
    if [p.id for p in named] == [pair_id]:
        return await best_pair_overview(session, actor, programme_id)
    for other in named:
        other.best_pair_at = None
    view = await load_pair(session, pair_id)
    assert view is not None
    view.pair.best_pair_at = now()
    members = view.reachable()
    group = sum(1 for m in members if m.participant.id != view.mentor.participant.id) > 1
    for member in members:
        assert member.person is not None
        locale = member.locale
        await notify(
            session,
            person=member.person,
            key=f"best-pair:{pair_id}:{member.participant.id}",
            text=t(
                "pairs-best-congrats",
                locale,
                programme=esc(programme.name),
                names=esc(_names_together([m.name for m in members], locale)),
                group=str(group).lower(),
            ),
            programme=programme,
            kind="nomination",
            by_curator=True,
        )
    session.add(
        AuditRecord(
            programme_id=programme.id,
            actor_person_id=actor.id,
            action="best_pair_award",
            details={
                "pair": pair_id,
                "replaced": [p.id for p in named if p.id != pair_id],
                "congratulated": len(members),
            },
        )
    )
    await session.flush()
    return await best_pair_overview(session, actor, programme_id)
