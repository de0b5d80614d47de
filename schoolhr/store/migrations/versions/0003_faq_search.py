"""FAQ entries with versions, unanswered questions, content releases, and the search index.

Revision ID: 0003_faq_search
Revises: 0002_operation_log
Create Date: 2026-11-21
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_faq_search"
down_revision: str | None = "0002_operation_log"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "content_release",
        sa.Column("source", sa.String(length=50), nullable=False),
        sa.Column("version", sa.String(length=50), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("installed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("source", name=op.f("pk_content_release")),
    )
    op.create_table(
        "faq_entry",
        sa.Column("id", sa.String(length=100), nullable=False),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("published_version", sa.Integer(), nullable=True),
        sa.Column("draft_version", sa.Integer(), nullable=True),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_faq_entry")),
    )
    op.create_table(
        "faq_unanswered",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("normalized_query", sa.String(length=200), nullable=False),
        sa.Column("query", sa.String(length=200), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("first_asked_at", sa.DateTime(), nullable=False),
        sa.Column("last_asked_at", sa.DateTime(), nullable=False),
        sa.Column("answered_entry_id", sa.String(length=100), nullable=True),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.Column("origin", sa.String(length=36), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_faq_unanswered")),
        sa.UniqueConstraint("normalized_query", name=op.f("uq_faq_unanswered_normalized_query")),
        sa.UniqueConstraint("uuid", name=op.f("uq_faq_unanswered_uuid")),
    )
    op.create_table(
        "search_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("ref", sa.String(length=100), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("subtitle", sa.Text(), nullable=False),
        sa.Column("keywords", sa.JSON(), nullable=False),
        sa.Column("normalized", sa.Text(), nullable=False),
        sa.Column("normalized_title", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_document")),
        sa.UniqueConstraint("kind", "ref", name="kind_ref"),
    )
    op.create_table(
        "search_term_group",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("terms", sa.JSON(), nullable=False),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_term_group")),
    )
    op.create_table(
        "faq_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.String(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("category", sa.String(length=50), nullable=False),
        sa.Column("audience", sa.JSON(), nullable=False),
        sa.Column("keywords", sa.JSON(), nullable=False),
        sa.Column("sources", sa.JSON(), nullable=False),
        sa.Column("reviewed", sa.Date(), nullable=False),
        sa.Column("needs_review", sa.Boolean(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["faq_entry.id"], name=op.f("fk_faq_version_entry_id_faq_entry")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_faq_version")),
        sa.UniqueConstraint("entry_id", "version", name="entry_version"),
    )
    with op.batch_alter_table("faq_version", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_faq_version_entry_id"), ["entry_id"], unique=False)
    # Tokens are pre-split by schoolhr.search.tokens (CJK bigrams, Latin words): the ascii
    # tokenizer only splits on spaces for them. prefix='1' serves 1-character queries.
    op.execute(
        "CREATE VIRTUAL TABLE search_index USING fts5("
        "title, keywords, body, tokenize = 'ascii', prefix = '1')"
    )


def downgrade() -> None:
    op.execute("DROP TABLE search_index")
    with op.batch_alter_table("faq_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_faq_version_entry_id"))
    for table in (
        "faq_version",
        "search_term_group",
        "search_document",
        "faq_unanswered",
        "faq_entry",
        "content_release",
    ):
        op.drop_table(table)
