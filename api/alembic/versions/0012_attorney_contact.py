"""Collections: the attorney's name and phone, kept with the attorney flag (issue 11).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 08:20:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the nullable contact columns (existing flags: no contact given)."""
    with op.batch_alter_table("account_flags") as batch:
        batch.add_column(sa.Column("contact_name", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("contact_phone", sa.String(length=20), nullable=True))


def downgrade() -> None:
    """Drop them again."""
    with op.batch_alter_table("account_flags") as batch:
        batch.drop_column("contact_phone")
        batch.drop_column("contact_name")
