"""What the tables of installed content entries (checklist templates, guides) share: their
columns, with the entry kept as its validated JSON, and reading the entries that are shown.

``deleted`` hides an entry its source (the bundle, a content pack) no longer gives: runs and
progress that point at it keep working, and a later release may bring it back.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol, TypeVar

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


class InstalledEntry(Protocol):
    """A validated content entry as installing reads it."""

    @property
    def id(self) -> str: ...

    @property
    def title(self) -> str: ...

    def model_dump(self, *, mode: str) -> dict[str, Any]: ...


Row = TypeVar("Row", bound=ContentRow)
Entry = TypeVar("Entry", bound=BaseModel)
Installed = TypeVar("Installed", bound=InstalledEntry)


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


def install_entries(
    session: Session,
    model: type[Row],
    entries: Sequence[Installed],
    origin: str,
    kind: str,
    *,
    index: Callable[[Installed], None],
    columns: Callable[[Installed], Mapping[str, Any]] = lambda entry: {},
    keep_origin: bool = False,
) -> tuple[int, int, int]:
    """Add or update ``entries`` from ``origin``; hide that origin's entries no longer given.
    A changed entry is ``index``-ed again (as ``kind``); ``columns`` are its own columns beyond
    id, title and data; with ``keep_origin`` an updated row keeps the origin it had.
    Returns (added, updated, removed)."""
    added = updated = 0
    for entry in entries:
        data = entry.model_dump(mode="json")
        row = session.get(model, entry.id)
        if row is None:
            row = model()
            row.id, row.origin = entry.id, origin
            session.add(row)
            added += 1
        elif row.data != data or row.deleted:
            if not keep_origin:
                row.origin = origin
            updated += 1
        else:
            continue
        row.title, row.data, row.deleted = entry.title, data, False
        for name, value in columns(entry).items():
            setattr(row, name, value)
        session.flush()
        index(entry)
    removed = hide_stale(session, model, origin, {entry.id for entry in entries}, kind)
    return added, updated, removed
