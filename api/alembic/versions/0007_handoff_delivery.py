"""Handoff entries: whether an agent's webchat reply reached the debtor (delivered / not_delivered).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 11:45:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the delivery column (NULL for debtor and bot lines, notes, and SMS replies)."""
    with op.batch_alter_table("handoff_entries") as batch:
        batch.add_column(sa.Column("delivery", sa.String(length=16), nullable=True))


def downgrade() -> None:
    """Drop it again."""
    with op.batch_alter_table("handoff_entries") as batch:
        batch.drop_column("delivery")
