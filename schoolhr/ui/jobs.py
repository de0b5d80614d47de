"""The one way to run long work off the UI thread.

``run_job(parent, title, work)`` calls ``work(progress)`` in a worker thread. ``progress`` is a
``schoolhr.progress.Progress``: the service reports how far it is and, when the user has pressed
Cancel, the call raises ``Cancelled`` so the service stops at a safe point and rolls back.
A ``UserError`` becomes a readable message; any other exception is logged with its traceback
and shown as one sentence that says where the log is.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, ClassVar, Generic, TypeVar, cast

from PySide6.QtCore import QObject, Qt, QThread, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from schoolhr.errors import Cancelled, UserError
from schoolhr.logs import current_log_file
from schoolhr.progress import Progress

log = logging.getLogger(__name__)

PROGRESS_INTERVAL_S = 0.05  # at most 20 progress updates a second reach the UI thread
SHOW_DIALOG_AFTER_MS = 300  # quick jobs finish without a dialog flashing up

T = TypeVar("T")


_gc_lock = threading.Lock()
_gc_pausing = 0


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector stops every thread while it walks all live objects:
    with the 100,000 objects of a 10,000-row import that is a 0.1–0.5 s freeze of the window.
    While jobs run it is paused (memory is still freed by reference counting), and it runs
    again when the last job ends."""
    global _gc_pausing
    with _gc_lock:
        _gc_pausing += 1
        if _gc_pausing == 1:
            gc.disable()
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pausing -= 1
            if _gc_pausing == 0:
                gc.enable()


class _Worker(QThread, Generic[T]):
    progressed = Signal(int, int, str)

    def __init__(self, work: Callable[[Progress], T], cancel: threading.Event) -> None:
        super().__init__()
        self._work = work
        self._cancel = cancel
        self._last_emit = 0.0
        self.result: T | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            with _collector_paused():
                self.result = self._work(self._progress)
        except BaseException as exc:  # handed to the UI thread, which reports it
            self.error = exc

    def _progress(self, done: int, total: int, text: str = "") -> None:
        if self._cancel.is_set():
            raise Cancelled()
        now = time.monotonic()
        if now - self._last_emit >= PROGRESS_INTERVAL_S or done >= total:
            self._last_emit = now
            self.progressed.emit(done, total, text)


class JobDialog(QDialog):
    """Progress and Cancel. Cancel (or Esc, or closing the window) only *asks* the work to stop:
    the dialog stays up, saying so, until the work has reached a safe point."""

    cancel_requested = Signal()

    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.label = QLabel(title)
        self.label.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)  # busy until the first report
        self.cancel_button = QPushButton(self.tr("取消"))
        self.cancel_button.clicked.connect(self.request_cancel)
        buttons = QDialogButtonBox()
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(buttons)
        self.setMinimumWidth(360)
        self._finished = False

    def report(self, done: int, total: int, text: str) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(min(done, max(total, 1)))
        if text and self.cancel_button.isEnabled():
            self.label.setText(text)

    def request_cancel(self) -> None:
        if not self.cancel_button.isEnabled():
            return
        self.cancel_button.setEnabled(False)
        self.label.setText(self.tr("正在取消，請稍候…"))
        self.cancel_requested.emit()

    def finish(self) -> None:
        self._finished = True
        self.close()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.request_cancel()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._finished:
            super().closeEvent(event)
            return
        event.ignore()
        self.request_cancel()


class Job(QObject, Generic[T]):
    """A running piece of work whose result is a ``T``. Signals tell how it ended (exactly one
    of the three); ``on_done`` (``run_job``) receives the result with its type."""

    succeeded = Signal(object)  # the work's result, a T
    failed = Signal(str)
    cancelled = Signal()

    _running: ClassVar[set[Job[Any]]] = set()  # keeps jobs alive until they end

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        work: Callable[[Progress], T],
        *,
        quiet: bool = False,
    ) -> None:
        super().__init__(parent)
        self.title = title
        self._quiet = quiet
        self._cancel = threading.Event()
        self._ended = False
        self._error: BaseException | None = None
        self._worker: _Worker[T] = _Worker(work, self._cancel)
        self._worker.progressed.connect(self._on_progress)
        self._worker.finished.connect(self._on_finished)
        self.dialog: JobDialog | None = None
        self.message_box: QMessageBox | None = None
        if not quiet:
            self.dialog = JobDialog(title, parent)
            self.dialog.cancel_requested.connect(self.cancel)

    def start(self) -> Job[T]:
        Job._running.add(self)
        self._worker.start()
        if self.dialog is not None:
            QTimer.singleShot(SHOW_DIALOG_AFTER_MS, self._show_dialog)
        return self

    def _show_dialog(self) -> None:
        if self.dialog is not None and not self._ended:
            self.dialog.show()

    def on_success(self, callback: Callable[[T], object]) -> None:
        """Call ``callback`` with the result when the work has succeeded."""
        self.succeeded.connect(callback)

    def cancel(self) -> None:
        """Ask the work to stop; it ends with ``cancelled`` once it reaches a safe point."""
        self._cancel.set()
        if self.dialog is not None:
            self.dialog.request_cancel()

    @property
    def error(self) -> BaseException | None:
        """What the work raised, once it has ended (None if it succeeded)."""
        return self._error

    def is_running(self) -> bool:
        return not self._ended

    def wait(self, timeout_ms: int = 30_000) -> bool:
        """Block until the work has stopped (its signals are delivered by the event loop)."""
        return self._ended or self._worker.wait(timeout_ms)

    def _on_progress(self, done: int, total: int, text: str) -> None:
        if self.dialog is not None:
            self.dialog.report(done, total, text)

    def _on_finished(self) -> None:
        self._ended = True
        Job._running.discard(self)
        if self.dialog is not None:
            self.dialog.finish()
            self.dialog.deleteLater()
            self.dialog = None
        self._error = self._worker.error
        result = self._worker.result
        self._worker.deleteLater()  # wait() and is_running() go by _ended from now on
        if self._error is None:
            self.succeeded.emit(result)
        elif isinstance(self._error, Cancelled):
            log.info("job cancelled: %s", self.title)
            self.cancelled.emit()
        elif isinstance(self._error, UserError):
            log.warning("job %s: %s", self.title, self._error.message)
            self._report(self._error.message)
        else:
            log.error("job %s failed", self.title, exc_info=self._error)
            self._report(unexpected_error_message())

    def _report(self, message: str) -> None:
        self.failed.emit(message)
        if self._quiet:
            return
        parent = cast("QWidget | None", self.parent())  # the widget the job was started from
        box = QMessageBox(QMessageBox.Icon.Warning, self.title, message, parent=parent)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.message_box = box
        box.open()


def unexpected_error_message() -> str:
    where = current_log_file()
    return "發生未預期的錯誤，資料未變更；詳細內容已寫入記錄檔" + (f"：{where}" if where else "。")


def run_job(
    parent: QWidget | None,
    title: str,
    work: Callable[[Progress], T],
    on_done: Callable[[T], object] | None = None,
    *,
    quiet: bool = False,
) -> Job[T]:
    """Start ``work`` off the UI thread with a progress dialog (unless ``quiet``) and Cancel;
    ``on_done(result)`` runs on the UI thread when it succeeded."""
    job = Job(parent, title, work, quiet=quiet)
    if on_done is not None:
        job.on_success(on_done)
    return job.start()


def wait_for_jobs(timeout_ms: int = 30_000) -> bool:
    """Wait for every running job's thread to end (at exit, before the database closes)."""
    return all(job.wait(timeout_ms) for job in list(Job._running))
