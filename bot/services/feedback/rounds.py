"""Biweekly feedback: rounds of short forms for every member of every working pair.

Every `Programme.feedback_cadence_days` (14 by default) a pair is due (`Pair.next_feedback_at`);
the `feedback-rounds` job starts one round per programme for the pairs that are due, and
the curator can start a round at once for the programme or one pair. Each member gets the
`feedback` form (key `feedback:{pair}:{round}:{person}`); no answer in two days → one
gentle reminder.

A round is one period of the programme's feedback, numbered 1, 2, 3…: `(programme,
period)` is unique in the database. The curator's «Send» button carries the number of the
round it starts (the next one when the screen was shown), so a second press of it, a
second curator on the same screen or the job at the same moment all meet in that one
round: a pair joins a round once, each member gets one form, and whoever comes second
hears that the survey is already going out.

Answers are kept in `FeedbackAnswer` columns for the reports, low scores raise an alert
for the curator, and a call for help opens a case (`cases`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.infra.clock import now
from bot.infra.notify import notify
from bot.infra.once import add_once
from bot.services.access import require_programme
from bot.services.feedback.alerts import raise_alert
from bot.services.forms import on_complete
from bot.services.pairwork.cycle import PairView, WrongState, button, load_pair, markup
from bot.texts import esc, t
from storage.models import (
    AlertKind,
    AuditRecord,
    CaseKind,
    FeedbackAnswer,
    FeedbackRequest,
    FeedbackRound,
    Pair,
    PairStatus,
    Participant,
    Person,
    Programme,
    ProgrammeStatus,
)

FEEDBACK_FORM = "feedback"
REMIND_AFTER = timedelta(days=2)
LOW_SCORE = 2
SCORES = ("usefulness", "comfort", "progress")
DIFFICULTY_MAX = 2000


def form_context(request_id: int) -> str:
    return f"request:{request_id}"


def request_id_from_context(context: str) -> int | None:
    prefix, _, value = context.partition(":")
    return int(value) if prefix == "request" and value.isdigit() else None


@dataclass(frozen=True)
class RoundResult:
    round_id: int
    number: int
    pair_ids: list[int]  # the pairs that got their forms now
    requests: int
    queued: int
    already: list[int] = field(default_factory=list)  # pairs that had them in this period

    @property
    def already_going(self) -> bool:
        """Nothing new: every pair asked for was in this period's round already."""
        return not self.pair_ids and bool(self.already)


async def next_round_number(session: AsyncSession, programme_id: int) -> int:
    """The number the programme's next feedback round will have."""
    last = await session.scalar(
        select(func.max(FeedbackRound.number)).where(FeedbackRound.programme_id == programme_id)
    )
    return int(last or 0) + 1


async def _round_of_period(
    session: AsyncSession,
    programme: Programme,
    moment: datetime,
    *,
    period: int | None,
    manual: bool,
    started_by: int | None,
) -> FeedbackRound:
    """Round number `period` (None or a number not reached yet: the next one), made if
    it is not there yet.

    The unique (programme, period) constraint decides between two transactions making it
    at once (on PostgreSQL the second waits for the first and then finds its round); the
    row lock makes the second wait until the first has added its pairs, so it sees them.
    """
    upcoming = await next_round_number(session, programme.id)
    if period is None or period > upcoming or period < 1:
        period = upcoming
    query = (
        select(FeedbackRound)
        .where(FeedbackRound.programme_id == programme.id, FeedbackRound.period == period)
        .with_for_update()
    )
    found = await session.scalar(query)
    if found is not None:
        return found
    feedback_round = FeedbackRound(
        programme_id=programme.id,
        number=period,
        period=period,
        manual=manual,
        started_by=started_by,
        started_at=moment,
    )
    if await add_once(session, feedback_round):
        return feedback_round
    # made a moment ago by another press, another curator or the job
    found = await session.scalar(query.execution_options(populate_existing=True))
    assert found is not None
    return found


async def _pairs_in_round(session: AsyncSession, round_id: int) -> set[int]:
    rows = await session.scalars(
        select(FeedbackRequest.pair_id).where(FeedbackRequest.round_id == round_id).distinct()
    )
    return set(rows)


async def start_round(
    session: AsyncSession,
    programme: Programme,
    views: list[PairView],
    *,
    manual: bool = False,
    started_by: int | None = None,
    period: int | None = None,
) -> RoundResult:
    """These pairs of one programme join round `period` (by default a new one): a request
    and a form for each member of each pair that is not in it yet."""
    moment = now()
    feedback_round = await _round_of_period(
        session, programme, moment, period=period, manual=manual, started_by=started_by
    )
    done = await _pairs_in_round(session, feedback_round.id)
    cadence = timedelta(days=programme.feedback_cadence_days or 14)
    requests = queued = 0
    fresh: list[int] = []
    already: list[int] = []
    for view in views:
        if view.pair.id in done:
            already.append(view.pair.id)
            due = view.pair.next_feedback_at
            if due is not None and due <= moment:  # the job would find it due again
                view.pair.next_feedback_at = moment + cadence
            continue
        fresh.append(view.pair.id)
        view.pair.feedback_rounds_done = (view.pair.feedback_rounds_done or 0) + 1
        view.pair.next_feedback_at = moment + cadence
        for member in view.reachable():
            assert member.person is not None
            request = FeedbackRequest(
                round_id=feedback_round.id,
                pair_id=view.pair.id,
                participant_id=member.participant.id,
                sent_at=moment,
                reminder_due_at=moment + REMIND_AFTER,
            )
            session.add(request)
            await session.flush()
            requests += 1
            locale = member.locale
            partner = view.mentee_names if member is view.mentor else view.mentor.name
            if await notify(
                session,
                person=member.person,
                key=f"feedback:{view.pair.id}:{feedback_round.id}:{member.person.id}",
                text=t(
                    "pairs-feedback-ask",
                    locale,
                    partner=esc(partner),
                    shape="group" if len(view.mentees) > 1 else "pair",
                ),
                programme=programme,
                reply_markup=markup([button(t("pairs-btn-fill", locale), "fb", request.id)]),
                kind="feedback",
                by_curator=manual,
            ):
                queued += 1
    await session.flush()
    return RoundResult(feedback_round.id, feedback_round.number, fresh, requests, queued, already)


async def _working_pairs(
    session: AsyncSession, programme_id: int, *, due_by: datetime | None = None
) -> list[PairView]:
    query = select(Pair.id).where(
        Pair.programme_id == programme_id, Pair.status == PairStatus.CONFIRMED
    )
    if due_by is not None:
        query = query.where(Pair.next_feedback_at.is_not(None), Pair.next_feedback_at <= due_by)
    ids = (await session.scalars(query.order_by(Pair.id))).all()
    views = [await load_pair(session, pid) for pid in ids]
    return [v for v in views if v is not None]


async def start_due_rounds(session: AsyncSession) -> list[RoundResult]:
    """The job: one round per programme for all pairs whose feedback is due by now.

    A bot that was down for a month starts one round on its return, not two.
    """
    moment = now()
    programme_ids = (
        await session.scalars(
            select(Pair.programme_id)
            .join(Programme, Programme.id == Pair.programme_id)
            .where(
                Pair.status == PairStatus.CONFIRMED,
                Pair.next_feedback_at.is_not(None),
                Pair.next_feedback_at <= moment,
                Programme.status == ProgrammeStatus.ACTIVE,
            )
            .distinct()
        )
    ).all()
    results = []
    for programme_id in sorted(programme_ids):
        programme = await session.get(Programme, programme_id)
        assert programme is not None
        views = await _working_pairs(session, programme_id, due_by=moment)
        if views:
            results.append(await start_round(session, programme, views))
    return results


async def start_round_now(
    session: AsyncSession,
    actor: Person,
    programme_id: int,
    *,
    pair_id: int | None = None,
    period: int | None = None,
) -> RoundResult:
    """The curator sends the forms now: to every working pair, or to one pair. `period`
    is the round number the curator's button was made for (`next_round_number` when the
    screen was shown): pressed again, or by a second curator, it finds that round and
    sends nothing twice (`RoundResult.already_going`)."""
    programme = await require_programme(session, actor.id, programme_id)
    views = await _working_pairs(session, programme_id)
    if pair_id is not None:
        views = [v for v in views if v.pair.id == pair_id]
    if not views:
        raise WrongState("no-pairs")
    result = await start_round(
        session, programme, views, manual=True, started_by=actor.id, period=period
    )
    if result.already_going:
        return result
    session.add(
        AuditRecord(
            programme_id=programme_id,
            actor_person_id=actor.id,
            action="feedback_round",
            details={"round": result.round_id, "pairs": result.pair_ids},
        )
    )
    await session.flush()
    return result


# ------------------------------------------------------------------ answers


@dataclass(frozen=True)
class OpenRequest:
    request_id: int
    participant_id: int
    pair_id: int
    answered: bool


async def open_request(session: AsyncSession, person_id: int, request_id: int) -> OpenRequest:
    """The request behind a «Fill in» button, if it belongs to this person."""
    request = await session.get(FeedbackRequest, request_id)
    if request is None:
        raise WrongState("missing")
    participant = await session.get(Participant, request.participant_id)
    if participant is None or participant.person_id != person_id:
        raise WrongState("foreign")
    pair = await session.get(Pair, request.pair_id)
    if pair is None or pair.status != PairStatus.CONFIRMED:
        raise WrongState("pair")
    return OpenRequest(
        request.id, request.participant_id, request.pair_id, request.answered_at is not None
    )


def _score(value: Any) -> int | None:
    try:
        score = int(value)
    except (TypeError, ValueError):
        return None
    return score if 1 <= score <= 5 else None


def _yes(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        if value.lower() in ("yes", "true", "1", "да"):
            return True
        if value.lower() in ("no", "false", "0", "нет"):
            return False
    return None


async def submit_feedback(
    session: AsyncSession, request_id: int, answers: dict[str, Any]
) -> FeedbackAnswer:
    """Keep a completed feedback form in columns; raise alerts for low scores and help."""
    request = await session.get(FeedbackRequest, request_id)
    if request is None:
        raise WrongState("missing")
    feedback_round = await session.get(FeedbackRound, request.round_id)
    assert feedback_round is not None
    row = await session.scalar(
        select(FeedbackAnswer).where(FeedbackAnswer.request_id == request_id)
    )
    if row is None:
        row = FeedbackAnswer(
            request_id=request_id,
            pair_id=request.pair_id,
            participant_id=request.participant_id,
            round_number=feedback_round.number,
        )
        session.add(row)
    row.meeting_happened = _yes(answers.get("meeting_happened"))
    row.usefulness = _score(answers.get("usefulness"))
    row.comfort = _score(answers.get("comfort"))
    row.progress = _score(answers.get("progress"))
    difficulty = answers.get("difficulty")
    row.difficulty = str(difficulty).strip()[:DIFFICULTY_MAX] if difficulty else None
    row.wants_help = bool(_yes(answers.get("wants_help")))
    row.answered_at = now()
    request.answered_at = now()
    await session.flush()
    low = [name for name in SCORES if (getattr(row, name) or LOW_SCORE + 1) <= LOW_SCORE]
    if low:
        await raise_alert(
            session,
            feedback_round.programme_id,
            AlertKind.LOW_SCORE,
            pair_id=request.pair_id,
            participant_id=request.participant_id,
            details=",".join(low),
        )
    if row.wants_help:
        # A call for help is a case: the words of «Были ли трудности?» go with it, and
        # when that was skipped the person is asked to describe what happened.
        from bot.services.pairwork.cases import open_case

        await open_case(
            session,
            programme_id=feedback_round.programme_id,
            participant_id=request.participant_id,
            kind=CaseKind.HELP,
            pair_id=request.pair_id,
            words=row.difficulty,
            ask_words=not row.difficulty,
        )
    return row


@on_complete(FEEDBACK_FORM)
async def _feedback_form_done(session: AsyncSession, fs: Any, answers: dict[str, Any]) -> None:
    request_id = request_id_from_context(fs.context)
    if request_id is not None:
        await submit_feedback(session, request_id, answers)


async def send_feedback_reminders(session: AsyncSession) -> int:
    """One gentle reminder for a form not answered in two days."""
    moment = now()
    due = (
        await session.scalars(
            select(FeedbackRequest)
            .where(
                FeedbackRequest.answered_at.is_(None),
                FeedbackRequest.reminded_at.is_(None),
                FeedbackRequest.reminder_due_at.is_not(None),
                FeedbackRequest.reminder_due_at <= moment,
            )
            .order_by(FeedbackRequest.id)
        )
    ).all()
    queued = 0
    for request in due:
        request.reminded_at = moment
        view = await load_pair(session, request.pair_id)
        if view is None or view.pair.status != PairStatus.CONFIRMED:
            continue
        if view.programme.status not in (ProgrammeStatus.ACTIVE, ProgrammeStatus.FINISHING):
            continue
        member = next(
            (m for m in view.reachable() if m.participant.id == request.participant_id), None
        )
        if member is None or member.person is None:
            continue
        if await notify(
            session,
            person=member.person,
            key=f"feedback-reminder:{request.id}",
            text=t("pairs-feedback-remind", member.locale),
            programme=view.programme,
            reply_markup=markup([button(t("pairs-btn-fill", member.locale), "fb", request.id)]),
            kind="feedback-reminder",
            reminder=True,
        ):
            queued += 1
    await session.flush()
    return queued


# ------------------------------------------------------------------ the curator's view


@dataclass(frozen=True)
class RoundStats:
    round_id: int
    number: int
    started_at: datetime
    manual: bool
    requests: int
    answered: int


@dataclass(frozen=True)
class PairSchedule:
    pair_id: int
    mentor: str
    mentees: str
    next_feedback_at: datetime | None
    rounds_done: int


@dataclass(frozen=True)
class FeedbackOverview:
    programme_id: int
    programme_name: str
    cadence_days: int
    rounds: list[RoundStats]
    pairs: list[PairSchedule]
    requests: int
    answered: int

    @property
    def response_rate(self) -> int:
        return round(100 * self.answered / self.requests) if self.requests else 0


async def feedback_overview(
    session: AsyncSession, actor: Person, programme_id: int, *, last_rounds: int = 5
) -> FeedbackOverview:
    programme = await require_programme(session, actor.id, programme_id)
    stats = (
        await session.execute(
            select(
                FeedbackRound.id,
                FeedbackRound.number,
                FeedbackRound.started_at,
                FeedbackRound.manual,
                func.count(FeedbackRequest.id),
                func.count(FeedbackRequest.answered_at),
            )
            .join(FeedbackRequest, FeedbackRequest.round_id == FeedbackRound.id, isouter=True)
            .where(FeedbackRound.programme_id == programme_id)
            .group_by(
                FeedbackRound.id,
                FeedbackRound.number,
                FeedbackRound.started_at,
                FeedbackRound.manual,
            )
            .order_by(FeedbackRound.number.desc())
        )
    ).all()
    rounds = [RoundStats(r[0], r[1], r[2], bool(r[3]), int(r[4]), int(r[5])) for r in stats]
    pairs = [
        PairSchedule(
            v.pair.id,
            v.mentor.name,
            v.mentee_names,
            v.pair.next_feedback_at,
            v.pair.feedback_rounds_done or 0,
        )
        for v in await _working_pairs(session, programme_id)
    ]
    return FeedbackOverview(
        programme_id=programme.id,
        programme_name=programme.name,
        cadence_days=programme.feedback_cadence_days or 14,
        rounds=rounds[:last_rounds],
        pairs=pairs,
        requests=sum(r.requests for r in rounds),
        answered=sum(r.answered for r in rounds),
    )


# ------------------------------------------------------------------ one round, by hand


@dataclass(frozen=True)
class RoundAnswer:
    """One form of a round: who owes it and whether it came back."""

    request_id: int
    pair_id: int
    participant_id: int
    name: str | None
    role: str
    answered_at: datetime | None
    reminded_at: datetime | None


async def _round_of(session: AsyncSession, actor: Person, round_id: int) -> FeedbackRound:
    """The round, if the person may manage its programme (ids are guessable)."""
    feedback_round = await session.get(FeedbackRound, round_id)
    if feedback_round is None:
        raise WrongState("no-round")
    await require_programme(session, actor.id, feedback_round.programme_id)
    return feedback_round


async def round_answers(session: AsyncSession, actor: Person, round_id: int) -> list[RoundAnswer]:
    """Every form of the round, the silent ones first."""
    feedback_round = await _round_of(session, actor, round_id)
    rows = await session.execute(
        select(FeedbackRequest, Participant)
        .join(Participant, Participant.id == FeedbackRequest.participant_id)
        .where(FeedbackRequest.round_id == feedback_round.id)
        .order_by(FeedbackRequest.answered_at.is_not(None), Participant.display_name)
    )
    return [
        RoundAnswer(
            request.id,
            request.pair_id,
            participant.id,
            participant.display_name,
            participant.role,
            request.answered_at,
            request.reminded_at,
        )
        for request, participant in rows
    ]


async def remind_silent(session: AsyncSession, actor: Person, round_id: int) -> int:
    """The curator reminds everyone who has not answered the round: one reminder per form
    a day (the same press twice, or two curators, queue one), through the outbox."""
    feedback_round = await _round_of(session, actor, round_id)
    moment = now()
    day = moment.date().isoformat()
    silent = (
        await session.scalars(
            select(FeedbackRequest)
            .where(
                FeedbackRequest.round_id == feedback_round.id,
                FeedbackRequest.answered_at.is_(None),
            )
            .order_by(FeedbackRequest.id)
        )
    ).all()
    queued = 0
    for request in silent:
        view = await load_pair(session, request.pair_id)
        if view is None or view.pair.status != PairStatus.CONFIRMED:
            continue
        member = next(
            (m for m in view.reachable() if m.participant.id == request.participant_id), None
        )
        if member is None or member.person is None:
            continue
        if await notify(
            session,
            person=member.person,
            key=f"feedback-remind-now:{request.id}:{day}",
            text=t("pairs-feedback-remind", member.locale),
            programme=view.programme,
            reply_markup=markup([button(t("pairs-btn-fill", member.locale), "fb", request.id)]),
            kind="feedback-reminder",
            by_curator=True,
        ):
            request.reminded_at = moment
            queued += 1
    await session.flush()
    await _audit_reminded(session, actor, feedback_round, queued)
    return queued


async def _audit_reminded(
    session: AsyncSession, actor: Person, feedback_round: FeedbackRound, queued: int
) -> None:
    from bot.services.privacy import audit

    await audit.record(
        session,
        programme_id=feedback_round.programme_id,
        actor_id=actor.id,
        action="feedback_reminded",
        round=feedback_round.id,
        queued=queued,
    )
