"""Reward points: the county's rule sets, the append-only ledger, proposal adjustments.

Revision ID: 0007_rewards
Revises: 0006_contacts
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_rewards"
down_revision: str | None = "0006_contacts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reward_rule_set",
        sa.Column("version", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("installed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("version", name=op.f("pk_reward_rule_set")),
    )
    op.create_table(
        "reward_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=50), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("rule_version", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("decision_reason", sa.Text(), nullable=False),
        sa.Column("decision_date", sa.Date(), nullable=True),
        sa.Column("decided_by", sa.String(length=200), nullable=False),
        sa.Column("reverses", sa.String(length=36), nullable=True),
        sa.Column("origin", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "status IN ('claimed', 'approved', 'rejected')", name=op.f("ck_reward_entry_status")
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contact.id"], name=op.f("fk_reward_entry_contact_id_contact")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reward_entry")),
        sa.UniqueConstraint("uuid", name=op.f("uq_reward_entry_uuid")),
    )
    with op.batch_alter_table("reward_entry", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reward_entry_contact_id"), ["contact_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_reward_entry_date"), ["date"], unique=False)
        batch_op.create_index(batch_op.f("ix_reward_entry_reverses"), ["reverses"], unique=False)
        batch_op.create_index(batch_op.f("ix_reward_entry_status"), ["status"], unique=False)

    op.create_table(
        "reward_proposal_adjustment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("proposal", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("adjusted_by", sa.String(length=200), nullable=False),
        sa.Column("origin", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contact.id"],
            name=op.f("fk_reward_proposal_adjustment_contact_id_contact"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reward_proposal_adjustment")),
        sa.UniqueConstraint("uuid", name=op.f("uq_reward_proposal_adjustment_uuid")),
    )
    with op.batch_alter_table("reward_proposal_adjustment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reward_proposal_adjustment_year"), ["year"], unique=False
        )


def downgrade() -> None:
    for table in ("reward_proposal_adjustment", "reward_entry", "reward_rule_set"):
        op.drop_table(table)
