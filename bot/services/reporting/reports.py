"""Programme figures for /report, the demo and the export, computed with aggregate SQL.

Definitions (kept here so the curator, the tests and the export agree):
- participants are counted by role and status; people who withdrew consent are counted
  only from the anonymous `Withdrawal` trace, never by name;
- consent coverage = active (consent complete) / everyone who joined and did not withdraw;
- profiles complete = active with a complete profile / active;
- a pair is working when it is confirmed; once the programme is finished, the pairs its
  finish ended count as the cycle's working pairs (`working_pairs`); a mentee without a
  pair is an active mentee in no working pair;
- meetings count when held or confirmed, in the last `WINDOW_DAYS` days up to `now`; for
  a finished programme, over the whole cycle up to its finish;
- the final survey is analysed per role: the average of each scale question of the
  shipped form, and the texts of its text questions without their authors;
- «Наставник года» is the mentor the finish named from the mentors' votes;
- a working pair is at risk when it was confirmed at least `WINDOW_DAYS` days ago and had
  no meeting since, when an answer of its latest feedback round has a score ≤ 2 or asks
  for help, or when one of its members cannot be reached (blocked the bot);
- response rate = answered feedback requests / sent feedback requests (per round number);
- the final survey's response = completed surveys / the members of the working pairs,
  to whom /finish sends it (mentees in a pair, mentors of a pair);
- coverage of the model's targets is the organisation's (`municipality`): students aged
  10–19 and teachers under 35 involved, mentee or mentor, against the numbers entered for
  the organisation (or, when not entered there, for the programme); the target is 70%;
  mentors trained against its mentors, the target 30%;
- the best pair is the one the curator named «Лучшая пара» at completion (`best_pair`);
- cases (calls for help, concerns) are counted open and closed in their own block, the
  open ones listed first, without the person's words; «no pairs at risk» is never said
  as «всё спокойно» while a case is open (the pairs of a finished programme are no
  longer at risk, its open cases still are).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, func, literal, or_, select, union
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.forms import get_form
from bot.services.pairwork.cases import CaseSummary, case_line, case_summary
from bot.services.reporting.municipality import (
    MunicipalReport,
    OrganisationIndicators,
    compute_municipal,
)
from bot.texts import esc, t
from storage.models import (
    FeedbackAnswer,
    FeedbackRequest,
    FeedbackRound,
    FormAnswer,
    FormSession,
    FormStatus,
    Meeting,
    MeetingStatus,
    Organisation,
    Pair,
    PairMember,
    PairStatus,
    Participant,
    ParticipantStatus,
    Person,
    Programme,
    ProgrammeStatus,
    RegistryStatus,
    Role,
    Withdrawal,
)

WINDOW_DAYS = 14
LOW_SCORE = 2
TARGET_PERCENT = 70
LISTED_AT_RISK = 10
ROUNDS_IN_TEXT = 6
OVERVIEW_ROWS = 40
MESSAGE_LIMIT = 4096
STUDENT_CATEGORIES = ("school_student", "college_student")
TEACHER_CATEGORIES = ("young_teacher",)
FINAL_SURVEY_FORM = "final_survey"
HELD = (MeetingStatus.HELD, MeetingStatus.CONFIRMED)
RISK_REASONS = ("no_meeting", "low_score", "help_wanted", "unreachable")
FINAL_TEXTS_LISTED = 10  # texts of each final-survey question shown in /report
FINAL_TEXT_CHARS = 300
STATUSES = (
    ParticipantStatus.ACTIVE,
    ParticipantStatus.CONSENT_PENDING,
    ParticipantStatus.PARENT_PENDING,
    ParticipantStatus.DECLINED_CONSENT,
)


@dataclass(frozen=True)
class Share:
    """A figure with its base: «38 из 41, 93%»."""

    part: int
    base: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.part / self.base) if self.base else None


@dataclass(frozen=True)
class RoundFigures:
    number: int
    requested: int
    answered: int
    usefulness: float | None
    comfort: float | None
    progress: float | None

    @property
    def response(self) -> Share:
        return Share(self.answered, self.requested)


@dataclass(frozen=True)
class NamedPair:
    """A pair named in a report: its members (None/empty when they cannot be named) and,
    for a pair at risk, why."""

    pair_id: int
    mentor_name: str | None
    mentee_names: tuple[str, ...]
    reasons: tuple[str, ...] = ()  # codes from RISK_REASONS


@dataclass(frozen=True)
class Coverage:
    involved: int
    total: int | None
    target_percent: int = TARGET_PERCENT

    @property
    def share(self) -> Share | None:
        return Share(self.involved, self.total) if self.total else None

    @property
    def reached(self) -> bool | None:
        share = self.share
        return None if share is None else 100 * share.part >= self.target_percent * share.base


@dataclass(frozen=True)
class FinalSurveyFigures:
    """The final survey analysed: per role (mentee, mentor) the average of each scale
    question, how many answered it; and the texts of each text question, without names."""

    scales: tuple[tuple[str, int], ...]  # (question id, the scale's maximum) in form order
    averages: dict[str, dict[str, float | None]]  # role -> question id -> average
    answered: dict[str, int]  # role -> completed surveys
    texts: dict[str, list[str]]  # question id -> answers, oldest first

    def question_title(self, question_id: str, locale: str) -> str:
        return final_question_title(question_id, locale)


def final_question_title(question_id: str, locale: str) -> str:
    """A final-survey question's short name (`export-q-…`), else its text in the form."""
    from bot.texts import has_text

    key = f"export-q-{question_id.replace('_', '-')}"
    if has_text(key, locale):
        return t(key, locale)
    form = _final_form()
    question = form.question(question_id) if form is not None else None
    return question.prompt(locale or "ru") if question is not None else question_id


def _final_form() -> Any:
    try:
        return get_form(FINAL_SURVEY_FORM)
    except KeyError:  # a deployment may replace the shipped forms
        return None


@dataclass
class ProgrammeReport:
    programme_id: int
    programme_name: str
    organisation_id: int
    organisation_name: str
    timezone: str
    generated_at: datetime
    by_role_status: dict[str, dict[str, int]]
    withdrawn: dict[str, int]
    consent: dict[str, Share]
    parent_pending: int
    profiles: dict[str, Share]
    mentors_approved: Share
    mentors_trained: Share
    pairs_confirmed: int
    groups_confirmed: int
    pairs_proposed: int
    mentees_paired: Share
    mentees_without_pair: int
    meetings_in_window: int
    meetings_per_pair: dict[int, int]  # 0, 1, 2, 3 (= three or more) -> pairs
    pairs_at_risk_total: int
    risk_counts: dict[str, int]
    pairs_at_risk: list[NamedPair]  # the first few, described
    risk_reasons: dict[int, tuple[str, ...]]  # every pair at risk -> its reasons
    rounds: list[RoundFigures]
    feedback_response: Share
    coverage_students: Coverage
    coverage_teachers: Coverage
    wants_to_mentor: Share
    final_survey: Share
    best_pair: NamedPair | None = None  # «Лучшая пара», when the curator has named one
    window_days: int = WINDOW_DAYS
    extra: dict[str, Any] = field(default_factory=dict)
    cases: CaseSummary | None = None  # calls for help and concerns, open and closed
    status: str = ProgrammeStatus.ACTIVE
    finished_at: datetime | None = None
    meetings_total: int = 0  # held meetings of the working pairs over the whole cycle
    final: FinalSurveyFigures | None = None
    mentor_of_year: str | None = None  # «Наставник года», when named and with consent
    coverage_trained: Coverage | None = None  # the organisation's mentors trained (≥ 30%)
    frozen: Any = None  # `year_snapshot.FrozenYear`: «итоги года» as frozen, when they are
    goals: str | None = None  # the programme's tasks and expected results
    mentors_continue: Share | None = None  # mentors who will mentor again next year

    @property
    def finished(self) -> bool:
        return self.status == ProgrammeStatus.FINISHED

    @property
    def active_total(self) -> int:
        return sum(self.by_role_status.get(r, {}).get(ParticipantStatus.ACTIVE, 0) for r in Role)

    @property
    def average_meetings(self) -> float | None:
        pairs = sum(self.meetings_per_pair.values())
        return self.meetings_in_window / pairs if pairs else None


def _role_share(counts: dict[tuple[str, bool], int], role: str) -> Share:
    return Share(
        counts.get((role, True), 0), counts.get((role, True), 0) + counts.get((role, False), 0)
    )


def working_pairs(programme: Programme) -> Any:
    """The condition on `Pair` of the programme's working pairs: confirmed ones, and once
    it is finished, the ones its finish ended (they worked to the end of the cycle)."""
    if programme.status == ProgrammeStatus.FINISHED and programme.finished_at is not None:
        return and_(
            Pair.programme_id == programme.id,
            or_(
                Pair.status == PairStatus.CONFIRMED,
                and_(Pair.status == PairStatus.ENDED, Pair.ended_at == programme.finished_at),
            ),
        )
    return and_(Pair.programme_id == programme.id, Pair.status == PairStatus.CONFIRMED)


def cycle_end(programme: Programme, now: datetime) -> datetime:
    """The moment the figures are taken at: the finish of a finished programme, else now."""
    if programme.status == ProgrammeStatus.FINISHED and programme.finished_at is not None:
        return min(programme.finished_at, now)
    return now


async def compute_report(
    session: AsyncSession, programme_id: int, now: datetime, *, listed: int = LISTED_AT_RISK
) -> ProgrammeReport:
    """Every figure of /report for one programme, each from one aggregate query."""
    programme = await session.get(Programme, programme_id)
    if programme is None:
        raise LookupError(programme_id)
    organisation = await session.get(Organisation, programme.organisation_id)
    assert organisation is not None
    P = Participant
    in_programme = P.programme_id == programme_id
    active = P.status == ParticipantStatus.ACTIVE

    by_role_status: dict[str, dict[str, int]] = {
        str(r): {str(s): 0 for s in STATUSES} for r in Role
    }
    rows = await session.execute(
        select(P.role, P.status, func.count())
        .where(in_programme, P.status != ParticipantStatus.WITHDRAWN)
        .group_by(P.role, P.status)
    )
    for role, status, n in rows:
        by_role_status.setdefault(role, {})[status] = int(n)
    withdrawn = {str(r): 0 for r in Role}
    withdrawal_rows = await session.execute(
        select(Withdrawal.role, func.count())
        .where(Withdrawal.programme_id == programme_id)
        .group_by(Withdrawal.role)
    )
    for role, n in withdrawal_rows:
        withdrawn[role] = int(n)
    consent = {
        role: Share(counts.get(ParticipantStatus.ACTIVE, 0), sum(counts.values()))
        for role, counts in by_role_status.items()
    }
    parent_pending = sum(
        c.get(ParticipantStatus.PARENT_PENDING, 0) for c in by_role_status.values()
    )

    counts: dict[tuple[str, bool], int] = {}
    profile_rows = await session.execute(
        select(P.role, P.profile_complete, func.count())
        .where(in_programme, active)
        .group_by(P.role, P.profile_complete)
    )
    for role, complete, n in profile_rows:
        counts[(role, bool(complete))] = counts.get((role, bool(complete)), 0) + int(n)
    profiles = {str(r): _role_share(counts, r) for r in Role}

    mentor_row = (
        await session.execute(
            select(
                func.count(),
                func.coalesce(
                    func.sum(case((P.registry_status == RegistryStatus.APPROVED, 1), else_=0)), 0
                ),
                func.coalesce(
                    func.sum(
                        case(
                            (and_(P.registry_status == RegistryStatus.APPROVED, P.trained), 1),
                            else_=0,
                        )
                    ),
                    0,
                ),
                func.coalesce(func.sum(case((P.in_long_term_base, 1), else_=0)), 0),
            ).where(in_programme, active, P.role == Role.MENTOR)
        )
    ).one()
    mentors_active, approved, trained, continuing = (int(x) for x in mentor_row)

    sizes = (
        select(PairMember.pair_id, func.count().label("n")).group_by(PairMember.pair_id).subquery()
    )
    working = working_pairs(programme)
    pair_row = (
        await session.execute(
            select(func.count(), func.coalesce(func.sum(case((sizes.c.n > 1, 1), else_=0)), 0))
            .select_from(Pair)
            .outerjoin(sizes, sizes.c.pair_id == Pair.id)
            .where(working)
        )
    ).one()
    pairs_confirmed, groups_confirmed = int(pair_row[0]), int(pair_row[1])
    pairs_proposed = int(
        await session.scalar(
            select(func.count())
            .select_from(Pair)
            .where(Pair.programme_id == programme_id, Pair.status == PairStatus.PROPOSED)
        )
        or 0
    )

    paired_mentees = (
        select(PairMember.mentee_id).join(Pair, Pair.id == PairMember.pair_id).where(working)
    )
    mentee_row = (
        await session.execute(
            select(
                func.count(),
                func.coalesce(func.sum(case((P.id.in_(paired_mentees), 1), else_=0)), 0),
                func.coalesce(func.sum(case((P.wants_to_mentor, 1), else_=0)), 0),
            ).where(in_programme, active, P.role == Role.MENTEE)
        )
    ).one()
    mentees_active, mentees_paired, wants = (int(x) for x in mentee_row)
    # the final survey goes to the members of the working pairs: its base
    mentors_working = int(
        await session.scalar(
            select(func.count(func.distinct(Pair.mentor_id)))
            .join(P, P.id == Pair.mentor_id)
            .where(working, active)
        )
        or 0
    )

    until = cycle_end(programme, now)
    finished = programme.status == ProgrammeStatus.FINISHED
    in_window = [Meeting.starts_at <= until]
    if not finished:  # a finished programme's meetings are counted over its whole cycle
        in_window.append(Meeting.starts_at > now - timedelta(days=WINDOW_DAYS))
    per_pair = (
        select(Pair.id.label("pair_id"), func.count(Meeting.id).label("n"))
        .select_from(Pair)
        .outerjoin(Meeting, and_(Meeting.pair_id == Pair.id, Meeting.status.in_(HELD), *in_window))
        .where(working)
        .group_by(Pair.id)
        .subquery()
    )
    bucket = case((per_pair.c.n >= 3, 3), else_=per_pair.c.n)
    meetings_per_pair = {0: 0, 1: 0, 2: 0, 3: 0}
    meetings_in_window = 0
    for b, pairs, total in await session.execute(
        select(bucket, func.count(), func.sum(per_pair.c.n)).group_by(bucket)
    ):
        meetings_per_pair[int(b)] = int(pairs)
        meetings_in_window += int(total or 0)
    meetings_total = int(
        await session.scalar(
            select(func.count(Meeting.id))
            .join(Pair, Pair.id == Meeting.pair_id)
            .where(working, Meeting.status.in_(HELD), Meeting.starts_at <= until)
        )
        or 0
    )

    risks = await pairs_at_risk(session, [programme_id], now)
    risk_counts = {reason: 0 for reason in RISK_REASONS}
    for reasons in risks.values():
        for reason in reasons:
            risk_counts[reason] += 1
    listed_pairs = await describe_pairs(session, sorted(risks)[:listed], risks)

    rounds = await _rounds(session, programme_id)
    feedback_response = Share(sum(r.answered for r in rounds), sum(r.requested for r in rounds))

    final_done = await session.scalar(
        select(func.count(func.distinct(FormSession.participant_id)))
        .join(P, P.id == FormSession.participant_id)
        .where(
            in_programme,
            active,
            FormSession.form == FINAL_SURVEY_FORM,
            FormSession.status == FormStatus.COMPLETED,
        )
    )
    students_total = organisation.students_total or programme.students_total
    teachers_total = organisation.young_teachers_total or programme.young_teachers_total
    org = (await compute_municipal(session, [organisation.id])).organisations[0]

    return ProgrammeReport(
        programme_id=programme.id,
        programme_name=programme.name,
        organisation_id=organisation.id,
        organisation_name=organisation.name,
        timezone=programme.timezone,
        generated_at=now,
        by_role_status=by_role_status,
        withdrawn=withdrawn,
        consent=consent,
        parent_pending=parent_pending,
        profiles=profiles,
        mentors_approved=Share(approved, mentors_active),
        mentors_trained=Share(trained, approved),
        pairs_confirmed=pairs_confirmed,
        groups_confirmed=groups_confirmed,
        pairs_proposed=pairs_proposed,
        mentees_paired=Share(mentees_paired, mentees_active),
        mentees_without_pair=mentees_active - mentees_paired,
        meetings_in_window=meetings_in_window,
        meetings_per_pair=meetings_per_pair,
        pairs_at_risk_total=len(risks),
        risk_counts=risk_counts,
        pairs_at_risk=listed_pairs,
        risk_reasons=risks,
        rounds=rounds,
        feedback_response=feedback_response,
        coverage_students=Coverage(org.indicators["students"].involved, students_total),
        coverage_teachers=Coverage(org.indicators["teachers"].involved, teachers_total),
        coverage_trained=Coverage(
            org.indicators["trained"].involved,
            org.indicators["trained"].total,
            org.indicators["trained"].target,
        ),
        wants_to_mentor=Share(wants, mentees_active),
        final_survey=Share(int(final_done or 0), mentees_paired + mentors_working),
        best_pair=await best_pair_of(session, programme_id),
        cases=await case_summary(session, programme_id, limit=listed),
        status=programme.status,
        finished_at=programme.finished_at,
        meetings_total=meetings_total,
        final=await final_survey_figures(session, programme_id),
        mentor_of_year=await mentor_of_year_name(session, programme),
        goals=programme.goals,
        mentors_continue=Share(continuing, mentors_active),
        window_days=0 if finished else WINDOW_DAYS,
    )


async def curator_report(
    session: AsyncSession, actor: Person, programme_id: int, now: datetime
) -> ProgrammeReport:
    """/report of a curator's programme; the report is noted in the audit trail (the
    checklist's «Результаты мониторинга подведены» once the programme is finished)."""
    from bot.services.access import require_programme
    from bot.services.privacy import audit
    from bot.services.reporting.year_snapshot import latest_snapshot

    await require_programme(session, actor.id, programme_id)
    report = await compute_report(session, programme_id, now)
    report.frozen = await latest_snapshot(session, programme_id)
    await audit.record(
        session,
        programme_id=programme_id,
        actor_id=actor.id,
        action="report_produced",
        finished=report.finished,
    )
    return report


async def final_survey_figures(session: AsyncSession, programme_id: int) -> FinalSurveyFigures:
    """The completed final surveys of the programme's participants with consent, analysed:
    the scale and text questions are those of the shipped form (`final_survey.yaml`)."""
    form = _final_form()
    questions = form.questions if form is not None else ()
    scales = tuple((q.id, q.max or 10) for q in questions if q.type == "scale")
    text_ids = [q.id for q in questions if q.type == "text"]
    P = Participant
    sums: dict[str, dict[str, list[float]]] = {str(r): {} for r in Role}
    texts: dict[str, list[str]] = {qid: [] for qid in text_ids}
    sessions: dict[str, set[int]] = {str(r): set() for r in Role}
    rows = await session.execute(
        select(P.role, FormSession.id, FormAnswer.question_id, FormAnswer.value)
        .join(FormSession, FormSession.participant_id == P.id)
        .join(FormAnswer, FormAnswer.session_id == FormSession.id)
        .where(
            P.programme_id == programme_id,
            P.status == ParticipantStatus.ACTIVE,
            FormSession.form == FINAL_SURVEY_FORM,
            FormSession.status == FormStatus.COMPLETED,
        )
        .order_by(FormSession.completed_at, FormSession.id, FormAnswer.id)
    )
    scale_ids = {qid for qid, _ in scales}
    for role, session_id, qid, value in rows:
        sessions.setdefault(role, set()).add(int(session_id))
        if qid in scale_ids and isinstance(value, int | float) and not isinstance(value, bool):
            sums.setdefault(role, {}).setdefault(qid, []).append(float(value))
        elif qid in texts and isinstance(value, str) and value.strip():
            texts[qid].append(value.strip())
    averages = {
        role: {qid: (sum(v) / len(v) if (v := by_q.get(qid)) else None) for qid, _ in scales}
        for role, by_q in sums.items()
    }
    return FinalSurveyFigures(
        scales=scales,
        averages=averages,
        answered={role: len(ids) for role, ids in sessions.items()},
        texts=texts,
    )


async def mentor_of_year_name(session: AsyncSession, programme: Programme) -> str | None:
    """The name of the programme's «Наставник года», while they keep their consent."""
    if programme.mentor_of_year_id is None:
        return None
    mentor = await session.get(Participant, programme.mentor_of_year_id)
    if mentor is None or mentor.status != ParticipantStatus.ACTIVE:
        return None
    return mentor.display_name or None


async def _rounds(session: AsyncSession, programme_id: int) -> list[RoundFigures]:
    sent: dict[int, tuple[int, int]] = {}
    rows = await session.execute(
        select(
            FeedbackRound.number,
            func.count(FeedbackRequest.id),
            func.count(FeedbackRequest.answered_at),
        )
        .join(FeedbackRequest, FeedbackRequest.round_id == FeedbackRound.id)
        .join(Participant, Participant.id == FeedbackRequest.participant_id)
        .where(
            FeedbackRound.programme_id == programme_id,
            Participant.status == ParticipantStatus.ACTIVE,
        )
        .group_by(FeedbackRound.number)
    )
    for number, requested, answered in rows:
        sent[int(number)] = (int(requested), int(answered))
    FA = FeedbackAnswer
    scores: dict[int, tuple[float | None, float | None, float | None]] = {}
    score_rows = await session.execute(
        select(
            FA.round_number, func.avg(FA.usefulness), func.avg(FA.comfort), func.avg(FA.progress)
        )
        .join(Pair, Pair.id == FA.pair_id)
        .join(Participant, Participant.id == FA.participant_id)
        .where(Pair.programme_id == programme_id, Participant.status == ParticipantStatus.ACTIVE)
        .group_by(FA.round_number)
    )
    for number, u, c, p in score_rows:
        scores[int(number)] = tuple(None if x is None else float(x) for x in (u, c, p))  # type: ignore[assignment]
    result = []
    for number in sorted(set(sent) | set(scores)):
        requested, answered = sent.get(number, (0, 0))
        u, c, p = scores.get(number, (None, None, None))
        result.append(RoundFigures(number, requested, answered, u, c, p))
    return result


async def pairs_at_risk(
    session: AsyncSession, programme_ids: Sequence[int], now: datetime
) -> dict[int, tuple[str, ...]]:
    """Confirmed pairs that need the curator's attention, with the reasons (see the module)."""
    since = now - timedelta(days=WINDOW_DAYS)
    working = and_(Pair.programme_id.in_(programme_ids), Pair.status == PairStatus.CONFIRMED)
    recent = select(Meeting.pair_id).where(
        Meeting.status.in_(HELD), Meeting.starts_at > since, Meeting.starts_at <= now
    )
    no_meeting = select(Pair.id.label("pair_id"), literal("no_meeting").label("reason")).where(
        working,
        func.coalesce(Pair.confirmed_at, Pair.created_at) <= since,
        Pair.id.not_in(recent),
    )
    FA = FeedbackAnswer
    consented = select(Participant.id).where(Participant.status == ParticipantStatus.ACTIVE)
    latest = (
        select(FA.pair_id, func.max(FA.round_number).label("n"))
        .join(Pair, Pair.id == FA.pair_id)
        .where(working, FA.participant_id.in_(consented))
        .group_by(FA.pair_id)
        .subquery()
    )
    in_latest = and_(latest.c.pair_id == FA.pair_id, latest.c.n == FA.round_number)
    low = (
        select(FA.pair_id.label("pair_id"), literal("low_score").label("reason"))
        .join(latest, in_latest)
        .where(
            FA.participant_id.in_(consented),
            or_(FA.usefulness <= LOW_SCORE, FA.comfort <= LOW_SCORE, FA.progress <= LOW_SCORE),
        )
    )
    help_ = (
        select(FA.pair_id.label("pair_id"), literal("help_wanted").label("reason"))
        .join(latest, in_latest)
        .where(FA.participant_id.in_(consented), FA.wants_help.is_(True))
    )
    unreachable_mentor = (
        select(Pair.id.label("pair_id"), literal("unreachable").label("reason"))
        .join(Participant, Participant.id == Pair.mentor_id)
        .join(Person, Person.id == Participant.person_id)
        .where(
            working, Participant.status == ParticipantStatus.ACTIVE, Person.unreachable.is_(True)
        )
    )
    unreachable_mentee = (
        select(PairMember.pair_id.label("pair_id"), literal("unreachable").label("reason"))
        .join(Pair, Pair.id == PairMember.pair_id)
        .join(Participant, Participant.id == PairMember.mentee_id)
        .join(Person, Person.id == Participant.person_id)
        .where(
            working, Participant.status == ParticipantStatus.ACTIVE, Person.unreachable.is_(True)
        )
    )
    found = union(no_meeting, low, help_, unreachable_mentor, unreachable_mentee).subquery()
    result: dict[int, list[str]] = {}
    for pair_id, reason in await session.execute(select(found.c.pair_id, found.c.reason)):
        result.setdefault(int(pair_id), []).append(str(reason))
    return {
        pair_id: tuple(r for r in RISK_REASONS if r in reasons)
        for pair_id, reasons in sorted(result.items())
    }


async def describe_pairs(
    session: AsyncSession,
    pair_ids: list[int],
    reasons: dict[int, tuple[str, ...]] | None = None,
) -> list[NamedPair]:
    """Names of the members of a few pairs (people without consent are not named)."""
    if not pair_ids:
        return []
    mentor = {}
    for pair_id, name, status in await session.execute(
        select(Pair.id, Participant.display_name, Participant.status)
        .join(Participant, Participant.id == Pair.mentor_id)
        .where(Pair.id.in_(pair_ids))
    ):
        mentor[pair_id] = name if status == ParticipantStatus.ACTIVE else None
    mentees: dict[int, list[str]] = {}
    for pair_id, name in await session.execute(
        select(PairMember.pair_id, Participant.display_name)
        .join(Participant, Participant.id == PairMember.mentee_id)
        .where(PairMember.pair_id.in_(pair_ids), Participant.status == ParticipantStatus.ACTIVE)
        .order_by(PairMember.pair_id, Participant.id)
    ):
        mentees.setdefault(pair_id, []).append(name or "")
    return [
        NamedPair(pid, mentor.get(pid), tuple(mentees.get(pid, [])), (reasons or {}).get(pid, ()))
        for pid in pair_ids
    ]


async def best_pair_of(session: AsyncSession, programme_id: int) -> NamedPair | None:
    """The pair the curator named «Лучшая пара» of the programme, if any."""
    pair_id = await session.scalar(
        select(Pair.id)
        .where(Pair.programme_id == programme_id, Pair.best_pair_at.is_not(None))
        .order_by(Pair.best_pair_at.desc(), Pair.id.desc())
        .limit(1)
    )
    return (await describe_pairs(session, [pair_id]))[0] if pair_id is not None else None


# ---------------------------------------------------------------- coordinator overview


@dataclass
class OrganisationOverview:
    organisation_id: int
    name: str
    programmes: list[ProgrammeReport]


async def compute_overview(
    session: AsyncSession, now: datetime, programme_ids: Sequence[int] | None = None
) -> list[OrganisationOverview]:
    """The reports of all (or the given) programmes, grouped by organisation."""
    query = select(Programme.id).order_by(Programme.organisation_id, Programme.id)
    if programme_ids is not None:
        query = query.where(Programme.id.in_(programme_ids))
    result: dict[int, OrganisationOverview] = {}
    for programme_id in (await session.scalars(query)).all():
        report = await compute_report(session, programme_id, now, listed=0)
        overview = result.setdefault(
            report.organisation_id,
            OrganisationOverview(report.organisation_id, report.organisation_name, []),
        )
        overview.programmes.append(report)
    return list(result.values())


# ---------------------------------------------------------------- rendering


def share_text(share: Share | None, locale: str) -> str:
    if share is None or share.base == 0:
        return t("report-share-empty", locale, part=share.part if share else 0)
    return t("report-share", locale, part=share.part, base=share.base, percent=share.percent)


def score_text(value: float | None, locale: str) -> str:
    """One decimal, with the decimal comma in Russian."""
    if value is None:
        return "—"
    text = f"{value:.1f}"
    return text if locale == "en" else text.replace(".", ",")


def _trend(rounds: list[RoundFigures], attr: str, locale: str) -> str:
    values = [getattr(r, attr) for r in rounds if getattr(r, attr) is not None]
    if len(values) < 2:
        return ""
    delta = values[-1] - values[-2]
    key = (
        "report-trend-up"
        if delta > 0.05
        else "report-trend-down"
        if delta < -0.05
        else "report-trend-flat"
    )
    return t(key, locale)


def _coverage_text(coverage: Coverage, locale: str) -> str:
    share = coverage.share
    if share is None:
        return t("report-coverage-no-data", locale, involved=coverage.involved)
    key = "report-coverage-reached" if coverage.reached else "report-coverage-below"
    return t(key, locale, share=share_text(share, locale), target=coverage.target_percent)


def pair_names(item: NamedPair, locale: str) -> str:
    hidden = t("report-name-hidden", locale)
    mentor = esc(item.mentor_name) if item.mentor_name else hidden
    mentees = ", ".join(esc(n) for n in item.mentee_names) or hidden
    return f"{mentor} → {mentees}"


def render_report(report: ProgrammeReport, locale: str) -> list[str]:
    """The report as HTML messages, each under Telegram's 4096 characters."""
    local = report.generated_at.astimezone(_zone(report.timezone))
    blocks: list[str] = [
        t(
            "report-title",
            locale,
            programme=esc(report.programme_name),
            organisation=esc(report.organisation_name),
            date=local.strftime("%d.%m.%Y %H:%M"),
        )
    ]
    if report.finished and report.finished_at is not None:
        finished = report.finished_at.astimezone(_zone(report.timezone))
        blocks[0] += "\n" + t("report-finished-note", locale, date=finished.strftime("%d.%m.%Y"))
    if report.goals and report.finished:
        blocks.append(t("report-goals", locale, goals=esc(report.goals)))
    if report.frozen is not None:
        blocks.append(frozen_block(report.frozen, report.timezone, locale))
    lines = [t("report-participants-title", locale)]
    for role in (Role.MENTEE, Role.MENTOR):
        c = report.by_role_status.get(role, {})
        lines.append(
            t(
                f"report-participants-{role}",
                locale,
                active=c.get(ParticipantStatus.ACTIVE, 0),
                pending=c.get(ParticipantStatus.CONSENT_PENDING, 0)
                + c.get(ParticipantStatus.PARENT_PENDING, 0),
                declined=c.get(ParticipantStatus.DECLINED_CONSENT, 0),
                withdrawn=report.withdrawn.get(role, 0),
            )
        )
    lines.append(
        t(
            "report-consent",
            locale,
            mentees=share_text(report.consent[Role.MENTEE], locale),
            mentors=share_text(report.consent[Role.MENTOR], locale),
        )
    )
    if report.parent_pending:
        lines.append(t("report-parent-pending", locale, count=report.parent_pending))
    lines.append(
        t(
            "report-profiles",
            locale,
            mentees=share_text(report.profiles[Role.MENTEE], locale),
            mentors=share_text(report.profiles[Role.MENTOR], locale),
        )
    )
    lines.append(
        t(
            "report-mentors-registry",
            locale,
            approved=share_text(report.mentors_approved, locale),
            trained=share_text(report.mentors_trained, locale),
        )
    )
    blocks.append("\n".join(lines))

    lines = [
        t("report-pairs-title", locale),
        t(
            "report-pairs-finished" if report.finished else "report-pairs",
            locale,
            pairs=report.pairs_confirmed,
            couples=report.pairs_confirmed - report.groups_confirmed,
            groups=report.groups_confirmed,
            proposed=report.pairs_proposed,
        ),
        t("report-mentees-paired", locale, share=share_text(report.mentees_paired, locale)),
        t(
            "report-mentees-unpaired-finished" if report.finished else "report-mentees-unpaired",
            locale,
            count=report.mentees_without_pair,
        )
        if report.mentees_without_pair
        else t("report-mentees-unpaired-none", locale),
    ]
    blocks.append("\n".join(lines))

    avg = report.average_meetings
    mpp = report.meetings_per_pair
    lines = [
        t("report-meetings-cycle-title", locale)
        if report.finished
        else t("report-meetings-title", locale, days=report.window_days),
        t(
            "report-meetings",
            locale,
            total=report.meetings_in_window,
            average=score_text(avg, locale),
            none=mpp.get(0, 0),
            one=mpp.get(1, 0),
            two=mpp.get(2, 0),
            more=mpp.get(3, 0),
        ),
    ]
    blocks.append("\n".join(lines))

    lines = [t("report-risk-title", locale, count=report.pairs_at_risk_total)]
    open_cases = report.cases.open_total if report.cases is not None else 0
    if report.pairs_at_risk_total == 0 and open_cases:
        lines.append(t("report-risk-none-cases-open", locale, count=open_cases))
    elif report.pairs_at_risk_total == 0:
        lines.append(t("report-risk-none", locale))
    else:
        lines.append(
            ", ".join(
                t(f"report-risk-count-{reason.replace('_', '-')}", locale, count=n)
                for reason, n in report.risk_counts.items()
                if n
            )
        )
        for item in report.pairs_at_risk:
            reasons = ", ".join(
                t(f"report-risk-{r.replace('_', '-')}", locale) for r in item.reasons
            )
            lines.append(
                t(
                    "report-risk-item",
                    locale,
                    pair=item.pair_id,
                    names=pair_names(item, locale),
                    reasons=reasons,
                )
            )
        rest = report.pairs_at_risk_total - len(report.pairs_at_risk)
        if rest > 0:
            lines.append(t("report-risk-more", locale, count=rest))
    blocks.append("\n".join(lines))
    if report.cases is not None:
        blocks.append(_cases_block(report.cases, _zone(report.timezone), locale))

    lines = [t("report-feedback-title", locale)]
    if not report.rounds:
        lines.append(t("report-feedback-none", locale))
    else:
        lines.append(
            t(
                "report-feedback-response",
                locale,
                share=share_text(report.feedback_response, locale),
            )
        )
        shown = report.rounds[-ROUNDS_IN_TEXT:]
        if len(shown) < len(report.rounds):
            lines.append(t("report-feedback-last-rounds", locale, count=len(shown)))
        for r in shown:
            lines.append(
                t(
                    "report-feedback-round",
                    locale,
                    number=r.number,
                    response=share_text(r.response, locale),
                    usefulness=score_text(r.usefulness, locale),
                    comfort=score_text(r.comfort, locale),
                    progress=score_text(r.progress, locale),
                )
            )
        trends = [
            (attr, _trend(report.rounds, attr, locale))
            for attr in ("usefulness", "comfort", "progress")
        ]
        if any(text for _, text in trends):
            lines.append(
                t(
                    "report-feedback-trend",
                    locale,
                    usefulness=trends[0][1] or "—",
                    comfort=trends[1][1] or "—",
                    progress=trends[2][1] or "—",
                )
            )
    blocks.append("\n".join(lines))

    lines = [
        t("report-coverage-title", locale, target=TARGET_PERCENT),
        t(
            "report-coverage-students",
            locale,
            value=_coverage_text(report.coverage_students, locale),
        ),
        t(
            "report-coverage-teachers",
            locale,
            value=_coverage_text(report.coverage_teachers, locale),
        ),
    ]
    if report.coverage_trained is not None and report.coverage_trained.total:
        lines.append(
            t(
                "report-coverage-trained",
                locale,
                value=_coverage_text(report.coverage_trained, locale),
            )
        )
    if report.coverage_students.share is None or report.coverage_teachers.share is None:
        lines.append(t("report-coverage-hint", locale))
    blocks.append("\n".join(lines))

    lines = [
        t("report-final-title", locale),
        t("report-final-survey", locale, share=share_text(report.final_survey, locale)),
        t("report-wants-to-mentor", locale, share=share_text(report.wants_to_mentor, locale)),
    ]
    if report.mentors_continue is not None and report.mentors_continue.part:
        lines.append(
            t(
                "report-mentors-continue",
                locale,
                share=share_text(report.mentors_continue, locale),
            )
        )
    if report.final is not None:
        lines.extend(final_survey_lines(report.final, locale))
    if report.mentor_of_year:
        lines.append(t("report-mentor-of-year", locale, name=esc(report.mentor_of_year)))
    if report.best_pair is not None:
        lines.append(t("report-best-pair", locale, names=pair_names(report.best_pair, locale)))
    blocks.append("\n".join(lines))
    blocks.append(t("report-footer", locale))
    return pack_messages(blocks)


def frozen_block(frozen: Any, timezone: str, locale: str) -> str:
    """«Итоги года» as frozen: these figures stay whatever changes afterwards."""
    taken = frozen.taken_at.astimezone(_zone(timezone)).strftime("%d.%m.%Y")
    lines = [
        t("report-frozen-title", locale, date=taken),
        t(
            "report-frozen-pairs",
            locale,
            pairs=frozen.pairs,
            groups=frozen.groups,
            paired=share_text(frozen.mentees_paired, locale),
            meetings=frozen.meetings_total,
        ),
        t(
            "report-frozen-feedback",
            locale,
            response=share_text(frozen.feedback_response, locale),
            final=share_text(frozen.final_survey, locale),
        ),
    ]
    for key, (involved, total) in frozen.indicators.items():
        value = (
            share_text(Share(involved, total), locale)
            if total
            else t("report-indicator-no-data", locale, involved=involved)
        )
        lines.append(t(f"report-indicator-{key}", locale, value=value))
    return "\n".join(lines)


def final_survey_lines(final: FinalSurveyFigures, locale: str) -> list[str]:
    """The final survey's averages per role and a few of its texts (HTML, escaped)."""
    lines: list[str] = []
    for role in (Role.MENTEE, Role.MENTOR):
        averages = final.averages.get(role, {})
        if not final.answered.get(role) or not any(v is not None for v in averages.values()):
            continue
        scores = ", ".join(
            t(
                "report-final-average",
                locale,
                question=esc(final_question_title(qid, locale)),
                value=score_text(averages.get(qid), locale),
                max=top,
            )
            for qid, top in final.scales
        )
        lines.append(
            t(f"report-final-averages-{role}", locale, count=final.answered[role], scores=scores)
        )
    for qid, texts in final.texts.items():
        if not texts:
            continue
        lines.append(
            t("report-final-texts", locale, question=esc(final_question_title(qid, locale)))
        )
        # The same words from several people are one line with how many wrote them.
        counted = Counter(text.strip() for text in texts)
        for text, times in list(counted.items())[:FINAL_TEXTS_LISTED]:
            short = text if len(text) <= FINAL_TEXT_CHARS else text[: FINAL_TEXT_CHARS - 1] + "…"
            line = t("report-final-text", locale, text=esc(short))
            lines.append(line + (f" ×{times}" if times > 1 else ""))
        if len(counted) > FINAL_TEXTS_LISTED:
            lines.append(
                t("report-final-texts-more", locale, count=len(counted) - FINAL_TEXTS_LISTED)
            )
    return lines


def render_overview(
    overviews: list[OrganisationOverview],
    now: datetime,
    locale: str,
    municipal: MunicipalReport | None = None,
    frozen_at: dict[int, datetime] | None = None,
) -> list[str]:
    """The coordinator's view in words: per organisation its programmes and the three
    indicators of the municipality (as frozen, where «итоги года» are: `frozen_at`), then
    the total."""
    blocks = [t("report-overview-title", locale, date=now.strftime("%d.%m.%Y"))]
    if not overviews:
        blocks.append(t("report-overview-empty", locale))
        return pack_messages(blocks)
    indicators = {
        row.organisation_id: row for row in (municipal.organisations if municipal else [])
    }
    for overview in overviews:
        lines = [t("report-overview-organisation", locale, name=esc(overview.name))]
        lines.extend(_overview_line(r, locale) for r in overview.programmes)
        row = indicators.get(overview.organisation_id)
        if row is not None:
            lines.extend(indicator_lines(row, locale))
        taken = (frozen_at or {}).get(overview.organisation_id)
        if taken is not None:
            zone = _zone(overview.programmes[0].timezone if overview.programmes else "UTC")
            day = taken.astimezone(zone).strftime("%d.%m.%Y")
            lines.append(t("report-overview-frozen", locale, date=day))
        blocks.append("\n".join(lines))
    if municipal is not None and len(municipal.organisations) > 1:
        blocks.append(
            "\n".join(
                [
                    t("report-overview-total-title", locale),
                    *indicator_lines(municipal.total, locale),
                ]
            )
        )
    open_cases = [
        (r.programme_name, r.cases.open_total)
        for overview in overviews
        for r in overview.programmes
        if r.cases is not None and r.cases.open_total
    ]
    if open_cases:  # calls for help waiting for an answer are named, never summed away
        blocks.append(
            t("report-overview-cases", locale, count=sum(n for _, n in open_cases))
            + "\n"
            + "\n".join(
                t("report-overview-cases-line", locale, programme=esc(name), count=n)
                for name, n in open_cases
            )
        )
    blocks.append(t("report-overview-more", locale))
    return pack_messages(blocks)


def _overview_line(report: ProgrammeReport, locale: str) -> str:
    joined = sum(s.base for s in report.consent.values())
    return t(
        "report-overview-programme",
        locale,
        programme=esc(report.programme_name),
        consent=share_text(Share(report.active_total, joined), locale),
        pairs=report.pairs_confirmed,
        unpaired=report.mentees_without_pair,
        risk=report.pairs_at_risk_total,
        response=share_text(report.feedback_response, locale),
    )


def indicator_lines(row: OrganisationIndicators, locale: str) -> list[str]:
    """The three indicators of an organisation (or the total) against their targets."""
    lines = [t("report-indicators-title", locale)]
    for key, item in row.indicators.items():
        if item.total:
            state = "reached" if item.reached else "below"
            value = t(
                f"report-indicator-{state}",
                locale,
                share=share_text(Share(item.involved, item.total), locale),
                target=item.target,
            )
        else:
            value = t("report-indicator-no-data", locale, involved=item.involved)
        lines.append(t(f"report-indicator-{key}", locale, value=value))
    return lines


def pack_messages(blocks: list[str], limit: int = MESSAGE_LIMIT) -> list[str]:
    """Blocks joined by blank lines into as few messages as fit `limit` characters."""
    messages: list[str] = []
    current = ""
    for block in blocks:
        while len(block) > limit:  # a single huge block: cut at a line break
            cut = block.rfind("\n", 0, limit)
            cut = cut if cut > 0 else limit
            if current:
                messages.append(current)
                current = ""
            messages.append(block[:cut])
            block = block[cut:].lstrip("\n")
        candidate = f"{current}\n\n{block}" if current else block
        if len(candidate) > limit:
            messages.append(current)
            current = block
        else:
            current = candidate
    if current:
        messages.append(current)
    return messages


def _cases_block(summary: CaseSummary, zone: Any, locale: str) -> str:
    """Open cases (a minor's first) and the recently closed, without the person's words."""
    lines = [t("report-cases-title", locale)]
    if not summary.open_total and not summary.closed_total:
        lines.append(t("report-cases-none", locale))
        return "\n".join(lines)
    lines.append(
        t("report-cases-counts", locale, open=summary.open_total, closed=summary.closed_total)
    )
    for view in [*summary.open, *summary.closed][:LISTED_AT_RISK]:
        lines.append(case_line(view, locale, words_shown=False, zone=zone))
    return "\n".join(lines)


def _zone(name: str) -> Any:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


# ---------------------------------------------------------------- who sees what


@dataclass(frozen=True)
class ReportScope:
    """What /report and /export show a person: `kind` is coordinator, curator, no_programme
    (a curator without a programme yet) or none (not staff: the commands do not exist)."""

    kind: str
    programme_ids: tuple[int, ...] = ()


async def report_scope(session: AsyncSession, person: Person) -> ReportScope:
    from bot.services.access import current_programme, is_coordinator, is_staff, visible_programmes

    if await is_coordinator(session, person.id):
        programmes = await visible_programmes(session, person.id)
        return ReportScope("coordinator", tuple(p.id for p in programmes))
    if not await is_staff(session, person.id):
        return ReportScope("none")
    programme = await current_programme(session, person)
    if programme is None:
        return ReportScope("no_programme")
    return ReportScope("curator", (programme.id,))
