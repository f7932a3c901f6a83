"""Marketing outcomes: payment link opened and payment made per conversation, the satisfaction survey.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04 12:30:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0016"
down_revision: str | Sequence[str] | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _conversation_columns() -> None:
    with op.batch_alter_table("insights_conversations") as batch:
        for name in ("link_opened", "paid"):
            batch.add_column(sa.Column(name, sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("satisfaction", sa.Integer(), nullable=True))
    with op.batch_alter_table("payment_links") as batch:
        batch.add_column(sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True))


def _links() -> None:
    op.create_table(
        "insights_links",
        sa.Column("link_id", sa.String(length=36), nullable=False),
        sa.Column("conversation_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["link_id"], ["payment_links.id"], name=op.f("fk_insights_links_link_id_payment_links"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["insights_conversations.id"],
            name=op.f("fk_insights_links_conversation_id_insights_conversations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("link_id", name=op.f("pk_insights_links")),
    )
    op.create_index(op.f("ix_insights_links_conversation_id"), "insights_links", ["conversation_id"])


def upgrade() -> None:
    """Two outcomes and the survey answer per conversation, when a link was opened, which links a
    conversation sent."""
    _conversation_columns()
    _links()


def downgrade() -> None:
    """Drop the links table and the columns."""
    op.drop_table("insights_links")
    with op.batch_alter_table("payment_links") as batch:
        batch.drop_column("opened_at")
    with op.batch_alter_table("insights_conversations") as batch:
        for name in ("satisfaction", "paid", "link_opened"):
            batch.drop_column(name)
