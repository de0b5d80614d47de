"""FAQ tables.

An entry (stable id) has numbered versions. The published version is what clerks see and what is
indexed; an edit in progress is a draft version beside it, so a published answer stays visible
until its edit is published. Bundled content updates only entries that came from the bundle
and that nobody here has edited.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from schoolhr.store.base import Base, UTCDateTime, utcnow
from schoolhr.store.origin import SiteOwned

ORIGIN_BUNDLED = "bundled"
ORIGIN_LOCAL = "local"
ORIGIN_PACK = "pack"


class FaqEntry(Base):
    __tablename__ = "faq_entry"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    origin: Mapped[str] = mapped_column(String(20), default=ORIGIN_LOCAL)
    published_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    draft_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class FaqVersion(Base):
    __tablename__ = "faq_version"
    __table_args__ = (UniqueConstraint("entry_id", "version", name="entry_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[str] = mapped_column(ForeignKey("faq_entry.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(50))
    audience: Mapped[list[str]] = mapped_column(JSON)
    keywords: Mapped[list[str]] = mapped_column(JSON)
    sources: Mapped[list[dict[str, str]]] = mapped_column(JSON)
    reviewed: Mapped[date] = mapped_column(Date)
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False)
    review_note: Mapped[str | None] = mapped_column(Text, nullable=True)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(200), default="")


class UnansweredQuestion(SiteOwned, Base):
    """A question the search could not answer; counted per normalised query. Travels to the
    county in data packs (uuid, origin, updated_at)."""

    __tablename__ = "faq_unanswered"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=lambda: str(uuid.uuid4()))
    normalized_query: Mapped[str] = mapped_column(String(200), unique=True)
    query: Mapped[str] = mapped_column(String(200))  # the latest wording, as typed
    count: Mapped[int] = mapped_column(Integer, default=1)
    note: Mapped[str] = mapped_column(Text, default="")
    first_asked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_asked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answered_entry_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    origin: Mapped[str] = mapped_column(String(36), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class ContentRelease(Base):
    """Which release of a content source is installed: the bundle, or a county's content packs."""

    __tablename__ = "content_release"

    source: Mapped[str] = mapped_column(String(50), primary_key=True)
    version: Mapped[str] = mapped_column(String(50))
    fingerprint: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(Text, default="")
    installed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
