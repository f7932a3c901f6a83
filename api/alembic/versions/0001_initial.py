"""Initial schema: debtors, accounts and the per-account event record.

Revision ID: 0001
Revises:
Create Date: 2026-11-22 09:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MONEY = sa.Numeric(precision=12, scale=2)


def _timestamp(name: str, nullable: bool = False) -> sa.Column:
    """A timezone-aware timestamp column (stored in UTC)."""
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    """Create the three tables and their indexes."""
    op.create_table(
        "debtors",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("dob_hash", sa.String(length=64), nullable=False),
        sa.Column("zip_hash", sa.String(length=64), nullable=False),
        sa.Column("ssn_last4_hash", sa.String(length=64), nullable=False),
        sa.Column("failed_verifications", sa.Integer(), nullable=False),
        _timestamp("locked_until", nullable=True),
        _timestamp("created_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_debtors")),
    )
    op.create_index(op.f("ix_debtors_phone"), "debtors", ["phone"], unique=True)

    op.create_table(
        "accounts",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("debtor_id", sa.String(length=36), nullable=False),
        sa.Column("reference", sa.String(length=64), nullable=False),
        sa.Column("creditor", sa.String(length=200), nullable=False),
        sa.Column("original_creditor", sa.String(length=200), nullable=False),
        sa.Column("principal", MONEY, nullable=False),
        sa.Column("interest", MONEY, nullable=False),
        sa.Column("fees", MONEY, nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("days_past_due", sa.Integer(), nullable=False),
        sa.Column("time_barred", sa.Boolean(), nullable=False),
        _timestamp("created_at"),
        sa.ForeignKeyConstraint(
            ["debtor_id"], ["debtors.id"], name=op.f("fk_accounts_debtor_id_debtors"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accounts")),
    )
    op.create_index(op.f("ix_accounts_debtor_id"), "accounts", ["debtor_id"], unique=False)
    op.create_index(op.f("ix_accounts_reference"), "accounts", ["reference"], unique=True)

    op.create_table(
        "account_events",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("account_id", sa.String(length=36), nullable=False),
        sa.Column("type", sa.String(length=64), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        _timestamp("created_at"),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_account_events_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_events")),
    )
    op.create_index(op.f("ix_account_events_account_id"), "account_events", ["account_id"], unique=False)


def downgrade() -> None:
    """Drop everything, children first."""
    op.drop_index(op.f("ix_account_events_account_id"), table_name="account_events")
    op.drop_table("account_events")
    op.drop_index(op.f("ix_accounts_reference"), table_name="accounts")
    op.drop_index(op.f("ix_accounts_debtor_id"), table_name="accounts")
    op.drop_table("accounts")
    op.drop_index(op.f("ix_debtors_phone"), table_name="debtors")
    op.drop_table("debtors")
