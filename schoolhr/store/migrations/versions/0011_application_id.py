"""Stamp the database as SchoolHR's own: ``PRAGMA application_id`` (the four bytes "SHR1").

A restore can then tell at once a backup of ours from another program's SQLite file, before
looking at anything inside it. New databases get it here too (they run every migration).

Revision ID: 0011_application_id
Revises: 0010_authority
Create Date: 2026-12-03
"""

from collections.abc import Sequence

from alembic import op

from schoolhr.store.sqlite_files import APPLICATION_ID

revision: str = "0011_application_id"
down_revision: str | None = "0010_authority"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(f"PRAGMA application_id = {APPLICATION_ID}")


def downgrade() -> None:
    op.execute("PRAGMA application_id = 0")
