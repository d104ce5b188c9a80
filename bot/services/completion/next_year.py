"""Next year: the long-term mentor base (former mentees who want to mentor, mentors who
will mentor again) invited to a new programme of the same organisation in one step.

Each person gets the new programme's mentor link through the outbox; the link enrols them
like anyone else, so the consent is asked again (a new programme, a new consent).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.infra.notify import notify
from bot.services.access import require_programme
from bot.services.enrolment.invitations import deep_link_to
from bot.services.privacy import audit
from bot.services.programme.programmes import invite_links
from bot.texts import esc, t
from storage.models import (
    InvitationKind,
    Participant,
    ParticipantStatus,
    Person,
    Programme,
)


async def long_term_base(session: AsyncSession, programme: Programme) -> list[Person]:
    """People of the organisation's other programmes in the long-term base, with consent,
    not yet in this programme."""
    already = select(Participant.person_id).where(Participant.programme_id == programme.id)
    rows = await session.scalars(
        select(Person)
        .join(Participant, Participant.person_id == Person.id)
        .join(Programme, Programme.id == Participant.programme_id)
        .where(
            Programme.organisation_id == programme.organisation_id,
            Programme.id != programme.id,
            Participant.in_long_term_base.is_(True),
            Participant.status == ParticipantStatus.ACTIVE,
            Person.id.not_in(already),
        )
        .order_by(Person.id)
        .distinct()
    )
    return list(rows.all())


async def base_size(session: AsyncSession, actor: Person, programme_id: int) -> int:
    programme = await require_programme(session, actor.id, programme_id)
    return len(await long_term_base(session, programme))


async def invite_long_term_base(
    session: AsyncSession, actor: Person, programme_id: int, bot_username: str
) -> int:
    """Send the programme's mentor link to everyone in the long-term base; how many."""
    programme = await require_programme(session, actor.id, programme_id)
    links = await invite_links(session, actor, programme.id)
    code = next(link.code for link in links if link.kind == InvitationKind.MENTOR)
    people = await long_term_base(session, programme)
    for person in people:
        await notify(
            session,
            person=person,
            key=f"next-year:{programme.id}:{person.id}",
            text=t(
                "next-year-invite",
                person.locale,
                programme=esc(programme.name),
                link=deep_link_to(person.tg_id, code, bot_username),
            ),
            programme=programme,
            kind="invitation",
            by_curator=True,
        )
    await audit.record(
        session,
        programme_id=programme.id,
        actor_id=actor.id,
        action="long_term_base_invited",
        invited=len(people),
    )
    return len(people)
