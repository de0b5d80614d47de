"""The checks made before a profile's database is opened, with plain ``sqlite3``.

They read only, and need no SQLAlchemy: the window runs them before it shows (so a clerk never
types into a window whose database will be refused), then opens the store off the UI thread;
``open_store`` runs them itself for the command line and for anything else that opens a store.
"""

from __future__ import annotations

import logging
import threading

from schoolhr.errors import DatabaseCorruptError, UserError
from schoolhr.paths import DataPaths, require_writable
from schoolhr.store import backup as backups
from schoolhr.store import migrate
from schoolhr.store.sqlite_files import fts5_available, quick_check_problem
from schoolhr.text import roc_datetime

log = logging.getLogger(__name__)


def check_before_open(paths: DataPaths) -> bool:
    """Raise the error ``open_store`` would raise before it touches anything: SQLite without
    FTS5, something of the profile read-only, a damaged database (``DatabaseCorruptError``
    naming the newest good backup), a database from a newer version (``DatabaseNewerError``).
    Returns whether the database exists already. Reads only. (The data folder itself, and that
    it is not on a network share, is ``paths.prepare_data_dir``'s check, made before this.)"""
    if not fts5_available():
        raise UserError(
            "這台電腦上的 SQLite 不支援全文檢索（FTS5），常見問答無法搜尋。"
            "請重新安裝學校人事小幫手的完整安裝檔，或洽縣市人事處。"
        )
    database = paths.database
    require_writable(paths)  # said before anything is tried (doctor still reads such a profile)
    existed = database.exists() and database.stat().st_size > 0
    if existed:
        refuse_if_damaged(paths)
        migrate.database_revision(database)  # DatabaseNewerError, DatabaseDamagedError
    return existed


class BackgroundCheck:
    """``check_before_open`` in a thread, started as early as the window's start can: sqlite3
    lets go of the GIL while it reads, so the checks run while Qt loads. ``problem()`` waits
    for them and answers the ``UserError`` they raised, or None (a bug is raised again)."""

    def __init__(self, paths: DataPaths) -> None:
        self._error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._run, args=(paths,), name="schoolhr-checks", daemon=True
        )
        self._thread.start()

    def _run(self, paths: DataPaths) -> None:
        try:
            check_before_open(paths)
        except BaseException as exc:  # handed to the thread that waits in problem()
            self._error = exc

    def problem(self) -> UserError | None:
        self._thread.join()
        if self._error is None or isinstance(self._error, UserError):
            return self._error
        raise self._error


def refuse_if_damaged(paths: DataPaths) -> None:
    """Raise ``DatabaseCorruptError`` when the profile's database fails ``quick_check``, naming
    the newest backup that passes ``integrity_check``. Reads only."""
    database = paths.database
    problem = quick_check_problem(database)
    if problem is None:
        return
    log.error("the database %s failed quick_check: %s", database, problem)
    good = backups.newest_good_backup(paths)
    message = f"資料庫「{database.name}」已損壞（{problem}），程式沒有寫入這個檔案。"
    if good is None:
        message += (
            "找不到可用的備份；請勿刪除資料夾中的檔案，並洽縣市人事處協助救回資料"
            f"（資料夾：{paths.root}）。"
        )
        raise DatabaseCorruptError(message, database)
    message += (
        f"最新的正常備份是「{good.path.name}」（{roc_datetime(good.taken_at)}）。"
        f'請執行 schoolhr restore "{good.path}" 還原；損壞的檔案會改名保留，不會刪除。'
    )
    raise DatabaseCorruptError(message, database, good.path, good.taken_at)
