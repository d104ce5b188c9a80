"""cases: calls for help and concerns, with the person's words, closing and escalation

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 07:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models.base

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _moment(name: str, nullable: bool = True) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, storage.models.base.UTCDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "cases",
        sa.Column("id", ID, nullable=False),
        sa.Column("programme_id", ID, nullable=False),
        sa.Column("participant_id", ID, nullable=False),
        sa.Column("pair_id", ID, nullable=True),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("words", sa.Text(), nullable=True),
        sa.Column("minor", sa.Boolean(), nullable=False),
        sa.Column("pauses_pair", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        _moment("opened_at", nullable=False),
        _moment("words_asked_at"),
        sa.Column("answers", sa.Integer(), nullable=False),
        _moment("answered_at"),
        _moment("curator_reminded_at"),
        _moment("coordinator_alerted_at"),
        _moment("closed_at"),
        sa.Column("closed_by", ID, nullable=True),
        sa.Column("closing_note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["closed_by"],
            ["persons.id"],
            name=op.f("fk_cases_closed_by_persons"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["pair_id"], ["pairs.id"], name=op.f("fk_cases_pair_id_pairs"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_cases_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programmes.id"],
            name=op.f("fk_cases_programme_id_programmes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
    )
    op.create_index(op.f("ix_cases_programme_id"), "cases", ["programme_id"], unique=False)
    op.create_index(op.f("ix_cases_participant_id"), "cases", ["participant_id"], unique=False)
    op.create_index(op.f("ix_cases_status"), "cases", ["status"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_cases_status"), table_name="cases")
    op.drop_index(op.f("ix_cases_participant_id"), table_name="cases")
    op.drop_index(op.f("ix_cases_programme_id"), table_name="cases")
    op.drop_table("cases")
