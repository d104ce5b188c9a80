"""The bot's own bookkeeping: outbox, processed updates, FSM state, audit, checklist, chats."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, BigIntPK, UTCDateTime, created_at_column
from .enums import OutboxStatus


class OutboxMessage(Base):
    """A message the bot sends on its own initiative; the delivery worker sends it."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)
    method: Mapped[str] = mapped_column(String(32), default="sendMessage")
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)  # text, parse_mode, reply_markup...
    file_bytes: Mapped[bytes | None] = mapped_column(LargeBinary)
    file_name: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32), default="message")
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    programme_id: Mapped[int | None] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE")
    )
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16), default=OutboxStatus.PENDING, index=True)
    not_before: Mapped[datetime] = created_at_column()
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = created_at_column()
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    message_id: Mapped[int | None] = mapped_column(BigInteger)


class ProcessedUpdate(Base):
    """Update ids already handled: a redelivered update changes nothing twice."""

    __tablename__ = "processed_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    processed_at: Mapped[datetime] = created_at_column()


class PendingReply(Base):
    """A reply of a committed update not yet known to be sent.

    The update's work and its replies are committed together, and the replies go out
    after the commit; a process that dies in between would leave the person without an
    answer while the update counts as processed. When the update comes again (Telegram
    redelivers what was not confirmed), its journal is sent instead of handling it twice.
    Rows are deleted once sent; the housekeeping job drops what a crash left behind.
    """

    __tablename__ = "pending_replies"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    update_id: Mapped[int] = mapped_column(BigInteger, index=True)
    seq: Mapped[int] = mapped_column(Integer)
    chat_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    method: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = created_at_column()


class ReceivedUpdate(Base):
    """An update taken by long polling and not yet processed (polling mode only).

    Telegram counts an update as delivered once the next getUpdates call asks for a
    higher offset; a process killed before it finished would lose it. Each batch is
    written here before that call; the row is deleted in the update's own transaction,
    and rows left by a crash are handled again at the next start.
    """

    __tablename__ = "received_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    received_at: Mapped[datetime] = created_at_column()


class FailedUpdate(Base):
    """Updates whose handling failed: how often, so the apology is sent once and a
    webhook redelivery is asked for only a few times."""

    __tablename__ = "failed_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    failed_at: Mapped[datetime] = created_at_column()


class FSMRecord(Base):
    """aiogram FSM state and data for the embedded mode."""

    __tablename__ = "fsm_storage"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    state: Mapped[str | None] = mapped_column(String(300))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class AuditRecord(Base):
    """Who did what and when: every curator action."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    programme_id: Mapped[int | None] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    actor_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("persons.id", ondelete="SET NULL")
    )
    action: Mapped[str] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = created_at_column()


class ChecklistMark(Base):
    """A manual checklist item ticked (or unticked) by a curator."""

    __tablename__ = "checklist_marks"
    __table_args__ = (UniqueConstraint("programme_id", "item_key"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"))
    item_key: Mapped[str] = mapped_column(String(64))
    done: Mapped[bool] = mapped_column(Boolean, default=True)
    marked_by: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    marked_at: Mapped[datetime] = created_at_column()
    # What the tick rests on, e.g. «приказ № 12 от 01.09.2026» for the documents.
    note: Mapped[str | None] = mapped_column(Text)


class YearSnapshot(Base):
    """«Итоги года» of a programme frozen at a date: the figures the final and municipal
    reports show from then on, whatever changes later (ids and counts only, no names)."""

    __tablename__ = "year_snapshots"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    taken_by: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    taken_at: Mapped[datetime] = created_at_column()
    figures: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class CommunityChat(Base):
    """The mentors' group chat bound to a programme."""

    __tablename__ = "community_chats"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), unique=True
    )
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)
    title: Mapped[str | None] = mapped_column(String(300))
    invite_link: Mapped[str | None] = mapped_column(String(300))
    bound_by: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    bound_at: Mapped[datetime] = created_at_column()
    next_digest_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class CommunityMember(Base):
    """Someone the bot knows to be in a community chat (from join requests and chat_member).

    The Bot API cannot list a group's members, so the bot keeps its own list to know whom
    to remove when a mentor leaves the programme. A row is deleted once the person is out
    (in MAX, where the bot adds mentors itself, one who left of their own accord is kept
    with `left_at` so as not to be added again).
    """

    __tablename__ = "community_members"
    __table_args__ = (UniqueConstraint("community_chat_id", "tg_id"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    community_chat_id: Mapped[int] = mapped_column(
        ForeignKey("community_chats.id", ondelete="CASCADE"), index=True
    )
    tg_id: Mapped[int] = mapped_column(BigInteger)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    via_request: Mapped[bool] = mapped_column(Boolean, default=False)  # admitted by the bot
    remove_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    joined_at: Mapped[datetime] = created_at_column()
    # MAX (the bot adds members itself): a mentor who left by themselves is not added
    # again; the row stays, with this, while they remain an approved mentor.
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class SchedulerLease(Base):
    """Which process runs scheduled work on SQLite (PostgreSQL uses an advisory lock)."""

    __tablename__ = "scheduler_lease"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(128))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())


class StatCounter(Base):
    """Anonymous counters kept after personal data is gone (e.g. withdrawals by role)."""

    __tablename__ = "stat_counters"
    __table_args__ = (UniqueConstraint("programme_id", "name"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    programme_id: Mapped[int | None] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE")
    )
    name: Mapped[str] = mapped_column(String(64))
    value: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str | None] = mapped_column(Text)


class DashboardToken(Base):
    """A way into the web dashboard: a one-time sign-in link or an open session.

    Only a SHA-256 of the token is kept, so a copy of the database opens nothing.
    """

    __tablename__ = "dashboard_tokens"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # link or session
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = created_at_column()
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class CuratorNews(Base):
    """A routine event for one curator (a consent, a registration), kept for the daily
    digest instead of a message of its own. It names the participant by id only: the
    digest reads the name when it is sent, so an erased participant leaves nothing here."""

    __tablename__ = "curator_news"
    __table_args__ = (UniqueConstraint("person_id", "key"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE")
    )
    key: Mapped[str] = mapped_column(String(200))  # the event, once per curator
    text_key: Mapped[str] = mapped_column(String(64))  # the line's Fluent message
    created_at: Mapped[datetime] = created_at_column()
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)


class MaxMessageId(Base):
    """MAX's message ids (`mid`, strings) and the integers the core knows them by.

    The row's id is the message id aiogram's models carry; kept so that a message sent
    before a restart can still be edited or answered (`bot.max.store`). `chat_id` is
    the core id of the dialog's person (or the group), so /forget_me erases theirs.
    """

    __tablename__ = "max_message_ids"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    mid: Mapped[str] = mapped_column(String(200), unique=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)
    created_at: Mapped[datetime] = created_at_column()
