"""Signing keys bound to the site they speak for, and keys no longer trusted.

Revision ID: 0010_authority
Revises: 0009_origins
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_authority"
down_revision: str | None = "0009_origins"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sync_known_signer",
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("site_uuid", sa.String(length=36), nullable=False),
        sa.Column("site_name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("public_key", sa.String(length=100), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("fingerprint", name=op.f("pk_sync_known_signer")),
    )
    op.create_index(
        op.f("ix_sync_known_signer_site_uuid"), "sync_known_signer", ["site_uuid"], unique=False
    )
    op.create_table(
        "sync_revoked_key",
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("fingerprint", name=op.f("pk_sync_revoked_key")),
    )


def downgrade() -> None:
    op.drop_table("sync_revoked_key")
    op.drop_index(op.f("ix_sync_known_signer_site_uuid"), table_name="sync_known_signer")
    op.drop_table("sync_known_signer")
