"""Accounts: the US state whose collection law applies (per-jurisdiction compliance rules).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 13:35:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the nullable jurisdiction column (existing accounts: federal rules only)."""
    with op.batch_alter_table("accounts") as batch:
        batch.add_column(sa.Column("jurisdiction", sa.String(length=2), nullable=True))


def downgrade() -> None:
    """Drop it again."""
    with op.batch_alter_table("accounts") as batch:
        batch.drop_column("jurisdiction")
