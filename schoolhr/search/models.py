"""Search tables: the documents (any kind) and the word lists that steer the search.

The FTS5 table ``search_index`` (rowid = ``search_document.id``; columns title, keywords, body
holding token strings) is created by the migration; SQLAlchemy does not model virtual tables.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from schoolhr.store.base import Base, UTCDateTime, utcnow


class SearchDocument(Base):
    __tablename__ = "search_document"
    __table_args__ = (UniqueConstraint("kind", "ref", name="kind_ref"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # "faq", "guide" or "checklist"
    ref: Mapped[str] = mapped_column(String(100))  # the id within its kind
    title: Mapped[str] = mapped_column(Text)  # as displayed
    subtitle: Mapped[str] = mapped_column(Text, default="")  # e.g. the FAQ category
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)  # as written
    normalized: Mapped[str] = mapped_column(Text)  # normalised title + keywords + body
    normalized_title: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class SearchTermGroup(Base):
    """A synonym group (terms that count as each other) or the list of stop words."""

    __tablename__ = "search_term_group"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # "synonym" or "stopword"
    terms: Mapped[list[str]] = mapped_column(JSON)
    origin: Mapped[str] = mapped_column(String(20), default="bundled")
