"""Logging to a rotating file in the data folder: what a help-desk person asks for first."""

from __future__ import annotations

import contextlib
import logging
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

from schoolhr.paths import DataPaths

LOG_BYTES = 1_000_000
LOG_FILES = 5
_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"


class _ProfileLogHandler(RotatingFileHandler):
    """The profile's log file. When it cannot be written (a full disk, a file that turned
    read-only or into something else), it says so once, in one line on stderr, and hands over
    to stderr (warnings and errors) instead of printing a traceback for every record."""

    _schoolhr = True

    def handleError(self, record: logging.LogRecord) -> None:
        root = logging.getLogger()
        if self not in root.handlers:
            return
        reason = sys.exc_info()[1]
        root.removeHandler(self)
        with contextlib.suppress(OSError):
            self.close()
        _fall_back_to_stderr(Path(self.baseFilename), reason)
        if record.levelno >= logging.WARNING:
            root.handle(record)  # the record that failed is not lost: it goes to stderr


def _fall_back_to_stderr(log_file: Path, reason: BaseException | None) -> None:
    root = logging.getLogger()
    if any(getattr(h, "_schoolhr_fallback", False) for h in root.handlers):
        return
    why = f"（{reason.strerror or reason}）" if isinstance(reason, OSError) else ""
    print(f"無法寫入記錄檔「{log_file}」{why}；本次的警告與錯誤改為顯示在螢幕上。", file=sys.stderr)
    console = logging.StreamHandler(sys.stderr)
    console.setLevel(logging.WARNING)
    console.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    console._schoolhr_fallback = True  # type: ignore[attr-defined]
    root.addHandler(console)


def setup_logging(paths: DataPaths, level: int = logging.INFO) -> None:
    """Send the app's log records to ``logs/schoolhr.log`` (about 5 MB kept at most). A log
    that cannot be opened or written falls back to stderr, said once in one line."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_schoolhr", False) or getattr(handler, "_schoolhr_fallback", False):
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)
    logging.getLogger("alembic").setLevel(logging.WARNING)  # one line per plugin otherwise
    try:
        paths.logs.mkdir(parents=True, exist_ok=True)
        handler = _ProfileLogHandler(
            paths.log_file, maxBytes=LOG_BYTES, backupCount=LOG_FILES, encoding="utf-8"
        )
    except OSError as exc:
        _fall_back_to_stderr(paths.log_file, exc)
        return
    handler.setFormatter(logging.Formatter(_FORMAT))
    root.addHandler(handler)


def current_log_file() -> Path | None:
    """The file the app logs to, for messages that tell the user where to look."""
    for handler in logging.getLogger().handlers:
        if getattr(handler, "_schoolhr", False) and isinstance(handler, RotatingFileHandler):
            return Path(handler.baseFilename)
    return None
