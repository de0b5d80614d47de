"""``schoolhr doctor``: what a help-desk person needs to know about a profile's health.

Reads only: it never migrates, repairs or otherwise writes to the database it examines, so it
is safe on a damaged database and on one written by a newer version.
"""

from __future__ import annotations

import platform
import sqlite3
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from schoolhr import __version__
from schoolhr.errors import UserError
from schoolhr.paths import DataPaths, read_only_problem
from schoolhr.site import SiteRole
from schoolhr.store import migrate
from schoolhr.store.backup import list_backups
from schoolhr.store.sqlite_files import (
    check_rows,
    foreign_key_problems,
    fts5_available,
    is_sqlite_file,
    open_readonly,
    read_schema_revision,
)
from schoolhr.text import human_size


@dataclass
class DoctorReport:
    version: str
    python: str
    platform: str
    data_dir: str
    database: str
    database_size: int | None = None
    schema_revision: str | None = None
    schema_head: str = ""
    quick_check: list[str] = field(default_factory=list)
    integrity_check: list[str] = field(default_factory=list)
    foreign_key_check: list[str] = field(default_factory=list)
    fts5: bool = True
    search_index: list[str] = field(default_factory=list)
    last_backup: str | None = None
    last_backup_at: str | None = None
    backup_count: int = 0
    site_uuid: str | None = None
    site_name: str | None = None
    role: str | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def healthy(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["healthy"] = self.healthy
        return data

    def to_text(self) -> str:
        role = SiteRole(self.role).label if self.role in {r.value for r in SiteRole} else "—"
        size = human_size(self.database_size) if self.database_size is not None else "—"
        lines = [
            f"學校人事小幫手 {self.version}（Python {self.python}，{self.platform}）",
            f"資料夾：{self.data_dir}",
            f"資料庫：{self.database}（{size}）",
            f"結構版本：{self.schema_revision or '—'}（本版最新：{self.schema_head}）",
            f"快速檢查：{_verdict(self.quick_check)}",
            f"完整性檢查：{_verdict(self.integrity_check)}",
            f"外部鍵檢查：{_verdict(self.foreign_key_check)}",
            f"全文檢索（FTS5）：{'可用' if self.fts5 else '無法使用'}",
            f"搜尋索引檢查：{_verdict(self.search_index)}",
            f"最近備份：{self.last_backup_at or '尚無備份'}"
            + (f"（{self.last_backup}，共 {self.backup_count} 份）" if self.last_backup else ""),
            f"單位：{self.site_name or '（未設定校名）'}；角色：{role}",
            f"識別碼：{self.site_uuid or '—'}",
            "狀態：" + ("正常" if self.healthy else "有問題"),
        ]
        lines += [f"  - {problem}" for problem in self.problems]
        return "\n".join(lines)


def _verdict(problems: list[str]) -> str:
    if not problems:
        return "通過"
    return f"未通過（{problems[0]}" + (f"，共 {len(problems)} 項）" if len(problems) > 1 else "）")


def run_doctor(paths: DataPaths) -> DoctorReport:
    report = DoctorReport(
        version=__version__,
        python=platform.python_version(),
        platform=f"{platform.system()} {platform.release()}".strip() or sys.platform,
        data_dir=str(paths.root),
        database=str(paths.database),
        schema_head=migrate.head_revision(),
    )
    _check_backups(paths, report)
    read_only = read_only_problem(paths)
    if read_only is not None:
        report.problems.append(read_only)
    report.fts5 = fts5_available()
    if not report.fts5:
        report.problems.append("這台電腦的 SQLite 不支援全文檢索（FTS5），常見問答無法搜尋。")
    database = paths.database
    if not database.exists():
        report.problems.append("找不到資料庫檔案；開啟一次程式即會建立新的資料庫。")
        return report
    wal = database.with_name(database.name + "-wal")  # committed pages not yet checkpointed
    report.database_size = database.stat().st_size + (wal.stat().st_size if wal.exists() else 0)
    if not is_sqlite_file(database):
        report.problems.append("資料庫檔案不是 SQLite 格式或開頭已損毀；請從備份還原。")
        return report
    try:
        with open_readonly(database) as connection:
            _check_database(connection, paths, report)
    except sqlite3.DatabaseError as exc:
        report.problems.append(f"資料庫已損毀，無法讀取（{exc}）；請從最近的備份還原。")
    except UserError as exc:
        report.problems.append(exc.message)
    return report


def _check_database(connection: sqlite3.Connection, paths: DataPaths, report: DoctorReport) -> None:
    report.schema_revision = read_schema_revision(connection)
    try:
        migrate.refuse_if_newer(report.schema_revision, paths.database)
    except UserError as exc:
        report.problems.append(exc.message)
    report.quick_check = check_rows(connection, "quick_check")
    report.integrity_check = check_rows(connection, "integrity_check")
    report.foreign_key_check = foreign_key_problems(connection)
    if report.quick_check or report.integrity_check:
        report.problems.append("資料庫未通過完整性檢查；請從最近的備份還原。")
    if report.foreign_key_check:
        report.problems.append("資料庫有參照錯誤的資料列；請洽縣市人事處協助處理。")
    if report.fts5 and not report.quick_check:
        report.search_index = _search_index_problems(connection)
        if report.search_index:
            report.problems.append(
                "搜尋索引已損壞（常見問答可能搜尋不到或出錯）；下次開啟程式時會自動由內容重建。"
            )
    if report.schema_revision is None:
        report.problems.append("資料庫沒有結構版本紀錄，可能不是學校人事小幫手的資料庫。")
        return
    row = connection.execute("SELECT site_uuid, name, role FROM site WHERE id = 1").fetchone()
    if row is None:
        report.problems.append("資料庫中沒有單位識別資料；開啟一次程式即會建立。")
    else:
        report.site_uuid, report.site_name, report.role = row


def _search_index_problems(connection: sqlite3.Connection) -> list[str]:
    """FTS5's own integrity check of the search index, which ``integrity_check`` skips. The
    check is written as an INSERT, so it runs on a copy: the file is only read. The copy is a
    temporary file, not one in memory, which would hold the whole database (100 MB at
    10,000 FAQ entries) while the window runs."""
    exists = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'search_index'"
    ).fetchone()
    if exists is None:
        return []
    with tempfile.TemporaryDirectory(prefix="schoolhr-check-") as folder:
        copy = sqlite3.connect(Path(folder) / "check.sqlite3")
        try:
            copy.execute("PRAGMA journal_mode=OFF")  # a throw-away copy: no journal, no sync
            copy.execute("PRAGMA synchronous=OFF")
            try:
                connection.backup(copy)
            except sqlite3.OperationalError:  # no room for the copy: nothing said of the index
                return []
            copy.execute("INSERT INTO search_index(search_index) VALUES('integrity-check')")
        except sqlite3.DatabaseError as exc:
            return [str(exc)]
        finally:
            copy.close()
    return []


def _check_backups(paths: DataPaths, report: DoctorReport) -> None:
    found = list_backups(paths)
    report.backup_count = len(found)
    if found:
        report.last_backup = found[0].path.name
        report.last_backup_at = found[0].taken_at.isoformat(sep=" ")
