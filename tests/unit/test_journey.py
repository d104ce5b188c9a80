"""Journey services: enrolment outcomes, consent (own, parent, paper), forgetting in pairs."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.infra.clock import TestClock
from bot.services.access import AccessDenied
from bot.services.enrolment import consent
from bot.services.enrolment import joining as enrolment
from bot.services.enrolment.invitations import create_invitation
from bot.services.privacy import forget
from storage.db import Database
from storage.models import (
    AuditRecord,
    Consent,
    CuratorNews,
    OutboxMessage,
    Pair,
    PairMember,
    Participant,
    Person,
    Withdrawal,
)
from tests.support.factories import (
    make_curator,
    make_pair,
    make_participant,
    make_person,
    make_programme,
)


async def test_enrolment_outcomes(db: Database, clock: TestClock) -> None:
    test_clock = clock
    async with db.session() as s:
        programme = await make_programme(s)
        person = await make_person(s)
        other = await make_person(s)
        limited = await create_invitation(s, kind="mentee", programme_id=programme.id, max_uses=1)
        expiring = await create_invitation(
            s,
            kind="mentor",
            programme_id=programme.id,
            expires_at=test_clock.now() + timedelta(hours=1),
        )
        staff = await create_invitation(
            s, kind="curator", organisation_id=programme.organisation_id
        )

        first = await enrol_outcome(s, person, limited.code)
        assert first.outcome == enrolment.ENROLLED and first.participant is not None
        assert first.participant.status == "consent_pending"
        # The same link again continues, even though it is used up now.
        assert (await enrol_outcome(s, person, limited.code)).outcome == enrolment.CONTINUED
        assert (await enrol_outcome(s, other, limited.code)).problem == "used_up"
        # The other role in the same programme is not taken on.
        assert (await enrol_outcome(s, person, expiring.code)).outcome == enrolment.OTHER_ROLE
        test_clock.advance(hours=2)
        assert (await enrol_outcome(s, other, expiring.code)).problem == "expired"
        assert (await enrol_outcome(s, other, "garbage")).problem == "unknown"

        seen: list[int] = []

        async def handler(_s: Any, who: Person, invitation: Any) -> str:
            seen.append(invitation.id)
            return "staff!"

        assert (await enrol_outcome(s, other, staff.code)).staff_text is None
        enrolment.set_staff_invitation_handler(handler)
        try:
            result = await enrol_outcome(s, other, staff.code)
        finally:
            enrolment.set_staff_invitation_handler(None)
        assert (result.outcome, result.staff_text, seen) == (enrolment.STAFF, "staff!", [staff.id])
        count = len((await s.scalars(select(Participant))).all())
        assert count == 1


async def enrol_outcome(s: Any, person: Person, code: str) -> enrolment.Enrolment:
    return await enrolment.enrol(s, person, code)


async def test_minor_consent_parent_and_paper(db: Database) -> None:
    async with db.session() as s:
        programme = await make_programme(s)
        curator = await make_curator(s, programme)
        stranger = await make_person(s)
        child = await make_participant(s, programme, "mentee", active=False, age=14)
        twin = await make_participant(s, programme, "mentee", active=False, age=15)
        assert child.person_id is not None and twin.person_id is not None

        with pytest.raises(consent.ConsentRefused):
            await consent.agree(s, stranger.id, child.id)  # not theirs
        result = await consent.agree(s, child.person_id, child.id)
        assert result.parent_code is not None and child.status == "parent_pending"
        request = await consent.parent_request(s, result.parent_code)
        assert request is not None and request.participant.id == child.id
        child_person = await s.get(Person, child.person_id)
        assert child_person is not None
        with pytest.raises(consent.ConsentRefused):  # the child cannot be the parent
            await consent.parent_decide(
                s, child_person, result.parent_code, request.link_id, agreed=True
            )
        parent = await make_person(s)
        with pytest.raises(consent.ConsentRefused):  # the id alone grants nothing
            await consent.parent_decide(s, parent, "guess", request.link_id, agreed=True)
        await consent.parent_decide(s, parent, result.parent_code, request.link_id, agreed=True)
        assert child.status == "active" and child.consent_completed_at is not None
        assert await consent.parent_request(s, result.parent_code) is None  # used
        # A curator is told about the wait and the decision, in the day's digest.
        news = {
            (n.person_id, n.text_key, n.participant_id)
            for n in await s.scalars(select(CuratorNews))
        }
        assert news == {
            (curator.id, "digest-line-parent-wait", child.id),
            (curator.id, "digest-line-parent-agreed", child.id),
        }

        await consent.agree(s, twin.person_id, twin.id)
        with pytest.raises(AccessDenied):
            await consent.mark_paper_consent(s, stranger.id, twin.id)
        await consent.mark_paper_consent(s, curator.id, twin.id)
        assert twin.status == "active"
        with pytest.raises(consent.ConsentRefused):
            await consent.mark_paper_consent(s, curator.id, twin.id)  # not waiting any more
        kinds = sorted(
            c.kind
            for c in await s.scalars(select(Consent).where(Consent.participant_id == twin.id))
        )
        assert kinds == ["paper", "self"]
        versions = {c.text_version for c in await s.scalars(select(Consent))}
        assert versions == {consent.CONSENT_VERSION}  # every decision carries the version
        audit = await s.scalar(select(AuditRecord).where(AuditRecord.action == "paper_consent"))
        assert audit is not None and audit.actor_person_id == curator.id


async def test_forget_mentor_ends_pair_and_tells_partner(db: Database) -> None:
    async with db.session() as s:
        programme = await make_programme(s)
        await make_curator(s, programme)
        mentor = await make_participant(s, programme, "mentor", name="Иван Секретов")
        mentee = await make_participant(s, programme, "mentee", name="Маша")
        pair = await make_pair(s, programme, mentor, [mentee])
        person = await s.get(Person, mentor.person_id)
        assert person is not None
        result = await forget.forget_person(s, person)
        assert result.pairs_ended == [pair.id]
    async with db.read() as s:
        ended = await s.get(Pair, pair.id)
        assert ended is not None and ended.status == "ended"
        gone = await s.get(Participant, mentor.id)
        assert gone is not None and gone.person_id is None and gone.display_name is None
        assert gone.status == "withdrawn"
        assert (await s.scalars(select(Withdrawal))).all() != []
        texts = [m.payload["text"] for m in await s.scalars(select(OutboxMessage))]
        assert texts and all("Секретов" not in x for x in texts)
        assert any("отозвал согласие" in x for x in texts)
        assert (await s.scalars(select(PairMember))).all() != []  # the mentee stays listed


def test_a_parents_name_needs_two_letters_and_a_relation_is_one_of_four() -> None:
    from bot.services.enrolment import parents

    assert parents.parse_name("  Петрова   Анна  Ивановна ") == "Петрова Анна Ивановна"
    for bad in ("", "  ", "12", "А", "—" * 10, "Я" * 301):
        with pytest.raises(parents.InvalidParentName):
            parents.parse_name(bad)
    assert parents.RELATIONS == ("mother", "father", "guardian", "other")
    with pytest.raises(consent.ConsentRefused):
        parents.parse_relation("neighbour")


async def test_the_age_claim_comes_with_the_agreement_and_never_skips_a_parent(
    db: Database,
) -> None:
    """Before consent only the name is known: «мне ещё нет 18» asks a parent, «мне уже
    есть 18» does not; a child known to be a minor (a parent declined) who later presses
    «мне уже есть 18» is still sent to the parent, never made active."""
    async with db.session() as s:
        programme = await make_programme(s)
        adult = await make_participant(s, programme, "mentor", active=False, age=30)
        child = await make_participant(s, programme, "mentee", active=False, age=14)
        for p in (adult, child):
            p.age, p.is_minor = None, False  # as the bot has them now: the name only
        assert adult.person_id is not None and child.person_id is not None

        result = await consent.agree(s, adult.person_id, adult.id, minor=False)
        assert adult.status == "active" and result.parent_code is None
        result = await consent.agree(s, child.person_id, child.id, minor=True)
        assert child.status == "parent_pending" and result.parent_code is not None

        child.status = "declined_consent"  # the parent declined
        s.add(
            Consent(
                participant_id=child.id,
                kind="parent",
                decision="declined",
                text_version=consent.CONSENT_VERSION,
            )
        )
        await s.flush()
        result = await consent.agree(s, child.person_id, child.id, minor=False)
        assert child.status == "parent_pending" and child.is_minor
        assert result.parent_code is not None
