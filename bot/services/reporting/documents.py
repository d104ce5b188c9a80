"""School paperwork as Word files (`/documents`), filled from the bot's data.

Documents of a programme (for its curators and the coordinator): the order approving the
pairs and groups, the registry of mentors, the personalised programme of each pair or
group (all of them in one file, or one pair's, which also goes to its mentor), the final
report, and the registry of consents. For the coordinator: the yearly municipal report.

The figures are the ones of /report and /checklist: they come from `reports`,
`checklist`, `best_pair` and `completion`, never counted again here. What is only listed
here (names, plans, meetings) is read with a few bulk queries, so that a programme of
hundreds of pairs is written in seconds. Nobody who withdrew is named: only active
participants appear.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.infra.charts import figures_chart, municipal_chart
from bot.infra.notify import after_quiet_hours, programme_zone, quiet_window
from bot.infra.outbox import enqueue
from bot.services.access import AccessDenied, is_coordinator, require_programme, visible_programmes
from bot.services.completion.best_pair import FINAL_SCALES, pair_figures
from bot.services.completion.finish import vote_results
from bot.services.enrolment.registry import NotInProgramme
from bot.services.matching.review import unmatched_mentees
from bot.services.pairwork.meetings import PLAN_FORM, plan_context
from bot.services.programme.checklist import compute_checklist, item_figure, item_title, stage_title
from bot.services.reporting import docx_render
from bot.services.reporting.export import format_answer
from bot.services.reporting.municipality import INDICATORS as MUNICIPAL_INDICATORS
from bot.services.reporting.municipality import TARGETS, Indicator, OrganisationIndicators
from bot.services.reporting.reports import (
    FINAL_SURVEY_FORM,
    HELD,
    Coverage,
    NamedPair,
    ProgrammeReport,
    RoundFigures,
    Share,
    compute_report,
    describe_pairs,
    score_text,
    share_text,
)
from bot.services.reporting.reports import working_pairs as cycle_pairs
from bot.services.reporting.year_snapshot import latest_snapshot, municipal_year
from bot.services.vocabulary import label
from bot.texts import esc, t
from storage.models import (
    Consent,
    FeedbackAnswer,
    FormAnswer,
    FormSession,
    FormStatus,
    Meeting,
    MeetingStatus,
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

LANG = "ru"  # the paperwork of a Russian school is in Russian, whatever the curator's language
PROGRAMME_KINDS = ("order", "mentors", "programmes", "final", "consents")
MUNICIPAL = "municipal"
KINDS = (*PROGRAMME_KINDS, MUNICIPAL)
TEMPLATE_OF = {
    "order": "order",
    "mentors": "mentors",
    "programmes": "pair_programme",
    "pair": "pair_programme",
    "final": "final_report",
    "consents": "consents",
    MUNICIPAL: "municipal",
}
FILE_STEM = {
    "order": "prikaz-pary",
    "mentors": "reestr-nastavnikov",
    "programmes": "programmy-par",
    "pair": "programma-pary",
    "final": "itogovyj-otchet",
    "consents": "reestr-soglasij",
    MUNICIPAL: "municipalnyj-otchet",
}
PLANNED = (MeetingStatus.PROPOSED, MeetingStatus.SCHEDULED)
CHART_WIDTH_CM = 16.0
MUNICIPAL_CHART_WIDTH_CM = 24.0  # the municipal report is landscape
BLANK_NAME = "_______________________"  # a line to sign or write the name by hand


@dataclass(frozen=True)
class GeneratedDocument:
    kind: str
    file_name: str
    content: bytes
    title: str


@dataclass(frozen=True)
class DocumentMenu:
    """What /documents offers a person: `kind` is coordinator, curator, no_programme or
    none (not staff), with the current programme when there is one."""

    kind: str
    programme: Programme | None = None
    kinds: tuple[str, ...] = ()


@dataclass(frozen=True)
class PairRow:
    """A working pair or group as the documents list it (active people only)."""

    pair_id: int
    mentor_id: int
    mentor: str | None
    mentor_person_id: int | None
    mentees: list[str] = field(default_factory=list)
    form: str | None = None
    format: str | None = None
    confirmed_at: datetime | None = None

    @property
    def group(self) -> bool:
        return len(self.mentees) > 1


# ---------------------------------------------------------------- who may have what


async def document_menu(session: AsyncSession, person: Person) -> DocumentMenu:
    from bot.services.access import current_programme, is_staff

    coordinator = await is_coordinator(session, person.id)
    if not coordinator and not await is_staff(session, person.id):
        return DocumentMenu("none")
    programme = await current_programme(session, person)
    kinds = PROGRAMME_KINDS if programme is not None else ()
    if coordinator:
        return DocumentMenu("coordinator", programme, (*kinds, MUNICIPAL))
    if programme is None:
        return DocumentMenu("no_programme")
    return DocumentMenu("curator", programme, kinds)


async def programme_document(
    session: AsyncSession, actor: Person, kind: str, programme_id: int, now: datetime
) -> GeneratedDocument:
    """One of the programme's documents, for a person who manages the programme."""
    if kind not in PROGRAMME_KINDS:
        raise NotInProgramme(kind)
    programme = await require_programme(session, actor.id, programme_id)
    builder = {
        "order": _order,
        "mentors": _mentors,
        "programmes": _programmes,
        "final": _final,
        "consents": _consents,
    }[kind]
    context, images = await builder(session, actor, programme, now)
    return await _finish(kind, programme.id, now, programme, context, images)


async def require_coordinator(session: AsyncSession, actor: Person) -> None:
    if not await is_coordinator(session, actor.id):
        raise AccessDenied(actor.id)


async def municipal_document(
    session: AsyncSession, actor: Person, now: datetime
) -> GeneratedDocument:
    """The yearly report across organisations, for a coordinator only."""
    await require_coordinator(session, actor)
    programmes = await visible_programmes(session, actor.id)
    # the date as the coordinator's schools see it (their programmes' zone)
    zone = _zone(programmes[0] if programmes else None)
    context, images = await _municipal(
        session, actor, [p.id for p in programmes], now.astimezone(zone)
    )
    return await _finish(MUNICIPAL, None, now, None, context, images)


async def pair_document(
    session: AsyncSession, actor: Person, pair_id: int, now: datetime
) -> tuple[GeneratedDocument, PairRow]:
    """The personalised programme of one working pair or group of the actor's programme."""
    programme, row = await _working_pair(session, actor, pair_id)
    context, _images = await _programmes(session, actor, programme, now, only=[row])
    document = await _finish("pair", row.pair_id, now, programme, context, {})
    return document, row


async def send_to_mentor(
    session: AsyncSession, actor: Person, pair_id: int, now: datetime
) -> tuple[bool, PairRow]:
    """Queue the pair's programme to its mentor (outside quiet hours). False when the
    mentor cannot be written to or it is already on its way today."""
    programme, row = await _working_pair(session, actor, pair_id)
    mentor = await session.get(Person, row.mentor_person_id) if row.mentor_person_id else None
    if mentor is None or mentor.unreachable:
        return False, row
    context, _images = await _programmes(session, actor, programme, now, only=[row])
    document = await _finish("pair", row.pair_id, now, programme, context, {})
    stamp = _local(now, programme).strftime("%Y%m%d")
    queued = await enqueue(
        session,
        key=f"doc:pair:{pair_id}:{mentor.id}:{stamp}",
        chat_id=mentor.tg_id,
        method="sendDocument",
        text=t("documents-mentor-caption", mentor.locale, programme=esc(programme.name)),
        file_bytes=document.content,
        file_name=document.file_name,
        kind="document",
        programme_id=programme.id,
        person_id=mentor.id,
        not_before=after_quiet_hours(now, programme_zone(programme), *quiet_window(programme)),
    )
    return queued, row


async def pair_choices(session: AsyncSession, actor: Person, programme_id: int) -> list[PairRow]:
    """The working pairs and groups of a programme the actor manages, for the picker."""
    programme = await require_programme(session, actor.id, programme_id)
    return await working_pairs(session, programme.id)


async def _working_pair(
    session: AsyncSession, actor: Person, pair_id: int
) -> tuple[Programme, PairRow]:
    pair = await session.get(Pair, pair_id)
    if pair is None or pair.status not in (PairStatus.CONFIRMED, PairStatus.ENDED):
        raise NotInProgramme(pair_id)
    programme = await require_programme(session, actor.id, pair.programme_id)
    rows = await working_pairs(session, programme.id, [pair_id])
    if not rows:
        raise NotInProgramme(pair_id)
    return programme, rows[0]


async def _finish(
    kind: str,
    subject_id: int | None,
    now: datetime,
    programme: Programme | None,
    context: dict[str, Any],
    images: dict[str, docx_render.Image],
) -> GeneratedDocument:
    content = await asyncio.to_thread(docx_render.render, TEMPLATE_OF[kind], context, images)
    day = (_local(now, programme) if programme is not None else now).strftime("%Y-%m-%d")
    middle = f"-{subject_id}" if subject_id is not None else ""
    return GeneratedDocument(
        kind, f"{FILE_STEM[kind]}{middle}-{day}.docx", content, t(f"documents-kind-{kind}", LANG)
    )


# ---------------------------------------------------------------- shared pieces


def _zone(programme: Programme | None) -> ZoneInfo:
    try:
        return ZoneInfo(programme.timezone if programme is not None else "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _local(moment: datetime, programme: Programme | None) -> datetime:
    return moment.astimezone(_zone(programme))


def _day(moment: datetime | date | None, programme: Programme | None) -> str:
    if moment is None:
        return "—"
    if isinstance(moment, datetime):
        moment = _local(moment, programme).date()
    return moment.strftime("%d.%m.%Y")


def _share(share: Share | None) -> str:
    return share_text(share, LANG) if share is not None else t("documents-no-data", LANG)


def _yes(value: bool) -> str:
    return t("documents-yes" if value else "documents-no", LANG)


async def _common(session: AsyncSession, programme: Programme, now: datetime) -> dict[str, Any]:
    from storage.models import Organisation

    organisation = await session.get(Organisation, programme.organisation_id)
    curator = await curator_name(session, programme)
    return {
        "organisation": organisation.name if organisation is not None else programme.name,
        "programme": programme.name,
        "curator": curator or BLANK_NAME,
        "date": _day(now, programme),
    }


async def curator_name(session: AsyncSession, programme: Programme) -> str | None:
    """The curator who signs: the programme's own curator, else a curator of its
    organisation, else a co-curator."""
    own = (
        await session.execute(
            select(Person.full_name, ProgrammeCurator.is_co_curator)
            .join(ProgrammeCurator, ProgrammeCurator.person_id == Person.id)
            .where(ProgrammeCurator.programme_id == programme.id)
            .order_by(ProgrammeCurator.id)
        )
    ).all()
    main = [name for name, co in own if name and not co]
    if main:
        return main[0]
    organisation = await session.scalar(
        select(Person.full_name)
        .join(StaffMember, StaffMember.person_id == Person.id)
        .where(
            StaffMember.role == StaffRole.CURATOR,
            StaffMember.organisation_id == programme.organisation_id,
            Person.full_name.is_not(None),
        )
        .order_by(StaffMember.id)
        .limit(1)
    )
    if organisation:
        return str(organisation)
    co_curators = [name for name, co in own if name and co]
    return co_curators[0] if co_curators else None


async def working_pairs(
    session: AsyncSession, programme_id: int, pair_ids: Sequence[int] | None = None
) -> list[PairRow]:
    """The working pairs and groups of a programme (for a finished one, those that worked
    to the end of the cycle: `reports.working_pairs`), in order, in one query."""
    programme = await session.get(Programme, programme_id)
    if programme is None:
        return []
    Mentor = aliased(Participant)
    Mentee = aliased(Participant)
    query = (
        select(
            Pair.id,
            Pair.mentor_id,
            Pair.mentoring_form,
            Pair.format,
            Pair.confirmed_at,
            Mentor.display_name.label("mentor_name"),
            Mentor.status.label("mentor_status"),
            Mentor.person_id.label("mentor_person_id"),
            Mentee.display_name.label("mentee_name"),
        )
        .select_from(Pair)
        .join(Mentor, Mentor.id == Pair.mentor_id)
        .outerjoin(PairMember, PairMember.pair_id == Pair.id)
        .outerjoin(
            Mentee,
            and_(Mentee.id == PairMember.mentee_id, Mentee.status == ParticipantStatus.ACTIVE),
        )
        .where(cycle_pairs(programme))
        .order_by(Pair.id, PairMember.id)
    )
    if pair_ids is not None:
        query = query.where(Pair.id.in_(list(pair_ids)))
    rows: dict[int, PairRow] = {}
    for r in await session.execute(query):
        row = rows.get(r.id)
        if row is None:
            active = r.mentor_status == ParticipantStatus.ACTIVE
            row = rows[r.id] = PairRow(
                pair_id=r.id,
                mentor_id=r.mentor_id,
                mentor=r.mentor_name if active else None,
                mentor_person_id=r.mentor_person_id if active else None,
                form=r.mentoring_form,
                format=r.format,
                confirmed_at=r.confirmed_at,
            )
        if r.mentee_name is not None:
            row.mentees.append(r.mentee_name)
    return list(rows.values())


def _form_label(row: PairRow, programme: Programme) -> str:
    code = row.form or (programme.forms[0] if len(programme.forms or []) == 1 else None)
    return label("form", code, LANG) if code else t("documents-form-unset", LANG)


def _names(names: Sequence[str]) -> str:
    return ", ".join(names) if names else t("documents-name-hidden", LANG)


# ---------------------------------------------------------------- 1. the order


async def _order(
    session: AsyncSession, actor: Person, programme: Programme, now: datetime
) -> tuple[dict[str, Any], dict[str, docx_render.Image]]:
    pairs = await working_pairs(session, programme.id)
    report = await compute_report(session, programme.id, now, listed=0)
    context = await _common(session, programme, now)
    context.update(
        pairs_count=report.pairs_confirmed - report.groups_confirmed,
        groups_count=report.groups_confirmed,
        pairs=[
            {
                "number": index,
                "form": _form_label(row, programme),
                "mentor": row.mentor or t("documents-name-hidden", LANG),
                "mentees": _names(row.mentees),
                "start": _day(row.confirmed_at, programme),
            }
            for index, row in enumerate(pairs, start=1)
        ],
    )
    return context, {}


# ---------------------------------------------------------------- 2. the registry of mentors


MENTOR_PROFILE = "mentor_profile"


async def _profile_answers(
    session: AsyncSession, participant_ids: Sequence[int], form: str
) -> dict[int, dict[str, Any]]:
    answers: dict[int, dict[str, Any]] = defaultdict(dict)
    if not participant_ids:
        return answers
    rows = await session.execute(
        select(FormSession.participant_id, FormAnswer.question_id, FormAnswer.value)
        .join(FormAnswer, FormAnswer.session_id == FormSession.id)
        .where(FormSession.participant_id.in_(list(participant_ids)), FormSession.form == form)
        .order_by(FormSession.id, FormAnswer.id)
    )
    for participant_id, question_id, value in rows:
        answers[int(participant_id)][question_id] = value
    return answers


def _text(value: Any, vocabulary: str | None = None) -> str:
    shown = format_answer(value, vocabulary, LANG)
    return str(shown) if shown not in (None, "") else ""


async def _mentors(
    session: AsyncSession, actor: Person, programme: Programme, now: datetime
) -> tuple[dict[str, Any], dict[str, docx_render.Image]]:
    P = Participant
    mentors = (
        await session.scalars(
            select(P)
            .where(
                P.programme_id == programme.id,
                P.role == Role.MENTOR,
                P.status == ParticipantStatus.ACTIVE,
                P.registry_status == RegistryStatus.APPROVED,
            )
            .order_by(P.display_name, P.id)
        )
    ).all()
    answers = await _profile_answers(session, [m.id for m in mentors], MENTOR_PROFILE)
    mentees: dict[int, list[str]] = defaultdict(list)
    for row in await working_pairs(session, programme.id):
        mentees[row.mentor_id].extend(row.mentees)
    report = await compute_report(session, programme.id, now, listed=0)
    rows = []
    for index, mentor in enumerate(mentors, start=1):
        given = answers.get(mentor.id, {})
        place = ", ".join(
            part
            for part in (
                _text(given.get("workplace")),
                _text(given.get("position")),
                _text(given.get("class_group") or given.get("class")),
            )
            if part
        )
        rows.append(
            {
                "number": index,
                "name": given.get("full_name") or mentor.display_name or "",
                "category": _text(given.get("category") or mentor.category, "mentor-category")
                or "—",
                "workplace": place or "—",
                "competencies": _text(given.get("competencies"), "request") or "—",
                "trained": t(
                    "documents-trained" if mentor.trained else "documents-untrained", LANG
                ),
                "mentees": ", ".join(mentees.get(mentor.id, [])) or "—",
            }
        )
    context = await _common(session, programme, now)
    context.update(
        mentors=rows,
        approved=report.mentors_approved.part,
        trained=_share(report.mentors_trained),
    )
    return context, {}


# ---------------------------------------------------------------- 3. the pairs' programmes


async def _plans(session: AsyncSession, rows: Sequence[PairRow]) -> dict[int, dict[str, Any]]:
    by_context = {plan_context(r.pair_id): r for r in rows}
    plans: dict[int, dict[str, Any]] = defaultdict(dict)
    if not rows:
        return plans
    found = await session.execute(
        select(
            FormSession.context,
            FormSession.participant_id,
            FormAnswer.question_id,
            FormAnswer.value,
        )
        .join(FormAnswer, FormAnswer.session_id == FormSession.id)
        .where(
            FormSession.form == PLAN_FORM,
            FormSession.status == FormStatus.COMPLETED,
            FormSession.context.in_(list(by_context)),
        )
        .order_by(FormSession.id, FormAnswer.id)
    )
    for context, participant_id, question_id, value in found:
        row = by_context.get(context)
        if row is not None and participant_id == row.mentor_id:  # the mentor's plan only
            plans[row.pair_id][question_id] = value
    return plans


async def _pair_meetings(session: AsyncSession, pair_ids: Sequence[int]) -> dict[int, list[Any]]:
    """Each pair's meetings but the cancelled ones, oldest first (plain rows: hundreds of
    pairs have thousands of meetings)."""
    meetings: dict[int, list[Any]] = defaultdict(list)
    if not pair_ids:
        return meetings
    found = await session.execute(
        select(Meeting.pair_id, Meeting.starts_at, Meeting.status, Meeting.topic, Meeting.format)
        .where(Meeting.pair_id.in_(list(pair_ids)), Meeting.status != MeetingStatus.CANCELLED)
        .order_by(Meeting.pair_id, Meeting.starts_at, Meeting.id)
    )
    for row in found:
        meetings[row.pair_id].append(row)
    return meetings


async def _pair_rounds(
    session: AsyncSession, pair_ids: Sequence[int]
) -> dict[int, list[dict[str, Any]]]:
    """Each pair's feedback by round: answers and the average scores (consent in force)."""
    rounds: dict[int, list[dict[str, Any]]] = defaultdict(list)
    if not pair_ids:
        return rounds
    FA = FeedbackAnswer
    found = await session.execute(
        select(
            FA.pair_id,
            FA.round_number,
            func.count(FA.id),
            func.avg(FA.usefulness),
            func.avg(FA.comfort),
            func.avg(FA.progress),
        )
        .join(Participant, Participant.id == FA.participant_id)
        .where(FA.pair_id.in_(list(pair_ids)), Participant.status == ParticipantStatus.ACTIVE)
        .group_by(FA.pair_id, FA.round_number)
        .order_by(FA.pair_id, FA.round_number)
    )
    for pair_id, number, answers, u, c, p in found:
        rounds[int(pair_id)].append(
            {
                "number": int(number),
                "answers": int(answers),
                "usefulness": score_text(None if u is None else float(u), LANG),
                "comfort": score_text(None if c is None else float(c), LANG),
                "progress": score_text(None if p is None else float(p), LANG),
            }
        )
    return rounds


def _meeting_state(meeting: Any, now: datetime) -> str:
    if meeting.status in PLANNED and meeting.starts_at < now:
        return t("documents-meeting-overdue", LANG)
    return t(f"documents-meeting-{meeting.status}", LANG)


async def _programmes(
    session: AsyncSession,
    actor: Person,
    programme: Programme,
    now: datetime,
    only: Sequence[PairRow] | None = None,
) -> tuple[dict[str, Any], dict[str, docx_render.Image]]:
    """The personalised programme of each working pair (or of `only` these): the plan,
    the meetings and the feedback, read for all the pairs at once."""
    rows = list(only) if only is not None else await working_pairs(session, programme.id)
    ids = [r.pair_id for r in rows]
    plans = await _plans(session, rows)
    meetings = await _pair_meetings(session, ids)
    rounds = await _pair_rounds(session, ids)
    figures = {f.pair_id: f for f in await pair_figures(session, ids)}
    context = await _common(session, programme, now)
    context["programmes"] = [
        _programme_item(
            row,
            programme,
            now,
            plans.get(row.pair_id, {}),
            meetings.get(row.pair_id, []),
            rounds.get(row.pair_id, []),
            figures.get(row.pair_id),
        )
        for row in rows
    ]
    return context, {}


def _plan_period(row: PairRow, programme: Programme, plan: dict[str, Any]) -> str:
    """From the pair's start to the plan's date, else to the programme's end."""
    start = _day(row.confirmed_at, programme)
    until = plan.get("until")
    if isinstance(until, str) and until:
        end: str | None = _iso_day(until)
    else:
        end = _day(programme.ends_on, programme) if programme.ends_on else None
    if end is None:
        return t("documents-period-open", LANG, start=start)
    return t("documents-period", LANG, start=start, end=end)


def _programme_item(
    row: PairRow,
    programme: Programme,
    now: datetime,
    plan: dict[str, Any],
    meetings: list[Any],
    rounds: list[dict[str, Any]],
    figures: Any,
) -> dict[str, Any]:
    zone = _zone(programme)
    held = figures.meetings if figures is not None else sum(m.status in HELD for m in meetings)
    group = row.group
    return {
        "number": row.pair_id,
        "kind_title": t("documents-title-group" if group else "documents-title-pair", LANG),
        "form": _form_label(row, programme),
        "mentor": row.mentor or t("documents-name-hidden", LANG),
        "mentees_title": t("documents-mentees-title" if group else "documents-mentee-title", LANG),
        "mentees": _names(row.mentees),
        "format": _text(plan.get("format") or row.format, "format")
        or t("documents-plan-missing-short", LANG),
        "frequency": _frequency(plan.get("frequency")),
        "period": _plan_period(row, programme, plan),
        "goals": _text(plan.get("goals")) or t("documents-plan-missing", LANG),
        "tasks": _text(plan.get("tasks")) or t("documents-plan-missing", LANG),
        "planned_count": sum(m.status in PLANNED for m in meetings),
        "held_count": held,
        "meetings": [
            {
                "number": index,
                "when": m.starts_at.astimezone(zone).strftime("%d.%m.%Y %H:%M"),
                "topic": m.topic or "—",
                "format": _text(m.format, "format") or "—",
                "state": _meeting_state(m, now),
            }
            for index, m in enumerate(meetings, start=1)
        ],
        "feedback_summary": _pair_feedback_summary(figures, rounds),
        "rounds": rounds,
    }


def _iso_day(value: str) -> str:
    try:
        return date.fromisoformat(value[:10]).strftime("%d.%m.%Y")
    except ValueError:
        return value


def _frequency(code: Any) -> str:
    if code in ("weekly", "biweekly"):
        return t(f"documents-frequency-{code}", LANG)
    return t("documents-plan-missing-short", LANG)


def _pair_feedback_summary(fig: Any, rounds: list[dict[str, Any]]) -> str:
    answers = sum(r["answers"] for r in rounds)
    if not answers:
        return t("documents-pair-feedback-none", LANG)
    average = getattr(fig, "feedback", None)
    return t(
        "documents-pair-feedback",
        LANG,
        answers=answers,
        average=score_text(average, LANG),
    )


# ---------------------------------------------------------------- 4. the final report


def _stage_state(stage: Any, current: int) -> str:
    if stage.complete:
        return t("documents-stage-done", LANG)
    if stage.done_count or stage.number == current:
        return t("documents-stage-in-progress", LANG)
    return t("documents-stage-not-started", LANG)


def _coverage(coverage: Coverage) -> str:
    share = coverage.share
    if share is None:
        return t("documents-coverage-no-total", LANG, involved=coverage.involved)
    key = "documents-coverage-reached" if coverage.reached else "documents-coverage-below"
    return t(key, LANG, share=share_text(share, LANG), target=coverage.target_percent)


def _report_figures(report: ProgrammeReport) -> list[dict[str, str]]:
    active = {r: report.by_role_status.get(r, {}).get(ParticipantStatus.ACTIVE, 0) for r in Role}
    items = [
        ("mentees-active", str(active[Role.MENTEE])),
        ("mentors-active", str(active[Role.MENTOR])),
        ("consent-mentees", _share(report.consent.get(Role.MENTEE))),
        ("consent-mentors", _share(report.consent.get(Role.MENTOR))),
        ("mentors-approved", _share(report.mentors_approved)),
        ("mentors-trained", _share(report.mentors_trained)),
        ("pairs", str(report.pairs_confirmed - report.groups_confirmed)),
        ("groups", str(report.groups_confirmed)),
        ("mentees-paired", _share(report.mentees_paired)),
        ("unpaired", str(report.mentees_without_pair)),
        *([] if report.finished else [("meetings", str(report.meetings_in_window))]),
        ("meetings-total", str(report.meetings_total)),
        ("at-risk", str(report.pairs_at_risk_total)),
        ("response", _share(report.feedback_response)),
        ("students", _coverage(report.coverage_students)),
        ("teachers", _coverage(report.coverage_teachers)),
        ("final", _share(report.final_survey)),
        ("wants", _share(report.wants_to_mentor)),
    ]
    return [
        {"name": t(f"documents-figure-{key}", LANG, days=report.window_days), "value": value}
        for key, value in items
    ]


async def _final_scales(session: AsyncSession, programme_id: int) -> list[dict[str, Any]]:
    """The final survey's scales (1–10): answers and the average, consent in force."""
    found = await session.execute(
        select(FormAnswer.question_id, FormAnswer.value)
        .join(FormSession, FormSession.id == FormAnswer.session_id)
        .join(Participant, Participant.id == FormSession.participant_id)
        .where(
            Participant.programme_id == programme_id,
            Participant.status == ParticipantStatus.ACTIVE,
            FormSession.form == FINAL_SURVEY_FORM,
            FormSession.status == FormStatus.COMPLETED,
            FormAnswer.question_id.in_(FINAL_SCALES),
        )
    )
    values: dict[str, list[float]] = defaultdict(list)
    for question_id, value in found:
        if isinstance(value, int | float) and not isinstance(value, bool):
            values[question_id].append(float(value))
    return [
        {
            "question": t(f"documents-final-{q.replace('_', '-')}", LANG),
            "answers": len(values[q]),
            "average": score_text(sum(values[q]) / len(values[q]), LANG),
        }
        for q in FINAL_SCALES
        if values.get(q)
    ]


def _pair_text(pair: NamedPair | None) -> str:
    if pair is None:
        return t("documents-best-pair-none", LANG)
    mentor = pair.mentor_name or t("documents-name-hidden", LANG)
    return t("documents-best-pair", LANG, mentor=mentor, mentees=_names(pair.mentee_names))


def _report_period(programme: Programme, today: str) -> str:
    if programme.starts_on and programme.ends_on:
        return t(
            "documents-report-period",
            LANG,
            start=_day(programme.starts_on, programme),
            end=_day(programme.ends_on, programme),
        )
    return t("documents-report-moment", LANG, date=today)


def _checklist_rows(checklist: Any) -> dict[str, list[dict[str, Any]]]:
    """The seven stages with their state, and every item of each with its mark and figure."""
    stages = [
        {
            "number": stage.number,
            "title": stage_title(stage.number, LANG),
            "done": t("documents-of", LANG, done=stage.done_count, total=stage.total),
            "state": _stage_state(stage, checklist.current_stage),
        }
        for stage in checklist.stages
    ]
    items = [
        {
            "stage": stage.number,
            "title": item_title(item.key, LANG),
            "done": t(
                ("documents-item-done" if item.done else "documents-item-open")
                + ("" if item.auto else "-manual"),
                LANG,
            ),
            "figure": item_figure(item, LANG) or "—",
        }
        for stage in checklist.stages
        for item in stage.items
    ]
    return {"stages": stages, "items": items}


def _feedback_rows(report: ProgrammeReport) -> dict[str, Any]:
    summary = (
        t(
            "documents-feedback-summary",
            LANG,
            share=_share(report.feedback_response),
            rounds=len(report.rounds),
        )
        if report.rounds
        else t("documents-feedback-none", LANG)
    )
    rounds = [
        {
            "number": r.number,
            "response": share_text(r.response, LANG),
            "usefulness": score_text(r.usefulness, LANG),
            "comfort": score_text(r.comfort, LANG),
            "progress": score_text(r.progress, LANG),
        }
        for r in report.rounds
    ]
    return {"feedback_summary": summary, "rounds": rounds}


def _unmatched_summary(report: ProgrammeReport, lonely: Sequence[Any]) -> str:
    """Mentees without a working pair (the report's count), and how many of them had no
    mentor proposed by the matching."""
    return t(
        "documents-unmatched-summary", LANG, count=report.mentees_without_pair, lonely=len(lonely)
    )


async def final_part(session: AsyncSession, programme: Programme, now: datetime) -> dict[str, Any]:
    """The final report's figures as written on `now`: its text without names, the chart's
    figures, and the ids the names come from. «Итоги года» keep this (JSON), so that the
    final report of a frozen year is written from it later, whatever changed since."""
    report = await compute_report(session, programme.id, now, listed=0)
    cases = report.cases
    votes = await vote_results(session, programme.id)
    lonely = await unmatched_mentees(session, programme.id)
    return {
        "text": {
            **_checklist_rows(await compute_checklist(session, programme.id)),
            "figures": _report_figures(report),
            **_feedback_rows(report),
            "final_summary": t("documents-final-summary", LANG, share=_share(report.final_survey)),
            "final_scales": await _final_scales(session, programme.id),
            "wants_to_mentor": t(
                "documents-wants-to-mentor", LANG, share=_share(report.wants_to_mentor)
            ),
            "unmatched_summary": _unmatched_summary(report, lonely),
            "cases_summary": t(
                "documents-cases-summary",
                LANG,
                open=cases.open_total if cases else 0,
                closed=cases.closed_total if cases else 0,
            ),
        },
        "chart": {
            "rounds": [
                [r.number, r.requested, r.answered, r.usefulness, r.comfort, r.progress]
                for r in report.rounds
            ],
            "meetings": [report.meetings_per_pair.get(i, 0) for i in range(4)],
            "cycle": report.finished,
        },
        "best_pair": report.best_pair.pair_id if report.best_pair is not None else None,
        "mentor_of_year": [[r.nominee_id, r.votes] for r in votes if r.votes == votes[0].votes],
        "unmatched": [
            [item.mentee.id, item.reason, [m.id for m in item.suggestions]] for item in lonely
        ],
    }


async def _final(
    session: AsyncSession, actor: Person, programme: Programme, now: datetime
) -> tuple[dict[str, Any], dict[str, docx_render.Image]]:
    context = await _common(session, programme, now)
    period = _report_period(programme, context["date"])
    frozen = await latest_snapshot(session, programme.id)
    part = frozen.final_document if frozen is not None else None
    if frozen is not None and part is not None:
        period += ". " + t("documents-frozen-note", LANG, date=_day(frozen.taken_at, programme))
    else:
        part = await final_part(session, programme, now)
    context.update(period=period, chart=None, **part["text"])
    context.update(await _final_names(session, part))
    images: dict[str, docx_render.Image] = {}
    chart_figures = part["chart"]
    rounds = [RoundFigures(*row) for row in chart_figures["rounds"]]
    meetings = dict(enumerate(chart_figures["meetings"]))
    chart = await asyncio.to_thread(
        figures_chart, rounds, meetings, LANG, bool(chart_figures["cycle"])
    )
    if chart is not None:
        images["chart"] = docx_render.Image(chart, CHART_WIDTH_CM)
    return context, images


async def _final_names(session: AsyncSession, part: dict[str, Any]) -> dict[str, Any]:
    """The names of the final report, from the ids its figures keep; only people with
    consent are named."""
    ids = {pid for pid, _votes in part["mentor_of_year"]}
    for mentee_id, _reason, suggestions in part["unmatched"]:
        ids.add(mentee_id)
        ids.update(suggestions)
    names = {
        pid: name
        for pid, name in await session.execute(
            select(Participant.id, Participant.display_name).where(
                Participant.id.in_(ids), Participant.status == ParticipantStatus.ACTIVE
            )
        )
        if name
    }
    hidden = t("documents-name-hidden", LANG)
    best = part["best_pair"]
    if part["mentor_of_year"]:
        mentor_of_year = ", ".join(
            t("documents-mentor-of-year", LANG, name=names.get(pid, hidden), votes=votes)
            for pid, votes in sorted(
                part["mentor_of_year"], key=lambda v: (names.get(v[0], hidden), v[0])
            )
        )
    else:
        mentor_of_year = t("documents-mentor-of-year-none", LANG)
    unmatched = [
        {
            "number": index,
            "name": names.get(mentee_id, hidden),
            "reason": reason or t("documents-unmatched-no-reason", LANG),
            "support": t(
                "documents-unmatched-suggested",
                LANG,
                names=", ".join(names.get(m, "—") for m in suggestions),
            )
            if suggestions
            else t("documents-unmatched-no-suggestion", LANG),
        }
        for index, (mentee_id, reason, suggestions) in enumerate(part["unmatched"], start=1)
    ]
    return {
        "best_pair": _pair_text(
            (await describe_pairs(session, [best]))[0] if best is not None else None
        ),
        "mentor_of_year": mentor_of_year,
        "unmatched": unmatched,
    }


# ---------------------------------------------------------------- 5. the municipal report


def _indicator(indicator: Indicator) -> str:
    if not indicator.total:
        return t("documents-coverage-no-total", LANG, involved=indicator.involved)
    share = share_text(Share(indicator.involved, indicator.total), LANG)
    return f"{share} ({t('documents-reached' if indicator.reached else 'documents-below', LANG)})"


def _total_rows(total: OrganisationIndicators, pairs: int) -> list[dict[str, str]]:
    rows = []
    no_data = t("documents-no-data", LANG)
    for key in MUNICIPAL_INDICATORS:
        indicator = total.indicators[key]
        known = bool(indicator.total)
        rows.append(
            {
                "name": t(f"documents-municipal-{key}", LANG),
                "value": share_text(Share(indicator.involved, indicator.total or 0), LANG)
                if known
                else t("documents-coverage-no-total", LANG, involved=indicator.involved),
                "target": f"{indicator.target}%",
                "reached": _yes(bool(indicator.reached)) if known else no_data,
            }
        )
    rows.append(
        {
            "name": t("documents-municipal-pairs", LANG),
            "value": str(pairs),
            "target": "—",
            "reached": "—",
        }
    )
    return rows


async def _municipal(
    session: AsyncSession, actor: Person, programme_ids: list[int], now: datetime
) -> tuple[dict[str, Any], dict[str, docx_render.Image]]:
    """A row per organisation with the three indicators against their targets, as the
    coordinator's /report counts them (`municipality`), and the total; frozen «итоги года»
    where an organisation has them (`year_snapshot.municipal_year`)."""
    found = await session.execute(
        select(Programme.id, Programme.name, Programme.organisation_id)
        .where(Programme.id.in_(programme_ids))
        .order_by(Programme.organisation_id, Programme.id)
    )
    programmes: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for programme_id, name, organisation_id in found:
        programmes[organisation_id].append((programme_id, name))
    year = await municipal_year(session, list(programmes))
    rows: list[dict[str, Any]] = []
    pairs_total = reached = 0
    for organisation in year.report.organisations:
        pairs = 0
        for programme_id, _name in programmes[organisation.organisation_id or 0]:
            frozen = await latest_snapshot(session, programme_id)
            if frozen is not None:
                pairs += frozen.pairs
            else:
                programme = await session.get(Programme, programme_id)
                assert programme is not None
                pairs += (
                    await session.scalar(
                        select(func.count()).select_from(Pair).where(cycle_pairs(programme))
                    )
                    or 0
                )
        pairs_total += pairs
        indicators = organisation.indicators
        reached += all(i.reached for i in indicators.values())
        rows.append(
            {
                "number": len(rows) + 1,
                "organisation": organisation.name,
                "programme": "; ".join(
                    name for _id, name in programmes[organisation.organisation_id or 0]
                ),
                **{key: _indicator(indicators[key]) for key in MUNICIPAL_INDICATORS},
                "pairs": pairs,
            }
        )
    names = {o.organisation_id: o.name for o in year.report.organisations}
    frozen_note = "; ".join(
        t(
            "documents-municipal-frozen",
            LANG,
            organisation=names.get(org, "—"),
            date=taken.astimezone(now.tzinfo).strftime("%d.%m.%Y"),
        )
        for org, taken in sorted(year.frozen_at.items())
    )
    context = {
        "authority": t("documents-authority", LANG),
        "year": now.year,
        "date": now.strftime("%d.%m.%Y"),
        "target_students": TARGETS["students"],
        "target_teachers": TARGETS["teachers"],
        "target_trained": TARGETS["trained"],
        "rows": rows,
        "totals": _total_rows(year.report.total, pairs_total),
        "summary": t(
            "documents-municipal-summary",
            LANG,
            organisations=len(rows),
            reached=reached,
        ),
        "frozen": frozen_note,
        "chart": None,
        "coordinator": actor.full_name or BLANK_NAME,
    }
    images: dict[str, docx_render.Image] = {}
    chart = await asyncio.to_thread(municipal_chart, year.report, LANG)
    if chart is not None:
        images["chart"] = docx_render.Image(chart, MUNICIPAL_CHART_WIDTH_CM)
    return context, images


# ---------------------------------------------------------------- 6. the registry of consents


async def _consents(
    session: AsyncSession, actor: Person, programme: Programme, now: datetime
) -> tuple[dict[str, Any], dict[str, docx_render.Image]]:
    Recorder = aliased(Person)
    found = await session.execute(
        select(
            Participant.display_name,
            Participant.role,
            Consent.kind,
            Consent.decision,
            Consent.decided_at,
            Consent.text_version,
            Consent.parent_name,
            Consent.parent_relation,
            Recorder.full_name.label("recorder"),
        )
        .join(Participant, Participant.id == Consent.participant_id)
        .outerjoin(Recorder, Recorder.id == Consent.recorded_by)
        .where(
            Participant.programme_id == programme.id,
            Participant.status != ParticipantStatus.WITHDRAWN,
        )
        .order_by(Participant.display_name, Participant.id, Consent.decided_at, Consent.id)
    )
    zone = _zone(programme)
    rows: list[dict[str, Any]] = []
    for r in found:
        rows.append(
            {
                "number": len(rows) + 1,
                "participant": r.display_name or t("documents-name-hidden", LANG),
                "role": t(f"documents-role-{r.role}", LANG),
                "given_by": _given_by(r),
                "decision": t(f"documents-decision-{r.decision}", LANG),
                "when": r.decided_at.astimezone(zone).strftime("%d.%m.%Y %H:%M"),
                "version": r.text_version,
            }
        )
    report = await compute_report(session, programme.id, now, listed=0)
    context = await _common(session, programme, now)
    context.update(
        consents=rows,
        summary=t(
            "documents-consents-summary",
            LANG,
            records=len(rows),
            active=report.active_total,
            parent_pending=report.parent_pending,
        ),
    )
    return context, {}


def _given_by(row: Any) -> str:
    if row.kind == "self":
        return t("documents-given-self", LANG)
    relation = t(f"documents-relation-{row.parent_relation}", LANG) if row.parent_relation else None
    who = ", ".join(part for part in (row.parent_name, relation) if part)
    if row.kind == "paper":
        return t(
            "documents-given-paper",
            LANG,
            who=who or "—",
            recorder=row.recorder or "—",
        )
    return t("documents-given-parent", LANG, who=who or "—")
