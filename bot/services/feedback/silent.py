"""Who has not answered: a feedback round's forms and the final survey, and a reminder
for them that the curator asks for.

The list is the curator's preview of the reminder: it names who will get it and how
many. The reminder goes through `notify` as a reminder: the programme's quiet hours
hold, a person gets at most one reminder a day (a second is moved to a free day, as
every reminder), and a person who switched reminders off gets none. Its idempotency
key carries the local date, so pressing «Напомнить» twice in a day queues nothing new.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.infra.clock import now
from bot.infra.notify import notify, programme_zone
from bot.services.access import require_programme
from bot.services.completion.finish import FINAL_FORM, final_context
from bot.services.pairwork.cycle import PairView, WrongState, button, load_pair, markup
from bot.services.privacy import audit
from bot.texts import esc, t
from storage.models import (
    FeedbackRequest,
    FeedbackRound,
    FormSession,
    FormStatus,
    Pair,
    PairStatus,
    Person,
    Programme,
    ProgrammeStatus,
)

FEEDBACK = "feedback"
FINAL = "final"


@dataclass(frozen=True)
class SilentOne:
    participant_id: int
    name: str
    role: str
    person: Person
    locale: str
    request_id: int | None = None  # a feedback round: the form the person owes


@dataclass(frozen=True)
class Silent:
    kind: str  # feedback | final
    target_id: int  # the round, or the programme for the final survey
    programme: Programme
    asked: int  # how many were asked
    people: list[SilentOne]
    number: int = 0  # the round's number


async def silent_in_round(session: AsyncSession, actor: Person, round_id: int) -> Silent:
    """Who of a feedback round has not answered, in pairs still working."""
    fb_round = await session.get(FeedbackRound, round_id)
    if fb_round is None:
        raise WrongState("no-round")
    programme = await require_programme(session, actor.id, fb_round.programme_id)
    requests = (
        await session.scalars(
            select(FeedbackRequest)
            .join(Pair, Pair.id == FeedbackRequest.pair_id)
            .where(FeedbackRequest.round_id == round_id, Pair.status == PairStatus.CONFIRMED)
            .order_by(FeedbackRequest.id)
        )
    ).all()
    people: list[SilentOne] = []
    views: dict[int, PairView | None] = {}
    for request in requests:
        if request.answered_at is not None:
            continue
        if request.pair_id not in views:
            views[request.pair_id] = await load_pair(session, request.pair_id)
        view = views[request.pair_id]
        if view is None:
            continue
        member = next(
            (m for m in view.reachable() if m.participant.id == request.participant_id), None
        )
        if member is None or member.person is None:
            continue
        people.append(
            SilentOne(
                member.participant.id,
                member.name,
                member.participant.role,
                member.person,
                member.locale,
                request.id,
            )
        )
    return Silent(FEEDBACK, round_id, programme, len(requests), people, fb_round.number)


async def silent_in_final(session: AsyncSession, actor: Person, programme_id: int) -> Silent:
    """Who of the confirmed pairs has not completed the final survey (while finishing)."""
    programme = await require_programme(session, actor.id, programme_id)
    if programme.status != ProgrammeStatus.FINISHING:
        raise WrongState(programme.status)
    done = set(
        await session.scalars(
            select(FormSession.participant_id).where(
                FormSession.form == FINAL_FORM,
                FormSession.context == final_context(programme_id),
                FormSession.status == FormStatus.COMPLETED,
            )
        )
    )
    pair_ids = (
        await session.scalars(
            select(Pair.id)
            .where(Pair.programme_id == programme_id, Pair.status == PairStatus.CONFIRMED)
            .order_by(Pair.id)
        )
    ).all()
    seen: set[int] = set()
    people: list[SilentOne] = []
    for pair_id in pair_ids:
        view = await load_pair(session, pair_id)
        if view is None:
            continue
        for member in view.reachable():
            pid = member.participant.id
            if pid in seen or member.person is None:
                continue
            seen.add(pid)
            if pid not in done:
                people.append(
                    SilentOne(
                        pid, member.name, member.participant.role, member.person, member.locale
                    )
                )
    return Silent(FINAL, programme_id, programme, len(seen), people)


async def silent(session: AsyncSession, actor: Person, kind: str, target_id: int) -> Silent:
    if kind == FEEDBACK:
        return await silent_in_round(session, actor, target_id)
    if kind == FINAL:
        return await silent_in_final(session, actor, target_id)
    raise WrongState(kind)


@dataclass(frozen=True)
class Reminded:
    queued: int
    skipped: int  # reminded today already, reminders switched off, or no free day


async def remind_silent(
    session: AsyncSession, actor: Person, kind: str, target_id: int
) -> Reminded:
    """A reminder to each of the silent ones (checked for the presser like the list)."""
    found = await silent(session, actor, kind, target_id)
    day = now().astimezone(programme_zone(found.programme)).date().isoformat()
    queued = 0
    for one in found.people:
        if kind == FEEDBACK:
            text = t("pairs-feedback-remind", one.locale)
            keyboard = markup([button(t("pairs-btn-fill", one.locale), "fb", one.request_id or 0)])
        else:
            text = t("silent-final-remind", one.locale, programme=esc(found.programme.name))
            keyboard = markup([button(t("pairs-btn-fill", one.locale), "fin", one.participant_id)])
        if await notify(
            session,
            person=one.person,
            key=f"silent-remind:{kind}:{target_id}:{one.participant_id}:{day}",
            text=text,
            programme=found.programme,
            reply_markup=keyboard,
            kind=f"{kind}-reminder",
            reminder=True,
        ):
            queued += 1
    await audit.record(
        session,
        programme_id=found.programme.id,
        actor_id=actor.id,
        action="silent_reminded",
        kind=kind,
        target=target_id,
        queued=queued,
        silent=len(found.people),
    )
    return Reminded(queued, len(found.people) - queued)
