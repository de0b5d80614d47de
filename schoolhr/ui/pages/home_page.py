"""The home page: what is true right now about this site, its database and its backups; at the
county, also its own work in one place (questions from the schools, claims to decide, schools
that have not sent a pack this term)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from schoolhr import __version__
from schoolhr.paths import DataPaths
from schoolhr.status import DUE_SOON_DAYS, DueChecklist, read_status
from schoolhr.text import human_size, roc_date, roc_datetime
from schoolhr.ui import changes
from schoolhr.ui.jobs import run_job
from schoolhr.ui.pages.base import Page
from schoolhr.ui.strings import role_label, unnamed_site
from schoolhr.ui.widgets.flow_layout import FlowLayout, flow_row

if TYPE_CHECKING:
    from schoolhr.doctor import DoctorReport
    from schoolhr.store.database import Store
    from schoolhr.support.county import CountyWork

COUNTY_LIST_LIMIT = 5  # lines per list on the home page; the pages show them all


def _label(text: str = "", role: str | None = None) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    if role:
        label.setProperty("role", role)
    return label


def _doctor(paths: DataPaths) -> DoctorReport:
    from schoolhr.doctor import run_doctor  # off the start-up path

    return run_doctor(paths)


def _set_role(label: QLabel, role: str) -> None:
    label.setProperty("role", role)
    label.style().unpolish(label)
    label.style().polish(label)


class HomePage(Page):
    """Reads a quick status at once and runs the slower integrity check off the UI thread."""

    edit_site_requested = Signal()
    backup_requested = Signal()
    refreshed = Signal()  # the integrity check has been shown
    page_requested = Signal(str)  # the county's shortcuts to the pages where the work is done
    # the site, the recent operations, the due checklists, the county's work, the backups
    shows = frozenset(changes.LABELS)

    def __init__(self, paths: DataPaths, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._paths = paths
        self._store: Store | None = None
        self._county = False
        self._check_generation = 0
        self.heading = _label(self.tr("首頁"), "heading")
        self.site_name = _label(role="subheading")
        self.site_role = _label()
        self.edit_site_button = QPushButton(self.tr("修改單位資料…"))
        self.edit_site_button.clicked.connect(self.edit_site_requested)
        self.health = _label()
        self.health_detail = _label()
        self.backup_status = _label()
        self.backup_button = QPushButton(self.tr("立即備份"))
        self.backup_button.clicked.connect(self.backup_requested)
        self.operations = _label()
        self.due = _label()
        self.version = _label(self.tr("程式版本：{0}").format(__version__))
        self.content_version = _label()
        self.county_summary = _label()
        self.county_questions = _label()
        self.county_claims = _label()
        self.county_missing = _label()
        self.county_buttons = []
        for text, page in (
            (self.tr("處理未解答問題"), self.tr("未解答問題")),
            (self.tr("核定積點"), self.tr("積點獎勵")),
            (self.tr("各校寄送情形"), self.tr("交換檔")),
        ):
            button = QPushButton(text)
            button.clicked.connect(lambda _checked=False, p=page: self.page_requested.emit(p))
            self.county_buttons.append(button)
        self.county_section = self._section(
            self.tr("縣市人事處待辦"),
            self.county_summary,
            self.county_questions,
            self.county_claims,
            self.county_missing,
            *self.county_buttons,
        )
        self.county_section.setVisible(False)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        site_section = self._section(
            self.tr("本單位"), self.site_name, self.site_role, self.edit_site_button
        )
        layout.addWidget(site_section)
        layout.addWidget(self.county_section)
        layout.addWidget(self._section(self.tr("資料庫"), self.health, self.health_detail))
        layout.addWidget(self._section(self.tr("備份"), self.backup_status, self.backup_button))
        layout.addWidget(self._section(self.tr("到期與逾期的檢核表（30 天內）"), self.due))
        layout.addWidget(self._section(self.tr("最近的資料作業"), self.operations))
        layout.addWidget(self.version)
        layout.addWidget(self.content_version)
        layout.addStretch(1)
        self.set_ready(False)

    def _section(self, title: str, *widgets: QWidget) -> QFrame:
        frame = QFrame()
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        box = QVBoxLayout(frame)
        box.addWidget(_label(title, "subheading"))
        row: FlowLayout | None = None
        for widget in widgets:
            if isinstance(widget, QPushButton):
                row = row or flow_row()
                row.addWidget(widget)
            else:
                box.addWidget(widget)
        if row is not None:
            box.addLayout(row)
        return frame

    def set_ready(self, ready: bool) -> None:
        """Actions that write need the open store; until then they are disabled."""
        self.edit_site_button.setEnabled(ready)
        self.backup_button.setEnabled(ready)

    def set_store(self, store: Store) -> None:
        self._store = store

    def set_county(self, county: bool) -> None:
        self._county = county
        self.county_section.setVisible(county)

    def reload(self, kinds: changes.Kinds) -> None:
        """Any change shows here; the database is checked again only after a restore."""
        self.refresh(check_integrity=changes.EVERYTHING in kinds)

    def refresh(self, check_integrity: bool = True) -> None:
        status = read_status(self._paths)
        if self._county and self._store is not None:
            from schoolhr.support.county import county_work

            self.show_county_work(county_work(self._store))
        if status.site is not None:
            self.site_name.setText(status.site.name or unnamed_site())
            self.site_role.setText(
                self.tr("角色：{0}　識別碼：{1}").format(
                    role_label(status.site.role), status.site.site_uuid
                )
            )
        else:
            self.site_name.setText(self.tr("正在開啟資料庫…"))
            self.site_role.setText("")
        self.operations.setText(
            "\n".join(
                f"{roc_datetime(op.at.astimezone())}　{op.summary}" for op in status.operations
            )
            or self.tr("還沒有任何資料作業。")
        )
        if status.content is not None:
            version, title = status.content
            self.content_version.setText(self.tr("內容版本：{0}（{1}）").format(version, title))
        else:
            self.content_version.setText(self.tr("內容版本：正在安裝內建內容…"))
        self.due.setText(self._due_text(status.due) or self.tr("30 天內沒有到期的檢核表。"))
        last = status.last_backup
        if last is not None:
            self.backup_status.setText(
                self.tr("最近一次備份：{0}，{1}（共 {2} 份，存放於 {3}）").format(
                    roc_datetime(last.taken_at),
                    last.reason_label,
                    len(status.backups),
                    self._paths.backups,
                )
            )
        else:
            self.backup_status.setText(self.tr("還沒有備份。建議現在按「立即備份」。"))
        if status.problem:
            self.health.setText(self.tr("資料庫有問題：") + status.problem)
            _set_role(self.health, "problem")
        elif check_integrity and status.database_exists:
            self.health.setText(self.tr("正在檢查資料庫…"))
            _set_role(self.health, "")
            self._check_generation += 1
            generation = self._check_generation
            run_job(
                self,
                self.tr("檢查資料庫"),
                lambda _progress: _doctor(self._paths),
                lambda report: self._show_report(report, generation),
                quiet=True,
            )

    def show_county_work(self, work: CountyWork) -> None:
        self.county_summary.setText(work.summary() + f"（{work.term.label}）")

        def listing(title: str, lines: list[str], total: int) -> str:
            if not lines:
                return ""
            more = self.tr("…另有 {0} 項").format(total - len(lines)) if total > len(lines) else ""
            return "\n".join([title, *("　" + line for line in lines), *([more] if more else [])])

        questions = work.questions[:COUNTY_LIST_LIMIT]
        self.county_questions.setText(
            listing(
                self.tr("最常問而找不到答案的問題："),
                [
                    self.tr("{0}（{1}，{2} 次）").format(q.query, q.school, q.count)
                    for q in questions
                ],
                len(work.questions),
            )
        )
        claims = work.claims[:COUNTY_LIST_LIMIT]
        self.county_claims.setText(
            listing(
                self.tr("待核定的積點："),
                [
                    f"{roc_date(c.date)}　{c.school}　{c.name}　{c.kind_label} {c.points} 點"
                    for c in claims
                ],
                len(work.claims),
            )
        )
        names = [school.name for school in work.missing_packs]
        shown = "、".join(names[: COUNTY_LIST_LIMIT * 2])
        if len(names) > COUNTY_LIST_LIMIT * 2:
            shown += self.tr("…共 {0} 所").format(len(names))
        self.county_missing.setText(
            listing(self.tr("本學期尚未寄資料包的學校："), [shown], 1) if names else ""
        )
        for label in (self.county_questions, self.county_claims, self.county_missing):
            label.setVisible(bool(label.text()))

    def _due_text(self, due: list[DueChecklist]) -> str:
        today = date.today()
        lines = []
        for run in due:
            days = (run.due_date - today).days
            if days > DUE_SOON_DAYS:
                continue
            when = (
                self.tr("已逾期 {0} 天").format(-days)
                if days < 0
                else self.tr("今天到期")
                if days == 0
                else self.tr("還有 {0} 天").format(days)
            )
            period = f"（{run.period}）" if run.period else ""
            lines.append(f"{roc_date(run.due_date)}　{run.title}{period}　{when}")
        return "\n".join(lines)

    def _show_report(self, report: DoctorReport, generation: int) -> None:
        if generation != self._check_generation:
            return  # a newer check is on its way; an older result must not overwrite it
        if report.healthy:
            self.health.setText(self.tr("資料庫正常（完整性檢查通過）"))
            _set_role(self.health, "ok")
        else:
            self.health.setText(self.tr("資料庫有問題：") + "；".join(report.problems))
            _set_role(self.health, "problem")
        self.health_detail.setText(
            self.tr("{0}（{1}，結構版本 {2}）").format(
                report.database,
                human_size(report.database_size or 0),
                report.schema_revision or "—",
            )
        )
        self.refreshed.emit()
