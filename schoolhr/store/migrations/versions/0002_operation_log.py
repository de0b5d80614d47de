"""The operation log: migrations, backups and restores, for the help desk.

Revision ID: 0002_operation_log
Revises: 0001_site
Create Date: 2026-11-21
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_operation_log"
down_revision: str | None = "0001_site"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "operation_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operation_log")),
    )
    with op.batch_alter_table("operation_log") as batch_op:
        batch_op.create_index(batch_op.f("ix_operation_log_at"), ["at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("operation_log") as batch_op:
        batch_op.drop_index(batch_op.f("ix_operation_log_at"))
    op.drop_table("operation_log")
