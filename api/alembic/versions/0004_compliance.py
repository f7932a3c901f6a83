"""Compliance: bot-initiated outbound messages, contact preferences, the event record as a hash chain.

Existing events are chained in their old order (created_at, id) and each account gets its chain's head.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 18:50:00+00:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from api.accounts.audit import GENESIS, chain_hash

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_events = sa.table(
    "account_events",
    sa.column("id", sa.String),
    sa.column("account_id", sa.String),
    sa.column("type", sa.String),
    sa.column("data", sa.JSON),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("seq", sa.Integer),
    sa.column("prev_hash", sa.String),
    sa.column("hash", sa.String),
)
_accounts = sa.table(
    "accounts", sa.column("id", sa.String), sa.column("audit_length", sa.Integer), sa.column("audit_head", sa.String)
)


def _contact_preferences() -> None:
    op.create_table(
        "contact_preferences",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("debtor_id", sa.String(length=36), nullable=False),
        sa.Column("inconvenient_weekdays", sa.JSON(), nullable=False),
        sa.Column("inconvenient_hours", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["debtor_id"],
            ["debtors.id"],
            name=op.f("fk_contact_preferences_debtor_id_debtors"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_preferences")),
        sa.UniqueConstraint("debtor_id", name=op.f("uq_contact_preferences_debtor_id")),
    )


def _utc(value: datetime) -> datetime:
    """A stored timestamp as the model reads it back: timezone-aware UTC (SQLite drops the offset)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _chain_existing_events() -> None:
    """Give every existing event its place, link and hash; give every account its chain's head."""
    bind = op.get_bind()
    rows = bind.execute(sa.select(_events).order_by(_events.c.account_id, _events.c.created_at, _events.c.id))
    heads: dict[str, tuple[int, str]] = {}
    for row in rows.mappings().all():
        seq, prev_hash = heads.get(row["account_id"], (0, GENESIS))
        seq += 1
        digest = chain_hash(
            event_id=row["id"],
            account_id=row["account_id"],
            seq=seq,
            type=row["type"],
            data=row["data"],
            created_at=_utc(row["created_at"]),
            prev_hash=prev_hash,
        )
        bind.execute(
            _events.update()
            .where(_events.c.id == row["id"])
            .values(seq=seq, prev_hash=prev_hash, hash=digest)
        )
        heads[row["account_id"]] = (seq, digest)
    for account_id, (length, head) in heads.items():
        bind.execute(
            _accounts.update().where(_accounts.c.id == account_id).values(audit_length=length, audit_head=head)
        )


def upgrade() -> None:
    """Add the columns and the table, then chain the events already recorded."""
    with op.batch_alter_table("outbound_messages") as batch:
        batch.add_column(sa.Column("initiated", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("accounts") as batch:
        batch.add_column(sa.Column("audit_length", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("audit_head", sa.String(length=64), nullable=False, server_default=GENESIS))
    with op.batch_alter_table("account_events") as batch:
        batch.add_column(sa.Column("seq", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=False, server_default=GENESIS))
        batch.add_column(sa.Column("hash", sa.String(length=64), nullable=False, server_default=""))
    _chain_existing_events()
    with op.batch_alter_table("account_events") as batch:
        batch.create_unique_constraint(op.f("uq_account_events_account_id"), ["account_id", "seq"])
    _contact_preferences()


def downgrade() -> None:
    """Drop the table and the columns (the chain's hashes are lost; the events stay)."""
    op.drop_table("contact_preferences")
    with op.batch_alter_table("account_events") as batch:
        batch.drop_constraint(op.f("uq_account_events_account_id"), type_="unique")
        batch.drop_column("hash")
        batch.drop_column("prev_hash")
        batch.drop_column("seq")
    with op.batch_alter_table("accounts") as batch:
        batch.drop_column("audit_head")
        batch.drop_column("audit_length")
    with op.batch_alter_table("outbound_messages") as batch:
        batch.drop_column("initiated")
