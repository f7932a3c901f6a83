"""Human handoff: staff users, handoffs, their transcript and notes, and the staff audit.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 18:45:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamp(name: str, nullable: bool = False) -> sa.Column:
    """A timezone-aware timestamp column (stored in UTC)."""
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _staff_users() -> None:
    op.create_table(
        "staff_users",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        _timestamp("created_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_users")),
    )
    op.create_index(op.f("ix_staff_users_email"), "staff_users", ["email"], unique=True)


def _handoffs() -> None:
    op.create_table(
        "handoffs",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("conversation_id", sa.String(length=64), nullable=False),
        sa.Column("open_conversation", sa.String(length=64), nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("account_id", sa.String(length=36), nullable=True),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("claimed_by", sa.String(length=36), nullable=True),
        sa.Column("distress", sa.JSON(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("disposition", sa.String(length=32), nullable=True),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        _timestamp("claimed_at", nullable=True),
        _timestamp("released_at", nullable=True),
        _timestamp("closed_at", nullable=True),
        _timestamp("escalated_at", nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_handoffs_account_id_accounts"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["claimed_by"],
            ["staff_users.id"],
            name=op.f("fk_handoffs_claimed_by_staff_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handoffs")),
        sa.UniqueConstraint("open_conversation", name=op.f("uq_handoffs_open_conversation")),
    )
    for column in ("conversation_id", "account_id", "priority", "status"):
        op.create_index(op.f(f"ix_handoffs_{column}"), "handoffs", [column], unique=False)


def _entries() -> None:
    op.create_table(
        "handoff_entries",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("handoff_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("staff_id", sa.String(length=36), nullable=True),
        sa.Column("distress", sa.String(length=16), nullable=True),
        sa.Column("outbound_message_id", sa.String(length=36), nullable=True),
        _timestamp("at"),
        sa.ForeignKeyConstraint(
            ["handoff_id"], ["handoffs.id"], name=op.f("fk_handoff_entries_handoff_id_handoffs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_handoff_entries")),
    )
    op.create_index(op.f("ix_handoff_entries_handoff_id"), "handoff_entries", ["handoff_id"], unique=False)


def _audit() -> None:
    op.create_table(
        "staff_audit",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("staff_id", sa.String(length=36), nullable=True),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("handoff_id", sa.String(length=36), nullable=True),
        sa.Column("account_id", sa.String(length=36), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        _timestamp("created_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_audit")),
    )
    op.create_index(op.f("ix_staff_audit_staff_id"), "staff_audit", ["staff_id"], unique=False)
    op.create_index(op.f("ix_staff_audit_handoff_id"), "staff_audit", ["handoff_id"], unique=False)


def upgrade() -> None:
    """Create the staff and handoff tables."""
    _staff_users()
    _handoffs()
    _entries()
    _audit()


def downgrade() -> None:
    """Drop them again, dependents first."""
    op.drop_table("staff_audit")
    op.drop_table("handoff_entries")
    op.drop_table("handoffs")
    op.drop_table("staff_users")
