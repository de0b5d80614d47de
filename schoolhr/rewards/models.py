"""Reward-points tables: the county's rule sets (versioned), the append-only ledger, and the
county's adjustments to a year's proposals.

A ledger entry's facts (person, date, kind, points, rule version, reason) are never changed and
no entry is ever deleted: a correction is a new entry whose ``reverses`` names the entry it
undoes. The only change an entry sees is the county's one decision on a claim
(``claimed`` -> ``approved`` or ``rejected``, with reason, date and who decided). A person's
balance is computed from approved entries every time; it is stored nowhere.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from schoolhr.store.base import Base, UTCDateTime, utcnow
from schoolhr.store.origin import SiteOwned

CLAIMED, APPROVED, REJECTED = "claimed", "approved", "rejected"
STATUS_LABELS = {CLAIMED: "待核定", APPROVED: "已核定", REJECTED: "已退回"}


class RewardRuleSet(Base):
    """One version of the county's rules, as validated JSON (``schoolhr.rewards.schema``)."""

    __tablename__ = "reward_rule_set"

    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    origin: Mapped[str] = mapped_column(String(20), default="bundled")
    installed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class RewardEntry(SiteOwned, Base):
    __tablename__ = "reward_entry"
    __table_args__ = (
        CheckConstraint("status IN ('claimed', 'approved', 'rejected')", name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=lambda: str(uuid.uuid4()))
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id"), index=True)
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    kind: Mapped[str] = mapped_column(String(50))
    points: Mapped[int] = mapped_column(Integer)
    rule_version: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    evidence: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(10), default=CLAIMED, index=True)
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    decision_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    decided_by: Mapped[str] = mapped_column(String(200), default="")
    reverses: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    origin: Mapped[str] = mapped_column(String(36), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class ProposalAdjustment(SiteOwned, Base):
    """The county changed a year's proposal for a person, and why. Kept, never replaced: the
    newest adjustment for (year, person) is the one in force."""

    __tablename__ = "reward_proposal_adjustment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=lambda: str(uuid.uuid4()))
    year: Mapped[int] = mapped_column(Integer, index=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id"))
    proposal: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text)
    adjusted_by: Mapped[str] = mapped_column(String(200), default="")
    origin: Mapped[str] = mapped_column(String(36), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
