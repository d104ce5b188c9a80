"""The preference round: who may pick whom, the ranked picks, the progress, open and close.

A participant's answer is kept as `Preference` rows (rank 1 = first choice) and a
`FormSession(form="preferences", context="round:<id>")` whose status says whether they
pressed «Готово» (and whose version makes old picker messages stale).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.infra.clock import now
from bot.infra.notify import notify, person_locale
from bot.infra.once import add_once
from bot.services.access import require_programme
from bot.services.buttons import PickerButton, keyboard
from bot.services.community.group_meeting import attended_ids, eligible_participants, latest_meeting
from bot.services.enrolment.registry import NotAllowedNow, NotInProgramme
from bot.services.privacy import audit
from bot.texts import esc, t
from storage.models import (
    FormSession,
    FormStatus,
    Participant,
    Person,
    Preference,
    PreferenceRound,
    Programme,
    Role,
)

FORM = "preferences"
MENTEE_LIMIT = 3
MENTOR_EXTRA = 2
PAGE_SIZE = 8


def context(round_id: int) -> str:
    return f"round:{round_id}"


async def open_round_of(session: AsyncSession, programme_id: int) -> PreferenceRound | None:
    return await session.scalar(
        select(PreferenceRound)
        .where(PreferenceRound.programme_id == programme_id, PreferenceRound.closed_at.is_(None))
        .order_by(PreferenceRound.id.desc())
        .limit(1)
    )


async def latest_round(session: AsyncSession, programme_id: int) -> PreferenceRound | None:
    return await session.scalar(
        select(PreferenceRound)
        .where(PreferenceRound.programme_id == programme_id)
        .order_by(PreferenceRound.id.desc())
        .limit(1)
    )


async def audience(session: AsyncSession, programme_id: int) -> list[Participant]:
    """Those who came to the group meeting, or all eligible if attendance was not recorded."""
    people = await eligible_participants(session, programme_id)
    meeting = await latest_meeting(session, programme_id)
    if meeting is not None and meeting.attendance_recorded:
        came = await attended_ids(session, meeting.id)
        people = [p for p in people if p.id in came]
    return people


def limit_for(participant: Participant) -> int:
    if participant.role == Role.MENTEE:
        return MENTEE_LIMIT
    return max(1, participant.capacity) + MENTOR_EXTRA


@dataclass(frozen=True)
class RoundProgress:
    round: PreferenceRound | None
    mentees_total: int
    mentees_done: int
    mentors_total: int
    mentors_done: int


async def progress(session: AsyncSession, actor: Person, programme_id: int) -> RoundProgress:
    await require_programme(session, actor.id, programme_id)
    current = await latest_round(session, programme_id)
    people = await audience(session, programme_id)
    done: set[int] = set()
    if current is not None:
        done = set(
            await session.scalars(
                select(FormSession.participant_id).where(
                    FormSession.form == FORM,
                    FormSession.context == context(current.id),
                    FormSession.status == FormStatus.COMPLETED,
                )
            )
        )
    mentees = [p for p in people if p.role == Role.MENTEE]
    mentors = [p for p in people if p.role == Role.MENTOR]
    return RoundProgress(
        current,
        len(mentees),
        len([p for p in mentees if p.id in done]),
        len(mentors),
        len([p for p in mentors if p.id in done]),
    )


async def open_round(
    session: AsyncSession, actor: Person, programme_id: int
) -> tuple[PreferenceRound, int]:
    """Open a round and send every participant of it the picker's first message."""
    programme = await require_programme(session, actor.id, programme_id)
    if await open_round_of(session, programme.id) is not None:
        raise NotAllowedNow("prefs-error-already-open")
    people = await audience(session, programme.id)
    roles = {p.role for p in people}
    if Role.MENTEE not in roles or Role.MENTOR not in roles:
        raise NotAllowedNow("prefs-error-nobody")
    number = (
        await session.scalar(
            select(func.max(PreferenceRound.number)).where(
                PreferenceRound.programme_id == programme.id
            )
        )
        or 0
    ) + 1
    round_ = PreferenceRound(
        programme_id=programme.id, number=number, opened_at=now(), opened_by=actor.id
    )
    if not await add_once(session, round_):  # another curator opened it this moment
        raise NotAllowedNow("prefs-error-already-open")
    sent = 0
    for participant in people:
        person = await session.get(Person, participant.person_id)
        if person is None:
            continue
        loc = person_locale(person, participant)
        await notify(
            session,
            person=person,
            key=f"prefs:{round_.id}:{participant.id}",
            text=t(
                f"prefs-notify-open-{participant.role}",
                loc,
                programme=esc(programme.name),
                limit=limit_for(participant),
            ),
            programme=programme,
            reply_markup=keyboard(
                [PickerButton(t("prefs-btn-start", loc), round_.id, participant.id)]
            ),
            by_curator=True,
        )
        sent += 1
    await audit.record(
        session,
        programme_id=programme.id,
        actor_id=actor.id,
        action="preference_round_opened",
        round_id=round_.id,
        sent=sent,
    )
    return round_, sent


async def close_round(session: AsyncSession, actor: Person, programme_id: int) -> PreferenceRound:
    programme = await require_programme(session, actor.id, programme_id)
    round_ = await open_round_of(session, programme.id)
    if round_ is None:
        raise NotAllowedNow("prefs-error-not-open")
    round_.closed_at = now()
    await session.flush()
    await audit.record(
        session,
        programme_id=programme.id,
        actor_id=actor.id,
        action="preference_round_closed",
        round_id=round_.id,
    )
    return round_


# --- the participant's picker ----------------------------------------------------------


@dataclass(frozen=True)
class PickerView:
    round_id: int
    programme: Programme
    chooser: Participant
    chosen: list[Participant]
    candidates: list[Participant]  # not chosen yet, this page
    page: int
    pages: int
    limit: int
    done: bool
    closed: bool
    about: dict[int, str] = field(default_factory=dict)  # candidate id → escaped facts


async def _load(
    session: AsyncSession, person: Person, round_id: int, chooser_id: int
) -> tuple[PreferenceRound, Participant, Programme, list[Participant]]:
    round_ = await session.get(PreferenceRound, round_id)
    chooser = await session.get(Participant, chooser_id)
    if round_ is None or chooser is None or chooser.person_id != person.id:
        raise NotInProgramme(chooser_id)
    if chooser.programme_id != round_.programme_id:
        raise NotInProgramme(chooser_id)
    people = await audience(session, round_.programme_id)
    if chooser.id not in {p.id for p in people}:
        raise NotInProgramme(chooser_id)
    other = Role.MENTOR if chooser.role == Role.MENTEE else Role.MENTEE
    candidates = [p for p in people if p.role == other and p.person_id != person.id]
    programme = await session.get(Programme, round_.programme_id)
    assert programme is not None
    return round_, chooser, programme, candidates


async def _form(session: AsyncSession, round_id: int, chooser_id: int) -> FormSession:
    form = await session.scalar(
        select(FormSession).where(
            FormSession.participant_id == chooser_id,
            FormSession.form == FORM,
            FormSession.context == context(round_id),
        )
    )
    if form is None:
        form = FormSession(
            participant_id=chooser_id,
            form=FORM,
            context=context(round_id),
            status=FormStatus.IN_PROGRESS,
            version=0,
            started_at=now(),
        )
        session.add(form)
        await session.flush()
    return form


async def _chosen_ids(session: AsyncSession, round_id: int, chooser_id: int) -> list[int]:
    rows = await session.scalars(
        select(Preference.target_id)
        .where(Preference.round_id == round_id, Preference.chooser_id == chooser_id)
        .order_by(Preference.rank)
    )
    return list(rows)


async def picker(
    session: AsyncSession, person: Person, round_id: int, chooser_id: int, page: int = 0
) -> PickerView:
    round_, chooser, programme, candidates = await _load(session, person, round_id, chooser_id)
    form = await _form(session, round_id, chooser.id)
    chosen_ids = await _chosen_ids(session, round_id, chooser.id)
    by_id = {p.id: p for p in candidates}
    chosen = [by_id[i] for i in chosen_ids if i in by_id]
    rest = [p for p in candidates if p.id not in set(chosen_ids)]
    pages = max(1, -(-len(rest) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    shown = rest[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    return PickerView(
        round_id,
        programme,
        chooser,
        chosen,
        shown,
        page,
        pages,
        limit_for(chooser),
        form.status == FormStatus.COMPLETED,
        round_.closed_at is not None,
        {p.id: await about(session, p, person_locale(person)) for p in shown},
    )


SHOWN_CODES = 3  # requests or competencies named per candidate


async def about(session: AsyncSession, participant: Participant, locale: str) -> str:
    """What helps to choose someone: class (or age), category, and the requests of a
    mentee or the competencies of a mentor — only the options chosen from the lists,
    never typed text or contacts (docs/contacts.md), as escaped HTML."""
    from bot.services.enrolment.registry import profile_answers
    from bot.services.names import gender_of
    from bot.services.vocabulary import REQUESTS, label

    parts = []
    if participant.grade is not None:
        parts.append(t("prefs-about-grade", locale, grade=participant.grade))
    elif participant.age is not None:
        parts.append(t("prefs-about-age", locale, age=participant.age))
    if participant.category:
        category = label(f"{participant.role}-category", participant.category, locale)
        if participant.role == Role.MENTEE:
            # «школьница» for a girl: the gender from the name (docs/texts.md).
            category = t(
                "prefs-about-mentee-category",
                locale,
                category=participant.category,
                gender=gender_of(participant.display_name).value,
                label=category,
            )
        parts.append(category)
    wanted = ("requests",) if participant.role == Role.MENTEE else ("competencies",)
    codes: list[str] = []
    for question, value in await profile_answers(session, participant.id):
        if question in wanted and isinstance(value, list):
            codes = [c for c in value if isinstance(c, str) and c in REQUESTS]
    if codes:
        names = ", ".join(label("request", c, locale) for c in codes[:SHOWN_CODES])
        parts.append(t(f"prefs-about-{participant.role}", locale, list=names))
    return esc(" · ".join(parts))


async def _editable(
    session: AsyncSession, person: Person, round_id: int, chooser_id: int
) -> tuple[PreferenceRound, Participant, list[Participant], FormSession]:
    round_, chooser, _programme, candidates = await _load(session, person, round_id, chooser_id)
    if round_.closed_at is not None:
        raise NotAllowedNow("prefs-error-closed")
    form = await _form(session, round_id, chooser.id)
    return round_, chooser, candidates, form


async def pick(
    session: AsyncSession, person: Person, round_id: int, chooser_id: int, target_id: int
) -> PickerView:
    _round, chooser, candidates, form = await _editable(session, person, round_id, chooser_id)
    if form.status == FormStatus.COMPLETED:
        raise NotAllowedNow("prefs-error-done")
    if target_id not in {p.id for p in candidates}:
        raise NotInProgramme(target_id)
    chosen = await _chosen_ids(session, round_id, chooser.id)
    if target_id in chosen:
        raise NotAllowedNow("prefs-error-already-picked")
    if len(chosen) >= limit_for(chooser):
        raise NotAllowedNow("prefs-error-limit")
    session.add(
        Preference(
            round_id=round_id, chooser_id=chooser.id, target_id=target_id, rank=len(chosen) + 1
        )
    )
    form.version += 1
    await session.flush()
    return await picker(session, person, round_id, chooser_id)


async def undo(session: AsyncSession, person: Person, round_id: int, chooser_id: int) -> PickerView:
    _round, chooser, _candidates, form = await _editable(session, person, round_id, chooser_id)
    last = await session.scalar(
        select(func.max(Preference.rank)).where(
            Preference.round_id == round_id, Preference.chooser_id == chooser.id
        )
    )
    if last is not None:
        await session.execute(
            delete(Preference).where(
                Preference.round_id == round_id,
                Preference.chooser_id == chooser.id,
                Preference.rank == last,
            )
        )
    form.status = FormStatus.IN_PROGRESS
    form.version += 1
    await session.flush()
    return await picker(session, person, round_id, chooser_id)


async def finish(
    session: AsyncSession, person: Person, round_id: int, chooser_id: int
) -> PickerView:
    _round, _chooser, _candidates, form = await _editable(session, person, round_id, chooser_id)
    form.status = FormStatus.COMPLETED
    form.completed_at = now()
    form.version += 1
    await session.flush()
    return await picker(session, person, round_id, chooser_id)


async def reopen(
    session: AsyncSession, person: Person, round_id: int, chooser_id: int
) -> PickerView:
    _round, _chooser, _candidates, form = await _editable(session, person, round_id, chooser_id)
    form.status = FormStatus.IN_PROGRESS
    form.version += 1
    await session.flush()
    return await picker(session, person, round_id, chooser_id)


async def round_preferences(session: AsyncSession, round_id: int) -> dict[int, list[int]]:
    """chooser participant id → targets in rank order."""
    rows = await session.execute(
        select(Preference.chooser_id, Preference.target_id)
        .where(Preference.round_id == round_id)
        .order_by(Preference.chooser_id, Preference.rank)
    )
    out: dict[int, list[int]] = {}
    for chooser, target in rows:
        out.setdefault(int(chooser), []).append(int(target))
    return out
