"""messages that pair members write to each other through the bot

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 07:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models.base

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "relayed_messages",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("pair_id", BIG_ID, nullable=False),
        sa.Column("from_participant_id", BIG_ID, nullable=False),
        sa.Column("to_participant_id", BIG_ID, nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("reply_to", BIG_ID, nullable=True),
        sa.Column("created_at", storage.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["pair_id"],
            ["pairs.id"],
            name=op.f("fk_relayed_messages_pair_id_pairs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["from_participant_id"],
            ["participants.id"],
            name=op.f("fk_relayed_messages_from_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["to_participant_id"],
            ["participants.id"],
            name=op.f("fk_relayed_messages_to_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reply_to"],
            ["relayed_messages.id"],
            name=op.f("fk_relayed_messages_reply_to_relayed_messages"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_relayed_messages")),
    )
    for column in ("pair_id", "from_participant_id", "to_participant_id"):
        op.create_index(
            op.f(f"ix_relayed_messages_{column}"), "relayed_messages", [column], unique=False
        )


def downgrade() -> None:
    for column in ("to_participant_id", "from_participant_id", "pair_id"):
        op.drop_index(op.f(f"ix_relayed_messages_{column}"), table_name="relayed_messages")
    op.drop_table("relayed_messages")
