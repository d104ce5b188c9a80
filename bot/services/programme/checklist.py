"""The seven stages of the programme as a checklist (`/checklist`, and the export).

An item is either computed from the data (with its figure, e.g. «Согласия: 38 из 41») or
ticked by a curator by hand (`ChecklistMark`, with who, when and an optional note such as
the order's number and date) for work done outside the bot. A finished programme is judged
on its cycle: the pairs its finish ended count as its working pairs, the regularity of
meetings is taken at the finish, the same way the 14-day alert sees it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.infra.clock import now
from bot.services.access import require_programme
from bot.services.community.group_meeting import attended_ids, eligible_participants, latest_meeting
from bot.services.enrolment.registry import NotInProgramme
from bot.services.matching.preference_round import FORM as PREFERENCES_FORM
from bot.services.matching.preference_round import audience, context, latest_round
from bot.services.privacy import audit
from bot.services.reporting.reports import HELD, WINDOW_DAYS, cycle_end, working_pairs
from bot.texts import t
from storage.models import (
    AuditRecord,
    ChecklistMark,
    FeedbackRequest,
    FormAnswer,
    FormSession,
    FormStatus,
    Invitation,
    InvitationKind,
    Meeting,
    OutboxMessage,
    Pair,
    PairMember,
    PairStatus,
    Participant,
    ParticipantStatus,
    Person,
    Programme,
    ProgrammeCurator,
    RegistryStatus,
    Role,
    StaffMember,
    StaffRole,
)

# (stage, item key, automatic?) in the order of domain.md «The seven stages».
ITEMS: tuple[tuple[int, str, bool], ...] = (
    (1, "documents", False),
    (1, "team", True),
    (1, "settings", True),
    (1, "roadmap", False),
    (1, "informing", True),
    (2, "inform-parents", False),
    (2, "mentee-profiles", True),
    (2, "mentee-consents", True),
    (2, "mentee-requests", True),
    (3, "mentor-profiles", True),
    (3, "mentor-consents", True),
    (3, "partners", False),
    (4, "criteria", False),
    (4, "selection", True),
    (4, "training", True),
    (5, "group-meeting", True),
    (5, "preferences", True),
    (5, "pairs", True),
    (5, "unmatched", True),
    (6, "format", True),
    (6, "plans", True),
    (6, "materials", True),
    (6, "meetings", True),
    (6, "feedback", True),
    (6, "rewards-system", False),
    (7, "final-survey", True),
    (7, "results", True),
    (7, "mentors-rewarded", True),
    (7, "closing-event", False),
    (7, "long-term-base", True),
)
MANUAL_KEYS = frozenset(key for _stage, key, auto in ITEMS if not auto)
# Automatic items a curator may also tick by hand (the work can happen outside the bot).
ALSO_MANUAL = frozenset({"materials", "mentors-rewarded"})
NOTE_CHARS = 300  # a note on a tick: «приказ № 12 от 01.09.2026»
REPORT_ACTION = "report_produced"
STAGES = tuple(range(1, 8))


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    auto: bool
    done: bool
    figure_key: str | None = None  # a text key in curator.ftl, e.g. `checklist-figure-of`
    figure_args: dict[str, Any] = field(default_factory=dict)
    marked_by: str | None = None  # who ticked it by hand (a name), when it is ticked
    marked_at: datetime | None = None
    note: str | None = None


@dataclass(frozen=True)
class Stage:
    number: int
    items: list[ChecklistItem]

    @property
    def done_count(self) -> int:
        return sum(1 for item in self.items if item.done)

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def complete(self) -> bool:
        return self.done_count == self.total


@dataclass(frozen=True)
class StageChecklist:
    programme_id: int
    stages: list[Stage]

    @property
    def current_stage(self) -> int:
        """The first stage that is not complete (7 when all are)."""
        for stage in self.stages:
            if not stage.complete:
                return stage.number
        return self.stages[-1].number

    @property
    def done_count(self) -> int:
        return sum(s.done_count for s in self.stages)

    @property
    def total(self) -> int:
        return sum(s.total for s in self.stages)


def item_title(key: str, locale: str | None = "ru") -> str:
    return t(f"checklist-item-{key}", locale)


def stage_title(number: int, locale: str | None = "ru") -> str:
    return t(f"checklist-stage-{number}", locale)


def item_figure(item: ChecklistItem, locale: str | None = "ru") -> str:
    return t(item.figure_key, locale, **item.figure_args) if item.figure_key else ""


def _of(done: int, total: int) -> tuple[str, dict[str, Any]]:
    return "checklist-figure-of", {"done": done, "total": total}


def _pct(done: int, total: int) -> tuple[str, dict[str, Any]]:
    return "checklist-figure-percent", {
        "done": done,
        "total": total,
        "percent": round(100 * done / total) if total else 0,
    }


async def _count(session: AsyncSession, query: Any) -> int:
    return int(await session.scalar(query) or 0)


async def compute_checklist(session: AsyncSession, programme_id: int) -> StageChecklist:
    """The checklist of a programme from its data (no access check: callers do it)."""
    programme = await session.get(Programme, programme_id)
    if programme is None:
        raise NotInProgramme(programme_id)
    mark_rows = (
        await session.execute(
            select(ChecklistMark, Person.full_name)
            .outerjoin(Person, Person.id == ChecklistMark.marked_by)
            .where(ChecklistMark.programme_id == programme.id)
        )
    ).all()
    marks = {m.item_key: m.done for m, _ in mark_rows}
    ticks = {m.item_key: (name, m.marked_at, m.note) for m, name in mark_rows if m.done}
    at = cycle_end(programme, now())
    working = working_pairs(programme)
    # Only the columns the items look at: a large programme has thousands of participants.
    P = Participant
    participants = (
        await session.execute(
            select(
                P.id,
                P.role,
                P.status,
                P.profile_complete,
                P.registry_status,
                P.trained,
                P.in_long_term_base,
                P.wants_to_mentor,
                P.curator_note,
            ).where(P.programme_id == programme.id, P.status != ParticipantStatus.WITHDRAWN)
        )
    ).all()
    mentees = [p for p in participants if p.role == Role.MENTEE]
    mentors = [p for p in participants if p.role == Role.MENTOR]
    active = [p for p in participants if p.status == ParticipantStatus.ACTIVE]
    computed: dict[str, tuple[bool, str | None, dict[str, Any]]] = {}

    def put(key: str, done: bool, figure: tuple[str, dict[str, Any]] | None = None) -> None:
        computed[key] = (done, figure[0] if figure else None, figure[1] if figure else {})

    # 1. Conditions for the launch.
    curators = await _count(
        session,
        select(func.count())
        .select_from(StaffMember)
        .where(
            StaffMember.role == StaffRole.CURATOR,
            StaffMember.organisation_id == programme.organisation_id,
        ),
    ) + await _count(
        session,
        select(func.count())
        .select_from(ProgrammeCurator)
        .where(ProgrammeCurator.programme_id == programme.id),
    )
    put("team", curators > 0, ("checklist-figure-curators", {"count": curators}))
    put(
        "settings",
        bool(programme.forms) and programme.starts_on is not None and bool(programme.operator_name),
    )
    invited = await _count(
        session,
        select(func.count())
        .select_from(Invitation)
        .where(
            Invitation.programme_id == programme.id,
            Invitation.kind.in_((InvitationKind.MENTEE, InvitationKind.MENTOR)),
        ),
    )
    broadcasts = await _count(
        session,
        select(func.count())
        .select_from(AuditRecord)
        .where(AuditRecord.programme_id == programme.id, AuditRecord.action == "broadcast"),
    )
    put("informing", invited > 0 or broadcasts > 0 or bool(participants))

    # 2–3. The bases of mentees and mentors.
    for role, group in (("mentee", mentees), ("mentor", mentors)):
        profiles = sum(1 for p in group if p.profile_complete)
        put(f"{role}-profiles", bool(group) and profiles == len(group), _of(profiles, len(group)))
        consents = sum(1 for p in group if p.status == ParticipantStatus.ACTIVE)
        put(f"{role}-consents", bool(group) and consents == len(group), _pct(consents, len(group)))
    with_requests = await _count(
        session,
        select(func.count(func.distinct(FormSession.participant_id)))
        .join(FormAnswer, FormAnswer.session_id == FormSession.id)
        .join(Participant, Participant.id == FormSession.participant_id)
        .where(
            Participant.programme_id == programme.id,
            Participant.role == Role.MENTEE,
            FormAnswer.question_id.in_(("requests", "request")),
        ),
    )
    active_mentees_count = sum(1 for p in mentees if p.status == ParticipantStatus.ACTIVE)
    put(
        "mentee-requests",
        active_mentees_count > 0 and with_requests >= active_mentees_count,
        _of(with_requests, active_mentees_count),
    )

    # 4. Selection and training of mentors.
    decided = [p for p in mentors if p.status == ParticipantStatus.ACTIVE]
    approved = [p for p in decided if p.registry_status == RegistryStatus.APPROVED]
    candidates = [p for p in decided if p.registry_status == RegistryStatus.CANDIDATE]
    put(
        "selection",
        bool(approved) and not candidates,
        ("checklist-figure-approved", {"approved": len(approved), "waiting": len(candidates)}),
    )
    trained = sum(1 for p in approved if p.trained)
    put("training", bool(approved) and trained == len(approved), _of(trained, len(approved)))

    # 5. Pairs and groups.
    meeting = await latest_meeting(session, programme.id)
    if meeting is not None and meeting.starts_at <= now():
        came = len(await attended_ids(session, meeting.id))
        eligible = len(await eligible_participants(session, programme.id))
        put(
            "group-meeting",
            True,
            _of(came, eligible) if meeting.attendance_recorded else None,
        )
    else:
        put("group-meeting", False, ("checklist-figure-announced", {}) if meeting else None)
    round_ = await latest_round(session, programme.id)
    if round_ is not None:
        people = await audience(session, programme.id)
        answered = await _count(
            session,
            select(func.count())
            .select_from(FormSession)
            .where(
                FormSession.form == PREFERENCES_FORM,
                FormSession.context == context(round_.id),
                FormSession.status == FormStatus.COMPLETED,
            ),
        )
        put("preferences", round_.closed_at is not None, _pct(answered, len(people)))
    else:
        put("preferences", False)
    pair_rows = (
        await session.execute(
            select(
                Pair.id,
                Pair.mentor_id,
                Pair.status,
                Pair.format,
                Pair.confirmed_at,
                Pair.created_at,
            ).where(
                Pair.programme_id == programme.id,
                Pair.status.in_((PairStatus.PROPOSED, PairStatus.CONFIRMED, PairStatus.ENDED)),
            )
        )
    ).all()
    working_ids = set((await session.scalars(select(Pair.id).where(working))).all())
    confirmed = [p for p in pair_rows if p.id in working_ids]
    proposed = [p for p in pair_rows if p.status == PairStatus.PROPOSED]
    put(
        "pairs",
        bool(confirmed) and not proposed,
        ("checklist-figure-pairs", {"confirmed": len(confirmed), "proposed": len(proposed)}),
    )
    paired = set(
        (
            await session.scalars(
                select(PairMember.mentee_id)
                .join(Pair, Pair.id == PairMember.pair_id)
                .where(working)
            )
        ).all()
    )
    lonely = [m for m in mentees if m.status == ParticipantStatus.ACTIVE and m.id not in paired]
    without_note = [m for m in lonely if not m.curator_note]
    put(
        "unmatched",
        bool(confirmed) and not without_note,
        ("checklist-figure-unmatched", {"count": len(lonely)}),
    )

    # 6. The work of pairs.
    total_pairs = len(confirmed)
    with_format = sum(1 for p in confirmed if p.format)
    put("format", total_pairs > 0 and with_format == total_pairs, _of(with_format, total_pairs))
    plans = await _count(
        session,
        select(func.count(func.distinct(FormSession.context))).where(
            FormSession.form.like("%plan%"),
            FormSession.status == FormStatus.COMPLETED,
            FormSession.context.in_([f"pair:{p.id}" for p in confirmed] or ["-"]),
        ),
    )
    put("plans", total_pairs > 0 and plans >= total_pairs, _of(plans, total_pairs))
    put("materials", bool(programme.materials_link or programme.materials_file_id))
    # On track unless the 14-day alert would see it: confirmed at least 14 days before
    # `at` and no meeting held since (the same rule as `alerts.check_no_meetings`).
    cutoff = at - timedelta(days=WINDOW_DAYS)
    met = set(
        (
            await session.scalars(
                select(Meeting.pair_id).where(
                    Meeting.pair_id.in_(working_ids or {-1}),
                    Meeting.status.in_(HELD),
                    Meeting.starts_at > cutoff,
                    Meeting.starts_at <= at,
                )
            )
        ).all()
    )
    on_track = sum(1 for p in confirmed if p.id in met or (p.confirmed_at or p.created_at) > cutoff)
    put("meetings", total_pairs > 0 and on_track == total_pairs, _pct(on_track, total_pairs))
    requested = await _count(
        session,
        select(func.count())
        .select_from(FeedbackRequest)
        .join(Pair, Pair.id == FeedbackRequest.pair_id)
        .where(Pair.programme_id == programme.id),
    )
    answered_fb = await _count(
        session,
        select(func.count())
        .select_from(FeedbackRequest)
        .join(Pair, Pair.id == FeedbackRequest.pair_id)
        .where(Pair.programme_id == programme.id, FeedbackRequest.answered_at.is_not(None)),
    )
    put(
        "feedback",
        requested > 0 and answered_fb * 10 >= requested * 7,
        _pct(answered_fb, requested),
    )

    # 7. Completion. The final survey goes to the members of the working pairs (as /report
    # and /finish count it): 70% of them answered.
    active_ids = {p.id for p in active}
    asked = {m for m in paired if m in active_ids} | {
        p.mentor_id for p in confirmed if p.mentor_id in active_ids
    }
    finals = await _count(
        session,
        select(func.count(func.distinct(FormSession.participant_id))).where(
            FormSession.participant_id.in_(asked or {0}),
            FormSession.form.like("%final%"),
            FormSession.status == FormStatus.COMPLETED,
        ),
    )
    put("final-survey", bool(asked) and finals * 10 >= len(asked) * 7, _pct(finals, len(asked)))
    # Summed up when a report was produced once the programme was finished (its final one).
    reports = 0
    if programme.finished_at is not None:
        reports = await _count(
            session,
            select(func.count())
            .select_from(AuditRecord)
            .where(
                AuditRecord.programme_id == programme.id,
                AuditRecord.action == REPORT_ACTION,
                AuditRecord.created_at >= programme.finished_at,
            ),
        )
    put("results", reports > 0)
    thanked = await _count(
        session,
        select(func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.idempotency_key.like(f"thanks:{programme.id}:%")),
    )
    put("mentors-rewarded", thanked > 0, ("checklist-figure-thanked", {"count": thanked}))
    base = sum(1 for p in participants if p.in_long_term_base or p.wants_to_mentor)
    put("long-term-base", base > 0, ("checklist-figure-count", {"count": base}))

    stages = []
    for number in STAGES:
        items = []
        for stage, key, auto in ITEMS:
            if stage != number:
                continue
            tick = ticks.get(key, (None, None, None))
            if auto:
                done, figure_key, figure_args = computed[key]
                if key in ALSO_MANUAL and marks.get(key):
                    done = True
                else:
                    tick = (None, None, None)
                items.append(ChecklistItem(key, True, done, figure_key, figure_args, *tick))
            else:
                items.append(ChecklistItem(key, False, bool(marks.get(key)), None, {}, *tick))
        stages.append(Stage(number, items))
    return StageChecklist(programme.id, stages)


async def checklist_for(session: AsyncSession, actor: Person, programme_id: int) -> StageChecklist:
    await require_programme(session, actor.id, programme_id)
    return await compute_checklist(session, programme_id)


async def toggle_mark(
    session: AsyncSession,
    actor: Person,
    programme_id: int,
    item_key: str,
    note: str | None = None,
) -> bool:
    """Tick or untick a manual item (a tick may carry a note); returns the new state."""
    programme = await require_programme(session, actor.id, programme_id)
    if item_key not in MANUAL_KEYS | ALSO_MANUAL:
        raise NotInProgramme(item_key)
    mark = await session.scalar(
        select(ChecklistMark).where(
            ChecklistMark.programme_id == programme.id, ChecklistMark.item_key == item_key
        )
    )
    if mark is None:
        mark = ChecklistMark(
            programme_id=programme.id,
            item_key=item_key,
            done=True,
            marked_by=actor.id,
            marked_at=now(),
        )
        session.add(mark)
    else:
        mark.done = not mark.done
        mark.marked_by = actor.id
        mark.marked_at = now()
    mark.note = (note.strip()[:NOTE_CHARS] or None) if mark.done and note else None
    await session.flush()
    await audit.record(
        session,
        programme_id=programme.id,
        actor_id=actor.id,
        action="checklist_mark",
        item=item_key,
        done=mark.done,
    )
    return mark.done


async def note_mark(
    session: AsyncSession, actor: Person, programme_id: int, item_key: str, note: str
) -> ChecklistMark:
    """Write the note of a ticked item (e.g. the order's number and date); ticks it if it
    was not ticked yet."""
    programme = await require_programme(session, actor.id, programme_id)
    if item_key not in MANUAL_KEYS | ALSO_MANUAL:
        raise NotInProgramme(item_key)
    mark = await session.scalar(
        select(ChecklistMark).where(
            ChecklistMark.programme_id == programme.id, ChecklistMark.item_key == item_key
        )
    )
    if mark is None:
        mark = ChecklistMark(programme_id=programme.id, item_key=item_key)
        session.add(mark)
    mark.done = True
    mark.marked_by = actor.id
    mark.marked_at = now()
    mark.note = note.strip()[:NOTE_CHARS] or None
    await session.flush()
    await audit.record(
        session,
        programme_id=programme.id,
        actor_id=actor.id,
        action="checklist_mark",
        item=item_key,
        done=True,
    )
    return mark
