"""Errors a clerk can cause and read.

Every ``UserError`` carries a zh-TW sentence that says what is wrong and what to do next,
and the exit code the command line returns for it. Anything else that escapes is a bug:
its traceback goes to the log file, never to the user.
"""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum
from pathlib import Path


class ExitCode(IntEnum):
    """Exit codes of the ``schoolhr`` command (documented in README.md)."""

    OK = 0
    UNHEALTHY = 1  # doctor found a problem
    USAGE = 2  # wrong command-line arguments (argparse)
    DATA_DIR = 3  # the data folder cannot be used
    FILE = 4  # a file given by the user is missing or unreadable
    DATABASE_NEWER = 5  # the database was written by a newer version
    DATABASE_DAMAGED = 6  # the database or a backup failed its integrity check
    CANCELLED = 7  # the user cancelled a long job
    NO_DISPLAY = 8  # the window was asked for where there is no desktop to show it on
    NOT_ALLOWED = 9  # this site's role may not do that (a school approving points …)
    INTERNAL = 10  # a bug: details are in the log file (never a user's mistake)
    REFUSED = 11  # the input was refused: a value, an id or a choice that cannot be used


class UserError(Exception):
    """An error the user can understand and act on; ``message`` is zh-TW. Its exit code is
    ``REFUSED`` unless a subclass names a more specific one: 10 (``INTERNAL``) is for bugs
    only."""

    exit_code: ExitCode = ExitCode.REFUSED

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class DataDirError(UserError):
    exit_code = ExitCode.DATA_DIR


class NotAllowedError(UserError):
    """The action belongs to another role (the county decides, a school claims)."""

    exit_code = ExitCode.NOT_ALLOWED


class UserFileError(UserError):
    exit_code = ExitCode.FILE


class DatabaseNewerError(UserError):
    exit_code = ExitCode.DATABASE_NEWER


class DatabaseDamagedError(UserError):
    exit_code = ExitCode.DATABASE_DAMAGED


class DatabaseCorruptError(DatabaseDamagedError):
    """The profile's own database failed its check when the app started; nothing was written
    to it. ``backup`` is the newest backup that passes ``integrity_check`` (None when there is
    none) and ``backup_taken_at`` when it was taken, so the caller can offer to restore it."""

    def __init__(
        self,
        message: str,
        database: Path,
        backup: Path | None = None,
        backup_taken_at: datetime | None = None,
    ) -> None:
        super().__init__(message)
        self.database = database
        self.backup = backup
        self.backup_taken_at = backup_taken_at


class DiskFullError(UserError):
    """The disk (or the database's size limit) is full; the change was not written."""

    exit_code = ExitCode.DATA_DIR


class Cancelled(UserError):
    """Raised inside a long job when the user pressed Cancel; nothing was changed."""

    exit_code = ExitCode.CANCELLED

    def __init__(self, message: str = "作業已取消，資料未變更。") -> None:
        super().__init__(message)
