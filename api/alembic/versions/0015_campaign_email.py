"""Campaign steps on email, email bounces and dry runs off the request.

One send per account, step and channel (the idempotency key gains the channel); an email contact may be
marked undeliverable (a hard bounce); the bounces received, once each by the event's key; the dry runs
the Celery worker carries out, with their progress and result.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 12:30:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | Sequence[str] | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEND_KEY = "uq_campaign_sends_campaign_id"


def upgrade() -> None:
    """Widen the send key, mark undeliverable addresses, create the bounce and dry-run tables."""
    with op.batch_alter_table("campaign_sends") as batch:
        batch.drop_constraint(SEND_KEY, type_="unique")
        batch.create_unique_constraint(SEND_KEY, ["campaign_id", "step_id", "account_id", "channel"])
    with op.batch_alter_table("contacts") as batch:
        batch.add_column(sa.Column("undeliverable_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("undeliverable_status", sa.String(length=16), nullable=True))
    _bounces()
    _dry_runs()


def _bounces() -> None:
    op.create_table(
        "email_bounces",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("event_key", sa.String(length=128), nullable=False),
        sa.Column("message_id", sa.String(length=36), nullable=True),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_email_bounces")),
        sa.UniqueConstraint("event_key", name=op.f("uq_email_bounces_event_key")),
    )
    op.create_index(op.f("ix_email_bounces_message_id"), "email_bounces", ["message_id"])


def _dry_runs() -> None:
    op.create_table(
        "campaign_dry_runs",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("campaign_id", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("total", sa.Integer(), nullable=True),
        sa.Column("evaluated", sa.Integer(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("error", sa.String(length=64), nullable=True),
        sa.Column("created_by", sa.String(length=36), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_campaign_dry_runs_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_dry_runs")),
    )
    op.create_index(op.f("ix_campaign_dry_runs_campaign_id"), "campaign_dry_runs", ["campaign_id"])


def downgrade() -> None:
    """Drop what upgrade added; the send key loses its channel (fails while a step has two channels)."""
    op.drop_index(op.f("ix_campaign_dry_runs_campaign_id"), table_name="campaign_dry_runs")
    op.drop_table("campaign_dry_runs")
    op.drop_index(op.f("ix_email_bounces_message_id"), table_name="email_bounces")
    op.drop_table("email_bounces")
    with op.batch_alter_table("contacts") as batch:
        batch.drop_column("undeliverable_status")
        batch.drop_column("undeliverable_at")
    with op.batch_alter_table("campaign_sends") as batch:
        batch.drop_constraint(SEND_KEY, type_="unique")
        batch.create_unique_constraint(SEND_KEY, ["campaign_id", "step_id", "account_id"])
