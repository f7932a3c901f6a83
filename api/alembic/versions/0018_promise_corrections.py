"""Promises: a promise the debtor corrected ("scratch that, make it a week from today") is superseded, not
kept beside the new one (a broken-promise segment or reminder must not act on the date they withdrew).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05 12:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | Sequence[str] | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the column (existing promises stand)."""
    with op.batch_alter_table("promises") as batch:
        batch.add_column(sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    """Drop it again."""
    with op.batch_alter_table("promises") as batch:
        batch.drop_column("superseded_at")
