"""Campaigns: campaigns, their steps, one send per account per step (the idempotency key), dead letters.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 08:30:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamp(name: str, nullable: bool = False) -> sa.Column:
    """A timezone-aware timestamp column (stored in UTC)."""
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _campaigns() -> None:
    op.create_table(
        "campaigns",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("segment", sa.JSON(), nullable=False),
        sa.Column("window_start_hour", sa.Integer(), nullable=False),
        sa.Column("window_end_hour", sa.Integer(), nullable=False),
        _timestamp("starts_at"),
        _timestamp("ends_at"),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.String(length=36), nullable=True),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaigns")),
    )
    op.create_index(op.f("ix_campaigns_status"), "campaigns", ["status"], unique=False)


def _steps() -> None:
    op.create_table(
        "campaign_steps",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("campaign_id", sa.String(length=36), nullable=False),
        sa.Column("day_offset", sa.Integer(), nullable=False),
        sa.Column("messages", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_campaign_steps_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_steps")),
        sa.UniqueConstraint("campaign_id", "day_offset", name=op.f("uq_campaign_steps_campaign_id")),
    )
    op.create_index(op.f("ix_campaign_steps_campaign_id"), "campaign_steps", ["campaign_id"], unique=False)


def _sends() -> None:
    op.create_table(
        "campaign_sends",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("campaign_id", sa.String(length=36), nullable=False),
        sa.Column("step_id", sa.String(length=36), nullable=False),
        sa.Column("account_id", sa.String(length=36), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        _timestamp("scheduled_for", nullable=True),
        sa.Column("outbound_message_id", sa.String(length=36), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=64), nullable=True),
        _timestamp("created_at"),
        _timestamp("queued_at", nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_campaign_sends_account_id_accounts"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_campaign_sends_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["step_id"], ["campaign_steps.id"], name=op.f("fk_campaign_sends_step_id_campaign_steps"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_sends")),
        sa.UniqueConstraint("campaign_id", "step_id", "account_id", name=op.f("uq_campaign_sends_campaign_id")),
    )
    op.create_index(op.f("ix_campaign_sends_account_id"), "campaign_sends", ["account_id"], unique=False)
    op.create_index(op.f("ix_campaign_sends_status"), "campaign_sends", ["status"], unique=False)
    op.create_index(
        op.f("ix_campaign_sends_outbound_message_id"), "campaign_sends", ["outbound_message_id"], unique=False
    )


def _dead_letters() -> None:
    op.create_table(
        "campaign_dead_letters",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("send_id", sa.String(length=36), nullable=False),
        sa.Column("error", sa.String(length=64), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _timestamp("created_at"),
        sa.ForeignKeyConstraint(
            ["send_id"],
            ["campaign_sends.id"],
            name=op.f("fk_campaign_dead_letters_send_id_campaign_sends"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_dead_letters")),
        sa.UniqueConstraint("send_id", name=op.f("uq_campaign_dead_letters_send_id")),
    )


def upgrade() -> None:
    """Create the campaign tables."""
    _campaigns()
    _steps()
    _sends()
    _dead_letters()


def downgrade() -> None:
    """Drop them, dependents first."""
    for table in ("campaign_dead_letters", "campaign_sends", "campaign_steps", "campaigns"):
        op.drop_table(table)
