"""The pair work cycle starts here: confirmed pairs, who is in them, and their buttons.

The curator console calls `on_pairs_confirmed` after the curator confirms pairs: every
pair gets its introductions and its feedback schedule. The other pair services load a
pair with `load_pair` and check membership with `PairView.role_of`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.infra.clock import now
from bot.services.buttons import ActionButton, Button, Keyboard, keyboard
from bot.services.pairwork.actions import PairWorkAction
from bot.services.people import participant_locale
from storage.models import (
    Pair,
    PairMember,
    PairStatus,
    Participant,
    ParticipantStatus,
    Person,
    Programme,
    ProgrammeStatus,
)


class NotInPair(Exception):
    """The person is not a member of this pair (or the pair/meeting is gone)."""


class WrongState(Exception):
    """The thing was already done or is no longer possible (a stale button)."""


def button(text: str, action: PairWorkAction | str, target: int, arg: str = "") -> ActionButton:
    """A button of the pair work (plain data; the screen side renders it, see
    bot/keyboards/buttons.py); an action outside `PairWorkAction` is a ValueError."""
    return ActionButton(text, PairWorkAction(action), target, arg)


def markup(*rows: Sequence[Button]) -> Keyboard:
    """The buttons under a message, row by row (empty rows left out)."""
    return keyboard(*rows)


@dataclass
class Member:
    participant: Participant
    person: Person | None

    @property
    def name(self) -> str:
        return (
            self.participant.display_name or (self.person.full_name if self.person else None) or ""
        )

    @property
    def locale(self) -> str:
        """The member's locale, with the child's register for a child (docs/texts.md)."""
        return participant_locale(self.person, self.participant)


@dataclass
class PairView:
    pair: Pair
    programme: Programme
    mentor: Member
    mentees: list[Member] = field(default_factory=list)
    # An open concern («Мне некомфортно») holds every proactive message between the pair.
    paused: bool = False

    @property
    def members(self) -> list[Member]:
        return [self.mentor, *self.mentees]

    def role_of(self, person_id: int) -> str | None:
        if self.mentor.person is not None and self.mentor.person.id == person_id:
            return "mentor"
        if any(m.person is not None and m.person.id == person_id for m in self.mentees):
            return "mentee"
        return None

    def member_of(self, person_id: int) -> Member | None:
        for member in self.members:
            if member.person is not None and member.person.id == person_id:
                return member
        return None

    def reachable(self) -> list[Member]:
        """Members who can still be written to (not withdrawn, with a Telegram account);
        nobody while the pair is paused by an open concern."""
        if self.paused:
            return []
        return [
            m
            for m in self.members
            if m.person is not None and m.participant.status == ParticipantStatus.ACTIVE
        ]

    @property
    def mentee_names(self) -> str:
        return ", ".join(m.name for m in self.mentees)


async def _member(session: AsyncSession, participant_id: int) -> Member:
    participant = await session.get(Participant, participant_id)
    assert participant is not None
    person = (
        await session.get(Person, participant.person_id)
        if participant.person_id is not None
        else None
    )
    return Member(participant, person)


async def load_pair(session: AsyncSession, pair_id: int) -> PairView | None:
    from bot.services.pairwork.cases import pair_paused

    pair = await session.get(Pair, pair_id)
    if pair is None:
        return None
    programme = await session.get(Programme, pair.programme_id)
    assert programme is not None
    mentee_ids = (
        await session.scalars(
            select(PairMember.mentee_id)
            .where(PairMember.pair_id == pair_id)
            .order_by(PairMember.id)
        )
    ).all()
    return PairView(
        pair=pair,
        programme=programme,
        mentor=await _member(session, pair.mentor_id),
        mentees=[await _member(session, mid) for mid in mentee_ids],
        paused=await pair_paused(session, pair_id),
    )


async def pair_for_member(session: AsyncSession, pair_id: int, person_id: int) -> PairView:
    """The confirmed pair if the person is in it; otherwise `NotInPair`."""
    view = await load_pair(session, pair_id)
    if view is None or view.pair.status != PairStatus.CONFIRMED or not view.role_of(person_id):
        raise NotInPair(pair_id)
    return view


async def pairs_of_person(session: AsyncSession, person_id: int) -> list[PairView]:
    """Confirmed pairs where the person is the mentor or a mentee, oldest first."""
    participant_ids = select(Participant.id).where(Participant.person_id == person_id)
    as_mentor = select(Pair.id).where(Pair.mentor_id.in_(participant_ids))
    as_mentee = select(PairMember.pair_id).where(PairMember.mentee_id.in_(participant_ids))
    ids = (
        await session.scalars(
            select(Pair.id)
            .where(
                Pair.status == PairStatus.CONFIRMED,
                Pair.id.in_(as_mentor.union(as_mentee)),
            )
            .order_by(Pair.id)
        )
    ).all()
    views = [await load_pair(session, pid) for pid in ids]
    return [v for v in views if v is not None]


def feedback_start(pair: Pair, programme: Programme) -> datetime:
    base = pair.confirmed_at or now()
    return base + timedelta(days=programme.feedback_cadence_days or 14)


async def on_pairs_confirmed(session: AsyncSession, pair_ids: list[int]) -> None:
    """Start the work of freshly confirmed pairs (ids of `Pair` rows, status confirmed).

    Idempotent: calling it twice for a pair sends nothing twice (the outbox keys) and
    keeps the feedback schedule.
    """
    from bot.services.pairwork.introductions import introduce_pair

    for pair_id in pair_ids:
        view = await load_pair(session, pair_id)
        if view is None or view.pair.status != PairStatus.CONFIRMED:
            continue
        if view.programme.status not in (ProgrammeStatus.ACTIVE, ProgrammeStatus.DRAFT):
            continue
        if view.pair.confirmed_at is None:
            view.pair.confirmed_at = now()
        if view.pair.next_feedback_at is None:
            view.pair.next_feedback_at = feedback_start(view.pair, view.programme)
        await introduce_pair(session, view)
    await session.flush()
