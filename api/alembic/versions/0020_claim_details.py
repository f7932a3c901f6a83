"""Payment claims: what the debtor adds about the payment after the claim was passed on ("personal check,
number 1047, it cleared my bank") is kept with that claim for the reviewer, not made a second claim.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 02:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | Sequence[str] | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the column (existing claims have no details)."""
    with op.batch_alter_table("payment_claims") as batch:
        batch.add_column(sa.Column("details", sa.Text(), nullable=True))


def downgrade() -> None:
    """Drop it again."""
    with op.batch_alter_table("payment_claims") as batch:
        batch.drop_column("details")
