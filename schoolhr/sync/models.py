"""Sync tables: trusted county keys, the sites keys speak for, revoked keys, the history of
exchanges, kept conflicts, announcements."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from schoolhr.store.base import Base, UTCDateTime, utcnow


class TrustedKey(Base):
    """A county public key (Ed25519, raw bytes in base64) this site accepts content packs from."""

    __tablename__ = "sync_trusted_key"

    fingerprint: Mapped[str] = mapped_column(String(64), primary_key=True)
    public_key: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200), default="")
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class KnownSigner(Base):
    """Which site a signing key speaks for. Bound the first time a signed pack from it is
    imported (a school's own key at the county; a county key at a school), so that a later
    pack that names another site with the same key, or the same site with another key, is
    refused. ``pack untrust`` removes the binding (a school that moved to a new PC)."""

    __tablename__ = "sync_known_signer"

    fingerprint: Mapped[str] = mapped_column(String(64), primary_key=True)
    site_uuid: Mapped[str] = mapped_column(String(36), index=True)
    site_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(10))
    public_key: Mapped[str] = mapped_column(String(100))
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RevokedKey(Base):
    """A key this site no longer accepts packs from (``pack untrust``), bundled keys included."""

    __tablename__ = "sync_revoked_key"

    fingerprint: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    revoked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Exchange(Base):
    """One pack exported or imported: what, from or to whom, when, and what it changed."""

    __tablename__ = "sync_exchange"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    direction: Mapped[str] = mapped_column(String(10))  # "export" or "import"
    kind: Mapped[str] = mapped_column(String(10))  # "content" or "data"
    pack_id: Mapped[str] = mapped_column(String(36), index=True)
    site_uuid: Mapped[str] = mapped_column(String(36), default="", index=True)
    site_name: Mapped[str] = mapped_column(String(200), default="")
    pack_created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    content_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    signer: Mapped[str] = mapped_column(String(64), default="")
    file_name: Mapped[str] = mapped_column(Text, default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Conflict(Base):
    """Both sides changed the same record since their last exchange: both versions are kept
    (the newer one is in force) until someone chooses."""

    __tablename__ = "sync_conflict"
    __table_args__ = (UniqueConstraint("record_uuid", "incoming_hash", name="once"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_type: Mapped[str] = mapped_column(String(40))
    record_uuid: Mapped[str] = mapped_column(String(36), index=True)
    label: Mapped[str] = mapped_column(Text, default="")
    local: Mapped[dict[str, Any]] = mapped_column(JSON)
    incoming: Mapped[dict[str, Any]] = mapped_column(JSON)
    incoming_hash: Mapped[str] = mapped_column(String(64))
    kept: Mapped[str] = mapped_column(String(10))  # "local" or "incoming": the one in force
    pack_id: Mapped[str] = mapped_column(String(36))
    site_name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Announcement(Base):
    """「最新消息」 from the county, shown once after the pack that brought it is imported."""

    __tablename__ = "announcement"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=lambda: str(uuid.uuid4()))
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text, default="")
    published: Mapped[str] = mapped_column(String(10))  # ISO date
    origin: Mapped[str] = mapped_column(String(20), default="local")
    seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
