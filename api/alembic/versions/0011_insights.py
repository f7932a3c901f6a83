"""Insights: the conversation review and analytics tables, built from Rasa's SQL event broker.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 08:40:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamp(name: str, nullable: bool = False) -> sa.Column:
    """A timezone-aware timestamp column (stored in UTC)."""
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _flag(name: str) -> sa.Column:
    return sa.Column(name, sa.Boolean(), nullable=False)


FLAGS = (
    "fallback", "handoff", "opted_out", "verified", "balance_seen", "offered",
    "plan_made", "promise_made", "link_sent", "abandoned",
)


def _conversations() -> None:
    op.create_table(
        "insights_conversations",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("sender_id", sa.String(length=255), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        _timestamp("started_at"),
        _timestamp("last_event_at"),
        sa.Column("requested_slot", sa.String(length=64), nullable=True),
        sa.Column("account_id", sa.String(length=36), nullable=True),
        sa.Column("debtor_turns", sa.Integer(), nullable=False),
        *(_flag(name) for name in FLAGS),
        sa.Column("distress_max", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_insights_conversations")),
        sa.UniqueConstraint("sender_id", name=op.f("uq_insights_conversations_sender_id")),
    )
    for column in ("channel", "started_at", "account_id"):
        op.create_index(op.f(f"ix_insights_conversations_{column}"), "insights_conversations", [column])


def _turns() -> None:
    op.create_table(
        "insights_turns",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(length=36), nullable=False),
        _timestamp("at"),
        sa.Column("sender", sa.String(length=8), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("withheld", sa.Boolean(), nullable=False),
        sa.Column("intent", sa.String(length=64), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("best_guess", sa.String(length=64), nullable=True),
        sa.Column("gap", sa.Boolean(), nullable=False),
        sa.Column("distress_level", sa.String(length=16), nullable=True),
        sa.Column("response", sa.String(length=128), nullable=True),
        sa.Column("response_variation", sa.String(length=128), nullable=True),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["insights_conversations.id"],
            name=op.f("fk_insights_turns_conversation_id_insights_conversations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_insights_turns")),
        sa.UniqueConstraint("event_id", name=op.f("uq_insights_turns_event_id")),
    )
    for column in ("conversation_id", "intent", "gap"):
        op.create_index(op.f(f"ix_insights_turns_{column}"), "insights_turns", [column])


def _cursor_and_labels() -> None:
    op.create_table(
        "insights_cursor",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("last_event_id", sa.Integer(), nullable=False),
        _timestamp("updated_at"),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_insights_cursor")),
    )
    op.create_table(
        "insights_labels",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("turn_id", sa.String(length=36), nullable=False),
        sa.Column("intent", sa.String(length=64), nullable=False),
        sa.Column("staff_id", sa.String(length=36), nullable=True),
        _timestamp("created_at"),
        sa.ForeignKeyConstraint(
            ["turn_id"], ["insights_turns.id"], name=op.f("fk_insights_labels_turn_id_insights_turns"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff_users.id"], name=op.f("fk_insights_labels_staff_id_staff_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_insights_labels")),
        sa.UniqueConstraint("turn_id", name=op.f("uq_insights_labels_turn_id")),
    )


def upgrade() -> None:
    """Conversations with their outcomes, turns, the ingest's high-water mark, reviewers' labels."""
    _conversations()
    _turns()
    _cursor_and_labels()


def downgrade() -> None:
    """Drop the insights tables."""
    for table in ("insights_labels", "insights_cursor", "insights_turns", "insights_conversations"):
        op.drop_table(table)
