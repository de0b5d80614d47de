"""Models of the application core: who this site is, and what was done to its data.

Feature folders (faq/, contacts/, ...) keep their own models; every model module is imported
by ``schoolhr.store.all_models`` so that migrations see the whole schema.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, Integer, String, Text
from sqlalchemy.orm import Mapped, Session, mapped_column

from schoolhr.site import SiteRole
from schoolhr.store.base import Base, UTCDateTime, utcnow


class Site(Base):
    """This installation's identity: one row, created on first run."""

    __tablename__ = "site"
    __table_args__ = (
        CheckConstraint("id = 1", name="single_row"),
        CheckConstraint("role IN ('school', 'county')", name="role"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_uuid: Mapped[str] = mapped_column(
        String(36), unique=True, default=lambda: str(uuid.uuid4())
    )
    name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(10), default=SiteRole.SCHOOL.value)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class OperationLog(Base):
    """What happened to this site's data: migrations, backups, restores, imports, exports, edits.

    A help-desk person reads it to see what was done and when; nothing here holds
    personal data.
    """

    __tablename__ = "operation_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    kind: Mapped[str] = mapped_column(String(40))
    summary: Mapped[str] = mapped_column(Text, default="")
    ok: Mapped[bool] = mapped_column(Boolean, default=True)


def record_operation(session: Session, kind: str, summary: str, ok: bool = True) -> None:
    """One line of the operation log, written with the rest of ``session``'s transaction."""
    session.add(OperationLog(kind=kind, summary=summary, ok=ok))
