"""Guides, systems, per-site system addresses and guide progress.

Revision ID: 0005_guides
Revises: 0004_checklists
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_guides"
down_revision: str | None = "0004_checklists"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "guide",
        sa.Column("id", sa.String(length=100), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("system", sa.String(length=100), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_guide")),
    )
    with op.batch_alter_table("guide", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_guide_system"), ["system"], unique=False)

    op.create_table(
        "guide_progress",
        sa.Column("guide_id", sa.String(length=100), nullable=False),
        sa.Column("done", sa.JSON(), nullable=False),
        sa.Column("current", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("guide_id", name=op.f("pk_guide_progress")),
    )
    op.create_table(
        "guide_system",
        sa.Column("code", sa.String(length=100), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_guide_system")),
    )
    op.create_table(
        "system_address",
        sa.Column("code", sa.String(length=100), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_system_address")),
    )


def downgrade() -> None:
    with op.batch_alter_table("guide", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_guide_system"))
    for table in ("guide_progress", "system_address", "guide_system", "guide"):
        op.drop_table(table)
