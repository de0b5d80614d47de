"""Contact tables: people (with consent), peer groups and their members, and the export
audit that the personal-data rules ask for."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from schoolhr.store.base import Base, UTCDateTime, utcnow
from schoolhr.store.origin import SiteOwned


class Contact(SiteOwned, Base):
    __tablename__ = "contact"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=lambda: str(uuid.uuid4()))
    name: Mapped[str] = mapped_column(String(50), index=True)
    school: Mapped[str] = mapped_column(String(200), default="")
    region: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(20), default="")
    duties: Mapped[list[str]] = mapped_column(JSON, default=list)
    years: Mapped[int | None] = mapped_column(Integer, nullable=True)
    office_phone: Mapped[str] = mapped_column(String(40), default="", index=True)
    mobile: Mapped[str] = mapped_column(String(20), default="", index=True)
    email: Mapped[str] = mapped_column(String(200), default="", index=True)
    line_id: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    consent_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    consent_scope: Mapped[str] = mapped_column(String(200), default="")
    origin: Mapped[str] = mapped_column(String(36), default="")
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class PeerGroup(Base):
    __tablename__ = "peer_group"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=lambda: str(uuid.uuid4()))
    name: Mapped[str] = mapped_column(String(100))
    explanation: Mapped[str] = mapped_column(Text, default="")
    # "" built here; "pack" received in the county's content pack (replaced by the next one)
    origin: Mapped[str] = mapped_column(String(20), default="", server_default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class PeerGroupMember(Base):
    __tablename__ = "peer_group_member"
    __table_args__ = (UniqueConstraint("contact_id", name="one_group_each"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("peer_group.id"), index=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id"))
    locked: Mapped[bool] = mapped_column(Boolean, default=False)  # kept when the builder re-runs


class ExportAudit(Base):
    """Who exported which fields of how many people, when and why (個人資料保護法)."""

    __tablename__ = "contact_export_audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    who: Mapped[str] = mapped_column(String(200))
    fields: Mapped[list[str]] = mapped_column(JSON)
    count: Mapped[int] = mapped_column(Integer)
    without_consent: Mapped[int] = mapped_column(Integer, default=0)
    purpose: Mapped[str] = mapped_column(Text)
    file_format: Mapped[str] = mapped_column(String(10))
    file_name: Mapped[str] = mapped_column(Text, default="")
