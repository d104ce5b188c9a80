"""«Наставник года» stored with the programme; a note on a checklist tick

Revision ID: 0013
Revises: 0008
Create Date: 2026-12-02 07:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

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


def downgrade() -> None:
    with op.batch_alter_table("checklist_marks") as batch:
        batch.drop_column("note")
    with op.batch_alter_table("programmes") as batch:
        batch.drop_column("mentor_of_year_at")
        batch.drop_column("mentor_of_year_id")
