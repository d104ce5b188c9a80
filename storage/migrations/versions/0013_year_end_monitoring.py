"""«Наставник года» stored with the programme; a note on a checklist tick; «итоги года»

Revision ID: 0013
Revises: 0008
Create Date: 2026-12-02 07:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models.base

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

revision: str = "0013"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("programmes", sa.Column("mentor_of_year_id", sa.BigInteger(), nullable=True))
    op.add_column(
        "programmes", sa.Column("mentor_of_year_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column("checklist_marks", sa.Column("note", sa.Text(), nullable=True))
    op.create_table(
        "year_snapshots",
        sa.Column("id", ID, nullable=False),
        sa.Column("programme_id", ID, nullable=False),
        sa.Column("taken_by", ID, nullable=True),
        sa.Column("taken_at", storage.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programmes.id"],
            name=op.f("fk_year_snapshots_programme_id_programmes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["taken_by"],
            ["persons.id"],
            name=op.f("fk_year_snapshots_taken_by_persons"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_year_snapshots")),
    )
    op.create_index(
        op.f("ix_year_snapshots_programme_id"), "year_snapshots", ["programme_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_year_snapshots_programme_id"), table_name="year_snapshots")
    op.drop_table("year_snapshots")
    with op.batch_alter_table("checklist_marks") as batch:
        batch.drop_column("note")
    with op.batch_alter_table("programmes") as batch:
        batch.drop_column("mentor_of_year_at")
        batch.drop_column("mentor_of_year_id")
