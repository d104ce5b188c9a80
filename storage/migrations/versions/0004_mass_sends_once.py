"""curator mass sends once: feedback round periods, preference round numbers, group
meeting keys

Revision ID: 0004
Revises: 0002
Create Date: 2026-12-02 07:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Rows made before have none (NULLs never collide in a unique constraint): duplicates
    # the old code may have made stay as they are.
    with op.batch_alter_table("feedback_rounds") as batch:
        batch.add_column(sa.Column("period", sa.Integer(), nullable=True))
        batch.create_unique_constraint(
            "uq_feedback_rounds_programme_id_period", ["programme_id", "period"]
        )
    with op.batch_alter_table("preference_rounds") as batch:
        batch.add_column(sa.Column("number", sa.Integer(), nullable=True))
        batch.create_unique_constraint(
            "uq_preference_rounds_programme_id_number", ["programme_id", "number"]
        )
    with op.batch_alter_table("group_meetings") as batch:
        batch.add_column(sa.Column("announce_key", sa.String(length=64), nullable=True))
        batch.create_unique_constraint(
            "uq_group_meetings_programme_id_announce_key", ["programme_id", "announce_key"]
        )


def downgrade() -> None:
    with op.batch_alter_table("group_meetings") as batch:
        batch.drop_constraint("uq_group_meetings_programme_id_announce_key", type_="unique")
        batch.drop_column("announce_key")
    with op.batch_alter_table("preference_rounds") as batch:
        batch.drop_constraint("uq_preference_rounds_programme_id_number", type_="unique")
        batch.drop_column("number")
    with op.batch_alter_table("feedback_rounds") as batch:
        batch.drop_constraint("uq_feedback_rounds_programme_id_period", type_="unique")
        batch.drop_column("period")
