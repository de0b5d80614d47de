"""Every record that travels in data packs names the site that created it; peer groups know
whether they came from the county's content pack.

Rows written before this revision by this site have an empty origin: they are this site's own,
so they are stamped with its UUID (from then on the session stamps new rows itself).

Revision ID: 0009_origins
Revises: 0008_sync
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_origins"
down_revision: str | None = "0008_sync"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SITE_OWNED = (
    "contact",
    "reward_entry",
    "reward_proposal_adjustment",
    "faq_unanswered",
    "checklist_run",
)


def upgrade() -> None:
    with op.batch_alter_table("peer_group") as batch:
        batch.add_column(
            sa.Column("origin", sa.String(length=20), nullable=False, server_default="")
        )
    for table in SITE_OWNED:
        op.execute(
            f"UPDATE {table} SET origin = (SELECT site_uuid FROM site WHERE id = 1) "
            "WHERE origin = '' AND EXISTS (SELECT 1 FROM site WHERE id = 1)"
        )


def downgrade() -> None:
    with op.batch_alter_table("peer_group") as batch:
        batch.drop_column("origin")
