"""The help-desk panel's facts about one profile, gathered in one call and shown as plain text.

A supporter on a remote-desktop call sees on one screen: versions, the data folder, database
health and last backup, the last pack imported and exported, the guide and step the clerk has
open, recent errors from the log (personal data masked) and what is pending. Everything is read
with the standard library's sqlite3 and the doctor (read-only), so the report also works when
the database is damaged, being migrated, or from a newer version; the store is needed only for
the county's work list.
"""

from __future__ import annotations

import platform
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from schoolhr import APP_NAME, __version__
from schoolhr.checklists.due import DUE_SOON_DAYS, due_items
from schoolhr.doctor import DoctorReport, run_doctor
from schoolhr.errors import UserError
from schoolhr.paths import DataPaths
from schoolhr.site import SiteRole
from schoolhr.status import read_status
from schoolhr.store.sqlite_files import open_readonly
from schoolhr.support.masking import Masker, known_names, mask_home
from schoolhr.text import human_size, roc_date, roc_datetime

if TYPE_CHECKING:
    from schoolhr.store.database import Store
    from schoolhr.support.county import CountyWork

RECENT_ERRORS = 10
ERROR_LEVELS = ("WARNING", "ERROR", "CRITICAL")
# A record of schoolhr.logs: "2025-11-22 10:03:04,567 ERROR schoolhr.cli [MainThread] text"
_RECORD = re.compile(
    r"^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}),\d{3} ([A-Z]+) (\S+) \[[^\]]*\] ?(.*)$"
)
_LEVEL_LABELS = {"WARNING": "警告", "ERROR": "錯誤", "CRITICAL": "嚴重錯誤"}
_DIRECTION_LABELS = {"import": "匯入", "export": "匯出"}
_KIND_LABELS = {"content": "內容包", "data": "資料包"}


@dataclass(frozen=True)
class LogError:
    """One warning or error record of the log, masked: its first line, and the last line of
    its traceback (the exception itself) when there is one."""

    at: str  # local time as the log wrote it
    level: str
    logger: str
    message: str
    detail: str = ""

    @property
    def level_label(self) -> str:
        return _LEVEL_LABELS.get(self.level, self.level)


@dataclass(frozen=True)
class ExchangeLine:
    at: datetime  # aware, UTC
    direction: str
    kind: str
    site_name: str
    file_name: str
    content_version: int | None
    summary: str

    def text(self) -> str:
        version = f"第 {self.content_version} 版" if self.content_version is not None else ""
        line = (
            f"{_local(self.at)} {_DIRECTION_LABELS.get(self.direction, self.direction)}"
            f"{_KIND_LABELS.get(self.kind, self.kind)}{version}「{self.file_name}」"
        )
        if self.direction != "import":  # an export's summary repeats the file name
            return line
        return (
            line
            + (f"（來自 {self.site_name}）" if self.site_name else "")
            + (f"：{self.summary}" if self.summary else "")
        )


@dataclass(frozen=True)
class DueLine:
    title: str
    period: str
    due_date: date
    days_left: int  # negative when overdue

    def text(self) -> str:
        if self.days_left < 0:
            when = f"已逾期 {-self.days_left} 天"
        elif self.days_left == 0:
            when = "今天到期"
        else:
            when = f"{self.days_left} 天後到期"
        period = f"（{self.period}）" if self.period else ""
        return f"{self.title}{period}：期限 {roc_date(self.due_date)}，{when}"


@dataclass
class SupportReport:
    """What the help-desk panel shows; ``as_text`` is what its copy button copies."""

    generated_at: datetime  # aware, local
    app_version: str
    python_version: str
    platform: str
    qt_version: str | None
    data_dir: str  # with the home folder masked
    demo: bool
    site_name: str | None
    role: str | None
    database_size: int | None
    schema_revision: str | None
    schema_head: str
    healthy: bool
    problems: list[str]
    last_backup_at: datetime | None  # local time, as in the backup's name
    last_backup_reason: str | None
    backup_count: int
    content_version: str | None  # the bundled content installed
    content_title: str | None
    county_content: list[str]  # "第 N 版（signer）" of the county packs installed
    last_import: ExchangeLine | None
    last_export: ExchangeLine | None
    open_guide: tuple[str, str] | None  # (guide, step) the clerk has open, from the window
    recent_errors: list[LogError]
    names_masked: bool  # False when the names to mask could not be read from the database
    due: list[DueLine] = field(default_factory=list)
    unanswered: int = 0
    claims_waiting: int = 0
    county: CountyWork | None = None
    site_uuid: str | None = None  # the site's id, which never changes
    database: str = ""  # the database file, with the home folder masked
    mask_names: frozenset[str] = field(default=frozenset(), repr=False)  # masked in as_text

    @property
    def role_label(self) -> str:
        known = {r.value for r in SiteRole}
        return SiteRole(self.role).label if self.role in known else "—"

    def as_text(self) -> str:
        """The report in zh-TW plain text, for a ticket or a chat (no personal data)."""
        lines = [
            f"{APP_NAME} 支援資訊（{roc_datetime(self.generated_at)}）"
            + ("　【示範模式】" if self.demo else ""),
            "",
            "【版本】",
            f"程式：{self.app_version}；Python {self.python_version}；"
            f"Qt {self.qt_version or '—'}；{self.platform}",
            f"內建內容：{self.content_version or '未安裝'}"
            + (f"（{self.content_title}）" if self.content_title else ""),
            "縣市內容包：" + ("、".join(self.county_content) or "尚未匯入"),
            "",
            "【資料】",
            f"單位：{self.site_name or '（未設定校名）'}；角色：{self.role_label}",
            f"單位識別碼：{self.site_uuid or '—'}",
            f"資料夾：{self.data_dir}",
            f"資料庫：{self.database or '—'}",
            "資料庫大小："
            + (human_size(self.database_size) if self.database_size is not None else "—"),
            f"結構版本：{self.schema_revision or '—'}（本版最新：{self.schema_head}）",
            "健康檢查：" + ("正常" if self.healthy else "有問題"),
        ]
        lines += [f"  - {problem}" for problem in self.problems]
        lines.append(
            "最近備份："
            + (
                f"{roc_datetime(self.last_backup_at)}（{self.last_backup_reason}，"
                f"共 {self.backup_count} 份）"
                if self.last_backup_at is not None
                else "尚無備份"
            )
        )
        lines += [
            "",
            "【交換檔】",
            "最近匯入：" + (self.last_import.text() if self.last_import else "尚無"),
            "最近匯出：" + (self.last_export.text() if self.last_export else "尚無"),
            "",
            "【目前開啟的操作指引】",
            f"{self.open_guide[0]}：{self.open_guide[1]}" if self.open_guide else "（未開啟）",
            "",
            "【待辦】",
            f"未解答問題：{self.unanswered} 則",
            f"待核定積點：{self.claims_waiting} 筆",
            f"到期或逾期的檢核表（{DUE_SOON_DAYS} 天內）：{len(self.due)} 份",
        ]
        lines += [f"  - {line.text()}" for line in self.due]
        if self.county is not None:
            lines += ["", "【縣市人事處待辦】", self.county.summary()]
            lines += [f"  - 尚未送資料包：{s.name}" for s in self.county.missing_packs]
        lines += ["", f"【最近的錯誤與警告】（最多 {RECENT_ERRORS} 筆，個人資料已遮蔽）"]
        if not self.names_masked:
            lines.append("  注意：無法讀取資料庫中的姓名，記錄中的姓名可能未遮蔽。")
        if not self.recent_errors:
            lines.append("（沒有）")
        for error in self.recent_errors:
            lines.append(f"{error.at} {error.level_label} {error.logger}：{error.message}")
            if error.detail:
                lines.append(f"    {error.detail}")
        return Masker(self.mask_names).mask("\n".join(lines))


def support_report(
    paths: DataPaths,
    store: Store | None = None,
    open_guide: tuple[str, str] | None = None,
    *,
    today: date | None = None,
    doctor: DoctorReport | None = None,
) -> SupportReport:
    """Gather the report for the profile at ``paths``. It runs the doctor's integrity check
    (about a second per 100 MB of database), so call it off the UI thread; pass ``doctor``
    when it has just been run. ``store`` (when open) adds the county's work list for a county
    profile. Reads only."""
    from schoolhr.demo import is_demo_profile

    today = today or date.today()
    doctor = doctor or run_doctor(paths)
    status = read_status(paths)
    names = known_names(paths)
    last_backup = status.last_backup
    report = SupportReport(
        generated_at=datetime.now().astimezone(),
        app_version=__version__,
        python_version=platform.python_version(),
        platform=platform.platform(terse=True),
        qt_version=_package_version("PySide6", "PySide6_Essentials"),
        data_dir=mask_home(str(paths.root)),
        database=mask_home(str(paths.database)),
        site_uuid=status.site.site_uuid if status.site else None,
        demo=is_demo_profile(paths),
        site_name=doctor.site_name,
        role=doctor.role,
        database_size=doctor.database_size,
        schema_revision=doctor.schema_revision,
        schema_head=doctor.schema_head,
        healthy=doctor.healthy and status.problem is None,
        problems=list(doctor.problems) + ([status.problem] if status.problem else []),
        last_backup_at=last_backup.taken_at if last_backup else None,
        last_backup_reason=last_backup.reason_label if last_backup else None,
        backup_count=len(status.backups),
        content_version=status.content[0] if status.content else None,
        content_title=status.content[1] if status.content else None,
        county_content=[],
        last_import=None,
        last_export=None,
        open_guide=open_guide,
        recent_errors=recent_errors(paths, names or ()),
        names_masked=names is not None,
        mask_names=frozenset(names or ()),
        due=[
            DueLine(d.title, d.period, d.due_date, d.days_left)
            for d in due_items(status.due, today)
        ],
    )
    if names:  # a checklist run's period carries the person's name (「到職王小明」)
        masker = Masker(names)
        report.due = [
            DueLine(d.title, masker.mask(d.period), d.due_date, d.days_left) for d in report.due
        ]
    _read_database(paths, report)
    if store is not None and report.role == SiteRole.COUNTY.value:
        from schoolhr.support.county import county_work

        report.county = county_work(store, today)
    return report


def _package_version(*names: str) -> str | None:
    """The version of the first of ``names`` installed, read from its metadata (so Qt itself
    is not imported); PySide6 is often installed as its ``PySide6_Essentials`` part only."""
    for name in names:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return None


def _local(value: datetime) -> str:
    return roc_datetime(value.astimezone())


def _read_database(paths: DataPaths, report: SupportReport) -> None:
    """Exchanges, county content releases and pending counts; left empty when unreadable
    (the doctor has already said why)."""
    if not paths.database.is_file():
        return
    try:
        with open_readonly(paths.database) as connection:
            tables = {
                row[0]
                for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            if "sync_exchange" in tables:
                report.last_import = _last_exchange(connection, "import")
                report.last_export = _last_exchange(connection, "export")
            if "content_release" in tables:
                report.county_content = [
                    f"第 {version} 版（{title or '縣市人事處'}）"
                    for version, title in connection.execute(
                        "SELECT version, title FROM content_release "
                        "WHERE source LIKE 'pack:%' ORDER BY installed_at DESC"
                    )
                ]
            if "faq_unanswered" in tables:
                report.unanswered = int(
                    connection.execute(
                        "SELECT count(*) FROM faq_unanswered WHERE answered_entry_id IS NULL"
                    ).fetchone()[0]
                )
            if "reward_entry" in tables:
                report.claims_waiting = int(
                    connection.execute(
                        "SELECT count(*) FROM reward_entry WHERE status = 'claimed'"
                    ).fetchone()[0]
                )
    except (sqlite3.DatabaseError, UserError):
        return


def _last_exchange(connection: sqlite3.Connection, direction: str) -> ExchangeLine | None:
    row = connection.execute(
        "SELECT at, kind, site_name, file_name, content_version, summary FROM sync_exchange "
        "WHERE direction = ? ORDER BY at DESC, id DESC LIMIT 1",
        (direction,),
    ).fetchone()
    if row is None:
        return None
    at, kind, site_name, file_name, version, summary = row
    return ExchangeLine(
        datetime.fromisoformat(at).replace(tzinfo=UTC),
        direction,
        kind,
        site_name or "",
        file_name or "",
        version,
        summary or "",
    )


# -- the log ----------------------------------------------------------------------------------


def log_files(paths: DataPaths) -> list[Path]:
    """The log file and its rotated predecessors, newest first."""
    current = paths.log_file
    found = [current] if current.is_file() else []
    rotated = sorted(
        (p for p in paths.logs.glob(current.name + ".*") if p.suffix[1:].isdigit()),
        key=lambda p: int(p.suffix[1:]),
    )
    return found + [p for p in rotated if p.is_file()]


def recent_errors(
    paths: DataPaths, names: Iterable[str] = (), limit: int = RECENT_ERRORS
) -> list[LogError]:
    """The newest ``limit`` warnings and errors of the log, newest first, masked."""
    masker = Masker(names)
    found: list[LogError] = []
    for path in log_files(paths):
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        records = [r for r in _records(text) if r[1] in ERROR_LEVELS]
        for at, level, logger, message, detail in reversed(records):
            found.append(LogError(at, level, logger, masker.mask(message), masker.mask(detail)))
            if len(found) >= limit:
                return found
    return found


def _records(text: str) -> list[tuple[str, str, str, str, str]]:
    """(time, level, logger, first line, last traceback line) of each record, oldest first."""
    records: list[tuple[str, str, str, str, str]] = []
    for line in text.splitlines():
        match = _RECORD.match(line)
        if match:
            at, level, logger, message = match.groups()
            records.append((at, level, logger, message, ""))
        elif records and line.strip():
            at, level, logger, message, _detail = records[-1]
            records[-1] = (at, level, logger, message, line.strip())
    return records
