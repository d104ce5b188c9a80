"""The Excel workbook of /export, written in constant memory while rows stream from the DB.

Only participants with consent (status `active`) appear by name; dates are shown in the
programme's time zone. Rows are read as plain tuples with `connection.stream(...)` in
batches and written a row at a time (`RowWriter`, xlsxwriter's `constant_memory` mode), so
memory stays flat however large the programme is; the only per-programme structure kept in
memory is the set of pairs at risk (taken from the summary's reports, not queried twice).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import xlsxwriter
from sqlalchemy import String, and_, cast, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.infra.xlsx_rows import RowWriter
from bot.services.forms import get_form
from bot.services.programme import checklist as checklist_service
from bot.services.reporting.municipality import INDICATORS, MunicipalReport
from bot.services.reporting.reports import (
    HELD,
    OrganisationOverview,
    ProgrammeReport,
    Share,
    compute_overview,
    final_question_title,
    share_text,
)
from bot.services.reporting.year_snapshot import municipal_year
from bot.services.vocabulary import label
from bot.services.zones import zone_words
from bot.texts import has_text, t
from storage.models import (
    AuditRecord,
    Case,
    Consent,
    ConsentDecision,
    ConsentKind,
    FeedbackAnswer,
    FormAnswer,
    FormSession,
    Meeting,
    Organisation,
    Pair,
    PairMember,
    PairStatus,
    Participant,
    ParticipantStatus,
    Person,
    Programme,
    Role,
)

ProgressCallback = Callable[[int], Awaitable[None]]
BATCH = 1000
MENTOR_FORM = "mentor_profile"
MENTEE_FORM = "mentee_profile"
FINAL_FORM = "final_survey"
PROGRESS_STEP = 10
# The order of the final survey's known questions; others follow in the order first seen.
FINAL_QUESTIONS = (
    "expectations",
    "comfort",
    "usefulness",
    "goals_reached",
    "most_valuable",
    "improve",
)


# THE mapping of the registries: a shipped form's question id -> the column (its header is
# `export-col-<column>`, the seed's name). Every question of the shipped forms has one; a
# test fills each form completely and finds every answer under its column. Questions of a
# form a deployment adds appear after these, titled by their own text.
MENTOR_ANSWERS: dict[str, str] = {
    "full_name": "full-name",
    "category": "category",
    "age": "age",
    "grade": "class",
    "workplace": "workplace",
    "education": "education",
    "experience": "experience",
    "competencies": "competencies",
    "life_experience": "life-experience",
    "interests": "interests",
    "strengths": "strengths",
    "motivation": "motivation",
    "expectations": "expectations",
    "readiness": "readiness",
    "mentee_ages": "preferred-age",
    "hours_per_month": "time-resource",
    "frequency": "frequency",
    "capacity": "capacity",
    "format": "format",
    "times": "times",
    "contacts": "contacts",
    "share_contacts": "share-contacts",
}
MENTEE_ANSWERS: dict[str, str] = {
    "full_name": "full-name",
    "category": "category",
    "age": "age",
    "grade": "class",
    "group": "class",
    "subject": "subject",
    "experience_years": "experience-years",
    "requests": "requests",
    "interests": "subjects",
    "hobbies": "hobbies",
    "format": "format",
    "times": "times",
    "goals": "goals",
    "contact": "contacts",
    "share_contact": "share-contacts",
}
PLAN_ANSWERS: dict[str, str] = {
    "goals": "plan-goals",
    "tasks": "plan-tasks",
    "format": "format",
    "frequency": "frequency",
    "until": "plan-until",
}
PLAN_FORM = "pair_plan"
# A participant's own field, when the profile has no answer for the column.
FALLBACK_FIELDS = {
    "full-name": "display_name",
    "category": "category",
    "age": "age",
    "class": "grade",
    "capacity": "capacity",
}


def _columns(mapping: dict[str, str]) -> list[str]:
    """The mapping's columns, each once, in the order of the form."""
    return list(dict.fromkeys(mapping.values()))


def _form(name: str) -> Any:
    try:
        return get_form(name)
    except KeyError:
        return None


def cell_value(form_name: str, question_id: str, value: Any, locale: str) -> Any:
    """A stored answer as the workbook shows it: option codes as their labels (the form's
    own or its vocabulary's), a free «Другое» as typed, a date as a date."""
    if value is None or value == "" or value == []:
        return None
    form = _form(form_name)
    question = form.question(question_id) if form is not None else None
    if question is None:
        return format_answer(value, None, locale)
    if question.type == "date" and isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    if question.options:
        labels = {o.code: o.label(locale) for o in question.options}

        def one(item: Any) -> str:
            return labels.get(str(item), str(item))

        if isinstance(value, list):
            return ", ".join(one(v) for v in value if v not in (None, ""))
        if isinstance(value, dict):  # {"codes": [...], "other": "..."}
            codes = ", ".join(one(v) for v in value.get("codes") or [])
            return "; ".join(p for p in (codes, str(value.get("other") or "")) if p)
        return one(value)
    return format_answer(value, None, locale)


@dataclass
class ExportResult:
    path: Path
    rows: dict[str, int] = field(default_factory=dict)  # sheet key -> data rows written


@dataclass(frozen=True)
class _ProgrammeInfo:
    organisation: str
    name: str
    zone: ZoneInfo
    lead: tuple[str, ...]  # the first cells of its rows: organisation and programme, if shown


class _Progress:
    def __init__(self, total: int, callback: ProgressCallback | None) -> None:
        self.total = max(total, 1)
        self.done = 0
        self.callback = callback
        self.reported = 0  # 0% is reported when the export starts

    async def advance(self, n: int = 1) -> None:
        self.done += n
        if self.callback is None:
            return
        percent = min(99, 100 * self.done // self.total)
        step = percent - percent % PROGRESS_STEP
        if step > self.reported:
            self.reported = step
            await self.callback(step)


class _Sheet:
    """One worksheet: a header row, column widths, and typed cells row by row."""

    def __init__(self, book: _Book, key: str, columns: Sequence[tuple[str, int]]) -> None:
        self.book = book
        self.key = key
        self.ws = book.workbook.add_worksheet(t(f"export-sheet-{key}", book.locale)[:31])
        self.columns = len(columns)
        for index, (_, width) in enumerate(columns):
            self.ws.set_column(index, index, width)
        self.ws.write_row(0, 0, [title for title, _ in columns], book.header)
        self.ws.freeze_panes(1, 0)
        self.row = 1
        self.rows = RowWriter(
            self.ws, datetime_format=book.datetime, date_format=book.date, yes=book.yes, no=book.no
        )

    def write(self, values: Sequence[Any], zone: ZoneInfo | None = None) -> None:
        self.rows.write(self.row, values, zone)
        self.row += 1

    def finish(self, *, autofilter: bool = True) -> int:
        if autofilter and self.row > 1:
            self.ws.autofilter(0, 0, self.row - 1, self.columns - 1)
        self.book.rows[self.key] = self.row - 1
        return self.row - 1


class _Book:
    def __init__(self, path: Path, locale: str) -> None:
        self.workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
        self.locale = locale
        self.header = self.workbook.add_format(
            {"bold": True, "bg_color": "#DDE7F6", "text_wrap": True, "valign": "top"}
        )
        self.bold = self.workbook.add_format({"bold": True})
        self.datetime = self.workbook.add_format({"num_format": "dd.mm.yyyy hh:mm"})
        self.date = self.workbook.add_format({"num_format": "dd.mm.yyyy"})
        self.rows: dict[str, int] = {}
        self._labels: dict[str, str] = {}
        self.yes = t("export-yes", locale)
        self.no = t("export-no", locale)

    def label(self, key: str) -> str:
        """A text of the locale, formatted once per export (rows repeat the same few)."""
        text = self._labels.get(key)
        if text is None:
            text = self._labels[key] = t(key, self.locale)
        return text


@lru_cache(maxsize=4096)
def _vocabulary_label(group: str, code: str, locale: str) -> str:
    return label(group, code, locale)


def format_answer(value: Any, vocabulary: str | None, locale: str) -> Any:
    """A stored answer (text, number, option code or codes) as a cell value."""
    if value is None:
        return None
    if isinstance(value, dict):
        # e.g. {"codes": [...], "other": "..."}: show every part that is there
        parts = [format_answer(v, vocabulary, locale) for v in value.values()]
        return "; ".join(str(p) for p in parts if p not in (None, ""))
    if isinstance(value, list):
        return ", ".join(
            str(format_answer(v, vocabulary, locale)) for v in value if v not in (None, "")
        )
    if isinstance(value, str) and vocabulary:
        return _vocabulary_label(vocabulary, value, locale)
    return value


async def _batches(session: AsyncSession, query: Any) -> AsyncIterator[Sequence[Any]]:
    """Rows in batches: one round trip to the driver's thread per batch, not per row.

    The query runs on the session's connection: plain rows, without the ORM's loading step."""
    connection = await session.connection()
    result = await connection.stream(query.execution_options(yield_per=BATCH))
    async for partition in result.partitions(BATCH):
        yield partition


async def _grouped(session: AsyncSession, query: Any) -> AsyncIterator[tuple[Any, list[Any]]]:
    """Consecutive rows with the same first column, as (first row, all rows)."""
    current: list[Any] = []
    async for batch in _batches(session, query):
        for row in batch:
            if current and current[0][0] != row[0]:
                yield current[0], current
                current = []
            current.append(row)
    if current:
        yield current[0], current


async def build_export(
    session: AsyncSession,
    programme_ids: Sequence[int],
    path: Path,
    *,
    now: datetime,
    locale: str = "ru",
    progress: ProgressCallback | None = None,
    all_organisations: bool = False,
) -> ExportResult:
    """Write the workbook of the given programmes to `path` (see the module docstring)."""
    ids = list(programme_ids)
    infos: dict[int, _ProgrammeInfo] = {}
    multi = all_organisations or len(ids) > 1
    for pid, org, name, tz in await session.execute(
        select(Programme.id, Organisation.name, Programme.name, Programme.timezone)
        .join(Organisation, Organisation.id == Programme.organisation_id)
        .where(Programme.id.in_(ids))
    ):
        infos[int(pid)] = _ProgrammeInfo(org, name, _zone(tz), (org, name) if multi else ())
    book = _Book(path, locale)
    counter = _Progress(await _count_rows(session, ids), progress)
    if progress is not None:
        await progress(0)

    overviews = await compute_overview(session, now, ids)
    municipal = (
        (await municipal_year(session, [o.organisation_id for o in overviews])).report
        if multi
        else None
    )
    _summary_sheet(book, overviews, multi, infos, municipal)
    await _mentors_sheet(session, book, ids, infos, multi, counter)
    await _mentees_sheet(session, book, ids, infos, multi, counter)
    risks = {
        pair_id: reasons
        for overview in overviews
        for report in overview.programmes
        for pair_id, reasons in report.risk_reasons.items()
    }
    await _pairs_sheet(session, book, ids, infos, multi, counter, risks)
    await _plans_sheet(session, book, ids, infos, multi)
    await _meetings_sheet(session, book, ids, infos, multi, counter)
    await _feedback_sheet(session, book, ids, infos, multi, counter)
    await _cases_sheet(session, book, ids, infos, multi)
    await _final_sheet(session, book, ids, infos, multi, counter)
    await _checklist_sheet(session, book, ids, infos, multi)
    await _audit_sheet(session, book, ids, infos, multi, counter)
    await asyncio.to_thread(book.workbook.close)
    return ExportResult(path=path, rows=dict(book.rows))


async def _count_rows(session: AsyncSession, ids: list[int]) -> int:
    P = Participant
    queries = [
        select(func.count())
        .select_from(P)
        .where(P.programme_id.in_(ids), P.status == ParticipantStatus.ACTIVE),
        select(func.count()).select_from(Pair).where(Pair.programme_id.in_(ids)),
        select(func.count())
        .select_from(Meeting)
        .join(Pair, Pair.id == Meeting.pair_id)
        .where(Pair.programme_id.in_(ids)),
        select(func.count())
        .select_from(FeedbackAnswer)
        .join(Pair, Pair.id == FeedbackAnswer.pair_id)
        .where(Pair.programme_id.in_(ids)),
        select(func.count())
        .select_from(FormSession)
        .join(P, P.id == FormSession.participant_id)
        .where(P.programme_id.in_(ids), FormSession.form == FINAL_FORM),
        select(func.count()).select_from(AuditRecord).where(AuditRecord.programme_id.in_(ids)),
    ]
    total = 0
    for query in queries:
        total += int(await session.scalar(query) or 0)
    return total


def _lead(multi: bool, locale: str) -> list[tuple[str, int]]:
    if not multi:
        return []
    return [(t("export-col-organisation", locale), 30), (t("export-col-programme", locale), 26)]


WIDE = frozenset(
    {
        "full-name",
        "workplace",
        "education",
        "experience",
        "competencies",
        "life-experience",
        "interests",
        "motivation",
        "expectations",
        "contacts",
        "requests",
        "subjects",
        "goals",
        "plan-goals",
        "plan-tasks",
        "mentor",
        "mentees",
    }
)


def _width(column: str) -> int:
    return 32 if column in WIDE else 16


def _col(key: str, locale: str, width: int = 20) -> tuple[str, int]:
    return (t(f"export-col-{key}", locale), width)


# ---------------------------------------------------------------- sheets


def _summary_sheet(
    book: _Book,
    overviews: list[OrganisationOverview],
    multi: bool,
    infos: dict[int, _ProgrammeInfo],
    municipal: MunicipalReport | None = None,
) -> None:
    loc = book.locale
    if not multi:
        sheet = _Sheet(book, "summary", [_col("figure", loc, 44), _col("value", loc, 44)])
        for overview in overviews:
            for report in overview.programmes:
                sheet.write([t("export-col-organisation", loc), report.organisation_name])
                sheet.write([t("export-col-programme", loc), report.programme_name])
                for figure, value in _figures(report, loc):
                    sheet.write([figure, value])
                sheet.write(
                    [t("export-timezone-note", loc, timezone=zone_words(report.timezone, loc))]
                )
        sheet.write([t("export-consent-note", loc)])
        sheet.finish(autofilter=False)
        return
    # The coordinator's summary: a table per organisation, a row per programme.
    figures = [
        "mentees-active",
        "mentors-active",
        "consent-mentees",
        "pairs",
        "unpaired",
        "at-risk",
        "response",
        "students",
        "teachers",
    ]
    columns = [_col("programme", loc, 30)] + [(t(f"export-figure-{f}", loc), 18) for f in figures]
    sheet = _Sheet(book, "summary", columns)
    for overview in overviews:
        sheet.ws.write_string(sheet.row, 0, overview.name, book.bold)
        sheet.row += 1
        for report in overview.programmes:
            values = dict(_figures(report, loc, keyed=True))
            sheet.write([report.programme_name] + [values[f] for f in figures])
        sheet.row += 1  # an empty line between organisations
    if municipal is not None:
        _indicator_rows(sheet, book, municipal)
    sheet.write([t("export-timezone-note-all", loc)])
    sheet.write([t("export-consent-note", loc)])
    sheet.finish(autofilter=False)


def _indicator_rows(sheet: _Sheet, book: _Book, municipal: MunicipalReport) -> None:
    """The municipality's three indicators: a row per organisation and the total."""
    loc = book.locale
    sheet.ws.write_string(sheet.row, 0, t("export-indicators-title", loc), book.bold)
    sheet.row += 1
    sheet.write(["", *[t(f"export-indicator-{key}", loc) for key in INDICATORS]])
    total = [*municipal.organisations, municipal.total]
    for row in total:
        name = row.name if row.organisation_id is not None else t("report-overview-total", loc)
        cells = []
        for key in INDICATORS:
            item = row.indicators[key]
            share = share_text(Share(item.involved, item.total), loc) if item.total else None
            cells.append(
                t("export-indicator-value", loc, share=share, target=item.target)
                if share
                else t("export-indicator-no-data", loc, involved=item.involved)
            )
        sheet.write([name, *cells])
    sheet.row += 1


def _figures(report: ProgrammeReport, loc: str, keyed: bool = False) -> list[tuple[str, Any]]:
    def coverage(c: Any) -> str:
        return share_text(c.share, loc) if c.share is not None else t("export-no-data", loc)

    pairs_and_groups = report.pairs_confirmed
    items: list[tuple[str, Any]] = [
        ("mentees-active", report.consent[Role.MENTEE].part),
        ("mentors-active", report.consent[Role.MENTOR].part),
        ("consent-mentees", share_text(report.consent[Role.MENTEE], loc)),
        ("consent-mentors", share_text(report.consent[Role.MENTOR], loc)),
        ("profiles-mentees", share_text(report.profiles[Role.MENTEE], loc)),
        ("profiles-mentors", share_text(report.profiles[Role.MENTOR], loc)),
        ("mentors-approved", share_text(report.mentors_approved, loc)),
        ("pairs", pairs_and_groups),
        ("unpaired", report.mentees_without_pair),
        *([] if report.finished else [("meetings", report.meetings_in_window)]),
        ("meetings-total", report.meetings_total),
        ("at-risk", report.pairs_at_risk_total),
        ("response", share_text(report.feedback_response, loc)),
        ("students", coverage(report.coverage_students)),
        ("teachers", coverage(report.coverage_teachers)),
        ("final", share_text(report.final_survey, loc)),
        ("wants", share_text(report.wants_to_mentor, loc)),
        ("mentor-of-year", report.mentor_of_year or "—"),
    ]
    if keyed:
        return items
    rows = [(t(f"export-figure-{key}", loc), value) for key, value in items]
    return rows + _final_averages(report, loc)


def _final_averages(report: ProgrammeReport, loc: str) -> list[tuple[str, Any]]:
    """The final survey's average per scale question and role, as summary rows."""
    final = report.final
    if final is None:
        return []
    rows: list[tuple[str, Any]] = []
    for role in (Role.MENTEE, Role.MENTOR):
        for qid, _top in final.scales:
            value = final.averages.get(role, {}).get(qid)
            rows.append(
                (
                    t(
                        f"export-figure-final-average-{role}",
                        loc,
                        question=final_question_title(qid, loc),
                    ),
                    None if value is None else round(value, 1),
                )
            )
    return rows


def _profile_query(ids: list[int], role: str, form: str, *extra: Any) -> Any:
    P = Participant
    return (
        select(
            P.id,
            P.programme_id,
            P.display_name,
            P.category,
            P.age,
            P.grade,
            P.capacity,
            P.registry_status,
            P.trained,
            P.in_long_term_base,
            P.wants_to_mentor,
            P.consent_completed_at,
            FormAnswer.question_id,
            FormAnswer.value,
            *extra,
        )
        .select_from(P)
        .outerjoin(FormSession, and_(FormSession.participant_id == P.id, FormSession.form == form))
        .outerjoin(FormAnswer, FormAnswer.session_id == FormSession.id)
        .where(P.programme_id.in_(ids), P.role == role, P.status == ParticipantStatus.ACTIVE)
        .order_by(P.programme_id, P.id, FormSession.id, FormAnswer.id)
    )


def _answers(rows: list[Any]) -> dict[str, Any]:
    return {r.question_id: r.value for r in rows if r.question_id is not None}


def profile_cells(
    form_name: str, mapping: dict[str, str], answers: dict[str, Any], first: Any, locale: str
) -> list[Any]:
    """The registry cells of one participant, a cell per column of `mapping`: the first
    answered question of the column, else the participant's own field."""
    cells: dict[str, Any] = {}
    for qid, column in mapping.items():
        if cells.get(column) is None and qid in answers:
            cells[column] = cell_value(form_name, qid, answers[qid], locale)
    for column, attr in FALLBACK_FIELDS.items():
        if column in cells and cells[column] is not None:
            continue
        value = getattr(first, attr, None)
        if column == "category" and value:
            group = "mentor-category" if form_name == MENTOR_FORM else "mentee-category"
            value = format_answer(value, group, locale)
        cells[column] = value
    return [cells.get(column) for column in _columns(mapping)]


async def _mentors_sheet(
    session: AsyncSession,
    book: _Book,
    ids: list[int],
    infos: dict[int, _ProgrammeInfo],
    multi: bool,
    counter: _Progress,
) -> None:
    loc = book.locale
    columns = [
        *_lead(multi, loc),
        *[_col(c, loc, _width(c)) for c in _columns(MENTOR_ANSWERS)],
        _col("registry-status", loc, 16),
        _col("trained", loc, 12),
        _col("long-term", loc, 12),
        _col("consent-date", loc, 18),
    ]
    sheet = _Sheet(book, "mentors", columns)
    async for first, rows in _grouped(session, _profile_query(ids, Role.MENTOR, MENTOR_FORM)):
        info = infos[first.programme_id]
        answers = _answers(rows)
        sheet.write(
            [
                *info.lead,
                *profile_cells(MENTOR_FORM, MENTOR_ANSWERS, answers, first, loc),
                book.label(f"export-registry-{first.registry_status}"),
                bool(first.trained),
                bool(first.in_long_term_base),
                first.consent_completed_at,
            ],
            info.zone,
        )
        await counter.advance()
    sheet.finish()


async def _mentees_sheet(
    session: AsyncSession,
    book: _Book,
    ids: list[int],
    infos: dict[int, _ProgrammeInfo],
    multi: bool,
    counter: _Progress,
) -> None:
    loc = book.locale
    Mentor = aliased(Participant)
    mentor_name = (
        select(Mentor.display_name)
        .select_from(PairMember)
        .join(Pair, Pair.id == PairMember.pair_id)
        .join(Mentor, Mentor.id == Pair.mentor_id)
        .where(
            PairMember.mentee_id == Participant.id,
            Pair.status == PairStatus.CONFIRMED,
            Mentor.status == ParticipantStatus.ACTIVE,
        )
        .order_by(Pair.id)
        .limit(1)
        .scalar_subquery()
        .label("mentor_name")
    )
    parent_consent = (
        select(Consent.kind)
        .where(
            Consent.participant_id == Participant.id,
            Consent.kind.in_((ConsentKind.PARENT, ConsentKind.PAPER)),
            Consent.decision == ConsentDecision.AGREED,
        )
        .order_by(Consent.id.desc())
        .limit(1)
        .scalar_subquery()
        .label("parent_consent")
    )
    columns = [
        *_lead(multi, loc),
        *[_col(c, loc, _width(c)) for c in _columns(MENTEE_ANSWERS)],
        _col("mentor", loc, 32),
        _col("wants-to-mentor", loc, 14),
        _col("parent-consent", loc, 22),
        _col("consent-date", loc, 18),
    ]
    sheet = _Sheet(book, "mentees", columns)
    query = _profile_query(
        ids, Role.MENTEE, MENTEE_FORM, mentor_name, parent_consent, Participant.is_minor
    )
    async for first, rows in _grouped(session, query):
        info = infos[first.programme_id]
        answers = _answers(rows)
        if not first.is_minor:
            parent = book.label("export-parent-consent-adult")
        elif first.parent_consent:
            parent = book.label(f"export-parent-consent-{first.parent_consent}")
        else:
            parent = None
        sheet.write(
            [
                *info.lead,
                *profile_cells(MENTEE_FORM, MENTEE_ANSWERS, answers, first, loc),
                first.mentor_name,
                bool(first.wants_to_mentor),
                parent,
                first.consent_completed_at,
            ],
            info.zone,
        )
        await counter.advance()
    sheet.finish()


async def _pairs_sheet(
    session: AsyncSession,
    book: _Book,
    ids: list[int],
    infos: dict[int, _ProgrammeInfo],
    multi: bool,
    counter: _Progress,
    risks: dict[int, tuple[str, ...]],
) -> None:
    loc = book.locale
    Mentor = aliased(Participant)
    Mentee = aliased(Participant)
    stats = (
        select(
            Meeting.pair_id,
            func.count().label("held"),
            func.max(Meeting.starts_at).label("last_at"),
        )
        .where(Meeting.status.in_(HELD))
        .group_by(Meeting.pair_id)
        .subquery()
    )
    query = (
        select(
            Pair.id,
            Pair.programme_id,
            Pair.status,
            Pair.mentoring_form,
            Pair.format,
            Pair.confirmed_at,
            Pair.directive,
            Pair.explanation,
            Pair.best_pair_at,
            Mentor.display_name.label("mentor_name"),
            Mentor.status.label("mentor_status"),
            Mentee.display_name.label("mentee_name"),
            PairMember.id.label("member_id"),
            stats.c.held,
            stats.c.last_at,
        )
        .select_from(Pair)
        .join(Mentor, Mentor.id == Pair.mentor_id)
        .outerjoin(PairMember, PairMember.pair_id == Pair.id)
        .outerjoin(
            Mentee,
            and_(Mentee.id == PairMember.mentee_id, Mentee.status == ParticipantStatus.ACTIVE),
        )
        .outerjoin(stats, stats.c.pair_id == Pair.id)
        .where(Pair.programme_id.in_(ids), Pair.status != PairStatus.REJECTED)
        .order_by(Pair.programme_id, Pair.id, PairMember.id)
    )
    columns = [
        *_lead(multi, loc),
        _col("pair", loc, 9),
        _col("kind", loc, 10),
        _col("mentor", loc, 32),
        _col("mentees", loc, 44),
        _col("status", loc, 14),
        _col("mentoring-form", loc, 22),
        _col("format", loc, 12),
        _col("confirmed-at", loc, 18),
        _col("directive", loc, 12),
        _col("meetings-count", loc, 12),
        _col("last-meeting", loc, 18),
        _col("attention", loc, 40),
        _col("best-pair", loc, 12),
        _col("explanation", loc, 50),
    ]
    sheet = _Sheet(book, "pairs", columns)
    async for first, rows in _grouped(session, query):
        info = infos[first.programme_id]
        members = sum(1 for r in rows if r.member_id is not None)
        mentees = ", ".join(r.mentee_name or "" for r in rows if r.mentee_name is not None)
        reasons = risks.get(first.id, ())
        sheet.write(
            [
                *info.lead,
                first.id,
                book.label("export-kind-group" if members > 1 else "export-kind-pair"),
                first.mentor_name if first.mentor_status == ParticipantStatus.ACTIVE else None,
                mentees,
                book.label(f"export-pair-status-{first.status}"),
                format_answer(first.mentoring_form, "form", loc),
                format_answer(first.format, "format", loc),
                first.confirmed_at,
                bool(first.directive),
                int(first.held or 0),
                first.last_at,
                ", ".join(book.label(f"report-risk-{r.replace('_', '-')}") for r in reasons),
                first.best_pair_at is not None,
                first.explanation,
            ],
            info.zone,
        )
        await counter.advance()
    sheet.finish()


async def _meetings_sheet(
    session: AsyncSession,
    book: _Book,
    ids: list[int],
    infos: dict[int, _ProgrammeInfo],
    multi: bool,
    counter: _Progress,
) -> None:
    loc = book.locale
    Mentor = aliased(Participant)
    query = (
        select(
            Meeting.pair_id,
            Pair.programme_id,
            Mentor.display_name,
            Mentor.status.label("mentor_status"),
            Meeting.starts_at,
            Meeting.format,
            Meeting.topic,
            Meeting.status,
            Meeting.is_first,
        )
        .select_from(Meeting)
        .join(Pair, Pair.id == Meeting.pair_id)
        .join(Mentor, Mentor.id == Pair.mentor_id)
        .where(Pair.programme_id.in_(ids))
        .order_by(Pair.programme_id, Meeting.pair_id, Meeting.starts_at, Meeting.id)
    )
    columns = [
        *_lead(multi, loc),
        _col("pair", loc, 9),
        _col("mentor", loc, 32),
        _col("meeting-at", loc, 18),
        _col("format", loc, 12),
        _col("topic", loc, 40),
        _col("status", loc, 14),
        _col("first", loc, 12),
    ]
    sheet = _Sheet(book, "meetings", columns)
    async for batch in _batches(session, query):
        for pair_id, pid, mentor, mentor_status, at, fmt, topic, status, first in batch:
            info = infos[pid]
            sheet.write(
                [
                    *info.lead,
                    pair_id,
                    mentor if mentor_status == ParticipantStatus.ACTIVE else None,
                    at,
                    format_answer(fmt, "format", loc),
                    topic,
                    book.label(f"export-meeting-status-{status}"),
                    bool(first),
                ],
                info.zone,
            )
        await counter.advance(len(batch))
    sheet.finish()


async def _feedback_sheet(
    session: AsyncSession,
    book: _Book,
    ids: list[int],
    infos: dict[int, _ProgrammeInfo],
    multi: bool,
    counter: _Progress,
) -> None:
    loc = book.locale
    FA = FeedbackAnswer
    query = (
        select(
            FA.pair_id,
            Pair.programme_id,
            FA.round_number,
            Participant.display_name,
            Participant.role,
            FA.meeting_happened,
            FA.usefulness,
            FA.comfort,
            FA.progress,
            FA.difficulty,
            FA.wants_help,
            FA.answered_at,
        )
        .select_from(FA)
        .join(Pair, Pair.id == FA.pair_id)
        .join(Participant, Participant.id == FA.participant_id)
        .where(Pair.programme_id.in_(ids), Participant.status == ParticipantStatus.ACTIVE)
        .order_by(Pair.programme_id, FA.pair_id, FA.round_number, FA.id)
    )
    columns = [
        *_lead(multi, loc),
        _col("pair", loc, 9),
        _col("round", loc, 9),
        _col("participant", loc, 32),
        _col("role", loc, 16),
        _col("meeting-happened", loc, 12),
        _col("usefulness", loc, 12),
        _col("comfort", loc, 12),
        _col("progress", loc, 12),
        _col("difficulty", loc, 40),
        _col("wants-help", loc, 12),
        _col("answered-at", loc, 18),
    ]
    sheet = _Sheet(book, "feedback", columns)
    async for batch in _batches(session, query):
        for row in batch:
            pair_id, pid, number, name, role, happened, *scores, difficulty, help_, at = row
            info = infos[pid]
            sheet.write(
                [
                    *info.lead,
                    pair_id,
                    number,
                    name,
                    book.label(f"export-role-{role}"),
                    happened,
                    *scores,
                    difficulty,
                    bool(help_),
                    at,
                ],
                info.zone,
            )
        await counter.advance(len(batch))
    sheet.finish()


async def _final_sheet(
    session: AsyncSession,
    book: _Book,
    ids: list[int],
    infos: dict[int, _ProgrammeInfo],
    multi: bool,
    counter: _Progress,
) -> None:
    loc = book.locale
    P = Participant
    in_scope = and_(
        P.programme_id.in_(ids),
        P.status == ParticipantStatus.ACTIVE,
        FormSession.form == FINAL_FORM,
    )
    seen = list(
        (
            await session.scalars(
                select(FormAnswer.question_id)
                .join(FormSession, FormSession.id == FormAnswer.session_id)
                .join(P, P.id == FormSession.participant_id)
                .where(in_scope)
                .group_by(FormAnswer.question_id)
                .order_by(func.min(FormAnswer.id))
            )
        ).all()
    )
    form = _form(FINAL_FORM)
    shipped = [q.id for q in form.questions] if form is not None else list(FINAL_QUESTIONS)
    questions = shipped + [q for q in seen if q not in shipped]
    columns = [
        *_lead(multi, loc),
        _col("participant", loc, 32),
        _col("role", loc, 16),
        _col("completed-at", loc, 18),
        *[(final_question_title(q, loc), 24) for q in questions],
    ]
    query = (
        select(
            FormSession.id,
            P.programme_id,
            P.display_name,
            P.role,
            FormSession.completed_at,
            FormAnswer.question_id,
            FormAnswer.value,
        )
        .select_from(FormSession)
        .join(P, P.id == FormSession.participant_id)
        .outerjoin(FormAnswer, FormAnswer.session_id == FormSession.id)
        .where(in_scope)
        .order_by(P.programme_id, FormSession.id, FormAnswer.id)
    )
    sheet = _Sheet(book, "final", columns)
    async for first, rows in _grouped(session, query):
        info = infos[first.programme_id]
        answers = _answers(rows)
        sheet.write(
            [
                *info.lead,
                first.display_name,
                book.label(f"export-role-{first.role}"),
                first.completed_at,
                *[cell_value(FINAL_FORM, q, answers.get(q), loc) for q in questions],
            ],
            info.zone,
        )
        await counter.advance()
    sheet.finish()


async def _plans_sheet(
    session: AsyncSession,
    book: _Book,
    ids: list[int],
    infos: dict[int, _ProgrammeInfo],
    multi: bool,
) -> None:
    """The pairs' individual plans (the pair plan form, one row per completed plan)."""
    loc = book.locale
    Mentor = aliased(Participant)
    query = (
        select(
            FormSession.id,
            Pair.programme_id,
            Pair.id.label("pair_id"),
            Mentor.display_name,
            Mentor.status.label("mentor_status"),
            FormSession.completed_at,
            FormAnswer.question_id,
            FormAnswer.value,
        )
        .select_from(FormSession)
        .join(Pair, FormSession.context == literal("pair:").concat(cast(Pair.id, String)))
        .join(Mentor, Mentor.id == Pair.mentor_id)
        .outerjoin(FormAnswer, FormAnswer.session_id == FormSession.id)
        .where(
            Pair.programme_id.in_(ids),
            FormSession.form == PLAN_FORM,
            FormSession.status == "completed",
        )
        .order_by(Pair.programme_id, Pair.id, FormSession.id, FormAnswer.id)
    )
    columns = [
        *_lead(multi, loc),
        _col("pair", loc, 9),
        _col("mentor", loc, 32),
        *[_col(c, loc, _width(c)) for c in _columns(PLAN_ANSWERS)],
        _col("completed-at", loc, 18),
    ]
    sheet = _Sheet(book, "plans", columns)
    async for first, rows in _grouped(session, query):
        info = infos[first.programme_id]
        answers = _answers(rows)
        cells: dict[str, Any] = {}
        for qid, column in PLAN_ANSWERS.items():
            if cells.get(column) is None:
                cells[column] = cell_value(PLAN_FORM, qid, answers.get(qid), loc)
        sheet.write(
            [
                *info.lead,
                first.pair_id,
                first.display_name if first.mentor_status == ParticipantStatus.ACTIVE else None,
                *[cells.get(c) for c in _columns(PLAN_ANSWERS)],
                first.completed_at,
            ],
            info.zone,
        )
    sheet.finish()


async def _checklist_sheet(
    session: AsyncSession,
    book: _Book,
    ids: list[int],
    infos: dict[int, _ProgrammeInfo],
    multi: bool,
) -> None:
    """The stage checklist, from the checklist service when it is there (small on purpose)."""
    loc = book.locale
    columns = [
        *_lead(multi, loc),
        _col("stage", loc, 40),
        _col("item", loc, 60),
        _col("done", loc, 12),
        _col("note", loc, 40),
        _col("marked-by", loc, 26),
        _col("marked-at", loc, 18),
    ]
    sheet = _Sheet(book, "checklist", columns)
    for pid in ids:
        info = infos[pid]
        checklist = await checklist_service.compute_checklist(session, pid)
        for stage in checklist.stages:
            stage_title = f"{stage.number}. {checklist_service.stage_title(stage.number, loc)}"
            for item in stage.items:
                figure = checklist_service.item_figure(item, loc)
                note = "; ".join(p for p in (figure, item.note or "") if p)
                sheet.write(
                    [
                        *info.lead,
                        stage_title,
                        checklist_service.item_title(item.key, loc),
                        bool(item.done),
                        note or None,
                        item.marked_by,
                        item.marked_at,
                    ],
                    info.zone,
                )
    sheet.finish()


async def _cases_sheet(
    session: AsyncSession,
    book: _Book,
    ids: list[int],
    infos: dict[int, _ProgrammeInfo],
    multi: bool,
) -> None:
    """Calls for help and concerns, open and closed (the person's own words stay in the
    bot: the workbook travels further than the curator's chat)."""
    loc = book.locale
    query = (
        select(
            Case.programme_id,
            Case.opened_at,
            Case.kind,
            Case.minor,
            Participant.status,
            Participant.display_name,
            Case.pair_id,
            Case.status,
            Case.answers,
            Case.curator_reminded_at,
            Case.coordinator_alerted_at,
            Case.closed_at,
            Person.full_name,
            Case.closing_note,
        )
        .select_from(Case)
        .join(Participant, Participant.id == Case.participant_id)
        .outerjoin(Person, Person.id == Case.closed_by)
        .where(Case.programme_id.in_(ids))
        .order_by(Case.programme_id, Case.opened_at, Case.id)
    )
    columns = [
        *_lead(multi, loc),
        _col("case-opened", loc, 18),
        _col("case-kind", loc, 22),
        _col("participant", loc, 32),
        _col("case-minor", loc, 12),
        _col("pair", loc, 9),
        _col("case-status", loc, 14),
        _col("case-answers", loc, 12),
        _col("case-curator-again", loc, 18),
        _col("case-coordinator", loc, 18),
        _col("case-closed", loc, 18),
        _col("case-closed-by", loc, 26),
        _col("case-note", loc, 40),
    ]
    sheet = _Sheet(book, "cases", columns)
    async for batch in _batches(session, query):
        for row in batch:
            pid, opened, kind, minor, consent, name, pair_id, status, *rest = row
            info = infos[pid]
            shown = name if consent == ParticipantStatus.ACTIVE else None
            sheet.write(
                [
                    *info.lead,
                    opened,
                    book.label(f"export-case-{kind.replace('_', '-')}"),
                    shown,
                    bool(minor),
                    pair_id,
                    book.label(f"export-case-{status}"),
                    *rest,
                ],
                info.zone,
            )
    sheet.finish()


async def _audit_sheet(
    session: AsyncSession,
    book: _Book,
    ids: list[int],
    infos: dict[int, _ProgrammeInfo],
    multi: bool,
    counter: _Progress,
) -> None:
    loc = book.locale
    query = (
        select(
            AuditRecord.programme_id,
            AuditRecord.created_at,
            Person.full_name,
            AuditRecord.action,
            AuditRecord.details,
        )
        .select_from(AuditRecord)
        .outerjoin(Person, Person.id == AuditRecord.actor_person_id)
        .where(AuditRecord.programme_id.in_(ids))
        .order_by(AuditRecord.programme_id, AuditRecord.created_at, AuditRecord.id)
    )
    columns = [
        *_lead(multi, loc),
        _col("date", loc, 18),
        _col("actor", loc, 30),
        _col("action", loc, 24),
        _col("details", loc, 60),
    ]
    sheet = _Sheet(book, "audit", columns)
    async for batch in _batches(session, query):
        for pid, at, actor, action, details in batch:
            info = infos[pid]
            sheet.write([*info.lead, at, actor, *audit_sentence(action, details, loc)], info.zone)
        await counter.advance(len(batch))
    sheet.finish()


def audit_sentence(action: str, details: Any, locale: str) -> tuple[str, str | None]:
    """An audit row in words: what was done, and its details («пара № 12; отмечено: да»).
    Ids are shown as numbers; codes as their labels; nothing raw."""
    key = f"audit-action-{action.replace('_', '-')}"
    title = t(key, locale) if has_text(key, locale) else t("audit-action-other", locale)
    parts = []
    for name, value in (details or {}).items() if isinstance(details, dict) else ():
        text = _detail_value(name, value, locale)
        detail_key = f"audit-detail-{name.replace('_', '-')}"
        if text is not None and has_text(detail_key, locale):
            parts.append(t(detail_key, locale, value=text))
    return title, "; ".join(parts) or None


def _detail_value(name: str, value: Any, locale: str) -> str | None:
    if value is None or isinstance(value, dict):
        return None
    if isinstance(value, bool):
        return t("export-yes" if value else "export-no", locale)
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list):
        return str(len(value))
    if name == "item":
        return checklist_service.item_title(str(value), locale)
    for group in ("alert-mode", "invitation-kind", "case-kind"):
        key = f"audit-{group}-{str(value).replace('_', '-')}"
        if has_text(key, locale):
            return t(key, locale)
    return None  # a code without words is left out rather than shown raw


def export_file_name(programme_id: int | None, now: datetime, locale: str) -> str:
    stem = t("export-file-name", locale)
    scope = "all" if programme_id is None else str(programme_id)
    return f"{stem}-{scope}-{now:%Y-%m-%d}.xlsx"


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except Exception:
        return ZoneInfo("UTC")
