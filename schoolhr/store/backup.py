"""Hot backups with SQLite's backup API, verified before they count, thinned over time.

A backup is written to ``<name>.partial``, checked with ``integrity_check`` and only then
renamed to its final name, so every ``schoolhr-*.sqlite3`` file in ``backups/`` is a verified
backup. Cancelling or failing leaves no file behind; a partial file left by a process that was
killed is removed by the next thinning once it is old enough not to be another run's work.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import quote

from schoolhr.errors import DatabaseDamagedError, DataDirError, DiskFullError, UserFileError
from schoolhr.files import atomic_path
from schoolhr.paths import DataPaths, make_folder
from schoolhr.progress import Progress, report
from schoolhr.store.sqlite_files import is_disk_full, verify_database_file

PAGES_PER_STEP = 256
BACKUP_NAME = re.compile(r"^schoolhr-(\d{8}-\d{6})(?:-(\d+))?-([a-z-]+)\.sqlite3$")
# A partial backup (and the journal SQLite may keep beside it) left by a killed process.
PARTIAL_NAME = re.compile(r"^schoolhr-.*\.sqlite3\.partial(?:-journal|-wal|-shm)?$")
STALE_PARTIAL_SECONDS = 3600  # older than any backup takes: no running backup still writes it

REASON_LABELS = {
    "manual": "手動備份",
    "daily": "每日自動備份",
    "pre-migrate": "更新資料庫結構前",
    "pre-restore": "還原前",
    "pre-import": "匯入前",
    "pre-regroup": "重新分組前",
}

# How many backups the thinning keeps: the most recent few, then one a day, a week, a month.
KEEP_RECENT = 10
KEEP_DAILY_DAYS = 14
KEEP_WEEKLY_WEEKS = 8
KEEP_MONTHLY_MONTHS = 12


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: datetime  # local time, as in the file name
    reason: str
    size: int
    sequence: int = 1  # the n-th backup taken in the same second (the -n- in its name)

    @property
    def order(self) -> tuple[datetime, int, str]:
        """Oldest first: by time, then by number within the second (as a number: the 11th
        backup of a second is newer than the 2nd, though "-11-" sorts before "-2-")."""
        return (self.taken_at, self.sequence, self.path.name)

    @property
    def reason_label(self) -> str:
        return REASON_LABELS.get(self.reason, self.reason)


def list_backups(paths: DataPaths) -> list[BackupInfo]:
    """The verified backups in the data folder, newest first."""
    if not paths.backups.is_dir():
        return []
    found = []
    for entry in paths.backups.iterdir():
        info = _parse_backup_name(entry)
        if info is not None:
            found.append(info)
    return sorted(found, key=lambda b: b.order, reverse=True)


def _parse_backup_name(path: Path) -> BackupInfo | None:
    match = BACKUP_NAME.match(path.name)
    if match is None or not path.is_file():
        return None
    stamp, counter, reason = match.groups()
    # datetime(...) as strptime would, without loading _strptime (the window lists backups)
    taken_at = datetime(
        int(stamp[0:4]),
        int(stamp[4:6]),
        int(stamp[6:8]),
        int(stamp[9:11]),
        int(stamp[11:13]),
        int(stamp[13:15]),
    )
    return BackupInfo(
        path=path,
        taken_at=taken_at,
        reason=reason,
        size=path.stat().st_size,
        sequence=int(counter) if counter else 1,
    )


def create_backup(
    paths: DataPaths,
    reason: str = "manual",
    *,
    progress: Progress | None = None,
    now: datetime | None = None,
) -> BackupInfo:
    """Copy the live database into ``backups/`` while it stays in use, then verify the copy."""
    if not paths.database.exists():
        raise DataDirError("還沒有資料庫可以備份；請先開啟一次程式。")
    make_folder(paths.backups, "備份資料夾")
    taken_at = (now or datetime.now()).replace(microsecond=0)
    while True:
        final, sequence = _free_name(paths.backups, taken_at, reason)
        partial = final.with_name(final.name + ".partial")
        try:  # owner-only from its creation: a backup holds every person's data
            with atomic_path(final, private=True, partial=partial):
                copy_database(paths.database, partial, progress=progress)
                verify_database_file(partial)
        except FileExistsError:  # another backup claimed the name a moment ago: the next one
            continue
        except BaseException:
            _remove_with_journals(partial)
            raise
        break
    size = final.stat().st_size
    return BackupInfo(final, taken_at, reason, size, sequence)


def _remove_with_journals(database: Path) -> None:
    """A failed copy leaves nothing: the file and what SQLite may have put beside it."""
    for suffix in ("", "-journal", "-wal", "-shm"):
        with contextlib.suppress(OSError):
            Path(f"{database}{suffix}").unlink(missing_ok=True)


def copy_database(
    source: Path, target: Path, *, progress: Progress | None = None, source_immutable: bool = False
) -> None:
    """Copy ``source`` into ``target`` page by page with the backup API (consistent even while
    ``source`` is being written). ``progress`` may raise ``Cancelled`` to stop; ``target`` is
    then left as it was."""
    uri = f"file:{quote(source.resolve().as_posix())}?mode=ro" + (
        "&immutable=1" if source_immutable else ""
    )
    src = sqlite3.connect(uri, uri=True)
    dst = sqlite3.connect(target)
    try:
        dst.execute("PRAGMA synchronous=FULL")  # a restore commits into the live database

        def step(_status: int, remaining: int, total: int) -> None:
            report(progress, total - remaining, total, "正在複製資料庫")

        try:
            src.backup(dst, pages=PAGES_PER_STEP, progress=step)
        except sqlite3.DatabaseError as exc:
            if is_disk_full(exc):
                raise DiskFullError(
                    f"磁碟空間不足，無法寫入「{target.name}」（資料夾 {target.parent}）；"
                    "原本的資料未變更。請清出磁碟空間後再試一次。"
                ) from exc
            raise DatabaseDamagedError(f"無法讀取資料庫「{source.name}」（{exc}）。") from exc
        report(progress, 1, 1, "正在檢查備份")
    finally:
        dst.close()
        src.close()


def take_daily_backup(paths: DataPaths, now: datetime | None = None) -> BackupInfo | None:
    """At most one automatic backup a day, taken at start-up."""
    now = now or datetime.now()
    backups = list_backups(paths)
    if backups and backups[0].taken_at.date() == now.date():
        return None
    return create_backup(paths, "daily", now=now)


def thin_backups(paths: DataPaths, now: datetime | None = None) -> list[Path]:
    """Delete the backups the keeping policy no longer needs, and partial backups a killed
    process left behind; return what was deleted."""
    backups = list_backups(paths)
    doomed = backups_to_delete(backups, now or datetime.now())
    for backup in doomed:
        backup.path.unlink(missing_ok=True)
    return [b.path for b in doomed] + remove_stale_partials(paths)


def remove_stale_partials(paths: DataPaths, max_age_s: float = STALE_PARTIAL_SECONDS) -> list[Path]:
    """Remove ``*.partial`` backups (and their journals) not touched for ``max_age_s``: a backup
    killed half-way cannot remove its own, and each one is as large as the database."""
    if not paths.backups.is_dir():
        return []
    removed = []
    cutoff = time.time() - max_age_s
    for entry in paths.backups.iterdir():
        if not PARTIAL_NAME.match(entry.name):
            continue
        with contextlib.suppress(OSError):  # gone already, or in use on Windows: next time
            if entry.stat().st_mtime < cutoff:
                entry.unlink()
                removed.append(entry)
    return removed


def newest_good_backup(paths: DataPaths) -> BackupInfo | None:
    """The newest backup that passes ``integrity_check`` now (a backup was verified when it was
    taken, but the disk may have damaged it since); None when there is none."""
    for backup in list_backups(paths):
        try:
            verify_database_file(backup.path)
        except (DatabaseDamagedError, UserFileError):
            continue
        return backup
    return None


def backups_to_delete(backups: Iterable[BackupInfo], now: datetime) -> list[BackupInfo]:
    """Keep the newest backup always, the ``KEEP_RECENT`` most recent, and the newest one of
    each recent day, week and month; return the rest."""
    ordered = sorted(backups, key=lambda b: b.order, reverse=True)
    keep: set[Path] = {b.path for b in ordered[:KEEP_RECENT]}
    buckets = (
        (timedelta(days=KEEP_DAILY_DAYS), lambda d: d.date().isoformat()),
        (timedelta(weeks=KEEP_WEEKLY_WEEKS), lambda d: "{}-W{:02d}".format(*d.isocalendar()[:2])),
        (timedelta(days=31 * KEEP_MONTHLY_MONTHS), lambda d: f"{d.year}-{d.month:02d}"),
    )
    for window, bucket_of in buckets:
        seen: set[str] = set()
        for backup in ordered:  # newest first, so the first in a bucket is its newest
            if now - backup.taken_at > window:
                continue
            bucket = bucket_of(backup.taken_at)
            if bucket not in seen:
                seen.add(bucket)
                keep.add(backup.path)
    return [b for b in ordered if b.path not in keep]


def _free_name(folder: Path, taken_at: datetime, reason: str) -> tuple[Path, int]:
    """A name no backup of that second has, and its number within the second. The number
    grows past every backup of the second (of any reason), so it also orders them."""
    stamp = taken_at.strftime("%Y%m%d-%H%M%S")
    taken = [
        int(match.group(2) or 1)
        for entry in folder.glob(f"schoolhr-{stamp}-*")
        if (match := BACKUP_NAME.match(entry.name.removesuffix(".partial")))
    ]
    counter = max(taken, default=0) + 1
    if counter == 1:
        return folder / f"schoolhr-{stamp}-{reason}.sqlite3", 1
    return folder / f"schoolhr-{stamp}-{counter}-{reason}.sqlite3", counter
