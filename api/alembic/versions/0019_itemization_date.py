"""Accounts: the validation notice's itemization date (Reg F 1006.34(b)(3)), a past reference date; the
notice had used the due date, so a debtor read "As of Dec 15, 2026 you owed ..." about a date to come.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05 20:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | Sequence[str] | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the column (existing accounts itemize from the date they were placed)."""
    with op.batch_alter_table("accounts") as batch:
        batch.add_column(sa.Column("itemization_date", sa.Date(), nullable=True))


def downgrade() -> None:
    """Drop it again."""
    with op.batch_alter_table("accounts") as batch:
        batch.drop_column("itemization_date")
