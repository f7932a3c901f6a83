"""Contact preferences: the media the debtor refused and the one they prefer (Reg F 1006.14(h), issue 11).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04 16:30:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | Sequence[str] | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the columns (existing rows: no medium refused, none preferred)."""
    with op.batch_alter_table("contact_preferences") as batch:
        batch.add_column(sa.Column("refused_channels", sa.JSON(), nullable=False, server_default="[]"))
        batch.add_column(sa.Column("preferred_channel", sa.String(length=16), nullable=True))


def downgrade() -> None:
    """Drop them again."""
    with op.batch_alter_table("contact_preferences") as batch:
        batch.drop_column("preferred_channel")
        batch.drop_column("refused_channels")
