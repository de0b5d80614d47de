"""The one way to run long work off the UI thread.

``run_job(parent, title, work)`` calls ``work(progress)`` in a worker thread. ``progress`` is a
``schoolhr.progress.Progress``: the service reports how far it is and, when the user has pressed
Cancel, the call raises ``Cancelled`` so the service stops at a safe point and rolls back.
A ``UserError`` becomes a readable message; any other exception is logged with its traceback
and shown as one sentence that says where the log is.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, ClassVar

from PySide6.QtCore import QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from schoolhr.errors import Cancelled, UserError
from schoolhr.progress import Progress

log = logging.getLogger(__name__)

PROGRESS_INTERVAL_S = 0.05  # at most 20 progress updates a second reach the UI thread
SHOW_DIALOG_AFTER_MS = 300  # quick jobs finish without a dialog flashing up


class _Worker(QThread):
    progressed = Signal(int, int, str)

    def __init__(self, work: Callable[[Progress], Any], cancel: threading.Event) -> None:
        super().__init__()
        self._work = work
        self._cancel = cancel
        self._last_emit = 0.0
        self.result: Any = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
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


class Job(QObject):
    """A running piece of work. Signals tell how it ended (exactly one of the three)."""

    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    _running: ClassVar[set[Job]] = set()  # keeps jobs alive until they end

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        work: Callable[[Progress], Any],
        *,
        quiet: bool = False,
    ) -> None:
        super().__init__(parent)
        self.title = title
        self._parent = parent
        self._quiet = quiet
        self._cancel = threading.Event()
        self._worker = _Worker(work, self._cancel)
        self._worker.progressed.connect(self._on_progress)
        self._worker.finished.connect(self._on_finished)
        self.dialog: QProgressDialog | None = None
        self.message_box: QMessageBox | None = None
        if not quiet:
            dialog = QProgressDialog(title, self.tr("取消"), 0, 0, parent)
            dialog.setWindowTitle(title)
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.setMinimumDuration(SHOW_DIALOG_AFTER_MS)
            dialog.setAutoClose(False)
            dialog.setAutoReset(False)
            dialog.canceled.connect(self.cancel)
            self.dialog = dialog

    def start(self) -> Job:
        Job._running.add(self)
        if self.dialog is not None:
            self.dialog.setValue(0)
        self._worker.start()
        return self

    def cancel(self) -> None:
        """Ask the work to stop; it ends with ``cancelled`` once it reaches a safe point."""
        self._cancel.set()
        if self.dialog is not None:
            self.dialog.setLabelText(self.tr("正在取消，請稍候…"))

    @property
    def error(self) -> BaseException | None:
        """What the work raised, once it has ended (None if it succeeded)."""
        return self._worker.error

    def is_running(self) -> bool:
        return self._worker.isRunning()

    def wait(self, timeout_ms: int = 30_000) -> bool:
        return self._worker.wait(timeout_ms)

    def _on_progress(self, done: int, total: int, text: str) -> None:
        if self.dialog is None or self._cancel.is_set():
            return
        self.dialog.setMaximum(max(total, 1))
        self.dialog.setValue(min(done, max(total, 1)))
        if text:
            self.dialog.setLabelText(text)

    def _on_finished(self) -> None:
        Job._running.discard(self)
        if self.dialog is not None:
            self.dialog.reset()
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None
        error = self._worker.error
        if error is None:
            self.succeeded.emit(self._worker.result)
        elif isinstance(error, Cancelled):
            log.info("job cancelled: %s", self.title)
            self.cancelled.emit()
        elif isinstance(error, UserError):
            log.warning("job %s: %s", self.title, error.message)
            self._report(error.message)
        else:
            log.error("job %s failed", self.title, exc_info=error)
            self._report(self.tr("發生未預期的錯誤，資料未變更；詳細內容已寫入記錄檔。"))
        self._worker.deleteLater()

    def _report(self, message: str) -> None:
        self.failed.emit(message)
        if self._quiet:
            return
        box = QMessageBox(QMessageBox.Icon.Warning, self.title, message, parent=self._parent)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.message_box = box
        box.open()


def run_job(
    parent: QWidget | None,
    title: str,
    work: Callable[[Progress], Any],
    on_done: Callable[[Any], None] | None = None,
    *,
    quiet: bool = False,
) -> Job:
    """Start ``work`` off the UI thread with a progress dialog (unless ``quiet``) and Cancel;
    ``on_done(result)`` runs on the UI thread when it succeeded."""
    job = Job(parent, title, work, quiet=quiet)
    if on_done is not None:
        job.succeeded.connect(on_done)
    return job.start()


def wait_for_jobs(timeout_ms: int = 30_000) -> bool:
    """Wait for every running job's thread to end (at exit, before the database closes)."""
    return all(job.wait(timeout_ms) for job in list(Job._running))
