"""What the dashboard's pages show, read through the services that check the bot's
buttons: every function takes the signed-in person and lets `require_programme` (or a
service calling it) refuse a programme the person may not manage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, union
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.access import is_coordinator, require_programme
from bot.services.matching import review as pair_service
from bot.services.reporting.municipality import MunicipalReport
from bot.services.reporting.reports import (
    HELD,
    RISK_REASONS,
    WINDOW_DAYS,
    ProgrammeReport,
    compute_report,
    pairs_at_risk,
)
from bot.services.reporting.year_snapshot import municipal_year
from storage.models import (
    Meeting,
    Pair,
    PairMember,
    PairStatus,
    Participant,
    ParticipantStatus,
    Person,
)

FUNNEL = ("invited", "consented", "profile", "paired", "meeting")
PAIR_STATUSES = ("all", "proposed", "confirmed")
RISK_FILTERS = ("all", "any", *RISK_REASONS)
REGISTRY_SORTS = ("name", "status", "profile")


@dataclass(frozen=True)
class FunnelStep:
    key: str
    count: int
    percent: int  # of the first step


async def funnel(
    session: AsyncSession, actor: Person, programme_id: int, moment: datetime
) -> list[FunnelStep]:
    """Invited → consented → profile → paired → meeting regularly, people of both roles.

    Invited: everyone who came by a link (not withdrawn); consented: consent given (and
    the parent's, for a child); profile: the questionnaire finished; paired: in a
    confirmed pair or group; meeting regularly: in a confirmed pair that held a meeting
    in the last `WINDOW_DAYS` days (the rule the reports use for «no meetings»).
    """
    programme = await require_programme(session, actor.id, programme_id)
    people = select(Participant).where(
        Participant.programme_id == programme.id,
        Participant.status != ParticipantStatus.WITHDRAWN,
    )
    rows = list(await session.scalars(people))
    consented = [p for p in rows if p.status == ParticipantStatus.ACTIVE]
    profiled = [p for p in consented if p.profile_complete]
    confirmed = select(Pair.id).where(
        Pair.programme_id == programme.id, Pair.status == PairStatus.CONFIRMED
    )
    since = moment - timedelta(days=WINDOW_DAYS)
    meeting = select(Meeting.pair_id).where(
        Meeting.pair_id.in_(confirmed),
        Meeting.status.in_(HELD),
        Meeting.starts_at > since,
        Meeting.starts_at <= moment,
    )
    paired_ids = await _members(session, confirmed)
    meeting_ids = await _members(session, meeting)
    counts = [
        len(rows),
        len(consented),
        len(profiled),
        sum(1 for p in consented if p.id in paired_ids),
        sum(1 for p in consented if p.id in meeting_ids),
    ]
    base = counts[0]
    return [
        FunnelStep(key, count, round(100 * count / base) if base else 0)
        for key, count in zip(FUNNEL, counts, strict=True)
    ]


async def _members(session: AsyncSession, pair_ids: object) -> set[int]:
    mentors = select(Pair.mentor_id.label("id")).where(Pair.id.in_(pair_ids))  # type: ignore[arg-type]
    mentees = select(PairMember.mentee_id.label("id")).where(PairMember.pair_id.in_(pair_ids))  # type: ignore[arg-type]
    found = union(mentors, mentees).subquery()
    return {int(v) for v in await session.scalars(select(found.c.id))}


@dataclass(frozen=True)
class PairRow:
    view: pair_service.PairView
    reasons: tuple[str, ...]
    meetings: int


async def pair_rows(
    session: AsyncSession,
    actor: Person,
    programme_id: int,
    moment: datetime,
    *,
    status: str = "all",
    risk: str = "all",
) -> tuple[list[PairRow], list[pair_service.UnmatchedView]]:
    """The live pairs and groups (filtered by status and risk) and the mentees without one."""
    data = await pair_service.overview(session, actor, programme_id)
    risks = await pairs_at_risk(session, [programme_id], moment)
    since = moment - timedelta(days=WINDOW_DAYS)
    held = dict(
        (
            await session.execute(
                select(Meeting.pair_id, func.count(Meeting.id))
                .join(Pair, Pair.id == Meeting.pair_id)
                .where(
                    Pair.programme_id == programme_id,
                    Meeting.status.in_(HELD),
                    Meeting.starts_at > since,
                    Meeting.starts_at <= moment,
                )
                .group_by(Meeting.pair_id)
            )
        ).all()
    )
    views = []
    if status in ("all", "proposed"):
        views += data.proposed
    if status in ("all", "confirmed"):
        views += data.confirmed
    rows = []
    for view in sorted(views, key=lambda v: v.pair.id):
        reasons = risks.get(view.pair.id, ())
        if risk == "any" and not reasons:
            continue
        if risk in RISK_REASONS and risk not in reasons:
            continue
        rows.append(PairRow(view, reasons, int(held.get(view.pair.id, 0))))
    return rows, data.unmatched


@dataclass(frozen=True)
class MentorChoice:
    mentor: Participant
    room: int
    rules: list[str]  # the who-may-be-grouped rules the placement would break
    suggested: bool = False  # the matching suggested this mentor for the mentee


async def _mentor_choices(
    session: AsyncSession,
    actor: Person,
    programme_id: int,
    mentee_id: int,
    exclude: int | None,
    suggested: tuple[int, ...] = (),
) -> list[MentorChoice]:
    """Mentors with room for this mentee: the matching's suggestions first, those that
    would break a rule marked and last (as /pairs offers them)."""
    choices = []
    for mentor, room in await pair_service.mentors_with_room(
        session, actor, programme_id, exclude=exclude
    ):
        rules = await pair_service.placement_warnings(
            session, actor, programme_id, mentee_id, mentor.id
        )
        choices.append(MentorChoice(mentor, room, rules, mentor.id in suggested))
    choices.sort(key=lambda c: (bool(c.rules), not c.suggested))
    return choices


async def move_choices(
    session: AsyncSession, actor: Person, pair_id: int, mentee_id: int
) -> tuple[pair_service.PairView, Participant, list[MentorChoice]]:
    """Where a mentee of a pair may go (the pair's own mentor left out)."""
    view = await pair_service.pair_view(session, actor, pair_id)
    mentee = next((m for m in view.mentees if m.id == mentee_id), None)
    if mentee is None:
        raise pair_service.NotInProgramme(mentee_id)
    choices = await _mentor_choices(
        session, actor, view.pair.programme_id, mentee_id, exclude=view.mentor.id
    )
    return view, mentee, choices


async def assign_choices(
    session: AsyncSession, actor: Person, programme_id: int, mentee_id: int
) -> tuple[pair_service.UnmatchedView, list[MentorChoice]]:
    """Whom a mentee without a pair may be given to (/pairs → «Без пары»)."""
    data = await pair_service.overview(session, actor, programme_id)
    item = next((u for u in data.unmatched if u.mentee.id == mentee_id), None)
    if item is None:
        raise pair_service.NotInProgramme(mentee_id)
    suggested = tuple(m.id for m in item.suggestions)
    choices = await _mentor_choices(
        session, actor, programme_id, mentee_id, exclude=None, suggested=suggested
    )
    return item, choices


def sort_registry(items: list[Participant], sort: str) -> list[Participant]:
    if sort == "status":
        return sorted(items, key=lambda p: (p.status, p.registry_status, p.display_name or ""))
    if sort == "profile":
        return sorted(items, key=lambda p: (p.profile_complete, p.display_name or ""))
    return sorted(items, key=lambda p: ((p.display_name or "").casefold(), p.id))


async def coordinator_or_refuse(session: AsyncSession, actor: Person) -> None:
    from bot.services.access import AccessDenied

    if not await is_coordinator(session, actor.id):
        raise AccessDenied(actor.id)


async def programme_figures(
    session: AsyncSession, actor: Person, programme_id: int, moment: datetime
) -> ProgrammeReport:
    """The figures of the programme's /report, for its chart (not noted in the audit
    trail as a report: looking at the dashboard is not producing one)."""
    await require_programme(session, actor.id, programme_id)
    return await compute_report(session, programme_id, moment, listed=0)


async def indicator_figures(session: AsyncSession, actor: Person) -> MunicipalReport:
    """The municipality's indicators as the coordinator's /report draws them: «итоги
    года» where an organisation's year is frozen, live figures elsewhere."""
    await coordinator_or_refuse(session, actor)
    return (await municipal_year(session)).report
