"""Group meetings, preference rounds, preferences, pairs and groups."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, BigIntPK, UTCDateTime, created_at_column
from .enums import PairStatus


class GroupMeeting(Base):
    """The group meeting where mentors and mentees get to know each other (stage 5).

    `announce_key` (the time and place, hashed) is unique per programme: the same meeting
    announced twice — two presses, two curators — is one meeting with one invitation each.
    """

    __tablename__ = "group_meetings"
    __table_args__ = (UniqueConstraint("programme_id", "announce_key"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    place: Mapped[str] = mapped_column(String(1000))
    announced_by: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    announce_key: Mapped[str | None] = mapped_column(String(64))
    attendance_recorded: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = created_at_column()


class GroupMeetingAttendance(Base):
    __tablename__ = "group_meeting_attendance"
    __table_args__ = (UniqueConstraint("meeting_id", "participant_id"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("group_meetings.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    attended: Mapped[bool] = mapped_column(Boolean, default=True)


class PreferenceRound(Base):
    """A round of choosing mentors and mentees. `number` (1, 2…) is unique per programme,
    so that two curators opening it at once open one round."""

    __tablename__ = "preference_rounds"
    __table_args__ = (UniqueConstraint("programme_id", "number"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"))
    number: Mapped[int | None] = mapped_column(Integer)
    opened_at: Mapped[datetime] = created_at_column()
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    opened_by: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))


class Preference(Base):
    """`chooser` ranks `target` at `rank` (1 = first choice) in a round."""

    __tablename__ = "preferences"
    __table_args__ = (UniqueConstraint("round_id", "chooser_id", "target_id"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("preference_rounds.id", ondelete="CASCADE"))
    chooser_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    target_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    rank: Mapped[int] = mapped_column(Integer)


class Pair(Base):
    """A mentor with one mentee (a pair) or several (a group)."""

    __tablename__ = "pairs"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    mentor_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16), default=PairStatus.PROPOSED)
    explanation: Mapped[str | None] = mapped_column(Text)
    directive: Mapped[bool] = mapped_column(Boolean, default=False)
    format: Mapped[str | None] = mapped_column(String(32))  # in person / online / mixed
    # One form of mentoring per pair or group (`MENTORING_FORMS`), from its mentees' category.
    mentoring_form: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = created_at_column()
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    confirmed_by: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    next_feedback_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    feedback_rounds_done: Mapped[int] = mapped_column(Integer, default=0)
    last_meeting_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    no_meeting_alert_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When the curator named it «Лучшая пара» of the programme (one pair at a time).
    best_pair_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class PairMember(Base):
    __tablename__ = "pair_members"
    __table_args__ = (UniqueConstraint("pair_id", "mentee_id"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("pairs.id", ondelete="CASCADE"), index=True)
    mentee_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
