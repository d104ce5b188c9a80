"""Organisations, programmes, people, staff roles, invitations, participants and consents."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, BigIntPK, UTCDateTime, created_at_column
from .enums import (
    ParticipantStatus,
    ProgrammeStatus,
    RegistryStatus,
)


class Organisation(Base):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    # The full name as in the charter; empty until a curator or coordinator sets it.
    name: Mapped[str] = mapped_column(String(300))
    address: Mapped[str | None] = mapped_column(String(500))
    students_total: Mapped[int | None] = mapped_column(Integer)
    young_teachers_total: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = created_at_column()


class Person(Base):
    """A Telegram user. Personal fields are cleared on /forget_me."""

    __tablename__ = "persons"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    tg_id: Mapped[int] = mapped_column(BigInteger, unique=True, index=True)
    full_name: Mapped[str | None] = mapped_column(String(300))
    username: Mapped[str | None] = mapped_column(String(64))
    locale: Mapped[str | None] = mapped_column(String(8))
    reminders_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    alert_mode: Mapped[str] = mapped_column(String(16), default="instant")  # curators: or digest
    # Curators: the local hour (programme's zone) of the daily digest; None: when quiet
    # hours end.
    digest_hour: Mapped[int | None] = mapped_column(Integer)
    unreachable: Mapped[bool] = mapped_column(Boolean, default=False)
    # The programme the person (a curator, or someone in several) is working with now.
    # No foreign key: persons and programmes refer to each other.
    current_programme_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = created_at_column()


class StaffMember(Base):
    """Coordinator (whole deployment) or curator of an organisation."""

    __tablename__ = "staff"
    __table_args__ = (UniqueConstraint("person_id", "role", "organisation_id"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(16))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE")
    )
    granted_by: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = created_at_column()


class Programme(Base):
    __tablename__ = "programmes"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    name: Mapped[str] = mapped_column(String(300))
    forms: Mapped[list[Any]] = mapped_column(JSON, default=list)  # e.g. ["ученик – ученик"]
    is_group: Mapped[bool] = mapped_column(Boolean, default=False)
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Moscow")
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    feedback_cadence_days: Mapped[int] = mapped_column(Integer, default=14)
    quiet_start: Mapped[time] = mapped_column(Time, default=time(21, 0))
    quiet_end: Mapped[time] = mapped_column(Time, default=time(9, 0))
    goals: Mapped[str | None] = mapped_column(Text)
    operator_name: Mapped[str | None] = mapped_column(String(500))
    operator_details: Mapped[str | None] = mapped_column(Text)  # address, INN, contacts
    students_total: Mapped[int | None] = mapped_column(Integer)
    young_teachers_total: Mapped[int | None] = mapped_column(Integer)
    materials_link: Mapped[str | None] = mapped_column(String(1000))
    materials_file_id: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(16), default=ProgrammeStatus.ACTIVE)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = created_at_column()
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # «Наставник года», from the mentors' votes at the finish (a participant id; no key,
    # so the programme row does not depend on its participants: a forgotten one is not named).
    mentor_of_year_id: Mapped[int | None] = mapped_column(BigInteger)
    mentor_of_year_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ProgrammeCurator(Base):
    """A curator (or co-curator) responsible for one programme."""

    __tablename__ = "programme_curators"
    __table_args__ = (UniqueConstraint("programme_id", "person_id"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    is_co_curator: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = created_at_column()


class Invitation(Base):
    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    kind: Mapped[str] = mapped_column(String(16))  # InvitationKind
    programme_id: Mapped[int | None] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE")
    )
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE")
    )
    created_by: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    max_uses: Mapped[int | None] = mapped_column(Integer)
    uses: Mapped[int] = mapped_column(Integer, default=0)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = created_at_column()


class Participant(Base):
    """A person's part in one programme, in one role."""

    __tablename__ = "participants"
    __table_args__ = (UniqueConstraint("programme_id", "person_id", "role"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("persons.id", ondelete="SET NULL"), index=True
    )
    role: Mapped[str] = mapped_column(String(16))  # Role
    status: Mapped[str] = mapped_column(String(24), default=ParticipantStatus.CONSENT_PENDING)
    display_name: Mapped[str | None] = mapped_column(String(300))  # cleared on /forget_me
    age: Mapped[int | None] = mapped_column(Integer)
    is_minor: Mapped[bool] = mapped_column(Boolean, default=False)
    category: Mapped[str | None] = mapped_column(String(64))  # school/college/teacher...
    grade: Mapped[int | None] = mapped_column(Integer)  # class number for «ученик – ученик»
    profile_complete: Mapped[bool] = mapped_column(Boolean, default=False)
    registry_status: Mapped[str] = mapped_column(String(16), default=RegistryStatus.CANDIDATE)
    decline_reason: Mapped[str | None] = mapped_column(Text)
    trained: Mapped[bool] = mapped_column(Boolean, default=False)
    capacity: Mapped[int] = mapped_column(Integer, default=1)
    wants_to_mentor: Mapped[bool] = mapped_column(Boolean, default=False)
    in_long_term_base: Mapped[bool] = mapped_column(Boolean, default=False)
    curator_note: Mapped[str | None] = mapped_column(Text)
    joined_via: Mapped[int | None] = mapped_column(
        ForeignKey("invitations.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = created_at_column()
    consent_completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Consent(Base):
    """A decision on the processing of personal data, with the text version and the time."""

    __tablename__ = "consents"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))  # ConsentKind
    decision: Mapped[str] = mapped_column(String(16))  # ConsentDecision
    text_version: Mapped[str] = mapped_column(String(32))
    decided_at: Mapped[datetime] = created_at_column()
    parent_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("persons.id", ondelete="SET NULL")
    )
    # A parent's consent: who they said they are (ФИО) and who they are to the child.
    parent_name: Mapped[str | None] = mapped_column(String(300))
    parent_relation: Mapped[str | None] = mapped_column(String(16))  # ParentRelation
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))


class ParentLink(Base):
    """The one-time link a minor forwards to a parent for consent."""

    __tablename__ = "parent_links"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = created_at_column()
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Withdrawal(Base):
    """The anonymous trace of a /forget_me: no personal data, only the count."""

    __tablename__ = "withdrawals"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    programme_id: Mapped[int | None] = mapped_column(
        ForeignKey("programmes.id", ondelete="SET NULL")
    )
    role: Mapped[str] = mapped_column(String(16))
    withdrawn_at: Mapped[datetime] = created_at_column()
