"""A parent's side of a minor's participation: who the parent is, what the consent screen
tells them, the news of the child's mentor, and withdrawing the consent.

A parent is whoever gave a parent's consent for the child in the bot (`Consent` of kind
`parent` with their person id); only that person may withdraw it, and only they hear
about the child's mentor.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.infra.clock import now
from bot.infra.notify import notify, person_locale
from bot.services.access import programme_curator_person_ids
from bot.services.digest import add_news
from bot.services.enrolment.consent import CONSENT_VERSION, ConsentRefused
from bot.services.names import name_args
from bot.services.pairwork.cycle import PairView
from bot.services.privacy import forget
from bot.services.vocabulary import label
from bot.texts import esc, t
from storage.models import (
    Consent,
    ConsentDecision,
    ConsentKind,
    Organisation,
    ParentRelation,
    Participant,
    ParticipantStatus,
    Person,
    Programme,
)

NAME_MAX = 300
RELATIONS = tuple(r.value for r in ParentRelation)


class InvalidParentName(ValueError):
    """Not a name: empty, too long, or without two letters."""


def parse_name(raw: str | None) -> str:
    """The parent's ФИО as typed, checked (at least two letters, at most 300 characters)."""
    value = " ".join((raw or "").split())
    if len(value) > NAME_MAX or sum(ch.isalpha() for ch in value) < 2:
        raise InvalidParentName(value)
    return value


def parse_relation(raw: str) -> str:
    if raw not in RELATIONS:
        raise ConsentRefused(raw)
    return raw


# ------------------------------------------------------------------ the consent screen


@dataclass(frozen=True)
class ProgrammeFacts:
    """What the parent reads about the programme: who runs it and how it goes."""

    organisation: str
    address: str
    curator: str  # name, with @username when the curator has one
    operator: str
    operator_details: str
    days: int


async def curator_contact(session: AsyncSession, programme: Programme, locale: str) -> str:
    """The first curator's name (and Telegram username) for people outside the programme."""
    for person_id in await programme_curator_person_ids(session, programme.id):
        curator = await session.get(Person, person_id)
        if curator is None or not curator.full_name:
            continue
        if curator.username:
            return t(
                "parent-curator-with-username",
                locale,
                name=esc(curator.full_name),
                username=curator.username,
            )
        return esc(curator.full_name)
    return t("journey-curator-unknown", locale)


async def programme_facts(
    session: AsyncSession, programme: Programme, locale: str
) -> ProgrammeFacts:
    organisation = await session.get(Organisation, programme.organisation_id)
    name = organisation.name if organisation is not None else ""
    return ProgrammeFacts(
        organisation=esc(name),
        address=esc((organisation.address if organisation else None) or ""),
        curator=await curator_contact(session, programme, locale),
        operator=esc(programme.operator_name or name),
        operator_details=esc(programme.operator_details or ""),
        days=programme.feedback_cadence_days or 14,
    )


# ------------------------------------------------------------------ after pairing


async def consenting_parents(session: AsyncSession, participant_id: int) -> list[Person]:
    """The people who gave a parent's consent for the participant in the bot."""
    ids = await session.scalars(
        select(Consent.parent_person_id).where(
            Consent.participant_id == participant_id,
            Consent.kind == ConsentKind.PARENT,
            Consent.decision == ConsentDecision.AGREED,
            Consent.parent_person_id.is_not(None),
        )
    )
    people = []
    for person_id in dict.fromkeys(ids):
        person = await session.get(Person, person_id)
        if person is not None:
            people.append(person)
    return people


def mentor_role(mentor: Participant, locale: str) -> str:
    if not mentor.category:
        return t("journey-role-mentor", locale)
    return label("mentor-category", mentor.category, locale)


async def tell_parents_about_pair(session: AsyncSession, view: PairView) -> int:
    """Each minor mentee's parent hears the mentor's name and role and how to reach the
    curator. Returns how many messages were queued."""
    queued = 0
    mentor = view.mentor
    for member in view.mentees:
        child = member.participant
        if not child.is_minor:
            continue
        for parent in await consenting_parents(session, child.id):
            locale = person_locale(parent)
            facts = await programme_facts(session, view.programme, locale)
            text = t(
                "parent-paired",
                locale,
                **name_args("child", member.name),
                programme=esc(view.programme.name),
                mentor=esc(mentor.name),
                role=esc(mentor_role(mentor.participant, locale)),
                curator=facts.curator,
                contacts=facts.operator_details or facts.organisation,
            )
            if await notify(
                session,
                person=parent,
                key=f"parent-paired:{view.pair.id}:{child.id}:{parent.id}",
                text=text,
                programme=view.programme,
                kind="parent",
            ):
                queued += 1
    return queued


# ------------------------------------------------------------------ withdrawal


@dataclass(frozen=True)
class Child:
    participant_id: int
    name: str
    programme: str


async def children_of(session: AsyncSession, parent: Person) -> list[Child]:
    """The participations the person consented to as a parent that still go on."""
    rows = await session.execute(
        select(Participant, Programme)
        .join(Consent, Consent.participant_id == Participant.id)
        .join(Programme, Programme.id == Participant.programme_id)
        .where(
            Consent.kind == ConsentKind.PARENT,
            Consent.decision == ConsentDecision.AGREED,
            Consent.parent_person_id == parent.id,
            Participant.status != ParticipantStatus.WITHDRAWN,
            Participant.person_id.is_not(None),
        )
        .order_by(Participant.id)
    )
    seen: dict[int, Child] = {}
    for participant, programme in rows.tuples():
        seen.setdefault(
            participant.id,
            Child(participant.id, participant.display_name or "", programme.name),
        )
    return list(seen.values())


async def child_of(session: AsyncSession, parent: Person, participant_id: int) -> Child:
    """One of `children_of`; ConsentRefused for anyone else's child (a forged button)."""
    for child in await children_of(session, parent):
        if child.participant_id == participant_id:
            return child
    raise ConsentRefused(participant_id)


async def withdraw(session: AsyncSession, parent: Person, participant_id: int) -> Child:
    """The parent takes the consent back: the child leaves the programme and the child's
    data goes the way of a withdrawn consent (/forget_me); the curators are told.

    Raises ConsentRefused unless `parent` gave this child's parent consent in the bot.
    """
    child = await child_of(session, parent, participant_id)
    participant = await session.get(Participant, participant_id)
    assert participant is not None and participant.person_id is not None
    programme = await session.get(Programme, participant.programme_id)
    assert programme is not None
    session.add(
        Consent(
            participant_id=participant.id,
            kind=ConsentKind.PARENT,
            decision=ConsentDecision.WITHDRAWN,
            text_version=CONSENT_VERSION,
            decided_at=now(),
            parent_person_id=parent.id,
        )
    )
    child_person = await session.get(Person, participant.person_id)
    assert child_person is not None
    await forget.forget_person(session, child_person)
    # Routine news for the daily digest; the child is erased, so it names nobody.
    await add_news(session, programme, f"parent-withdrew:{participant.id}", "digest-line-withdrew")
    return child
