"""Data protection: erased debtors (GDPR Art. 17 tombstones) and verification attempts per conversation.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 12:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("debtors") as batch:
        batch.add_column(sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("erased_conversations", sa.JSON(), nullable=True))
    op.create_table(
        "verification_attempts",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("conversation_id", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.String(length=36), nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_verification_attempts_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verification_attempts")),
    )
    op.create_index(
        op.f("ix_verification_attempts_conversation_id"), "verification_attempts", ["conversation_id"]
    )
    op.create_index(op.f("ix_verification_attempts_account_id"), "verification_attempts", ["account_id"])
    op.create_index(op.f("ix_verification_attempts_at"), "verification_attempts", ["at"])


def downgrade() -> None:
    op.drop_table("verification_attempts")
    with op.batch_alter_table("debtors") as batch:
        batch.drop_column("erased_conversations")
        batch.drop_column("erased_at")
