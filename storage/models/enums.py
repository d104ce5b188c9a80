"""The vocabulary of the programme as string enums (stored as plain strings)."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    MENTEE = "mentee"
    MENTOR = "mentor"


class StaffRole(StrEnum):
    COORDINATOR = "coordinator"
    CURATOR = "curator"


class InvitationKind(StrEnum):
    MENTEE = "mentee"
    MENTOR = "mentor"
    CURATOR = "curator"  # appoints a curator of an organisation
    CO_CURATOR = "co_curator"  # appoints a co-curator of one programme


class ProgrammeStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    FINISHING = "finishing"
    FINISHED = "finished"


class ParticipantStatus(StrEnum):
    CONSENT_PENDING = "consent_pending"  # joined, has not agreed yet
    PARENT_PENDING = "parent_pending"  # minor agreed, waits for a parent
    ACTIVE = "active"  # consent complete
    DECLINED_CONSENT = "declined_consent"
    WITHDRAWN = "withdrawn"  # /forget_me


class RegistryStatus(StrEnum):
    CANDIDATE = "candidate"
    APPROVED = "approved"
    DECLINED = "declined"


class ConsentKind(StrEnum):
    SELF = "self"
    PARENT = "parent"
    PAPER = "paper"  # the curator marked a paper consent of a parent as received


class ConsentDecision(StrEnum):
    AGREED = "agreed"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"  # a parent took their consent back


class ParentRelation(StrEnum):
    MOTHER = "mother"
    FATHER = "father"
    GUARDIAN = "guardian"
    OTHER = "other"


class FormStatus(StrEnum):
    IN_PROGRESS = "in_progress"
    REVIEW = "review"
    COMPLETED = "completed"


class PairStatus(StrEnum):
    PROPOSED = "proposed"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"
    ENDED = "ended"


class MeetingStatus(StrEnum):
    PROPOSED = "proposed"  # the mentor proposed a time, the mentee has not confirmed
    SCHEDULED = "scheduled"
    HELD = "held"  # logged by the mentor
    CONFIRMED = "confirmed"  # the mentee confirmed it took place
    CANCELLED = "cancelled"
    DISPUTED = "disputed"  # logged by the mentor, the mentee says it did not take place


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"  # 400: will not be retried
    UNREACHABLE = "unreachable"  # 403: the person blocked the bot


class AlertKind(StrEnum):
    NO_MEETING = "no_meeting"
    LOW_SCORE = "low_score"
    HELP_WANTED = "help_wanted"
    UNREACHABLE = "unreachable"
    MISSED_MEETING = "missed_meeting"  # earlier rows only: a missed meeting is now a case


class CaseKind(StrEnum):
    """What a case is about; other signals that need a person's answer add kinds here."""

    HELP = "help"  # «нужна помощь куратора» in the feedback form
    CONCERN = "concern"  # «Мне некомфортно»: something is wrong in the pair
    MISSED_MEETING = "missed_meeting"  # a mentee says a logged meeting did not happen


class CaseStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
