"""the organisation's address; who the parent is in a parent's consent

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 07:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The name the first organisation used to get when none was set: it reached parents in
# the consent text. An organisation still called so has no name yet.
PLACEHOLDER = "Моя образовательная организация"


def upgrade() -> None:
    op.add_column("organisations", sa.Column("address", sa.String(length=500), nullable=True))
    op.add_column("consents", sa.Column("parent_name", sa.String(length=300), nullable=True))
    op.add_column("consents", sa.Column("parent_relation", sa.String(length=16), nullable=True))
    organisations = sa.table("organisations", sa.column("name", sa.String))
    op.execute(
        organisations.update().where(organisations.c.name == PLACEHOLDER).values(name="")
    )
    programmes = sa.table("programmes", sa.column("operator_name", sa.String))
    op.execute(
        programmes.update().where(programmes.c.operator_name == PLACEHOLDER).values(
            operator_name=None
        )
    )


def downgrade() -> None:
    op.drop_column("consents", "parent_relation")
    op.drop_column("consents", "parent_name")
    op.drop_column("organisations", "address")
