"""replies of committed updates not yet known to be sent

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02 08:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models.base

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "pending_replies",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("update_id", sa.BigInteger(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=True),
        sa.Column("method", sa.String(length=64), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", storage.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_replies")),
    )
    for column in ("update_id", "chat_id"):
        op.create_index(
            op.f(f"ix_pending_replies_{column}"), "pending_replies", [column], unique=False
        )


def downgrade() -> None:
    for column in ("update_id", "chat_id"):
        op.drop_index(op.f(f"ix_pending_replies_{column}"), table_name="pending_replies")
    op.drop_table("pending_replies")
