"""Collections: creditor policies, payment plans, promises, payment claims, disputes, flags, payment links.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 11:10:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MONEY = sa.Numeric(precision=12, scale=2)
PERCENT = sa.Numeric(precision=5, scale=2)
ACCOUNT_TABLES = ("payment_plans", "promises", "payment_claims", "disputes", "account_flags", "payment_links")


def _timestamp(name: str, nullable: bool = False) -> sa.Column:
    """A timezone-aware timestamp column (stored in UTC)."""
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _account_table(name: str, *columns: sa.Column, unique: Sequence[str] = ()) -> None:
    """A table of rows belonging to one account (deleted with it), indexed by account."""
    constraints: list[sa.Constraint] = [
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f(f"fk_{name}_account_id_accounts"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
    ]
    if unique:
        constraints.append(sa.UniqueConstraint(*unique, name=op.f(f"uq_{name}_{unique[0]}")))
    op.create_table(
        name,
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("account_id", sa.String(length=36), nullable=False),
        *columns,
        _timestamp("created_at"),
        *constraints,
    )
    op.create_index(op.f(f"ix_{name}_account_id"), name, ["account_id"], unique=False)


def _policies() -> None:
    op.create_table(
        "creditor_policies",
        sa.Column("creditor", sa.String(length=200), nullable=False),
        sa.Column("min_instalment_amount", MONEY, nullable=False),
        sa.Column("min_instalment_pct", PERCENT, nullable=False),
        sa.Column("max_term_months", sa.Integer(), nullable=False),
        sa.Column("allowed_frequencies", sa.JSON(), nullable=False),
        sa.Column("first_payment_within_days", sa.Integer(), nullable=False),
        sa.Column("settlement_floor_pct", PERCENT, nullable=False),
        sa.Column("settlement_deadline_days", sa.Integer(), nullable=False),
        sa.Column("hardship_min_instalment_amount", MONEY, nullable=False),
        sa.Column("hardship_max_term_months", sa.Integer(), nullable=False),
        sa.Column("promise_max_days", sa.Integer(), nullable=False),
        _timestamp("updated_at"),
        sa.PrimaryKeyConstraint("creditor", name=op.f("pk_creditor_policies")),
    )


def upgrade() -> None:
    """Create the policy table and the collections tables of each account."""
    _policies()
    _account_table(
        "payment_plans",
        sa.Column("idempotency_key", sa.String(length=128), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("total", MONEY, nullable=False),
        sa.Column("terms", sa.JSON(), nullable=False),
        _timestamp("superseded_at", nullable=True),
        unique=("account_id", "idempotency_key"),
    )
    _account_table(
        "promises",
        sa.Column("promised_on", sa.Date(), nullable=False),
        sa.Column("amount", MONEY, nullable=True),
    )
    _account_table(
        "payment_claims",
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.Column("amount", MONEY, nullable=True),
        sa.Column("method", sa.String(length=80), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
    )
    _account_table(
        "disputes",
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        _timestamp("resolved_at", nullable=True),
    )
    _account_table(
        "account_flags",
        sa.Column("flag", sa.String(length=32), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        unique=("account_id", "flag"),
    )
    _account_table(
        "payment_links",
        sa.Column("amount", MONEY, nullable=True),
        _timestamp("expires_at"),
        _timestamp("used_at", nullable=True),
    )


def downgrade() -> None:
    """Drop them all."""
    for name in reversed(ACCOUNT_TABLES):
        op.drop_index(op.f(f"ix_{name}_account_id"), table_name=name)
        op.drop_table(name)
    op.drop_table("creditor_policies")
