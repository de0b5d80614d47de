"""Read-only looks at SQLite files: is it a database, is it intact, which schema is it.

These never write to the file they look at, so they are safe on a database from a newer
version, on a damaged one and on a backup.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from schoolhr.errors import DatabaseDamagedError, UserFileError

SQLITE_HEADER = b"SQLite format 3\x00"
SQLITE_FULL = 13  # the primary result code for "database or disk is full"
APPLICATION_ID = 0x53485231
"""``PRAGMA application_id`` of every SchoolHR database: the ASCII bytes "SHR1" (migration
0011 stamps it). Another program's SQLite file has another value, or 0 like ours before 0011."""
HEADER_SIZE = 100  # the database header at the start of page 1


@dataclass(frozen=True)
class Header:
    """What the first 100 bytes of an SQLite file say, read without SQLite."""

    page_size: int | None  # None when the header holds no valid page size
    wal_mode: bool  # the file format numbers say write-ahead logging
    application_id: int


def read_header(path: Path) -> Header | None:
    """The header of the SQLite file at ``path``; None when it is not one (or unreadable)."""
    try:
        with path.open("rb") as handle:
            data = handle.read(HEADER_SIZE)
    except OSError:
        return None
    if len(data) < HEADER_SIZE or not data.startswith(SQLITE_HEADER):
        return None
    raw_size = int.from_bytes(data[16:18], "big")
    page_size = 65536 if raw_size == 1 else raw_size
    valid = 512 <= page_size <= 65536 and page_size & (page_size - 1) == 0
    return Header(
        page_size=page_size if valid else None,
        wal_mode=data[18] == 2 and data[19] == 2,
        application_id=int.from_bytes(data[68:72], "big"),
    )


def is_sqlite_file(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


@contextmanager
def open_readonly(path: Path, *, immutable: bool = False) -> Iterator[sqlite3.Connection]:
    """A read-only connection; ``immutable`` for files nobody else writes (backups)."""
    if not path.is_file():
        raise UserFileError(f"找不到檔案「{path}」；請確認路徑是否正確。")
    uri = f"file:{quote(path.resolve().as_posix())}?mode=ro"
    if immutable:
        uri += "&immutable=1"
    try:
        connection = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as exc:
        raise UserFileError(f"無法開啟檔案「{path}」（{exc}）。") from exc
    try:
        yield connection
    finally:
        connection.close()


def check_rows(connection: sqlite3.Connection, pragma: str) -> list[str]:
    """Problems reported by ``quick_check`` or ``integrity_check`` ([] when the file is ok)."""
    rows = [str(row[0]) for row in connection.execute(f"PRAGMA {pragma}")]
    return [] if rows == ["ok"] else rows


def foreign_key_problems(connection: sqlite3.Connection) -> list[str]:
    return [
        f"{table} 第 {rowid} 列參照 {parent} 不存在的資料"
        for table, rowid, parent, _fk in connection.execute("PRAGMA foreign_key_check")
    ]


def verify_database_file(path: Path, *, immutable: bool = True) -> None:
    """Raise ``DatabaseDamagedError`` unless ``path`` is an SQLite file that passes
    ``integrity_check`` and ``foreign_key_check``."""
    if not is_sqlite_file(path):
        raise DatabaseDamagedError(f"「{path.name}」不是資料庫檔案，或檔案開頭已損毀。")
    try:
        with open_readonly(path, immutable=immutable) as connection:
            problems = check_rows(connection, "integrity_check")
            problems += foreign_key_problems(connection)
    except sqlite3.DatabaseError as exc:
        raise DatabaseDamagedError(f"資料庫檔案「{path.name}」已損毀（{exc}）。") from exc
    if problems:
        raise DatabaseDamagedError(
            f"資料庫檔案「{path.name}」未通過完整性檢查：{problems[0]}"
            + (f"（另有 {len(problems) - 1} 項問題）" if len(problems) > 1 else "")
        )


def quick_check_problem(path: Path) -> str | None:
    """Why the live database at ``path`` cannot be trusted (``quick_check`` failed, or it is not
    a readable SQLite file), or None when it passes. Reads only: safe on a damaged file."""
    if not is_sqlite_file(path):
        return "檔案不是 SQLite 資料庫，或檔案開頭已損毀"
    try:
        with open_readonly(path) as connection:
            problems = check_rows(connection, "quick_check")
    except (sqlite3.DatabaseError, UserFileError) as exc:
        return str(exc)
    if problems:
        more = f"（另有 {len(problems) - 1} 項問題）" if len(problems) > 1 else ""
        return problems[0] + more
    return None


def is_disk_full(exc: BaseException) -> bool:
    """Whether an sqlite3 error (or SQLAlchemy's wrapper of one) says the disk or the
    database's page limit is full."""
    original = getattr(exc, "orig", exc)
    return (
        isinstance(original, sqlite3.Error)
        and getattr(original, "sqlite_errorcode", 0) & 0xFF == SQLITE_FULL
    )


def read_schema_revision(connection: sqlite3.Connection) -> str | None:
    """The Alembic revision stamped in a database, or None for an empty database."""
    has_table = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
    ).fetchone()
    if not has_table:
        return None
    row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    return str(row[0]) if row else None


def fts5_available() -> bool:
    """Whether this Python's SQLite has FTS5, which the search index needs."""
    connection = sqlite3.connect(":memory:")
    try:
        connection.execute("CREATE VIRTUAL TABLE probe USING fts5(text)")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        connection.close()
