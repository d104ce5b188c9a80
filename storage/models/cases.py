"""Cases: a participant's call for help or concern, open until the curator closes it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, BigIntPK, UTCDateTime
from .enums import CaseStatus


class Case(Base):
    """One call for help or concern: the person's own words, who closed it and how, and
    when it was escalated (to the curator again after 48 h, then to the coordinators)."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    pair_id: Mapped[int | None] = mapped_column(ForeignKey("pairs.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(24))  # CaseKind
    words: Mapped[str | None] = mapped_column(Text)  # the person's own words
    minor: Mapped[bool] = mapped_column(Boolean, default=False)  # listed first, told at once
    pauses_pair: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), default=CaseStatus.OPEN, index=True)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime())
    words_asked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answers: Mapped[int] = mapped_column(Integer, default=0)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    curator_reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    coordinator_alerted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_by: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    closing_note: Mapped[str | None] = mapped_column(Text)
