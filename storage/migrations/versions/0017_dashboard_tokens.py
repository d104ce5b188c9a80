"""one-time sign-in links and sessions of the web dashboard

Revision ID: 0017
Revises: 0015
Create Date: 2026-12-02 08:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models.base

revision: str = "0017"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "dashboard_tokens",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("person_id", BIG_ID, nullable=False),
        sa.Column("created_at", storage.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", storage.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("used_at", storage.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["persons.id"],
            name=op.f("fk_dashboard_tokens_person_id_persons"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dashboard_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_dashboard_tokens_token_hash")),
    )
    for column in ("person_id", "expires_at"):
        op.create_index(
            op.f(f"ix_dashboard_tokens_{column}"), "dashboard_tokens", [column], unique=False
        )


def downgrade() -> None:
    for column in ("expires_at", "person_id"):
        op.drop_index(op.f(f"ix_dashboard_tokens_{column}"), table_name="dashboard_tokens")
    op.drop_table("dashboard_tokens")
