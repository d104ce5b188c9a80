"""one feedback round per programme per period

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
    # Rounds made before have no period (NULLs never collide in a unique constraint).
    with op.batch_alter_table("feedback_rounds") as batch:
        batch.add_column(sa.Column("period", sa.Integer(), nullable=True))
        batch.create_unique_constraint(
            "uq_feedback_rounds_programme_id_period", ["programme_id", "period"]
        )


def downgrade() -> None:
    with op.batch_alter_table("feedback_rounds") as batch:
        batch.drop_constraint("uq_feedback_rounds_programme_id_period", type_="unique")
        batch.drop_column("period")
