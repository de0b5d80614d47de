"""Logging to a rotating file in the data folder: what a help-desk person asks for first."""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

from schoolhr.paths import DataPaths

LOG_BYTES = 1_000_000
LOG_FILES = 5
_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"


def setup_logging(paths: DataPaths, level: int = logging.INFO) -> None:
    """Send the app's log records to ``logs/schoolhr.log`` (about 5 MB kept at most)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_schoolhr", False):
            root.removeHandler(handler)
            handler.close()
    try:
        paths.logs.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(
            paths.log_file, maxBytes=LOG_BYTES, backupCount=LOG_FILES, encoding="utf-8"
        )
    except OSError:
        # a read-only logs folder: the command goes on and says what is read-only itself
        # (schoolhr.paths.read_only_problem); records go to the console meanwhile
        return
    handler.setFormatter(logging.Formatter(_FORMAT))
    handler._schoolhr = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    logging.getLogger("alembic").setLevel(logging.WARNING)  # one line per plugin otherwise


def current_log_file() -> Path | None:
    """The file the app logs to, for messages that tell the user where to look."""
    for handler in logging.getLogger().handlers:
        if getattr(handler, "_schoolhr", False) and isinstance(handler, RotatingFileHandler):
            return Path(handler.baseFilename)
    return None
