"""Retention: personal data is kept only as long as the consent text says.

- A consent declined (by the person or by a parent) or never answered (nor by a parent):
  the participation is erased `unconsented_days` after the last word on it (the decision,
  or joining when nobody ever answered).
- A programme that ended (finished by the curator, or past its end date): the data of
  all its participants is erased `after_programme_days` after the end.
- A person (or a parent) of an erased participation who has nothing left (no other
  participation, no staff role, no other child in a programme): erased entirely
  (`forget_person`).

Both terms come from the settings (`configure`) and are stated in the consent text, so
what the bot does is what the person was told. The erasure itself is the one of
/forget_me (`bot.services.privacy.forget`). The curators of each programme are told how many
were removed, in numbers only; the log has ids and numbers only.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.infra.clock import now
from bot.infra.notify import notify, person_locale
from bot.services.access import programme_curator_person_ids
from bot.services.privacy.forget import erase_participations, forget_person
from bot.texts import esc, t
from storage.models import (
    Consent,
    ConsentKind,
    Participant,
    ParticipantStatus,
    Person,
    Programme,
    ProgrammeCurator,
    ProgrammeStatus,
    StaffMember,
)

log = logging.getLogger(__name__)

DECLINED = "declined"
PARENT_DECLINED = "parent_declined"
UNANSWERED = "unanswered"
EXPIRED = "expired"
REASONS = (DECLINED, PARENT_DECLINED, UNANSWERED, EXPIRED)
UNCONSENTED = (
    ParticipantStatus.CONSENT_PENDING,
    ParticipantStatus.PARENT_PENDING,
    ParticipantStatus.DECLINED_CONSENT,
)


@dataclass(frozen=True)
class Terms:
    unconsented_days: int = 30
    after_programme_days: int = 365


_terms = Terms()


def configure(*, unconsented_days: int, after_programme_days: int) -> None:
    """Set the terms from the settings (BotApp does it at start)."""
    global _terms
    _terms = Terms(unconsented_days, after_programme_days)


def terms() -> Terms:
    return _terms


def term_text(days: int, locale: str | None) -> str:
    """A term as people say it: «1 год», «2 года», «30 дней»."""
    if days % 365 == 0:
        return t("retention-term-years", locale, years=days // 365)
    return t("retention-term-days", locale, days=days)


@dataclass
class Removed:
    """What one sweep removed in one programme (numbers only)."""

    programme_id: int
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(REASONS, 0))

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class Sweep:
    programmes: dict[int, Removed] = field(default_factory=dict)
    persons_erased: int = 0

    def add(self, programme_id: int, reason: str) -> None:
        self.programmes.setdefault(programme_id, Removed(programme_id)).counts[reason] += 1


# ------------------------------------------------------------------ what is due


async def _last_consent(session: AsyncSession, participant_id: int) -> Consent | None:
    return await session.scalar(
        select(Consent)
        .where(Consent.participant_id == participant_id)
        .order_by(Consent.decided_at.desc(), Consent.id.desc())
        .limit(1)
    )


async def unconsented_due(
    session: AsyncSession, moment: datetime, days: int
) -> list[tuple[Participant, str]]:
    """Participations without a complete consent whose short term is over, and why."""
    cutoff = moment - timedelta(days=days)
    rows = await session.scalars(
        select(Participant).where(
            Participant.status.in_(UNCONSENTED), Participant.created_at < cutoff
        )
    )
    due: list[tuple[Participant, str]] = []
    for participant in rows:
        last = await _last_consent(session, participant.id)
        since = last.decided_at if last is not None else participant.created_at
        if since >= cutoff:
            continue
        if participant.status != ParticipantStatus.DECLINED_CONSENT:
            reason = UNANSWERED  # nobody answered, or the parent never did
        elif last is not None and last.kind == ConsentKind.PARENT:
            reason = PARENT_DECLINED
        else:
            reason = DECLINED
        due.append((participant, reason))
    return due


def programme_end(programme: Programme) -> datetime | None:
    """When the programme ended: finished by the curator, else the end of its last day."""
    if programme.status == ProgrammeStatus.FINISHED and programme.finished_at is not None:
        return programme.finished_at
    if programme.ends_on is not None:
        return datetime.combine(programme.ends_on + timedelta(days=1), time(), tzinfo=UTC)
    return None


async def expired_due(session: AsyncSession, moment: datetime, days: int) -> list[Participant]:
    """Participations of programmes whose term after the end is over."""
    due: list[Participant] = []
    for programme in await session.scalars(select(Programme)):
        end = programme_end(programme)
        if end is None or end + timedelta(days=days) > moment:
            continue
        rows = await session.scalars(
            select(Participant).where(
                Participant.programme_id == programme.id,
                (Participant.status != ParticipantStatus.WITHDRAWN)
                | Participant.person_id.is_not(None),
            )
        )
        due.extend(rows)
    return due


async def _keeps_person(session: AsyncSession, person_id: int) -> bool:
    """Something still needs the person: a participation, a staff role, a child."""
    live_child = select(Participant.id).where(
        Participant.id == Consent.participant_id, Participant.status != ParticipantStatus.WITHDRAWN
    )
    checks = (
        exists(select(Participant.id).where(Participant.person_id == person_id)),
        exists(select(StaffMember.id).where(StaffMember.person_id == person_id)),
        exists(select(ProgrammeCurator.id).where(ProgrammeCurator.person_id == person_id)),
        exists(select(Consent.id).where(Consent.parent_person_id == person_id, exists(live_child))),
    )
    for check in checks:
        if await session.scalar(select(check)):
            return True
    return False


async def _erase_left_persons(session: AsyncSession, person_ids: set[int]) -> int:
    """Erase the people of the erased participations (and their parents) who have nothing
    left: no other participation, no staff role, no other child in a programme."""
    erased = 0
    for person_id in sorted(person_ids):
        if await _keeps_person(session, person_id):
            continue
        person = await session.get(Person, person_id)
        if person is None:
            continue
        await forget_person(session, person)
        erased += 1
    return erased


async def _parents_of(session: AsyncSession, participant_ids: list[int]) -> set[int]:
    if not participant_ids:
        return set()
    rows = await session.scalars(
        select(Consent.parent_person_id).where(
            Consent.participant_id.in_(participant_ids), Consent.parent_person_id.is_not(None)
        )
    )
    return {int(r) for r in rows if r is not None}


# ------------------------------------------------------------------ the sweep


async def sweep(session: AsyncSession, moment: datetime | None = None) -> Sweep:
    """Erase everything whose term is over (idempotent: what is gone is not counted again)."""
    moment = moment or now()
    current = terms()
    result = Sweep()
    touched: set[int] = set()
    plan: list[tuple[Participant, str]] = list(
        await unconsented_due(session, moment, current.unconsented_days)
    )
    planned = {p.id for p, _ in plan}
    for participant in await expired_due(session, moment, current.after_programme_days):
        if participant.id not in planned:
            plan.append((participant, EXPIRED))
    for participant, reason in plan:
        if participant.person_id is not None:
            touched.add(participant.person_id)
        result.add(participant.programme_id, reason)
    touched |= await _parents_of(session, [p.id for p, _ in plan])
    await erase_participations(session, [p for p, _ in plan])
    result.persons_erased = await _erase_left_persons(session, touched)
    await session.flush()
    for removed in result.programmes.values():
        log.info(
            "retention: programme %s removed %s",
            removed.programme_id,
            " ".join(f"{k}={v}" for k, v in removed.counts.items() if v),
        )
    if result.persons_erased:
        log.info("retention: %d persons erased", result.persons_erased)
    return result


async def tell_curators(session: AsyncSession, result: Sweep, moment: datetime) -> int:
    """One message per programme and curator: how many were removed and why, no names."""
    sent = 0
    for removed in result.programmes.values():
        programme = await session.get(Programme, removed.programme_id)
        if programme is None or removed.total == 0:
            continue
        for person_id in await programme_curator_person_ids(session, programme.id):
            curator = await session.get(Person, person_id)
            if curator is None:
                continue
            loc = person_locale(curator)
            lines = [t("retention-curator-title", loc, programme=esc(programme.name))]
            for reason in REASONS:
                if removed.counts[reason]:
                    lines.append(
                        t(
                            f"retention-curator-{reason.replace('_', '-')}",
                            loc,
                            count=removed.counts[reason],
                            term=term_text(
                                terms().after_programme_days
                                if reason == EXPIRED
                                else terms().unconsented_days,
                                loc,
                            ),
                        )
                    )
            lines.append(t("retention-curator-footer", loc))
            queued = await notify(
                session,
                person=curator,
                key=f"retention:{programme.id}:{person_id}:{moment:%Y%m%d%H%M%S}",
                text="\n".join(lines),
                programme=programme,
                kind="retention",
                urgent=False,
            )
            sent += int(queued)
    return sent
