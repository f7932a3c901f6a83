"""Email as an outbound channel: room for an email address in contacts and the outbox, an email subject.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 08:30:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Widen the address columns to an email's 254 characters; add the nullable subject."""
    with op.batch_alter_table("contacts") as batch:
        batch.alter_column("address", existing_type=sa.String(length=64), type_=sa.String(length=254))
    with op.batch_alter_table("outbound_messages") as batch:
        batch.alter_column("to_address", existing_type=sa.String(length=64), type_=sa.String(length=254))
        batch.add_column(sa.Column("subject", sa.String(length=200), nullable=True))


def downgrade() -> None:
    """Drop the subject and narrow the addresses again (fails while an email address is stored)."""
    with op.batch_alter_table("outbound_messages") as batch:
        batch.drop_column("subject")
        batch.alter_column("to_address", existing_type=sa.String(length=254), type_=sa.String(length=64))
    with op.batch_alter_table("contacts") as batch:
        batch.alter_column("address", existing_type=sa.String(length=254), type_=sa.String(length=64))
