"""Opening a profile's database: check, back up, migrate, identify the site.

``open_store`` is the one door to the database for the app, the CLI and the tests. Before
anything writes to an existing database it must pass ``quick_check``; a damaged one is left
exactly as it is and ``DatabaseCorruptError`` names the newest good backup, which
``restore_backup`` puts in its place after moving the damaged file aside (never copying over it).
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from schoolhr import temporary
from schoolhr.errors import (
    DatabaseDamagedError,
    DataDirError,
    DiskFullError,
    UserError,
    UserFileError,
)
from schoolhr.paths import DataPaths, make_folder, read_only_problem, require_writable
from schoolhr.progress import Progress
from schoolhr.site import SiteRole
from schoolhr.store import backup as backups
from schoolhr.store import migrate
from schoolhr.store.checks import check_before_open
from schoolhr.store.engine import BUSY_TIMEOUT_MS, make_engine, read_engine
from schoolhr.store.models import Site, record_operation
from schoolhr.store.sqlite_files import is_disk_full, quick_check_problem, read_header

log = logging.getLogger(__name__)


@dataclass
class Store:
    """An open database: write sessions begin IMMEDIATE, read sessions DEFERRED."""

    paths: DataPaths
    engine: Engine
    _writer: sessionmaker[Session] = field(init=False, repr=False)
    _reader: sessionmaker[Session] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._writer = sessionmaker(self.engine, expire_on_commit=False)
        self._reader = sessionmaker(read_engine(self.engine), expire_on_commit=False)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction: committed when the block ends, rolled back on any error.

        A full disk (or database size limit) becomes ``DiskFullError``: nothing of the
        transaction was written."""
        try:
            with self._writer() as session, session.begin():
                yield session
        except OperationalError as exc:
            if is_disk_full(exc):
                raise DiskFullError(
                    f"資料夾「{self.paths.root}」所在的磁碟空間不足，這次的變更沒有寫入，"
                    "資料未變更。請清出磁碟空間後再試一次。"
                ) from exc
            if "readonly" in str(exc.orig).lower():  # made read-only while the app runs
                problem = read_only_problem(self.paths) or (
                    f"資料庫檔案「{self.paths.database}」目前無法寫入（唯讀），這次的變更沒有寫入，"
                    "資料未變更。請取消檔案的「唯讀」設定或洽電腦管理人員。"
                )
                raise DataDirError(problem) from exc
            raise

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._reader() as session, session.begin():
            yield session

    def site(self) -> Site:
        with self.read() as session:
            return session.execute(select(Site)).scalar_one()

    def log_operation(self, kind: str, summary: str, ok: bool = True) -> None:
        with self.write() as session:
            record_operation(session, kind, summary, ok)

    def backup(
        self, reason: str = "manual", progress: Progress | None = None
    ) -> backups.BackupInfo:
        """A verified backup, recorded in the operation log, then old backups thinned."""
        info = backups.create_backup(self.paths, reason, progress=progress)
        self.log_operation("backup", f"{info.reason_label}：{info.path.name}")
        backups.thin_backups(self.paths)
        return info

    def close(self) -> None:
        self.engine.dispose()


def open_store(paths: DataPaths, *, daily_backup: bool = True, checked: bool = False) -> Store:
    """Open (creating or upgrading if needed) the database of the profile at ``paths``.

    A database written by a newer version is refused before anything touches it. Before a
    migration the database is backed up and the backup verified; so a failed migration can
    always be undone with ``schoolhr restore``. ``checked``: ``check_before_open`` has just
    passed in this process (the window runs it before it shows), so it is not run twice.
    """
    database = paths.database
    if checked:
        existed = database.exists() and database.stat().st_size > 0
    else:
        existed = check_before_open(paths)
    # partial backups a killed process left (ours by their name, stale by their age)
    for leftover in backups.remove_stale_partials(paths):
        log.info("removed a partial backup left by an earlier run: %s", leftover.name)
    current = migrate.database_revision(database)
    pending = migrate.revisions_after(current)
    if existed and pending:
        info = backups.create_backup(paths, "pre-migrate")
        log.info("backup before migrating %s -> %s: %s", current, pending[-1], info.path)
    engine = make_engine(database)
    store = Store(paths, engine)
    try:
        if pending:
            migrate.upgrade(engine)
            summary = (
                f"資料庫結構由 {current} 更新為 {pending[-1]}"
                if current
                else f"建立新資料庫（結構版本 {pending[-1]}）"
            )
            store.log_operation("migrate", summary)
        _ensure_site(store)
        if existed and daily_backup and backups.take_daily_backup(paths):
            store.log_operation("backup", "每日自動備份")
            backups.thin_backups(paths)
    except BaseException:
        store.close()
        raise
    return store


def set_aside(database: Path, now: datetime | None = None) -> Path:
    """Rename a damaged database, with its write-ahead log and shared-memory file, to
    ``<name>.corrupt-<time>`` (``-wal``/``-shm`` kept beside it, so it can still be opened
    for rescue) and return the new path. The file's bytes are never touched."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    target = database.with_name(f"{database.name}.corrupt-{stamp}")
    counter = 1
    while target.exists():
        counter += 1
        target = database.with_name(f"{database.name}.corrupt-{stamp}-{counter}")
    for suffix in ("-wal", "-shm"):
        companion = database.with_name(database.name + suffix)
        if companion.exists():
            os.replace(companion, target.with_name(target.name + suffix))
    os.replace(database, target)
    log.warning("moved the damaged database %s aside to %s", database, target)
    return target


def _ensure_site(store: Store) -> None:
    with store.write() as session:
        if session.get(Site, 1) is None:
            session.add(Site(id=1, role=SiteRole.SCHOOL.value))
            log.info("created a new site identity")


def update_site(store: Store, *, name: str | None = None, role: str | None = None) -> Site:
    """Change the site's name or role; the UUID never changes."""
    with store.write() as session:
        site = session.get(Site, 1)
        assert site is not None
        if name is not None:
            cleaned = " ".join(name.split())
            if not cleaned or len(cleaned) > 200:
                raise UserError("校名（單位名稱）不可空白，且最多 200 個字。")
            site.name = cleaned
        if role is not None:
            if role not in {r.value for r in SiteRole}:
                raise UserError("角色只能是 school（學校）或 county（縣市人事處）。")
            site.role = role
        session.flush()
        return site


def restore_backup(paths: DataPaths, source: Path, progress: Progress | None = None) -> Path | None:
    """Replace the live database with the backup ``source``.

    The backup is checked, with the write-ahead log beside it merged, and migrated to head in
    a private copy (``store.candidate``); nothing of the profile is touched until the copy has
    passed every check, so a refused file leaves the profile exactly as it was (the copy's
    folder removed). Then the live database is kept (a verified "pre-restore" backup, or moved
    aside when it is damaged) and the checked copy is written into it with SQLite's backup
    API: one write transaction, through SQLite's own locking, so a window or another command
    that has the database open sees either the old data or the restored data, and nothing of
    the old -wal can ever be applied to the new content.

    Returns the safety backup made of what it replaced (None when there was no database); a
    live database that fails its check is not copied but moved aside (``set_aside``), and that
    path is returned."""
    from schoolhr.store import candidate as candidates

    if not source.is_file():
        raise UserFileError(f"找不到備份檔「{source}」；請確認路徑是否正確。")
    require_writable(paths)
    with _private_folder(paths) as folder:
        checked = candidates.prepare(source, folder, progress)
        kept: Path | None = None
        moved_aside = False
        try:
            if paths.database.exists():
                kept, moved_aside = _keep_before_restore(paths)
            _write_into_live(checked.path, paths, progress)
        except BaseException:
            _undo_keep(paths, kept, moved_aside)
            raise
    summary = f"由備份「{source.name}」還原"
    if checked.merged_frames:
        summary += f"，並併入其記錄檔「{source.name}-wal」中最後寫入的變更"
        log.info(
            "restoring %s with its write-ahead log merged (%d pages)", source, checked.merged_frames
        )
    if checked.upgraded:
        summary += f"，資料庫結構由 {checked.revision} 更新為 {migrate.head_revision()}"
    log.info("restored %s; the replaced database is kept as %s", source, kept)
    store = open_store(paths, daily_backup=False)
    try:
        store.log_operation("restore", summary)
    finally:
        store.close()
    return kept


@contextmanager
def _private_folder(paths: DataPaths) -> Iterator[Path]:
    """A new folder below the profile's ``tmp`` for the restore's private copy, removed
    afterwards with all in it (and ``tmp`` itself when this made it and it is empty)."""
    made_tmp = not paths.temporary.exists()
    folder: Path | None = None
    for _attempt in range(3):  # another restore may remove an empty tmp just then
        make_folder(paths.temporary, "暫存資料夾")
        try:
            folder = temporary.new_folder(paths, "restore-")
            break
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise DataDirError(
                f"無法在暫存資料夾「{paths.temporary}」建立檔案（{exc.strerror or exc}）；"
                "沒有還原，目前的資料未變更。請確認資料夾可以寫入。"
            ) from exc
    if folder is None:
        raise DataDirError(
            f"無法建立暫存資料夾「{paths.temporary}」；沒有還原，目前的資料未變更。請再試一次。"
        )
    try:
        yield folder
    finally:
        temporary.remove_folder(folder)
        if made_tmp:
            with suppress(OSError):
                paths.temporary.rmdir()


def _write_into_live(copy: Path, paths: DataPaths, progress: Progress | None) -> None:
    """Write the checked ``copy`` into the live database in one transaction. The backup API
    cannot change the page size of a database in WAL mode (it fails with "attempt to write a
    readonly database"), so a copy whose pages differ from the live database's is rebuilt
    with the live page size first: any valid page size (512 to 65536 bytes) restores."""
    from schoolhr.store import candidate as candidates

    live = read_header(paths.database) if paths.database.exists() else None
    copied = read_header(copy)
    if live is not None and live.page_size and copied and copied.page_size != live.page_size:
        log.info("rebuilding the copy with %d-byte pages, not %s", live.page_size, copied.page_size)
        candidates.set_page_size(copy, live.page_size)
    backups.copy_database(copy, paths.database, progress=progress, source_immutable=True)


def _undo_keep(paths: DataPaths, kept: Path | None, moved_aside: bool) -> None:
    """The restore failed before the live database changed: take back what was done to keep
    it, so the profile is as it was (a damaged database moved back, the extra backup gone,
    the -wal/-shm that reading the live database made closed away by SQLite itself)."""
    if kept is None or not moved_aside:
        _close_cleanly(paths.database)
    if kept is None:
        return
    if moved_aside:
        for suffix in ("", "-journal", "-wal", "-shm"):  # what the failed copy left
            with suppress(OSError):
                Path(f"{paths.database}{suffix}").unlink(missing_ok=True)
        for suffix in ("-wal", "-shm"):
            companion = Path(f"{kept}{suffix}")
            if companion.exists():
                os.replace(companion, Path(f"{paths.database}{suffix}"))
        os.replace(kept, paths.database)
        log.warning("the restore failed: the damaged database is back at %s", paths.database)
    else:
        with suppress(OSError):
            kept.unlink()


def _close_cleanly(database: Path) -> None:
    """Open and close ``database`` once: the last connection to close removes the -wal and
    -shm that read-only looks (``quick_check``, a backup) leave beside a WAL database. Safe
    while others have it open (then SQLite leaves them to the last one)."""
    if not database.exists():
        return
    try:
        connection = sqlite3.connect(database, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            connection.close()
    except sqlite3.Error as exc:
        log.warning("could not close %s cleanly after a failed restore: %s", database, exc)


def _keep_before_restore(paths: DataPaths) -> tuple[Path, bool]:
    """A verified "pre-restore" backup of the live database, or, when it is damaged (a backup
    of it cannot be verified), the damaged file itself moved aside; and whether it was moved."""
    if quick_check_problem(paths.database) is None:
        try:
            return backups.create_backup(paths, "pre-restore").path, False
        except DatabaseDamagedError:
            log.warning("the database passed quick_check but not integrity_check")
    return set_aside(paths.database), True
