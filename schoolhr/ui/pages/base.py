"""What the main window asks of every page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from schoolhr.ui.changes import EVERYTHING, Kinds

if TYPE_CHECKING:
    from schoolhr.store.database import Store


class Page(QWidget):
    """A page of the main window. Pages that need the database override ``set_store``;
    pages with actions that write override ``set_ready``; all show fresh data in ``refresh``.

    A page that changes data emits ``data_changed`` with the kinds it changed
    (``schoolhr.ui.changes``); the main window then calls ``reload`` on the other pages, which
    refresh when they show one of those kinds (``shows``)."""

    data_changed = Signal(object)  # a frozenset of kinds (schoolhr.ui.changes)
    shows: Kinds = frozenset()  # the kinds of data this page lists

    def heightForWidth(self, width: int) -> int:
        """The least height the page needs at ``width``. The window's scroll area takes this as
        the page's minimum height; Qt's default answers the preferred height instead, which
        would push the buttons of any page with a wrapping row or label below the window."""
        layout = self.layout()
        if layout is None or not layout.hasHeightForWidth():
            return super().heightForWidth(width)
        return layout.minimumHeightForWidth(width)

    def set_store(self, store: Store) -> None:
        """The store is open (called once, before the first ``refresh``)."""

    def set_ready(self, ready: bool) -> None:
        """Whether actions that write may be used (the store is open)."""

    def set_county(self, county: bool) -> None:
        """Whether this site is the county HR office (which decides, edits content …)."""

    def refresh(self) -> None:
        """Show the current data again."""

    def reload(self, kinds: Kinds) -> None:
        """Data changed elsewhere: show it again if this page shows any of ``kinds``."""
        if EVERYTHING in kinds or self.shows & kinds:
            self.refresh()
