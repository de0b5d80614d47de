"""One running app per data folder.

A ``QLockFile`` in the data folder says who runs; a ``QLocalServer`` named after the folder
lets a second start ask the first to come forward. A lock left by a crashed run (its process
is gone) is taken over by Qt's stale-lock detection; one Qt cannot judge (empty, or written on
another PC) is taken over when no running instance answers.

The lock is what keeps a second window out, so it is taken before the window shows; the server
(QtNetwork) only answers later starts, so the app starts it once its window is up
(``acquire(listen=False)``, then ``listen()``). A start in between finds the lock held and
nobody answering: it says the app is already open and ends, as it would when woken.
"""

from __future__ import annotations

import hashlib
import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QLockFile, QObject, QSysInfo, Signal

from schoolhr.paths import DataPaths

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

RAISE_MESSAGE = b"raise\n"
CONNECT_TIMEOUT_MS = 1000


def server_name(paths: DataPaths) -> str:
    digest = hashlib.sha256(str(paths.root).encode("utf-8")).hexdigest()[:20]
    return f"schoolhr-{digest}"


class SingleInstance(QObject):
    """``acquire()`` is True for the first start; later starts wake the first and get False."""

    activation_requested = Signal()

    def __init__(self, paths: DataPaths) -> None:
        super().__init__()
        self._name = server_name(paths)
        self._lock = QLockFile(str(paths.lock_file))
        self._lock.setStaleLockTime(0)  # stale only when its process is gone, never by age
        self._server: QLocalServer | None = None

    def acquire(self, *, listen: bool = True) -> bool:
        """Take the lock (True), or wake the instance that holds it (False). ``listen``: start
        answering later starts now; with False the caller calls ``listen()`` when it can."""
        if not self._lock.tryLock(200):
            log.info("another instance holds %s (%s)", self._lock.fileName(), self._lock.error())
            if self._wake_first_instance() or not self._take_over_unowned_lock():
                return False
        if listen:
            self.listen()
        return True

    def _take_over_unowned_lock(self) -> bool:
        """A lock Qt cannot judge (empty after a power cut, or written on another PC when the
        folder was copied) and whose owner does not answer keeps nobody out: it is removed and
        taken. A lock of a live process on this PC is never taken."""
        pid, host, _app = self._lock.getLockInfo()  # (0, "", "") when unreadable
        if pid > 0 and host == QSysInfo.machineHostName():
            return False
        log.warning("taking over the lock %s nobody answers for", self._lock.fileName())
        return self._lock.removeStaleLockFile() and self._lock.tryLock(200)

    def listen(self) -> None:
        """Answer later starts (they ask this instance to come forward)."""
        from PySide6.QtNetwork import QLocalServer

        if self._server is not None or not self._lock.isLocked():
            return
        QLocalServer.removeServer(self._name)  # a socket left by a crashed run
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self._name):
            log.warning("cannot listen on %s: %s", self._name, server.errorString())
        server.newConnection.connect(self._on_connection)
        self._server = server

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        if self._lock.isLocked():
            self._lock.unlock()

    def _wake_first_instance(self) -> bool:
        """Ask the running instance to come forward; False when nobody answers."""
        from PySide6.QtNetwork import QLocalSocket

        socket = QLocalSocket()
        socket.connectToServer(self._name)
        if socket.waitForConnected(CONNECT_TIMEOUT_MS):
            socket.write(RAISE_MESSAGE)
            socket.flush()
            socket.waitForBytesWritten(CONNECT_TIMEOUT_MS)
            socket.disconnectFromServer()
            return True
        log.warning("the first instance did not answer on %s", self._name)
        return False

    def _on_connection(self) -> None:
        assert self._server is not None
        while (socket := self._server.nextPendingConnection()) is not None:
            socket.readyRead.connect(lambda s=socket: self._on_message(s))
            socket.disconnected.connect(socket.deleteLater)
            if socket.bytesAvailable():
                self._on_message(socket)

    def _on_message(self, socket: QLocalSocket) -> None:
        if bytes(socket.readAll().data()).startswith(RAISE_MESSAGE.strip()):
            self.activation_requested.emit()
