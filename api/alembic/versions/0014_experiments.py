"""Experiments (A/B/n tests of responses): experiments, their variants, exposures.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 10:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0014"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the three tables."""
    op.create_table(
        "experiments",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("response_name", sa.String(length=120), nullable=False),
        sa.Column("primary_outcome", sa.String(length=40), nullable=False),
        sa.Column("minimum_sample", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.String(length=36), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("stopped_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_experiments")),
    )
    op.create_index(op.f("ix_experiments_response_name"), "experiments", ["response_name"])
    op.create_table(
        "experiment_variants",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("experiment_id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("share", sa.Integer(), nullable=False),
        sa.Column("variations", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["experiment_id"], ["experiments.id"], name=op.f("fk_experiment_variants_experiment_id_experiments")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_experiment_variants")),
        sa.UniqueConstraint("experiment_id", "position", name="uq_experiment_variants_position"),
    )
    op.create_index(op.f("ix_experiment_variants_experiment_id"), "experiment_variants", ["experiment_id"])
    op.create_table(
        "experiment_exposures",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("experiment_id", sa.String(length=36), nullable=False),
        sa.Column("variant_id", sa.String(length=36), nullable=False),
        sa.Column("conversation_id", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["experiment_id"], ["experiments.id"], name=op.f("fk_experiment_exposures_experiment_id_experiments")
        ),
        sa.ForeignKeyConstraint(
            ["variant_id"], ["experiment_variants.id"], name=op.f("fk_experiment_exposures_variant_id_experiment_variants")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_experiment_exposures")),
        sa.UniqueConstraint("experiment_id", "conversation_id", name="uq_experiment_exposures_once"),
    )
    op.create_index(op.f("ix_experiment_exposures_experiment_id"), "experiment_exposures", ["experiment_id"])


def downgrade() -> None:
    """Drop the three tables."""
    op.drop_table("experiment_exposures")
    op.drop_table("experiment_variants")
    op.drop_table("experiments")
