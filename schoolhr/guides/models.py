"""Guide tables: the guides and systems (content), the per-site addresses of systems that
differ by county, and each guide's progress on this PC."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from schoolhr.content.rows import ContentRow
from schoolhr.store.base import Base, UTCDateTime, utcnow


class GuideRow(ContentRow, Base):
    __tablename__ = "guide"

    system: Mapped[str] = mapped_column(String(100), index=True)


class GuideSystemRow(Base):
    __tablename__ = "guide_system"

    code: Mapped[str] = mapped_column(String(100), primary_key=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    origin: Mapped[str] = mapped_column(String(20), default="bundled")


class SystemAddress(Base):
    """This site's address of a system that each county runs itself (e.g. its WebITR)."""

    __tablename__ = "system_address"

    code: Mapped[str] = mapped_column(String(100), primary_key=True)
    url: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class GuideProgress(Base):
    __tablename__ = "guide_progress"

    guide_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    done: Mapped[list[int]] = mapped_column(JSON, default=list)  # ticked step numbers (0-based)
    current: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
