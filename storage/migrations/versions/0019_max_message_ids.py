"""MAX's message ids kept across restarts; community members who left by themselves

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02 10:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models.base

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "max_message_ids",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("mid", sa.String(length=200), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", storage.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_max_message_ids")),
        sa.UniqueConstraint("mid", name=op.f("uq_max_message_ids_mid")),
    )
    op.create_index(
        op.f("ix_max_message_ids_chat_id"), "max_message_ids", ["chat_id"], unique=False
    )
    op.add_column(
        "community_members",
        sa.Column("left_at", storage.models.base.UTCDateTime(timezone=True), nullable=True),
    )


def downgrade() -> None:
    with op.batch_alter_table("community_members") as batch:
        batch.drop_column("left_at")
    op.drop_index(op.f("ix_max_message_ids_chat_id"), table_name="max_message_ids")
    op.drop_table("max_message_ids")
