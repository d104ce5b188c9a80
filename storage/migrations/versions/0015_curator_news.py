"""routine events for the curator's daily digest; the hour the curator wants it

Revision ID: 0015
Revises: 0013
Create Date: 2026-12-02 08:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models.base

revision: str = "0015"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _moment(name: str, nullable: bool = True) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, storage.models.base.UTCDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.add_column("persons", sa.Column("digest_hour", sa.Integer(), nullable=True))
    op.create_table(
        "curator_news",
        sa.Column("id", ID, nullable=False),
        sa.Column("programme_id", ID, nullable=False),
        sa.Column("person_id", ID, nullable=False),
        sa.Column("participant_id", ID, nullable=True),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("text_key", sa.String(length=64), nullable=False),
        _moment("created_at", nullable=False),
        _moment("sent_at"),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_curator_news_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["persons.id"],
            name=op.f("fk_curator_news_person_id_persons"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programmes.id"],
            name=op.f("fk_curator_news_programme_id_programmes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_curator_news")),
        sa.UniqueConstraint("person_id", "key", name=op.f("uq_curator_news_person_id_key")),
    )
    op.create_index(
        op.f("ix_curator_news_programme_id"), "curator_news", ["programme_id"], unique=False
    )
    op.create_index(op.f("ix_curator_news_person_id"), "curator_news", ["person_id"], unique=False)
    op.create_index(op.f("ix_curator_news_sent_at"), "curator_news", ["sent_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_curator_news_sent_at"), table_name="curator_news")
    op.drop_index(op.f("ix_curator_news_person_id"), table_name="curator_news")
    op.drop_index(op.f("ix_curator_news_programme_id"), table_name="curator_news")
    op.drop_table("curator_news")
    op.drop_column("persons", "digest_hour")
