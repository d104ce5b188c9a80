"""Questionnaire sessions and answers (profiles, plans, feedback and final surveys)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, BigIntPK, UTCDateTime, created_at_column
from .enums import FormStatus


class FormSession(Base):
    """One person filling in one form in one context (e.g. `pair:12`, `feedback:7`)."""

    __tablename__ = "form_sessions"
    __table_args__ = (UniqueConstraint("participant_id", "form", "context"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    form: Mapped[str] = mapped_column(String(64))
    context: Mapped[str] = mapped_column(String(64), default="")
    current_question: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default=FormStatus.IN_PROGRESS)
    version: Mapped[int] = mapped_column(Integer, default=0)  # bumps on every step: stale buttons
    started_at: Mapped[datetime] = created_at_column()
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When the person last saw or answered it: typed answers go to the latest open form.
    touched_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)


class FormAnswer(Base):
    __tablename__ = "form_answers"
    __table_args__ = (UniqueConstraint("session_id", "question_id"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("form_sessions.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[str] = mapped_column(String(64))
    value: Mapped[Any] = mapped_column(JSON)
    answered_at: Mapped[datetime] = created_at_column()
