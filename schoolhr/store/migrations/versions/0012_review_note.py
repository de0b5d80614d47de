"""FAQ versions carry a ``review_note``: which fact of a 「待複查」 answer is unverified, and why.

A flag alone told the clerk nothing; the note says what to check before relying on the answer.
Existing versions get no note (NULL): only new content can state one.

Revision ID: 0012_review_note
Revises: 0011_application_id
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_review_note"
down_revision: str | None = "0011_application_id"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("faq_version") as batch:
        batch.add_column(sa.Column("review_note", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("faq_version") as batch:
        batch.drop_column("review_note")
