"""«Итоги года»: the curator freezes a programme's figures at a date; from then on /report,
the final report (document) and the municipal report (the coordinator's /report and its
document) show the frozen figures, whatever changes in the data afterwards.

The snapshot keeps counts, shares and ids only (no names): a person who withdraws later
is not named from it. The latest snapshot of a programme is the one shown; an
organisation's indicators are those of the latest snapshot of its programmes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.access import AccessDenied, is_coordinator, require_programme
from bot.services.privacy import audit
from bot.services.reporting.municipality import (
    Indicator,
    MunicipalReport,
    compute_municipal,
    total_of,
)
from bot.services.reporting.reports import ProgrammeReport, Share, compute_report
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
    # the final report's figures as written that day (`documents.final_part`); None in a
    # snapshot taken before the documents kept them
    final_document: dict[str, Any] | None = None


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


def _indicators(report: MunicipalReport) -> dict[str, tuple[int, int | None]]:
    """The organisation's three indicators as /report and the municipal report count them."""
    return {k: (i.involved, i.total) for k, i in report.organisations[0].indicators.items()}


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
        final_document=f.get("final_document"),
    )


async def freeze_year(
    session: AsyncSession, actor: Person, programme_id: int, now: datetime
) -> FrozenYear:
    """Freeze «итоги года» of a programme the actor manages (a curator or the coordinator)."""
    from bot.services.reporting.documents import final_part

    programme = await require_programme(session, actor.id, programme_id)
    report = await compute_report(session, programme.id, now)
    indicators = _indicators(await compute_municipal(session, [programme.organisation_id]))
    figures = figures_of(report, indicators)
    figures["final_document"] = await final_part(session, programme, now)
    row = YearSnapshot(
        programme_id=programme.id,
        taken_by=actor.id,
        taken_at=now,
        figures=figures,
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


@dataclass(frozen=True)
class MunicipalYear:
    """The municipality's indicators with «итоги года» where they are frozen: an
    organisation with a snapshot shows its latest one's indicators."""

    report: MunicipalReport
    frozen_at: dict[int, datetime] = field(default_factory=dict)  # organisation id -> when


async def municipal_year(
    session: AsyncSession, organisation_ids: Sequence[int] | None = None
) -> MunicipalYear:
    """`municipality.compute_municipal` with each organisation's frozen indicators in
    place of the live ones where its year is frozen, and the total over them."""
    live = await compute_municipal(session, organisation_ids)
    ids = [o.organisation_id for o in live.organisations if o.organisation_id is not None]
    latest: dict[int, YearSnapshot] = {}
    rows = await session.execute(
        select(Programme.organisation_id, YearSnapshot)
        .join(Programme, Programme.id == YearSnapshot.programme_id)
        .where(Programme.organisation_id.in_(ids))
        .order_by(YearSnapshot.taken_at, YearSnapshot.id)
    )
    for organisation_id, snapshot in rows:
        latest[organisation_id] = snapshot  # the newest comes last
    organisations = []
    for row in live.organisations:
        newest = latest.get(row.organisation_id or 0)
        if newest is not None:
            kept = _frozen(newest).indicators
            row = replace(
                row,
                indicators={
                    key: Indicator(key, *kept[key]) if key in kept else indicator
                    for key, indicator in row.indicators.items()
                },
            )
        organisations.append(row)
    return MunicipalYear(
        MunicipalReport(organisations, total_of(organisations)),
        {org: snapshot.taken_at for org, snapshot in latest.items()},
    )
