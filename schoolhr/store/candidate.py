"""A file offered to ``restore``, checked in a private copy before it may replace anything.

``prepare`` copies the file (and the write-ahead log or rollback journal beside it, when there
is one) into a private folder and does everything there, never touching the user's files or
the live database:

1. the header: another program's ``application_id`` is refused at once;
2. the write-ahead log beside it is merged (``wal_checkpoint(TRUNCATE)``): the last writes
   of a database copied while it was open are kept, not silently dropped;
3. ``integrity_check`` and ``foreign_key_check``; the schema revision (a newer one is refused);
4. an older revision is migrated to head in the copy: a file whose content does not match the
   revision it claims fails here, not half-way through the live database;
5. at head, every table and column of the app's own models (``all_models.metadata``) must be
   there and nothing else, the foreign keys must hold, and the copy is stamped with our
   ``application_id``.

What is left is one self-contained file (journal mode DELETE) that ``restore_backup`` writes
into the live database. Every refusal is a ``UserError`` naming the file.
"""

from __future__ import annotations

import errno
import logging
import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from schoolhr.errors import (
    DatabaseDamagedError,
    DatabaseNewerError,
    DataDirError,
    DiskFullError,
    UserError,
    UserFileError,
)
from schoolhr.progress import Progress, report
from schoolhr.store import migrate
from schoolhr.store.sqlite_files import (
    APPLICATION_ID,
    check_rows,
    foreign_key_problems,
    read_header,
    read_schema_revision,
)

log = logging.getLogger(__name__)

COMPANIONS = ("-wal", "-journal")  # what SQLite keeps beside a database that was in use
COPY_CHUNK = 1024 * 1024
REVISION_NAME = re.compile(r"^\d{4}_[a-z0-9_]+$")
SEARCH_INDEX = "search_index"  # the FTS5 table migration 0003 makes (not a model)
UNCHANGED = "沒有還原，目前的資料未變更"


@dataclass(frozen=True)
class Candidate:
    """A checked private copy of ``source``, at the head revision, ready to be restored."""

    path: Path
    source: Path
    revision: str  # the revision the file was at
    merged_frames: int  # pages of the -wal beside it merged into the copy (0: none)

    @property
    def upgraded(self) -> bool:
        return self.revision != migrate.head_revision()


def prepare(source: Path, folder: Path, progress: Progress | None = None) -> Candidate:
    """Copy ``source`` into ``folder`` and check, merge and migrate the copy (see the module
    docstring). Raises a ``UserError`` naming ``source`` when it cannot be restored."""
    header = read_header(source)
    if header is None:
        raise UserFileError(_not_ours(source, "它不是 SQLite 資料庫，或檔案開頭已損毀"))
    _refuse_other_application(header.application_id, source)
    copy = folder / source.name
    companions = _copy_with_companions(source, copy, progress)
    report(progress, 0, 1, "正在檢查備份檔")
    merged, revision = _merge_and_check(copy, source, companions)
    if revision != migrate.head_revision():
        report(progress, 0, 1, "正在更新備份檔的資料庫結構")
        _migrate(copy, source, revision)
    _check_at_head(copy, source)
    report(progress, 1, 1, "備份檔已通過檢查")
    return Candidate(copy, source, revision, merged)


def set_page_size(copy: Path, page_size: int) -> None:
    """Rebuild the (self-contained, not WAL) ``copy`` with pages of ``page_size`` bytes: the
    backup API cannot change the page size of a database in WAL mode, as the live one is."""
    with _opened(copy, copy, lambda exc: _write_error(copy, exc)) as connection:
        connection.execute("PRAGMA temp_store=MEMORY")  # its scratch copy stays off the disk
        connection.execute(f"PRAGMA page_size = {int(page_size)}")
        connection.execute("VACUUM")


# -- the steps ------------------------------------------------------------------------------


def _copy_with_companions(source: Path, copy: Path, progress: Progress | None) -> list[str]:
    """Copy ``source`` and its ``-wal``/``-journal`` (when there) byte for byte; the names of
    the companions copied. The -shm is never copied: SQLite rebuilds it from the -wal."""
    files = [(source, copy)]
    companions = []
    for suffix in COMPANIONS:
        beside = Path(f"{source}{suffix}")
        if beside.is_file():
            files.append((beside, Path(f"{copy}{suffix}")))
            companions.append(suffix)
    total = sum(_size(src) for src, _dst in files) or 1
    done = 0
    for src, dst in files:
        try:
            reader = src.open("rb")
        except OSError as exc:
            raise _read_error(src, exc) from exc
        with reader, dst.open("xb") as writer:
            while True:
                try:
                    chunk = reader.read(COPY_CHUNK)
                except OSError as exc:
                    raise _read_error(src, exc) from exc
                if not chunk:
                    break
                try:
                    writer.write(chunk)
                except OSError as exc:
                    raise _copy_write_error(source, dst.parent, exc) from exc
                done += len(chunk)
                report(progress, done, total, "正在複製備份檔")
    return companions


def _merge_and_check(copy: Path, source: Path, companions: list[str]) -> tuple[int, str]:
    """Merge the copied -wal (or roll back a hot journal), make the copy one self-contained
    file, and check it as it is: intact, ours, a revision this version knows."""
    with _opened(copy, source) as connection:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()  # opens the -wal
        merged = 0
        mode = str(connection.execute("PRAGMA journal_mode").fetchone()[0]).lower()
        if mode == "wal":
            # a PASSIVE checkpoint counts the frames (TRUNCATE reports 0 once it has emptied
            # the log); nobody else has the copy open, so it merges every one of them
            busy, frames, _done = connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            busy_after = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
            if busy or busy_after:
                raise sqlite3.OperationalError("記錄檔無法併入資料庫")
            merged = int(frames) if "-wal" in companions else 0
        elif "-wal" in companions:
            log.warning("%s-wal was ignored: %s is not in WAL mode", source.name, source.name)
        connection.execute("PRAGMA journal_mode=DELETE")
        if merged:
            log.info("merged %d pages from %s-wal into the copy of %s", merged, source, source)
        elif "-wal" in companions:
            log.info("%s-wal held no writes to merge", source)
        if "-journal" in companions:
            log.info("the journal beside %s went with its copy (rolled back if hot)", source)
        problems = check_rows(connection, "integrity_check")
        if problems:
            raise DatabaseDamagedError(_integrity_message(source, problems))
        application_id = int(connection.execute("PRAGMA application_id").fetchone()[0])
        _refuse_other_application(application_id, source)  # page 1 may have come from the -wal
        revision = read_schema_revision(connection)
        _refuse_unknown_revision(revision, source)
        assert revision is not None
        problems = foreign_key_problems(connection)
        if problems:
            raise DatabaseDamagedError(_integrity_message(source, problems))
    return merged, revision


def _migrate(copy: Path, source: Path, revision: str) -> None:
    """Bring the copy from ``revision`` to head; a file whose content is not what its revision
    says fails here."""
    from schoolhr.store.engine import make_engine

    engine = make_engine(copy)
    try:
        migrate.upgrade(engine)
    except Exception as exc:  # whatever the content made a migration trip on
        log.warning("could not migrate the copy of %s from %s", source, revision, exc_info=True)
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0][:200]
        raise UserFileError(
            f"「{source.name}」不是可用的學校人事小幫手備份檔：它標示的資料庫結構版本是 "
            f"{revision}，內容卻與該版本不符，無法更新為目前的結構（{reason}）；{UNCHANGED}。"
            "請改選另一份備份檔。"
        ) from exc
    finally:
        engine.dispose()


def _check_at_head(copy: Path, source: Path) -> None:
    """Every table and column of the models, nothing else; the foreign keys hold; stamped."""
    with _opened(copy, source) as connection:
        problem = schema_problem(_tables(connection), _triggers_and_views(connection))
        if problem is not None:
            raise UserFileError(problem.message(source))
        problems = foreign_key_problems(connection) + check_rows(connection, "quick_check")
        if problems:
            raise DatabaseDamagedError(_integrity_message(source, problems))
        connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        connection.execute("PRAGMA journal_mode=DELETE")


# -- the schema -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SchemaProblem:
    missing_tables: list[str]
    extra_tables: list[str]
    columns: list[str]  # "資料表「x」缺少欄位 a、b" …
    foreign: bool  # so little of ours that it is another program's database
    code: list[str] = field(default_factory=list)  # triggers and views (ours has none)

    def message(self, source: Path) -> str:
        details = []
        if self.missing_tables:
            details.append("缺少資料表" + _names(self.missing_tables))
        if self.extra_tables:
            details.append("多出資料表" + _names(self.extra_tables))
        details += self.columns[:3]
        if len(self.columns) > 3:
            details.append(f"另有 {len(self.columns) - 3} 個資料表的欄位不符")
        if self.code:
            details.append("含有本程式不會建立的觸發程序或檢視表" + _names(self.code))
        what = "不是學校人事小幫手的備份檔" if self.foreign else "不是完整的學校人事小幫手備份檔"
        return (
            f"「{source.name}」{what}（{'；'.join(details)}），{UNCHANGED}。"
            "請改選備份資料夾中名為 schoolhr-….sqlite3 的備份檔。"
        )


def expected_tables() -> dict[str, set[str]]:
    """The tables and columns of the head schema, from the app's own models."""
    from schoolhr.store.all_models import metadata

    return {
        name: {column.name for column in table.columns} for name, table in metadata.tables.items()
    }


def schema_problem(
    found: dict[str, set[str]], code: list[str] | None = None
) -> SchemaProblem | None:
    """How the tables and columns ``found`` in a database at head differ from the models
    (None when they agree). SQLite's own tables and the search index's are not compared.
    ``code``: the database's triggers and views; SchoolHR makes none, and one that came with
    a backup would run inside the clerk's database at every write."""
    expected = expected_tables()
    ours = {
        name: columns
        for name, columns in found.items()
        if not name.startswith(("sqlite_", f"{SEARCH_INDEX}_")) and name != "alembic_version"
    }
    missing = sorted(set(expected) - set(ours))
    if SEARCH_INDEX not in ours:
        missing.append(SEARCH_INDEX)
    extra = sorted(set(ours) - set(expected) - {SEARCH_INDEX})
    columns = []
    for name in sorted(set(expected) & set(ours)):
        lacking = sorted(expected[name] - ours[name])
        surplus = sorted(ours[name] - expected[name])
        if lacking or surplus:
            text = f"資料表「{name}」"
            text += f"缺少欄位 {'、'.join(lacking)}" if lacking else ""
            text += ("，" if lacking and surplus else "") + (
                f"多出欄位 {'、'.join(surplus)}" if surplus else ""
            )
            columns.append(text)
    if not (missing or extra or columns or code):
        return None
    foreign = "site" in missing or len(missing) * 2 > len(expected)
    return SchemaProblem(missing, extra, columns, foreign, sorted(code or []))


def _tables(connection: sqlite3.Connection) -> dict[str, set[str]]:
    names = [
        str(row[0])
        for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    ]
    found = {}
    for name in names:
        quoted = name.replace('"', '""')
        found[name] = {str(row[1]) for row in connection.execute(f'PRAGMA table_info("{quoted}")')}
    return found


def _triggers_and_views(connection: sqlite3.Connection) -> list[str]:
    return [
        str(row[0])
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('trigger', 'view')"
        )
    ]


def _names(names: list[str], shown: int = 5) -> str:
    text = "、".join(f"「{name}」" for name in names[:shown])
    return text + (f"等 {len(names)} 個" if len(names) > shown else "")


# -- messages -------------------------------------------------------------------------------


@contextmanager
def _opened(
    copy: Path,
    source: Path,
    error: Callable[[sqlite3.DatabaseError], UserError] | None = None,
) -> Iterator[sqlite3.Connection]:
    """A connection to ``copy``, closed after; a database error is ``error`` of it (by default
    ``source`` is damaged), and so is a ``copy`` that cannot be opened."""
    try:
        connection = sqlite3.connect(copy, isolation_level=None)
    except sqlite3.Error as exc:
        raise _damaged(source, exc) from exc
    try:
        yield connection
    except sqlite3.DatabaseError as exc:
        raise (error(exc) if error else _damaged(source, exc)) from exc
    finally:
        connection.close()


def _refuse_other_application(application_id: int, source: Path) -> None:
    if application_id in (0, APPLICATION_ID):
        return
    raise UserFileError(
        _not_ours(source, f"它是別的程式的 SQLite 資料庫，應用程式代碼 0x{application_id:08X}")
    )


def _refuse_unknown_revision(revision: str | None, source: Path) -> None:
    if revision is None:
        raise UserFileError(_not_ours(source, "沒有資料庫結構版本"))
    known = migrate.known_revisions()
    if revision in known:
        return
    if REVISION_NAME.match(revision) and revision > known[-1]:
        raise DatabaseNewerError(
            f"備份檔「{source.name}」是由較新版本的學校人事小幫手建立的（結構版本 {revision}），"
            f"這個版本無法還原它；{UNCHANGED}。請先安裝最新版本再還原。"
        )
    raise UserFileError(_not_ours(source, f"資料庫結構版本「{revision[:50]}」不是本程式的版本"))


def _not_ours(source: Path, why: str) -> str:
    return (
        f"「{source.name}」不是學校人事小幫手的備份檔（{why}），{UNCHANGED}。"
        "請改選備份資料夾中名為 schoolhr-….sqlite3 的備份檔。"
    )


def _integrity_message(source: Path, problems: list[str]) -> str:
    more = f"（另有 {len(problems) - 1} 項問題）" if len(problems) > 1 else ""
    return (
        f"備份檔「{source.name}」未通過完整性檢查：{problems[0]}{more}；{UNCHANGED}。"
        "請改選另一份備份檔。"
    )


def _damaged(source: Path, exc: BaseException) -> DatabaseDamagedError:
    return DatabaseDamagedError(
        f"備份檔「{source.name}」已損毀，無法讀取（{exc}）；{UNCHANGED}。請改選另一份備份檔。"
    )


def _write_error(copy: Path, exc: sqlite3.DatabaseError) -> DiskFullError | DatabaseDamagedError:
    if getattr(exc, "sqlite_errorcode", 0) & 0xFF == 13:  # SQLITE_FULL
        return DiskFullError(
            f"磁碟空間不足，無法在資料夾「{copy.parent}」整理備份檔「{copy.name}」；"
            f"{UNCHANGED}。請清出磁碟空間後再試一次。"
        )
    return _damaged(copy, exc)


def _read_error(path: Path, exc: OSError) -> UserFileError:
    return UserFileError(
        f"無法讀取檔案「{path}」（{exc.strerror or exc}）；{UNCHANGED}。"
        "請確認檔案沒有被其他程式開啟，或先把它複製到本機再還原。"
    )


def _copy_write_error(source: Path, folder: Path, exc: OSError) -> DiskFullError | DataDirError:
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return DiskFullError(
            f"磁碟空間不足，無法在資料夾「{folder.parent}」暫存備份檔「{source.name}」來檢查；"
            f"{UNCHANGED}。請清出磁碟空間後再試一次。"
        )
    return DataDirError(
        f"無法在資料夾「{folder.parent}」暫存備份檔「{source.name}」來檢查"
        f"（{exc.strerror or exc}）；{UNCHANGED}。請確認這個資料夾可以寫入。"
    )


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
