"""Editable bot responses (marketing): responses and their published versions.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 08:30:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the two tables; the API seeds them from domain.yml (python -m api.seed)."""
    op.create_table(
        "bot_responses",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bot_responses")),
    )
    op.create_index(op.f("ix_bot_responses_name"), "bot_responses", ["name"], unique=True)
    op.create_table(
        "bot_response_versions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("response_id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("variations", sa.JSON(), nullable=False),
        sa.Column("author_id", sa.String(length=36), nullable=True),
        sa.Column("author_email", sa.String(length=254), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["response_id"], ["bot_responses.id"], name=op.f("fk_bot_response_versions_response_id_bot_responses")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bot_response_versions")),
        sa.UniqueConstraint("response_id", "number", name="uq_bot_response_versions_number"),
    )
    op.create_index(
        op.f("ix_bot_response_versions_response_id"), "bot_response_versions", ["response_id"], unique=False
    )


def downgrade() -> None:
    """Drop them again."""
    op.drop_index(op.f("ix_bot_response_versions_response_id"), table_name="bot_response_versions")
    op.drop_table("bot_response_versions")
    op.drop_index(op.f("ix_bot_responses_name"), table_name="bot_responses")
    op.drop_table("bot_responses")
