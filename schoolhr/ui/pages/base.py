"""What every page has (its heading, status line and store) and what the main window asks of
it.

A page may be built before the database store is open (the window is usable while it opens),
so its code never looks at the store before then: ``refresh`` loads the page's data (``load``)
only once the main window has given the page its store, and an action the clerk can press
early is marked ``needs_store`` and waits for it. In ``load``, and in the actions, ``self.store``
is the open store; there is no "no store yet" case to check.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QLayout, QVBoxLayout, QWidget

from schoolhr.ui.changes import EVERYTHING, Kinds
from schoolhr.ui.pages.registry import entry

if TYPE_CHECKING:
    from schoolhr.errors import UserError
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
    def run(self: UsesStore, *args: object, **kwargs: object) -> object:
        args = args[:positional]
        if self._waiter is None:  # a page on its own (tests): as before, the slot decides
            return slot(self, *args, **kwargs)
        result: list[object] = []
        self._waiter(lambda: result.append(slot(self, *args, **kwargs)), (id(self), code))
        return result[0] if result else None

    return run  # type: ignore[return-value]


class StoreNotOpenError(RuntimeError):
    """A page's code used its store before the main window gave it (a programming error)."""


class UsesStore:
    """The store of a page (or of a part of one, such as the contacts page's groups), given
    by the main window once it is open, and the way to wait for it (``needs_store``)."""

    _store: Store | None = None
    _waiter: Waiter | None = None

    @property
    def store(self) -> Store:
        """The open store (see the module's note on when a page's code may use it)."""
        if self._store is None:
            raise StoreNotOpenError(f"{type(self).__name__} used its store before it was open")
        return self._store

    @property
    def store_open(self) -> bool:
        """Whether the store is given: only for what a page shows or keeps while the window
        waits for it (the home page's status, the FAQ's question typed meanwhile)."""
        return self._store is not None

    def set_store(self, store: Store) -> None:
        """The store is open (called before the first ``refresh``, and again with a new store
        after the demo's reset)."""
        self._store = store

    def set_waiter(self, waiter: Waiter) -> None:
        """How to wait for the store (the main window's ``when_store_ready``)."""
        self._waiter = waiter

    def wait_for_store(self) -> None:
        """Show that the page waits for the store, when it is not open yet (the page refreshes
        once it is)."""
        if self._waiter is not None:
            self._waiter(None, None)


class Page(QWidget, UsesStore):
    """A page of the main window (``key``: its entry in ``schoolhr.ui.pages.registry``).

    Every page has ``heading`` (its registry title), ``status`` (a line for what just happened;
    ``show_status``, ``show_error``) and, once the main window gives it, ``store``. A page shows
    its data in ``load``; ``refresh`` calls it when the store is open. Pages that prepare
    something once the store is there override ``set_store`` (calling this one); pages with
    actions that write override ``set_ready``.

    A page that changes data emits ``data_changed`` with the kinds it changed
    (``schoolhr.ui.changes``); the main window then calls ``reload`` on the other pages, which
    refresh when they show one of those kinds (``shows``). That is the one way a change reaches
    other pages: no page calls another's ``refresh``."""

    key: ClassVar[str]
    data_changed = Signal(object)  # a frozenset of kinds (schoolhr.ui.changes)
    shows: Kinds = frozenset()  # the kinds of data this page lists

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel(entry(self.key).title(), self)
        self.heading.setProperty("role", "heading")
        self.status = QLabel("", self)
        self.status.setWordWrap(True)

    def arrange(self, *parts: QWidget | QLayout, grow: QWidget) -> None:
        """Lay the page out in a column: its heading, ``parts`` (``grow`` takes the spare
        height), its status line."""
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        for part in parts:
            if isinstance(part, QLayout):
                layout.addLayout(part)
            else:
                layout.addWidget(part, 1 if part is grow else 0)
        layout.addWidget(self.status)

    def show_status(self, text: str) -> None:
        """Say on the page's status line what just happened (or what went wrong)."""
        self.status.setText(text)

    def show_error(self, error: UserError) -> None:
        """Why an action was refused, in the clerk's words, on the status line."""
        self.show_status(error.message)

    def heightForWidth(self, width: int) -> int:
        """The least height the page needs at ``width``. The window's scroll area takes this as
        the page's minimum height; Qt's default answers the preferred height instead, which
        would push the buttons of any page with a wrapping row or label below the window."""
        layout = self.layout()
        if layout is None or not layout.hasHeightForWidth():
            return super().heightForWidth(width)
        return layout.minimumHeightForWidth(width)

    def set_ready(self, ready: bool) -> None:
        """Whether actions that write may be used. The main window says True from the start:
        an action that needs the store (``needs_store``) waits for it when pressed early."""

    def set_county(self, county: bool) -> None:
        """Whether this site is the county HR office (which decides, edits content …)."""

    def refresh(self) -> None:
        """Show the current data again (nothing before the store is open: the page is
        refreshed once it is)."""
        if self.store_open:
            self.load()

    def load(self) -> None:
        """Read and show the page's data (the store is open)."""

    def reload(self, kinds: Kinds) -> None:
        """Data changed elsewhere: show it again if this page shows any of ``kinds``."""
        if EVERYTHING in kinds or self.shows & kinds:
            self.refresh()
