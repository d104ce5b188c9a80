"""The pairs' work: meetings, feedback rounds and answers, alerts, votes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, BigIntPK, UTCDateTime, created_at_column
from .enums import MeetingStatus


class Meeting(Base):
    """A meeting of a pair: proposed/scheduled ahead, or logged after it was held."""

    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("pairs.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    format: Mapped[str | None] = mapped_column(String(32))
    topic: Mapped[str | None] = mapped_column(String(1000))
    status: Mapped[str] = mapped_column(String(16), default=MeetingStatus.PROPOSED)
    is_first: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL")
    )
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reminder_day_sent: Mapped[bool] = mapped_column(Boolean, default=False)
    reminder_hour_sent: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = created_at_column()


class FeedbackRound(Base):
    """One round of feedback forms of a programme: for all its pairs or some of them.

    `period` is the round's number, unique per programme: the curator's «Send» carries
    the number it starts, so that two presses, two curators or a press and the job meet
    in one round and each member of a pair gets one form (bot.services.feedback.rounds). Rounds
    made before it was kept have none.
    """

    __tablename__ = "feedback_rounds"
    __table_args__ = (UniqueConstraint("programme_id", "period"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    pair_id: Mapped[int | None] = mapped_column(ForeignKey("pairs.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    period: Mapped[int | None] = mapped_column(Integer)
    manual: Mapped[bool] = mapped_column(Boolean, default=False)
    started_by: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    started_at: Mapped[datetime] = created_at_column()


class FeedbackRequest(Base):
    """A feedback form owed by one member of one pair in one round."""

    __tablename__ = "feedback_requests"
    __table_args__ = (UniqueConstraint("round_id", "pair_id", "participant_id"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("feedback_rounds.id", ondelete="CASCADE"), index=True
    )
    pair_id: Mapped[int] = mapped_column(ForeignKey("pairs.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    sent_at: Mapped[datetime] = created_at_column()
    reminder_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class FeedbackAnswer(Base):
    """The answers of one feedback form, in columns so reports stay fast."""

    __tablename__ = "feedback_answers"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("feedback_requests.id", ondelete="CASCADE"), unique=True
    )
    pair_id: Mapped[int] = mapped_column(ForeignKey("pairs.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    round_number: Mapped[int] = mapped_column(Integer)
    meeting_happened: Mapped[bool | None] = mapped_column(Boolean)
    usefulness: Mapped[int | None] = mapped_column(Integer)
    comfort: Mapped[int | None] = mapped_column(Integer)
    progress: Mapped[int | None] = mapped_column(Integer)
    difficulty: Mapped[str | None] = mapped_column(Text)
    wants_help: Mapped[bool] = mapped_column(Boolean, default=False)
    answered_at: Mapped[datetime] = created_at_column()


class Alert(Base):
    """Something the curator should look at: no meetings, a low score, a call for help."""

    __tablename__ = "alerts"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    pair_id: Mapped[int | None] = mapped_column(ForeignKey("pairs.id", ondelete="CASCADE"))
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE")
    )
    kind: Mapped[str] = mapped_column(String(24))  # AlertKind
    details: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at_column()
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class NominationVote(Base):
    """A vote for «Наставник года» / «Лучшая пара» at completion."""

    __tablename__ = "nomination_votes"
    __table_args__ = (UniqueConstraint("voter_id", "nomination"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"))
    voter_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    nominee_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    nomination: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = created_at_column()


class ReminderLog(Base):
    """One row per non-urgent reminder a person got on a local date: at most one a day."""

    __tablename__ = "reminder_log"
    __table_args__ = (UniqueConstraint("person_id", "local_date"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    local_date: Mapped[str] = mapped_column(String(10))
    kind: Mapped[str] = mapped_column(String(32))
    count: Mapped[int] = mapped_column(Integer, default=1)
    note: Mapped[str | None] = mapped_column(Text)


class RelayedMessage(Base):
    """A message one member of a pair wrote to another through the bot (no contacts shared).

    Kept so that a reply can go back to its sender and the curator can read a minor's
    conversation on request; `reply_to` links an answer to the message it answers.
    """

    __tablename__ = "relayed_messages"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("pairs.id", ondelete="CASCADE"), index=True)
    from_participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    to_participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    reply_to: Mapped[int | None] = mapped_column(
        ForeignKey("relayed_messages.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = created_at_column()
