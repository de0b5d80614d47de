"""Sync by files: trusted county keys, exchange history, kept conflicts, announcements.

Revision ID: 0008_sync
Revises: 0007_rewards
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_sync"
down_revision: str | None = "0007_rewards"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "announcement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("published", sa.String(length=10), nullable=False),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("seen_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_announcement")),
        sa.UniqueConstraint("uuid", name=op.f("uq_announcement_uuid")),
    )
    op.create_table(
        "sync_conflict",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_type", sa.String(length=40), nullable=False),
        sa.Column("record_uuid", sa.String(length=36), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("local", sa.JSON(), nullable=False),
        sa.Column("incoming", sa.JSON(), nullable=False),
        sa.Column("incoming_hash", sa.String(length=64), nullable=False),
        sa.Column("kept", sa.String(length=10), nullable=False),
        sa.Column("pack_id", sa.String(length=36), nullable=False),
        sa.Column("site_name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("resolved", sa.Boolean(), nullable=False),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_conflict")),
        sa.UniqueConstraint("record_uuid", "incoming_hash", name="once"),
    )
    with op.batch_alter_table("sync_conflict", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sync_conflict_record_uuid"), ["record_uuid"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_sync_conflict_resolved"), ["resolved"], unique=False)

    op.create_table(
        "sync_exchange",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("direction", sa.String(length=10), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("pack_id", sa.String(length=36), nullable=False),
        sa.Column("site_uuid", sa.String(length=36), nullable=False),
        sa.Column("site_name", sa.String(length=200), nullable=False),
        sa.Column("pack_created_at", sa.DateTime(), nullable=False),
        sa.Column("content_version", sa.Integer(), nullable=True),
        sa.Column("signer", sa.String(length=64), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_exchange")),
    )
    with op.batch_alter_table("sync_exchange", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sync_exchange_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_sync_exchange_pack_id"), ["pack_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_sync_exchange_site_uuid"), ["site_uuid"], unique=False)

    op.create_table(
        "sync_trusted_key",
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("public_key", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("fingerprint", name=op.f("pk_sync_trusted_key")),
    )


def downgrade() -> None:
    for table in ("sync_trusted_key", "sync_exchange", "sync_conflict", "announcement"):
        op.drop_table(table)
