"""«Итоги года»: the curator freezes a programme's figures at a date; from then on the
final report shows the frozen figures, whatever changes in the data afterwards.

The snapshot keeps counts, shares and ids only (no names): a person who withdraws later
is not kept in it. The latest snapshot of a programme is the one shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import audit
from bot.services.access import AccessDenied, is_coordinator, require_programme
from bot.services.reports import ProgrammeReport, Share, compute_report
from storage.models import Person, Programme, YearSnapshot


@dataclass(frozen=True)
class FrozenYear:
    """The figures of «итоги года» as frozen (plain data for /report and documents)."""

    programme_id: int
    taken_at: datetime
    pairs: int
    groups: int
    mentees_paired: Share
    meetings_total: int
    feedback_response: Share
    final_survey: Share
    final_averages: dict[str, dict[str, float | None]]
    indicators: dict[str, tuple[int, int | None]]  # key -> (involved, total)


def _share(value: Any) -> Share:
    part, base = value
    return Share(int(part), int(base))


def figures_of(report: ProgrammeReport, indicators: dict[str, tuple[int, int | None]]) -> dict:
    """The report's figures as stored in a snapshot (JSON)."""
    final = report.final
    return {
        "pairs": report.pairs_confirmed,
        "groups": report.groups_confirmed,
        "mentees_paired": [report.mentees_paired.part, report.mentees_paired.base],
        "meetings_total": report.meetings_total,
        "feedback_response": [report.feedback_response.part, report.feedback_response.base],
        "final_survey": [report.final_survey.part, report.final_survey.base],
        "final_averages": final.averages if final is not None else {},
        "indicators": {k: list(v) for k, v in indicators.items()},
    }


def _frozen(row: YearSnapshot) -> FrozenYear:
    f = row.figures
    return FrozenYear(
        programme_id=row.programme_id,
        taken_at=row.taken_at,
        pairs=int(f["pairs"]),
        groups=int(f["groups"]),
        mentees_paired=_share(f["mentees_paired"]),
        meetings_total=int(f["meetings_total"]),
        feedback_response=_share(f["feedback_response"]),
        final_survey=_share(f["final_survey"]),
        final_averages=f.get("final_averages") or {},
        indicators={
            k: (int(v[0]), None if v[1] is None else int(v[1])) for k, v in f["indicators"].items()
        },
    )


async def freeze_year(
    session: AsyncSession, actor: Person, programme_id: int, now: datetime
) -> FrozenYear:
    """Freeze «итоги года» of a programme the actor manages (a curator or the coordinator)."""
    programme = await require_programme(session, actor.id, programme_id)
    report = await compute_report(session, programme.id, now)
    # the organisation's indicators as the report shows them (with the programme's numbers
    # where the organisation has none)
    trained = report.coverage_trained
    indicators = {
        "students": (report.coverage_students.involved, report.coverage_students.total),
        "teachers": (report.coverage_teachers.involved, report.coverage_teachers.total),
        "trained": (trained.involved, trained.total) if trained is not None else (0, None),
    }
    row = YearSnapshot(
        programme_id=programme.id,
        taken_by=actor.id,
        taken_at=now,
        figures=figures_of(report, indicators),
    )
    session.add(row)
    await session.flush()
    await audit.record(session, programme_id=programme.id, actor_id=actor.id, action="year_frozen")
    return _frozen(row)


async def latest_snapshot(session: AsyncSession, programme_id: int) -> FrozenYear | None:
    row = await session.scalar(
        select(YearSnapshot)
        .where(YearSnapshot.programme_id == programme_id)
        .order_by(YearSnapshot.taken_at.desc(), YearSnapshot.id.desc())
        .limit(1)
    )
    return _frozen(row) if row is not None else None


async def freeze_for_all(session: AsyncSession, actor: Person, now: datetime) -> int:
    """The coordinator freezes «итоги года» of every programme; how many were frozen."""
    if not await is_coordinator(session, actor.id):
        raise AccessDenied(actor.id)
    ids = (await session.scalars(select(Programme.id).order_by(Programme.id))).all()
    for programme_id in ids:
        await freeze_year(session, actor, programme_id, now)
    return len(ids)
