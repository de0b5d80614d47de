"""What the main window asks of every page."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from schoolhr.ui.changes import EVERYTHING, Kinds

if TYPE_CHECKING:
    from schoolhr.store.database import Store

Waiter = Callable[[Callable[[], object] | None, object], bool]
"""``MainWindow.when_store_ready``: run a callback now, or once the store is open."""
Slot = TypeVar("Slot", bound=Callable[..., Any])


def needs_store(slot: Slot) -> Slot:
    """A page's action that needs the open store (a button the clerk can press while the window
    is still opening it): run at once when the store is open; before that the window shows
    that it waits (busy cursor, 「正在開啟資料庫…」) and runs the action once the store is open.
    The same action pressed twice while waiting runs once."""
    code = slot.__code__
    positional = code.co_argcount - 1  # Qt passes a signal's arguments (clicked's checked)

    @functools.wraps(slot)
    def run(self: Page, *args: object, **kwargs: object) -> object:
        args = args[:positional]
        if self._waiter is None:  # a page on its own (tests): as before, the slot decides
            return slot(self, *args, **kwargs)
        result: list[object] = []
        self._waiter(lambda: result.append(slot(self, *args, **kwargs)), (id(self), code))
        return result[0] if result else None

    return run  # type: ignore[return-value]


class Page(QWidget):
    """A page of the main window. Pages that need the database override ``set_store``;
    pages with actions that write override ``set_ready``; all show fresh data in ``refresh``.

    A page that changes data emits ``data_changed`` with the kinds it changed
    (``schoolhr.ui.changes``); the main window then calls ``reload`` on the other pages, which
    refresh when they show one of those kinds (``shows``)."""

    data_changed = Signal(object)  # a frozenset of kinds (schoolhr.ui.changes)
    shows: Kinds = frozenset()  # the kinds of data this page lists
    _waiter: Waiter | None = None

    def set_waiter(self, waiter: Waiter) -> None:
        """How this page waits for the store (the main window's ``when_store_ready``)."""
        self._waiter = waiter

    def wait_for_store(self) -> None:
        """Show that the page waits for the store, when it is not open yet (the page refreshes
        once it is)."""
        if self._waiter is not None:
            self._waiter(None, None)

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
        """Whether actions that write may be used. The main window says True from the start:
        an action that needs the store (``needs_store``) waits for it when pressed early."""

    def set_county(self, county: bool) -> None:
        """Whether this site is the county HR office (which decides, edits content …)."""

    def refresh(self) -> None:
        """Show the current data again."""

    def reload(self, kinds: Kinds) -> None:
        """Data changed elsewhere: show it again if this page shows any of ``kinds``."""
        if EVERYTHING in kinds or self.shows & kinds:
            self.refresh()
