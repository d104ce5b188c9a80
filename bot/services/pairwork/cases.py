"""Cases: a participant's call for help or concern, open until the curator closes it.

A case keeps the person's own words. Opening one tells the curators at once (with the
words, a button to answer the person through the bot and a button to close the case) and
tells the person who will contact them and when. A concern («Мне некомфортно») also pauses
the pair: `pair_paused` is true while it is open, and `PairView.reachable()` then lists
nobody, so no reminder, form or proposal goes between the pair until the curator decides
(resume: the case is closed; or end the pair).

Other signals that need a person's answer open a case too: `open_case(kind=...)` with a
`CaseKind` (help, concern, missed_meeting).

An open case is escalated by the `cases-escalation` job: after `CURATOR_AGAIN_AFTER` the
curators are told again, and `COORDINATOR_AFTER` later the coordinators; each stage once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from sqlalchemy import bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.infra.clock import now
from bot.infra.notify import notify, programme_zone
from bot.services.access import AccessDenied, programme_curator_person_ids, require_programme
from bot.services.buttons import Keyboard
from bot.services.pairwork.cycle import WrongState, button, load_pair, markup
from bot.services.people import participant_locale
from bot.services.privacy import audit
from bot.texts import esc, has_text, shorten, t
from storage.models import (
    Case,
    CaseKind,
    CaseStatus,
    Pair,
    PairMember,
    PairStatus,
    Participant,
    ParticipantStatus,
    Person,
    Programme,
    StaffMember,
    StaffRole,
)
from storage.statements import Statement

CURATOR_AGAIN_AFTER = timedelta(hours=48)
COORDINATOR_AFTER = timedelta(hours=24)  # after the curators were told again
WORDS_WAIT = timedelta(minutes=30)  # a typed message later than this is not the words
WORDS_MAX = 2000
NOTE_MAX = 1000
ANSWER_MAX = 3000
EXCERPT = 600  # words shown in a list line


class CaseNotYours(AccessDenied):
    """The person pressing the button is not the case's participant."""


# ------------------------------------------------------------------ who and what


@dataclass(frozen=True)
class CaseView:
    id: int
    programme_id: int
    kind: str
    minor: bool
    status: str
    person_name: str | None
    pair_names: str | None
    words: str | None
    opened_at: datetime
    closed_at: datetime | None
    closing_note: str | None
    answers: int
    stage: int  # 0 new, 1 curators told again, 2 coordinators told
    pauses_pair: bool

    @property
    def open(self) -> bool:
        return self.status == CaseStatus.OPEN


async def _pair_names(session: AsyncSession, pair_id: int | None) -> str | None:
    if pair_id is None:
        return None
    view = await load_pair(session, pair_id)
    return None if view is None else f"{view.mentor.name} — {view.mentee_names}"


async def case_view(session: AsyncSession, case: Case) -> CaseView:
    participant = await session.get(Participant, case.participant_id)
    stage = 2 if case.coordinator_alerted_at else 1 if case.curator_reminded_at else 0
    return CaseView(
        id=case.id,
        programme_id=case.programme_id,
        kind=case.kind,
        minor=case.minor,
        status=case.status,
        person_name=participant.display_name if participant is not None else None,
        pair_names=await _pair_names(session, case.pair_id),
        words=case.words,
        opened_at=case.opened_at,
        closed_at=case.closed_at,
        closing_note=case.closing_note,
        answers=case.answers or 0,
        stage=stage,
        pauses_pair=case.pauses_pair,
    )


def _when(moment: datetime, programme: Programme | None, zone: tzinfo | None = None) -> str:
    return moment.astimezone(zone or programme_zone(programme)).strftime("%d.%m %H:%M")


def case_line(
    view: CaseView,
    locale: str,
    programme: Programme | None = None,
    *,
    words_shown: bool = True,
    zone: tzinfo | None = None,
) -> str:
    """One case for a list: mark, kind, who, the words (shortened; not in reports that
    may be shown to others), since when, how it was closed."""
    words = view.words or ""
    words = shorten(words, EXCERPT + 1)
    text = t(
        f"cases-line-{view.kind.replace('_', '-')}",
        locale,
        person=esc(view.person_name or t("cases-someone", locale)),
        pair=esc(view.pair_names or "—"),
        when=_when(view.opened_at, programme, zone),
    )
    if view.minor:
        text = t("cases-minor-mark", locale) + " " + text
    if words_shown:
        text += "\n" + (
            t("cases-words", locale, words=esc(words)) if words else t("cases-no-words", locale)
        )
    if view.open:
        if view.answers:
            text += "\n" + t("cases-answered", locale, count=view.answers)
        if view.stage:
            text += "\n" + t(f"cases-stage-{view.stage}", locale)
    else:
        closed = view.closed_at or view.opened_at
        text += "\n" + t(
            "cases-closed-line",
            locale,
            when=_when(closed, programme, zone),
            note=esc(view.closing_note or "—"),
        )
    return text


def curator_buttons(view: CaseView, locale: str) -> Keyboard:
    """«✉️ Ответить» and «✅ Закрыть» (for a concern: resume the pair or end it)."""
    rows = [[button(t("cases-btn-answer", locale), "cans", view.id)]]
    if view.kind == CaseKind.CONCERN and view.pauses_pair:
        rows.append([button(t("cases-btn-resume", locale), "ccl", view.id)])
        rows.append([button(t("cases-btn-end-pair", locale), "cend", view.id)])
    else:
        rows.append([button(t("cases-btn-close", locale), "ccl", view.id)])
    rows.append([button(t("pairs-btn-alerts", locale), "alist", view.programme_id)])
    return markup(*rows)


async def curators(session: AsyncSession, programme_id: int) -> list[Person]:
    people = [
        await session.get(Person, pid)
        for pid in await programme_curator_person_ids(session, programme_id)
    ]
    return [p for p in people if p is not None]


async def curator_name(session: AsyncSession, programme_id: int, locale: str) -> str:
    found = await curators(session, programme_id)
    if found and found[0].full_name:
        return found[0].full_name
    return t("cases-curator-noname", locale)


# ------------------------------------------------------------------ opening


async def open_case(
    session: AsyncSession,
    *,
    programme_id: int,
    participant_id: int,
    kind: str,
    pair_id: int | None = None,
    words: str | None = None,
    ask_words: bool = False,
    tell_person: bool = True,
) -> Case:
    """Open a case (or add to the same open one) and tell the curators and the person.

    `words` are the person's own words (may be None); `ask_words`: the person is asked
    to describe what happened and their next typed message becomes the words;
    `tell_person=False` when the caller tells the person itself.
    """
    participant = await session.get(Participant, participant_id)
    programme = await session.get(Programme, programme_id)
    if participant is None or programme is None:
        raise WrongState("missing")
    words = (words or "").strip()[:WORDS_MAX] or None
    case = await session.scalar(
        select(Case).where(
            Case.programme_id == programme_id,
            Case.participant_id == participant_id,
            Case.kind == kind,
            Case.status == CaseStatus.OPEN,
            Case.pair_id.is_(None) if pair_id is None else Case.pair_id == pair_id,
        )
    )
    moment = now()
    fresh = case is None
    if case is None:
        case = Case(
            programme_id=programme_id,
            participant_id=participant_id,
            pair_id=pair_id,
            kind=kind,
            words=words,
            minor=bool(participant.is_minor),
            pauses_pair=kind == CaseKind.CONCERN and pair_id is not None,
            status=CaseStatus.OPEN,
            opened_at=moment,
            answers=0,
        )
        session.add(case)
    elif words:
        case.words = f"{case.words}\n\n{words}" if case.words else words
    case.words_asked_at = moment if ask_words and not words else None
    await session.flush()
    await audit.record(
        session,
        programme_id=programme_id,
        actor_id=participant.person_id,
        action="case_open" if fresh else "case_more",
        case=case.id,
        kind=kind,
    )
    await tell_curators(session, case, stamp="open" if fresh else f"more:{moment:%Y%m%d%H%M%S}")
    if tell_person and kind != CaseKind.CONCERN:  # a concern is answered in its own chat
        await tell_person_opened(session, case)
    return case


async def report_missed_meeting(
    session: AsyncSession, pair_id: int, participant_id: int, *, when: str
) -> Case | None:
    """A mentee answered «Встречи не было» to a meeting the mentor logged (`when`: its
    local time as shown): not a confirmation but a case for the curator (one open case per
    person and pair; a second report joins it). The caller tells the person."""
    pair = await session.get(Pair, pair_id)
    if pair is None:
        return None
    return await open_case(
        session,
        programme_id=pair.programme_id,
        participant_id=participant_id,
        kind=CaseKind.MISSED_MEETING,
        pair_id=pair_id,
        words=t("cases-missed-meeting-words", "ru", when=when),
        tell_person=False,
    )


async def tell_curators(session: AsyncSession, case: Case, *, stamp: str) -> int:
    """The case as it is now, with its buttons, to every curator of the programme."""
    programme = await session.get(Programme, case.programme_id)
    view = await case_view(session, case)
    urgent = case.minor and case.kind == CaseKind.CONCERN
    queued = 0
    for curator in await curators(session, case.programme_id):
        locale = curator.locale or "ru"
        text = t("cases-alert-title", locale, programme=esc(programme.name if programme else ""))
        text += "\n\n" + case_line(view, locale, programme)
        if case.pauses_pair and view.open:
            text += "\n\n" + t("cases-pair-paused", locale)
        if await notify(
            session,
            person=curator,
            key=f"case:{case.id}:{stamp}:{curator.id}",
            text=text,
            programme=programme,
            reply_markup=curator_buttons(view, locale),
            kind="alert",
            urgent=urgent,
        ):
            queued += 1
    return queued


async def _participant_person(session: AsyncSession, case: Case) -> Person | None:
    participant = await session.get(Participant, case.participant_id)
    if participant is None or participant.person_id is None:
        return None
    if participant.status == ParticipantStatus.WITHDRAWN:
        return None
    return await session.get(Person, participant.person_id)


async def _person_locale(session: AsyncSession, case: Case, person: Person) -> str:
    """The locale of the person a case is about, with a child's register for a child."""
    return participant_locale(person, await session.get(Participant, case.participant_id))


async def opened_text(session: AsyncSession, case: Case, locale: str) -> str:
    """What the person is told at once: who will contact them and when."""
    name = esc(await curator_name(session, case.programme_id, locale))
    key = f"cases-opened-{case.kind.replace('_', '-')}"
    text = t(key if has_text(key, locale) else "cases-opened", locale, curator=name)
    if case.words_asked_at is not None:
        text += "\n\n" + t("cases-ask-words", locale)
    return text


async def tell_person_opened(session: AsyncSession, case: Case) -> bool:
    person = await _participant_person(session, case)
    if person is None:
        return False
    programme = await session.get(Programme, case.programme_id)
    return await notify(
        session,
        person=person,
        key=f"case-opened:{case.id}:{case.words_asked_at is not None}",
        text=await opened_text(session, case, await _person_locale(session, case, person)),
        programme=programme,
        kind="case",
        urgent=True,  # the answer to what the person has just done
    )


_WAITING_FOR_WORDS = Statement(
    select(Case.id)
    .join(Participant, Participant.id == Case.participant_id)
    .where(
        Participant.person_id == bindparam("person_id"),
        Case.status == CaseStatus.OPEN,
        Case.words_asked_at.is_not(None),
        Case.words_asked_at >= bindparam("since"),
    )
    .order_by(Case.id.desc())
    .limit(1)
)


async def add_words(session: AsyncSession, person_id: int, text: str) -> Case | None:
    """The words the person was asked for: kept on the case and sent to the curators.

    None when no case of this person waits for words (then the message is not for us).
    """
    moment = now()
    # Asked for every text a person types: a plain read of the id (none, nearly always).
    found = await _WAITING_FOR_WORDS.scalar(
        session, {"person_id": person_id, "since": moment - WORDS_WAIT}
    )
    case = None if found is None else await session.get(Case, found)
    if case is None:
        return None
    words = text.strip()[:WORDS_MAX]
    case.words = f"{case.words}\n\n{words}" if case.words else words
    case.words_asked_at = None
    await session.flush()
    await tell_curators(session, case, stamp=f"words:{moment:%Y%m%d%H%M%S}")
    return case


# ------------------------------------------------------------------ «Мне некомфортно»


@dataclass(frozen=True)
class ConcernTarget:
    participant_id: int
    programme_id: int
    pair_id: int | None


async def concern_targets(session: AsyncSession, person_id: int) -> list[ConcernTarget]:
    """Where the person can report a concern: each active participation, with its pair."""
    participants = (
        await session.scalars(
            select(Participant)
            .where(
                Participant.person_id == person_id,
                Participant.status == ParticipantStatus.ACTIVE,
            )
            .order_by(Participant.id)
        )
    ).all()
    return [
        ConcernTarget(p.id, p.programme_id, await _pair_of(session, p.id)) for p in participants
    ]


async def _pair_of(session: AsyncSession, participant_id: int) -> int | None:
    as_mentee = select(PairMember.pair_id).where(PairMember.mentee_id == participant_id)
    return await session.scalar(
        select(Pair.id)
        .where(
            Pair.status == PairStatus.CONFIRMED,
            (Pair.mentor_id == participant_id) | Pair.id.in_(as_mentee),
        )
        .order_by(Pair.id.desc())
        .limit(1)
    )


async def concern_target(
    session: AsyncSession, person_id: int, participant_id: int
) -> ConcernTarget:
    """The participation behind a «Мне некомфортно» button, if it is the presser's own."""
    for target in await concern_targets(session, person_id):
        if target.participant_id == participant_id:
            return target
    raise CaseNotYours(participant_id)


async def report_concern(
    session: AsyncSession, person_id: int, participant_id: int, words: str | None
) -> Case:
    """«😟 Мне некомфортно»: a private case; the pair pauses until the curator decides."""
    target = await concern_target(session, person_id, participant_id)
    return await open_case(
        session,
        programme_id=target.programme_id,
        participant_id=target.participant_id,
        kind=CaseKind.CONCERN,
        pair_id=target.pair_id,
        words=words,
    )


async def pair_paused(session: AsyncSession, pair_id: int) -> bool:
    """Is an open concern holding this pair's proactive messages?"""
    found = await session.scalar(
        select(Case.id).where(
            Case.pair_id == pair_id,
            Case.status == CaseStatus.OPEN,
            Case.pauses_pair.is_(True),
        )
    )
    return found is not None


# ------------------------------------------------------------------ the curator's actions


async def _case_for_curator(session: AsyncSession, actor: Person, case_id: int) -> Case:
    case = await session.get(Case, case_id)
    if case is None:
        raise AccessDenied(case_id)
    await require_programme(session, actor.id, case.programme_id)
    return case


async def case_for_curator(session: AsyncSession, actor: Person, case_id: int) -> CaseView:
    return await case_view(session, await _case_for_curator(session, actor, case_id))


async def answer_case(session: AsyncSession, actor: Person, case_id: int, text: str) -> CaseView:
    """The curator's answer goes to the case's participant, through the outbox."""
    case = await _case_for_curator(session, actor, case_id)
    if case.status != CaseStatus.OPEN:
        raise WrongState(case.status)
    body = text.strip()[:ANSWER_MAX]
    if not body:
        raise WrongState("empty")
    person = await _participant_person(session, case)
    if person is None:
        raise WrongState("unreachable")
    programme = await session.get(Programme, case.programme_id)
    locale = await _person_locale(session, case, person)
    case.answers = (case.answers or 0) + 1
    case.answered_at = now()
    await notify(
        session,
        person=person,
        key=f"case-answer:{case.id}:{case.answers}",
        text=t(
            "cases-answer-to-person",
            locale,
            curator=esc(actor.full_name or t("cases-curator-noname", locale)),
            text=esc(body),
        ),
        programme=programme,
        reply_markup=markup([button(t("cases-btn-reply", locale), "crep", case.id)]),
        kind="case",
        by_curator=True,
    )
    await audit.record(
        session,
        programme_id=case.programme_id,
        actor_id=actor.id,
        action="case_answer",
        case=case.id,
    )
    return await case_view(session, case)


async def reply_to_curator(session: AsyncSession, person_id: int, case_id: int, text: str) -> Case:
    """The person answers the curator back: the words join the case, the curators see them."""
    case = await session.get(Case, case_id)
    participant = await session.get(Participant, case.participant_id) if case else None
    if case is None or participant is None or participant.person_id != person_id:
        raise CaseNotYours(case_id)
    if case.status != CaseStatus.OPEN:
        raise WrongState(case.status)
    words = text.strip()[:WORDS_MAX]
    if not words:
        raise WrongState("empty")
    case.words = f"{case.words}\n\n{words}" if case.words else words
    await session.flush()
    await tell_curators(session, case, stamp=f"reply:{now():%Y%m%d%H%M%S}")
    return case


async def own_open_case(session: AsyncSession, person_id: int, case_id: int) -> Case:
    """The open case behind a person's «Ответить куратору» button, if it is theirs."""
    case = await session.get(Case, case_id)
    participant = await session.get(Participant, case.participant_id) if case else None
    if case is None or participant is None or participant.person_id != person_id:
        raise CaseNotYours(case_id)
    if case.status != CaseStatus.OPEN:
        raise WrongState(case.status)
    return case


async def close_case(
    session: AsyncSession, actor: Person, case_id: int, note: str | None = None
) -> CaseView:
    """Close with a note; a paused pair resumes. The person is told the case is closed."""
    case = await _case_for_curator(session, actor, case_id)
    if case.status != CaseStatus.OPEN:
        raise WrongState(case.status)
    case.status = CaseStatus.CLOSED
    case.closed_at = now()
    case.closed_by = actor.id
    case.closing_note = (note or "").strip()[:NOTE_MAX] or None
    case.words_asked_at = None
    await session.flush()
    await audit.record(
        session,
        programme_id=case.programme_id,
        actor_id=actor.id,
        action="case_close",
        case=case.id,
        kind=case.kind,
    )
    person = await _participant_person(session, case)
    if person is not None:
        programme = await session.get(Programme, case.programme_id)
        await notify(
            session,
            person=person,
            key=f"case-closed:{case.id}",
            text=t("cases-closed-to-person", await _person_locale(session, case, person)),
            programme=programme,
            kind="case",
            by_curator=True,
        )
    return await case_view(session, case)


async def end_pair_for_case(session: AsyncSession, actor: Person, case_id: int) -> CaseView:
    """The curator ends the pair the concern is about, and closes the case."""
    from bot.services.matching import review as pairs

    case = await _case_for_curator(session, actor, case_id)
    if case.status != CaseStatus.OPEN or case.pair_id is None:
        raise WrongState(case.status)
    await pairs.unpair(session, actor, case.pair_id)
    return await close_case(session, actor, case_id, t("cases-note-pair-ended", actor.locale))


# ------------------------------------------------------------------ lists and figures


@dataclass(frozen=True)
class CaseSummary:
    open: list[CaseView]  # minors first, then oldest first
    closed: list[CaseView]  # newest first
    open_total: int
    closed_total: int


async def case_summary(session: AsyncSession, programme_id: int, *, limit: int = 20) -> CaseSummary:
    """Open and closed cases of a programme (no access check: callers check)."""
    open_rows = (
        await session.scalars(
            select(Case)
            .where(Case.programme_id == programme_id, Case.status == CaseStatus.OPEN)
            .order_by(Case.minor.desc(), Case.opened_at, Case.id)
            .limit(limit)
        )
    ).all()
    closed_rows = (
        await session.scalars(
            select(Case)
            .where(Case.programme_id == programme_id, Case.status == CaseStatus.CLOSED)
            .order_by(Case.closed_at.desc(), Case.id.desc())
            .limit(limit)
        )
    ).all()
    counts = dict(
        (
            await session.execute(
                select(Case.status, func.count())
                .where(Case.programme_id == programme_id)
                .group_by(Case.status)
            )
        ).all()
    )
    return CaseSummary(
        open=[await case_view(session, c) for c in open_rows],
        closed=[await case_view(session, c) for c in closed_rows],
        open_total=int(counts.get(CaseStatus.OPEN, 0)),
        closed_total=int(counts.get(CaseStatus.CLOSED, 0)),
    )


async def open_case_count(session: AsyncSession, programme_id: int) -> int:
    found = await session.scalar(
        select(func.count())
        .select_from(Case)
        .where(Case.programme_id == programme_id, Case.status == CaseStatus.OPEN)
    )
    return int(found or 0)


async def open_cases_for(session: AsyncSession, actor: Person, programme_id: int) -> CaseSummary:
    await require_programme(session, actor.id, programme_id)
    return await case_summary(session, programme_id)


# ------------------------------------------------------------------ escalation (the job)


async def _coordinators(session: AsyncSession) -> list[Person]:
    ids = (
        await session.scalars(
            select(StaffMember.person_id)
            .where(StaffMember.role == StaffRole.COORDINATOR)
            .distinct()
        )
    ).all()
    people = [await session.get(Person, pid) for pid in sorted(ids)]
    return [p for p in people if p is not None]


async def escalate_cases(session: AsyncSession) -> int:
    """Open cases past 48 h: the curators again; 24 h after that, the coordinators.

    Each stage is marked on the case, and the outbox keys are per stage: a rerun
    (or two replicas) sends nothing twice.
    """
    moment = now()
    queued = 0
    stale = (
        await session.scalars(
            select(Case)
            .where(
                Case.status == CaseStatus.OPEN,
                Case.curator_reminded_at.is_(None),
                Case.opened_at <= moment - CURATOR_AGAIN_AFTER,
            )
            .order_by(Case.id)
        )
    ).all()
    for case in stale:
        case.curator_reminded_at = moment
        queued += await tell_curators(session, case, stamp="again")
    staler = (
        await session.scalars(
            select(Case)
            .where(
                Case.status == CaseStatus.OPEN,
                Case.coordinator_alerted_at.is_(None),
                Case.curator_reminded_at.is_not(None),
                Case.curator_reminded_at <= moment - COORDINATOR_AFTER,
            )
            .order_by(Case.id)
        )
    ).all()
    for case in staler:
        case.coordinator_alerted_at = moment
        queued += await _tell_coordinators(session, case)
    await session.flush()
    return queued


async def _tell_coordinators(session: AsyncSession, case: Case) -> int:
    programme = await session.get(Programme, case.programme_id)
    view = await case_view(session, case)
    queued = 0
    for coordinator in await _coordinators(session):
        locale = coordinator.locale or "ru"
        text = t(
            "cases-coordinator-title",
            locale,
            programme=esc(programme.name if programme else ""),
            curator=esc(await curator_name(session, case.programme_id, locale)),
        )
        text += "\n\n" + case_line(view, locale, programme)
        if await notify(
            session,
            person=coordinator,
            key=f"case:{case.id}:coordinator:{coordinator.id}",
            text=text,
            programme=programme,
            reply_markup=curator_buttons(view, locale),
            kind="alert",
        ):
            queued += 1
    return queued
