"""the form of mentoring of a pair or group

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 07:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("pairs", sa.Column("mentoring_form", sa.String(length=32), nullable=True))


def downgrade() -> None:
    op.drop_column("pairs", "mentoring_form")
