"""Which site created a record: records that travel in data packs carry it in ``origin``.

A county holds the records of every school; to send one school its own records back (the
county's decisions on its claims, answers to its questions) it must know whose they are, and it
can only know that if every record is stamped where it is created. Models that travel in data
packs derive from :class:`SiteOwned`; when such a record is added without an origin, the
session stamps it with this site's UUID before it is written. Records arriving in a pack keep the
origin they came with.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from schoolhr.store.models import Site


class SiteOwned:
    """Marks a model whose ``origin`` column holds the UUID of the site that created the row."""

    if TYPE_CHECKING:  # each model maps its own column; a runtime annotation would map it here
        origin: str


@event.listens_for(Session, "before_flush")
def _stamp_origin(session: Session, flush_context: Any, instances: Any) -> None:
    new = [obj for obj in session.new if isinstance(obj, SiteOwned) and not obj.origin]
    if not new:
        return
    with session.no_autoflush:
        site_uuid = session.execute(select(Site.site_uuid).where(Site.id == 1)).scalar()
    for obj in new:
        obj.origin = site_uuid or ""
