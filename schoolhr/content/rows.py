"""What the tables of installed content entries (checklist templates, guides) share: their
columns, with the entry kept as its validated JSON, and reading the entries that are shown.

``deleted`` hides an entry its source (the bundle, a content pack) no longer gives: runs and
progress that point at it keep working, and a later release may bring it back.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import JSON, Boolean, String, Text, select
from sqlalchemy.orm import InstrumentedAttribute, Mapped, Session, mapped_column

from schoolhr.errors import UserError
from schoolhr.search.index import unregister_document
from schoolhr.store.base import UTCDateTime, utcnow


class ContentRow:
    """The columns of a content entry's table (a mixin of its model)."""

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)  # the validated entry, as JSON
    origin: Mapped[str] = mapped_column(String(20), default="bundled")
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


Row = TypeVar("Row", bound=ContentRow)
Entry = TypeVar("Entry", bound=BaseModel)


def shown_entries(
    session: Session, model: type[Row], schema: type[Entry], *order: InstrumentedAttribute[Any]
) -> list[Entry]:
    """Every entry not hidden, in ``order``."""
    rows = session.execute(select(model).where(model.deleted.is_(False)).order_by(*order))
    return [schema.model_validate(row.data) for row in rows.scalars()]


def shown_entry(
    session: Session, model: type[Row], schema: type[Entry], entry_id: str, missing: str
) -> Entry:
    """One entry; UserError(``missing``) when there is none by that id or it is hidden."""
    row = session.get(model, entry_id)
    if row is None or row.deleted:
        raise UserError(missing)
    return schema.model_validate(row.data)


def hide_stale(
    session: Session, model: type[Row], origin: str, wanted: Collection[str], kind: str
) -> int:
    """Hide ``origin``'s entries that are not ``wanted`` (and take them out of the search
    index, where they stand as ``kind``); how many were hidden."""
    hidden = 0
    stale = select(model).where(model.origin == origin, model.deleted.is_(False))
    for row in list(session.execute(stale).scalars()):
        if row.id not in wanted:
            row.deleted = True
            unregister_document(session, kind, row.id)
            hidden += 1
    return hidden
