"""Press everything in the real window, as a curious clerk would: run in a child process.

    python -m tests.ui.press_everything --role school|county --zoom 100 [--contrast]
        --work DIR --report FILE.json --trail FILE.txt

It builds the demo profile of the role in ``DIR/data``, opens the main window and walks the
widget tree. Nothing is listed by hand, so a button added next month is pressed too:

- every page of the navigation: with the first row of each list or table picked, every
  enabled button on every tab of the page, the menus of tool buttons, context menus (custom
  ones by their signal, widgets of ours with their own ``contextMenuEvent``, action menus)
  and the keyboard shortcuts that belong to the page;
- every action of the menu bar, and every window-wide shortcut as keys;
- every window that opens (dialogs, the print preview, the small guide window, the
  presentation): its buttons, its tool-bar actions and its shortcuts, the same way, and then it
  is cancelled (its reject button, or Esc/close).

Modal questions are answered the safe way: ``QMessageBox.question`` says No, file-open and
folder dialogs are cancelled, input dialogs are cancelled, and save dialogs accept a path in
``DIR/out``. Qt's own standard dialogs (print, page setup, message boxes) are read and closed.
Progress dialogs of jobs are waited for, not pressed.

Every action pressed is written to the trail file first (flushed), so a crash shows the last
one. The report gives the counts per page and window, the errors (a Python exception in a
slot or a thread, an error logged, an 「未預期」 message shown) and the temporary files left
behind in the profile's ``tmp`` folder and in ``TMPDIR``. Exit code 0: nothing went wrong.
"""

from __future__ import annotations

import argparse
import faulthandler
import json
import logging
import os
import re
import sys
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QContextMenuEvent, QKeySequence, QShortcut
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPageSetupDialog, QPrintPreviewDialog
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QColorDialog,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFontDialog,
    QInputDialog,
    QMenu,
    QMessageBox,
    QProgressDialog,
    QTabWidget,
    QToolButton,
    QWidget,
)

WALKED = "pressEverythingWalked"  # dynamic property on windows already handled
UNEXPECTED = "未預期"
MAX_PRESSES_PER_SCOPE = 400
SETTLE_TIMEOUT_S = 60.0
STANDARD_DIALOGS = (
    QMessageBox,
    QFileDialog,
    QAbstractPrintDialog,
    QPageSetupDialog,
    QInputDialog,
    QColorDialog,
    QFontDialog,
    QProgressDialog,
)


class Walk:
    """One walk over one main window; ``counts`` and ``errors`` make the report."""

    def __init__(self, window: Any, out_dir: Path, trail: Path, zoom: int, contrast: bool) -> None:
        self.window = window
        self.out_dir = out_dir
        self.trail = trail.open("a", encoding="utf-8")
        self.zoom = zoom
        self.contrast = contrast
        self.counts: Counter[str] = Counter()
        self.windows: Counter[str] = Counter()
        self.errors: list[str] = []
        self.messages: list[str] = []
        self.scope = "start"
        self.last = "start"
        self._menu_choice: int | None = None
        self._menu_size: int | None = None
        self._closing_actions: list[QAction] = []  # those that closed the main window
        self.quitting = False

    # -- bookkeeping ----------------------------------------------------------------------

    def error(self, text: str) -> None:
        self.errors.append(f"{text}  [after: {self.last}]")

    def press(
        self,
        scope: str,
        what: str,
        trigger: Callable[[], object],
        action: QAction | None = None,
    ) -> None:
        """Write what is pressed to the trail, press it, let it finish, put the window back.
        An action that closes the main window (結束) is noted, and the window shown again."""
        self.last = f"{scope} › {what}"
        self.trail.write(self.last + "\n")
        self.trail.flush()
        self.counts[scope] += 1
        outer, self.scope = self.scope, scope
        try:
            trigger()
        except Exception:  # the walk's own trigger; a slot's exception reaches sys.excepthook
            self.error("exception while pressing: " + traceback.format_exc())
        self.settle()
        self.scope = outer
        if not self.window.isVisible() and not self.quitting:
            if action is None:
                self.error("the main window closed")
            else:
                self._closing_actions.append(action)
            self.window.show()
            QTest.qWaitForWindowExposed(self.window)
        self.restore()

    def settle(self) -> None:
        """Let jobs end and their signals arrive (a preview opens after its PDF is made)."""
        from schoolhr.ui.jobs import Job

        deadline = time.monotonic() + SETTLE_TIMEOUT_S
        for _ in range(3):
            QApplication.processEvents()
        while Job._running and time.monotonic() < deadline:
            QTest.qWait(20)
        if Job._running:
            self.error(f"a job was still running after {SETTLE_TIMEOUT_S} s")
        QTest.qWait(30)  # deferred signals, a window opened by a finished job
        self.handle_new_windows()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    def restore(self) -> None:
        """Undo what would change the rest of the walk: presentation, zoom, contrast."""
        window = self.window
        if self.quitting:
            return
        if window.presenting:
            window.set_presentation(False)
        if window.zoom.percent != self.zoom:
            window.zoom.set_percent(self.zoom)
        if window.zoom.high_contrast != self.contrast:
            window.zoom.set_high_contrast(self.contrast)
            window.contrast_action.setChecked(self.contrast)

    # -- the main window ------------------------------------------------------------------

    def run(self) -> None:
        self.watch()
        window = self.window
        for key, title in zip(window.page_keys(), window.page_titles(), strict=True):
            self.press("navigation", title, lambda k=key: window.show_page(k))
            self.walk_page(key, title)
        self.walk_menu_bar()
        self.walk_shortcuts("shortcuts", window, page_key=None)
        self.quit()

    def quit(self) -> None:
        """Last, leave as the clerk does: the action that closed the window during the walk
        (結束, Ctrl+Q) again, or the window's close button. Nothing may stay open."""
        window = self.window
        self.quitting = True
        closing = self._closing_actions[0] if self._closing_actions else None
        what = clean(closing.text()) if closing is not None else "關閉主視窗"
        self.last = f"quit › {what}"
        self.trail.write(self.last + "\n")
        self.trail.flush()
        self.counts["quit"] += 1
        if closing is not None:
            closing.trigger()
        else:
            window.close()
        self.settle()
        if window.isVisible():
            self.error(f"{what} did not close the window")
        still = [w for w in QApplication.topLevelWidgets() if alive(w) and w.isVisible()]
        for widget in still:  # the app would keep running with no main window
            self.error(f"after {what}, {type(widget).__name__} {widget.windowTitle()!r} is open")

    def walk_page(self, key: str, title: str) -> None:
        def back() -> None:
            if self.window.current_key() != key:
                self.window.show_page(key)
                self.settle()

        page = self.window.current_page()
        self.walk_container(title, page, before_each=back)
        back()
        self.walk_context_menus(title, page, before_each=back)
        self.walk_shortcuts(title, page, page_key=key)

    def walk_menu_bar(self) -> None:
        for action in leaf_actions(self.window.menuBar().actions()):
            self.press("menu", clean(action.text()), action.trigger, action)
            if action.isCheckable() and action.isChecked():
                self.press("menu", clean(action.text()) + "（再按一次）", action.trigger, action)

    def walk_shortcuts(self, scope: str, root: QWidget, page_key: str | None) -> None:
        """Every key sequence of the shortcuts and actions that live in ``root`` (for the
        window: those not inside a page, so a page's keys are sent while it is shown)."""
        sequences: list[tuple[str, QKeySequence, QAction | None]] = []
        for shortcut in root.findChildren(QShortcut):
            if page_key is None and self.inside_page(shortcut):
                continue
            if shortcut.isEnabled():
                sequences.append(
                    (shortcut.whatsThis() or shortcut.key().toString(), shortcut.key(), None)
                )
        for action in root.findChildren(QAction):
            if (page_key is None and self.inside_page(action)) or not action.isEnabled():
                continue
            if not action.isVisible():
                continue
            for sequence in action.shortcuts():
                sequences.append((clean(action.text()), sequence, action))
        seen: set[str] = set()
        for name, sequence, action in sequences:
            keys = sequence.toString()
            if not keys or keys in seen:
                continue
            seen.add(keys)

            def send(keys: str = keys, sequence: QKeySequence = sequence) -> None:
                if page_key is not None and self.window.current_key() != page_key:
                    self.window.show_page(page_key)
                    self.settle()
                target = QApplication.focusWidget() or self.window
                if target.window() is not self.window:
                    target = self.window
                QTest.keySequence(target, sequence)

            self.press(scope, f"{keys}（{name}）", send, action)
            if keys == "F11":  # on and off, as the trainer does
                self.press(scope, f"{keys}（再按一次）", send)

    def inside_page(self, item: QObject) -> bool:
        parent = item.parent()
        while parent is not None:
            if parent is self.window.pages:
                return True
            parent = parent.parent()
        return False

    # -- any container: a page or a window ------------------------------------------------

    def walk_container(
        self, scope: str, root: QWidget, before_each: Callable[[], None] | None = None
    ) -> None:
        """Press every enabled, visible button in ``root`` once, tab by tab; buttons that
        close a dialog (its button box) are left for the end."""
        pressed: set[str] = set()
        for _tab_state in tab_states(root):
            pick_first_rows(root)
            while len(pressed) < MAX_PRESSES_PER_SCOPE:
                if before_each is not None:
                    before_each()
                if not open_(root):
                    return
                button = self.next_button(root, pressed)
                if button is None:
                    break
                name = describe(button)
                pressed.add(button_key(button))
                self.press(scope, name, button.click)
                if isinstance(button, QToolButton) and button.menu() is not None:
                    for action in leaf_actions(button.menu().actions()):
                        self.press(scope, f"{name} › {clean(action.text())}", action.trigger)

    def next_button(self, root: QWidget, pressed: set[str]) -> QAbstractButton | None:
        for button in root.findChildren(QAbstractButton):
            if (
                not (button.isVisible() and button.isEnabled())
                or button.window() is not root.window()
            ):
                continue
            if isinstance(button.parent(), QDialogButtonBox):
                continue  # the dialog's own accept/cancel: pressed when the walk leaves it
            if is_qt_internal(button):
                continue
            if button_key(button) not in pressed:
                return button
        return None

    def walk_context_menus(
        self, scope: str, root: QWidget, before_each: Callable[[], None] | None = None
    ) -> None:
        for widget in [root, *root.findChildren(QWidget)]:
            if not widget.isVisible() or widget.window() is not root.window():
                continue
            policy = widget.contextMenuPolicy()
            if policy == Qt.ContextMenuPolicy.ActionsContextMenu:
                for action in leaf_actions(widget.actions()):
                    self.press(
                        scope, f"右鍵 {describe(widget)} › {clean(action.text())}", action.trigger
                    )
                continue
            custom = policy == Qt.ContextMenuPolicy.CustomContextMenu
            own = policy == Qt.ContextMenuPolicy.DefaultContextMenu and overrides_context_menu(
                widget
            )
            if not (custom or own):
                continue
            choice = 0
            while choice < 50:
                if before_each is not None:
                    before_each()
                self._menu_choice, self._menu_size = choice, None

                def open_menu(widget: QWidget = widget, custom: bool = custom) -> None:
                    centre = widget.rect().center()
                    if custom:
                        widget.customContextMenuRequested.emit(centre)
                    else:
                        event = QContextMenuEvent(
                            QContextMenuEvent.Reason.Mouse, centre, widget.mapToGlobal(centre)
                        )
                        QApplication.sendEvent(widget, event)

                self.press(scope, f"右鍵 {describe(widget)} #{choice + 1}", open_menu)
                size = self._menu_size
                self._menu_choice = None
                if size is None or choice + 1 >= size:
                    break
                choice += 1

    # -- windows that open ----------------------------------------------------------------

    def watch(self) -> None:
        """Every 50 ms, also inside the event loops of modal dialogs: handle a popup menu or
        a window that has just opened. Re-armed first, so a nested loop keeps watching."""
        QTimer.singleShot(50, self.watch)
        self.handle_new_windows()

    def handle_new_windows(self) -> None:
        if self.quitting:
            return
        popup = QApplication.activePopupWidget()
        if isinstance(popup, QMenu) and popup.property(WALKED) is None:
            popup.setProperty(WALKED, True)
            self.answer_menu(popup)
            return
        for widget in QApplication.topLevelWidgets():
            if not alive(widget) or widget is self.window or not widget.isVisible():
                continue
            if widget.property(WALKED):
                continue
            if isinstance(widget, QMenu) or widget.windowType() in (
                Qt.WindowType.ToolTip,
                Qt.WindowType.Popup,
            ):
                continue
            if is_progress_dialog(widget):
                continue  # a job's progress: it closes itself
            widget.setProperty(WALKED, True)
            self.walk_window(widget)

    def answer_menu(self, menu: QMenu) -> None:
        actions = [a for a in leaf_actions(menu.actions())]
        self._menu_size = len(actions)
        choice = self._menu_choice
        if choice is None or choice >= len(actions):
            menu.close()
            return
        menu.setActiveAction(actions[choice])
        QTest.keyClick(menu, Qt.Key.Key_Return)

    def walk_window(self, window: QWidget) -> None:
        title = window.windowTitle() or type(window).__name__
        scope = f"{self.scope} ⟶ {title}"
        self.windows[type(window).__name__] += 1
        if isinstance(window, QMessageBox):
            text = window.text()
            self.messages.append(text)
            if UNEXPECTED in text:
                self.error(f"message box: {text}")
        if isinstance(window, STANDARD_DIALOGS):
            self.close_window(scope, window)
            return
        if isinstance(window, QPrintPreviewDialog):
            for action in leaf_actions(window.findChildren(QAction)):
                if open_(window):
                    name = clean(action.text()) or action.toolTip() or action.objectName()
                    self.press(scope, name or "（無名稱的動作）", action.trigger)
            self.close_window(scope, window)
            return
        self.walk_container(scope, window)
        if open_(window):
            self.walk_context_menus(scope, window)
        if open_(window):
            self.walk_shortcuts(scope, window, page_key=None)
        if open_(window):
            self.close_window(scope, window)

    def close_window(self, scope: str, window: QWidget) -> None:
        """Leave a window the way a clerk would: its cancel/close button, or Esc, or close."""
        if not open_(window):
            return
        for box in window.findChildren(QDialogButtonBox):
            for button in box.buttons():
                role = box.buttonRole(button)
                if role == QDialogButtonBox.ButtonRole.RejectRole and button.isEnabled():
                    self.press(scope, describe(button), button.click)
                    if not open_(window):
                        return
        if isinstance(window, QMessageBox):
            button = window.escapeButton() or window.defaultButton()
            if button is not None:
                self.press(scope, describe(button), button.click)
                if not open_(window):
                    return
        if isinstance(window, QDialog):
            self.press(scope, "Esc", lambda: QTest.keyClick(window, Qt.Key.Key_Escape))
        if open_(window):
            self.press(scope, "關閉視窗", window.close)
        if open_(window):
            self.error(f"window {window.windowTitle()!r} would not close")


# -- widget helpers ----------------------------------------------------------------------


def alive(widget: QObject) -> bool:
    return shiboken6.isValid(widget)


def open_(window: QWidget) -> bool:
    """Still there and shown (a dialog that deletes itself on close is gone)."""
    return alive(window) and window.isVisible()


def clean(text: str) -> str:
    return re.sub(r"\(&.\)|&", "", text).strip()


def describe(widget: QWidget) -> str:
    text = ""
    if isinstance(widget, QAbstractButton):
        text = clean(widget.text())
    text = text or widget.accessibleName() or widget.toolTip() or widget.objectName()
    return f"{type(widget).__name__}「{text}」"


def button_key(button: QAbstractButton) -> str:
    return "|".join(
        (
            type(button).__name__,
            button.text(),
            button.accessibleName(),
            button.objectName(),
            button.toolTip(),
        )
    )


def leaf_actions(actions: list[QAction]) -> Iterator[QAction]:
    for action in actions:
        if action.isSeparator() or not action.isVisible() or not action.isEnabled():
            continue
        if action.menu() is not None:
            yield from leaf_actions(action.menu().actions())
        elif not action.isSeparator():
            yield action


def tab_states(root: QWidget) -> Iterator[None]:
    """Each tab of each tab widget in ``root`` shown in turn (once with none changed)."""
    yield None
    for tabs in root.findChildren(QTabWidget):
        for index in range(tabs.count()):
            if tabs.isVisible() and tabs.isTabEnabled(index) and tabs.isTabVisible(index):
                tabs.setCurrentIndex(index)
                QApplication.processEvents()
                yield None


def pick_first_rows(root: QWidget) -> None:
    """A clerk picks something before pressing the buttons that act on it."""
    for view in root.findChildren(QAbstractItemView):
        model = view.model()
        if not view.isVisible() or model is None or model.rowCount() == 0:
            continue
        if not view.currentIndex().isValid():
            index = model.index(0, 0)
            while model.rowCount(index) > 0:  # in a tree, the first leaf (a guide, not a system)
                index = model.index(0, 0, index)
            view.setCurrentIndex(index)
    QApplication.processEvents()


def is_qt_internal(button: QAbstractButton) -> bool:
    """Buttons Qt puts inside its own widgets (tab-bar scroll arrows, a line edit's clear
    button, spin-box arrows): they belong to Qt, not to the app."""
    return button.objectName().startswith("qt_") or type(button).__name__ in ("QTabBar",)


def is_progress_dialog(widget: QWidget) -> bool:
    from schoolhr.ui.jobs import JobDialog

    return isinstance(widget, JobDialog)


def overrides_context_menu(widget: QWidget) -> bool:
    """A widget class of the app's own with a ``contextMenuEvent`` of its own."""
    for klass in type(widget).__mro__:
        if not klass.__module__.startswith("schoolhr."):
            return False
        if "contextMenuEvent" in vars(klass):
            return True
    return False


# -- answers to modal questions ----------------------------------------------------------


def install_answers(walk: Walk, out_dir: Path) -> None:
    """Static dialog functions answered the safe way (see the module docstring)."""

    def save_name(
        _parent: object = None, _caption: str = "", directory: str = "", *a: Any, **k: Any
    ) -> tuple[str, str]:
        name = Path(directory).name if directory else "file"
        name = re.sub(r"[\\/:*?\"<>|]", "_", name) or "file"
        target = out_dir / f"{len(list(out_dir.iterdir())):03d}-{name}"
        walk.messages.append(f"存檔 → {target.name}")
        return str(target), ""

    def cancel_name(*_a: Any, **_k: Any) -> tuple[str, str]:
        return "", ""

    def cancel_names(*_a: Any, **_k: Any) -> tuple[list[str], str]:
        return [], ""

    def cancel_folder(*_a: Any, **_k: Any) -> str:
        return ""

    def cancel_input(*_a: Any, **_k: Any) -> tuple[Any, bool]:
        return "", False

    def message(kind: str) -> Callable[..., QMessageBox.StandardButton]:
        def answer(
            _parent: object = None, title: str = "", text: str = "", *a: Any, **k: Any
        ) -> QMessageBox.StandardButton:
            walk.messages.append(f"{kind}: {text}")
            if UNEXPECTED in str(text):
                walk.error(f"{kind} message: {text}")
            if kind == "question":
                return QMessageBox.StandardButton.No
            return QMessageBox.StandardButton.Ok

        return answer

    QFileDialog.getSaveFileName = staticmethod(save_name)  # type: ignore[method-assign]
    QFileDialog.getOpenFileName = staticmethod(cancel_name)  # type: ignore[method-assign]
    QFileDialog.getOpenFileNames = staticmethod(cancel_names)  # type: ignore[method-assign]
    QFileDialog.getExistingDirectory = staticmethod(cancel_folder)  # type: ignore[method-assign]
    for name in ("getText", "getMultiLineText", "getItem", "getInt", "getDouble"):
        setattr(QInputDialog, name, staticmethod(cancel_input))
    for kind in ("question", "information", "warning", "critical"):
        setattr(QMessageBox, kind, staticmethod(message(kind)))


class _ErrorLog(logging.Handler):
    def __init__(self, walk: Walk) -> None:
        super().__init__(logging.ERROR)
        self.walk = walk

    def emit(self, record: logging.LogRecord) -> None:
        self.walk.error(f"logged: {record.getMessage()}\n{self.format(record)}")


def install_error_catchers(walk: Walk) -> None:
    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        text = "".join(traceback.format_exception(kind, value, tb))
        print(text, file=sys.stderr, flush=True)
        walk.error("exception: " + text)

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        walk.error(
            "exception in a thread: "
            + "".join(traceback.format_exception(args.exc_type, args.exc_value, args.exc_traceback))
        )

    def unraisable(args: Any) -> None:
        walk.error(f"unraisable exception: {args.exc_value!r} in {args.object!r}")

    sys.excepthook = hook
    threading.excepthook = thread_hook
    sys.unraisablehook = unraisable
    logging.getLogger().addHandler(_ErrorLog(walk))


# -- the child process -------------------------------------------------------------------


def leftovers(folder: Path) -> list[str]:
    if not folder.exists():
        return []
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--role", choices=("school", "county"), required=True)
    parser.add_argument("--zoom", type=int, default=100)
    parser.add_argument("--contrast", action="store_true")
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--report", type=Path, required=True)
    parser.add_argument("--trail", type=Path, required=True)
    args = parser.parse_args(argv)
    faulthandler.enable()

    from schoolhr.demo import build_demo
    from schoolhr.logs import setup_logging
    from schoolhr.paths import prepare_data_dir
    from schoolhr.ui.app import application, build_main_window
    from schoolhr.ui.jobs import wait_for_jobs

    paths = prepare_data_dir(args.work / "data")
    out_dir = args.work / "out"
    out_dir.mkdir(parents=True, exist_ok=True)
    temp_root = Path(os.environ.get("TMPDIR", "/tmp"))
    build_demo(paths, reset=False, role=args.role)
    setup_logging(paths)

    app = application()
    window = build_main_window(app, paths)
    window.zoom.set_percent(args.zoom)
    window.zoom.set_high_contrast(args.contrast)
    window.contrast_action.setChecked(args.contrast)
    window.show()
    QTest.qWaitForWindowExposed(window)
    window.activateWindow()
    QTest.qWait(100)

    walk = Walk(window, out_dir, args.trail, args.zoom, args.contrast)
    install_answers(walk, out_dir)
    install_error_catchers(walk)
    started = time.monotonic()
    walk.run()
    if not wait_for_jobs(30_000):
        walk.error("jobs still running at the end")
    QApplication.processEvents()
    if window.store is not None:
        window.store.close()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    report = {
        "role": args.role,
        "zoom": args.zoom,
        "contrast": args.contrast,
        "platform": QApplication.platformName(),
        "seconds": round(time.monotonic() - started, 1),
        "pressed": dict(walk.counts),
        "total": sum(walk.counts.values()),
        "windows": dict(walk.windows),
        "errors": walk.errors,
        "messages": walk.messages,
        "files_saved": sorted(p.name for p in out_dir.iterdir()),
        "leftovers": [f"tmp/{name}" for name in leftovers(paths.temporary)]
        + [f"TMPDIR/{name}" for name in leftovers(temp_root)],
    }
    args.report.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0 if not walk.errors and not report["leftovers"] else 1


if __name__ == "__main__":
    sys.exit(main())
