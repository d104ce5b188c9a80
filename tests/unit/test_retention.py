"""Retention rules on the test clock, at the service level (every configured backend)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from bot.infra.clock import now
from bot.services.privacy import retention
from storage.db import Database
from storage.models import Consent, Participant, Person, StaffMember
from tests.support import delivery as support
from tests.support.factories import make_curator, make_participant, make_programme

service_clock = support.service_clock  # the services read this frozen clock


async def test_a_declined_staff_member_keeps_the_role_and_loses_the_participation(
    db: Database, service_clock: object
) -> None:
    async with db.session() as s:
        programme = await make_programme(s)
        curator = await make_curator(s, programme, tg_id=780_001)
        # The curator also tried the mentor's questionnaire and declined the consent.
        declined = await make_participant(
            s, programme, "mentor", name="Куратор-наставник", person=curator, active=False
        )
        declined.status = "declined_consent"
        s.add(
            Consent(
                participant_id=declined.id,
                kind="self",
                decision="declined",
                text_version="test",
                decided_at=now(),
            )
        )
        waiting = await make_participant(s, programme, "mentee", name="Ждущий Родителя", age=12)
        waiting.status = "parent_pending"
        waiting.consent_completed_at = None
        ids = (declined.id, waiting.id, curator.id)
    declined_id, waiting_id, curator_id = ids

    async with db.session() as s:
        early = await retention.sweep(s, now() + timedelta(days=29))
        assert early.programmes == {}
    async with db.session() as s:
        result = await retention.sweep(s, now() + timedelta(days=31))
        (removed,) = result.programmes.values()
        assert removed.counts == {
            "declined": 1,
            "parent_declined": 0,
            "unanswered": 1,
            "expired": 0,
        }
    async with db.session() as s:
        assert await s.get(Person, curator_id) is not None  # still the curator
        assert await s.scalar(select(StaffMember.id).where(StaffMember.person_id == curator_id))
        for pid in (declined_id, waiting_id):
            row = await s.get(Participant, pid)
            assert row is not None
            assert (row.person_id, row.display_name, row.status) == (None, None, "withdrawn")


async def test_a_programme_past_its_end_date_counts_from_the_day_after(
    db: Database, service_clock: object
) -> None:
    """Not finished by the curator, but its end date passed: the year counts from the day
    after the end date."""
    async with db.session() as s:
        programme = await make_programme(s, ends_on=date(2020, 5, 31))
        await make_participant(s, programme, "mentor", name="Давний Наставник", approved=True)
    async with db.session() as s:
        # 2020-06-01 + 365 days = 2021-06-01: the term runs out at that midnight (UTC).
        end = retention.programme_end(programme)
        assert end is not None and end.date() == date(2020, 6, 1)
        kept = await retention.sweep(s, end + timedelta(days=365) - timedelta(seconds=1))
        assert kept.programmes == {}
    async with db.session() as s:
        result = await retention.sweep(s, end + timedelta(days=365))
        assert [r.counts["expired"] for r in result.programmes.values()] == [1]
        assert result.persons_erased == 1
