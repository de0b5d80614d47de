"""A quick, read-only snapshot of a profile for the home page and the help desk.

It reads the database with the standard library's sqlite3 rather than the ORM: the main window
shows it before SQLAlchemy (about 0.3 s to import) has been loaded, which keeps start-up within
its budget. It never writes, so it is safe while the store is being opened or migrated.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from schoolhr.checklists.due import DueChecklist
from schoolhr.errors import UserError
from schoolhr.paths import DataPaths
from schoolhr.store.backup import BackupInfo, list_backups
from schoolhr.store.sqlite_files import open_readonly, read_schema_revision


@dataclass(frozen=True)
class SiteIdentity:
    site_uuid: str
    name: str
    role: str


@dataclass(frozen=True)
class OperationEntry:
    at: datetime  # aware, UTC
    kind: str
    summary: str
    ok: bool


@dataclass
class Status:
    database_exists: bool
    schema_revision: str | None = None
    site: SiteIdentity | None = None
    operations: list[OperationEntry] = field(default_factory=list)
    backups: list[BackupInfo] = field(default_factory=list)
    content: tuple[str, str] | None = None  # (version, title) of the installed bundled content
    due: list[DueChecklist] = field(default_factory=list)  # open checklist runs, by deadline
    problem: str | None = None

    @property
    def last_backup(self) -> BackupInfo | None:
        return self.backups[0] if self.backups else None


def read_status(paths: DataPaths, operations: int = 5) -> Status:
    """What is true now; a database that cannot be read is reported in ``problem``."""
    status = Status(database_exists=paths.database.exists(), backups=list_backups(paths))
    if not status.database_exists:
        return status
    try:
        with open_readonly(paths.database) as connection:
            status.schema_revision = read_schema_revision(connection)
            if status.schema_revision is not None:
                _read_site(connection, status)
                _read_operations(connection, status, operations)
                _read_content(connection, status)
                _read_due(connection, status)
    except sqlite3.DatabaseError as exc:
        status.problem = f"無法讀取資料庫（{exc}）"
    except UserError as exc:
        status.problem = exc.message
    return status


def _read_site(connection: sqlite3.Connection, status: Status) -> None:
    row = connection.execute("SELECT site_uuid, name, role FROM site WHERE id = 1").fetchone()
    if row is not None:
        status.site = SiteIdentity(*row)


def _read_content(connection: sqlite3.Connection, status: Status) -> None:
    if _has_table(connection, "content_release"):
        row = connection.execute(
            "SELECT version, title FROM content_release WHERE source = 'bundled'"
        ).fetchone()
        status.content = (row[0], row[1]) if row else None


def _read_due(connection: sqlite3.Connection, status: Status) -> None:
    if _has_table(connection, "checklist_run"):
        rows = connection.execute(
            "SELECT id, title, period || person, due_date FROM checklist_run "
            "WHERE completed_at IS NULL AND due_date IS NOT NULL ORDER BY due_date, id"
        )
        status.due = [
            DueChecklist(run_id, title, period, date.fromisoformat(due))
            for run_id, title, period, due in rows
        ]


def _has_table(connection: sqlite3.Connection, name: str) -> bool:
    found = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
    ).fetchone()
    return found is not None


def _read_operations(connection: sqlite3.Connection, status: Status, limit: int) -> None:
    if not _has_table(connection, "operation_log"):
        return
    rows = connection.execute(
        "SELECT at, kind, summary, ok FROM operation_log ORDER BY at DESC, id DESC LIMIT ?",
        (limit,),
    )
    status.operations = [
        OperationEntry(datetime.fromisoformat(at).replace(tzinfo=UTC), kind, summary, bool(ok))
        for at, kind, summary, ok in rows
    ]
