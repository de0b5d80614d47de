"""The home page, for the clerk: what is due (checklists, claims waiting, a backup), what has
arrived from the county (packs, announcements), and a button to each next step; at the county,
also its own work in one place (questions from the schools, claims to decide, schools that have
not sent a pack this term). The technical facts (site id, schema, database path and size,
content version) are in the help-desk panel (Ctrl+Shift+H); the home page speaks of the
database only when its check finds a problem."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from schoolhr.checklists.due import DueChecklist, DueItem, due_items
from schoolhr.paths import DataPaths
from schoolhr.status import read_status
from schoolhr.text import roc_date, roc_datetime
from schoolhr.ui import changes
from schoolhr.ui.jobs import run_job
from schoolhr.ui.pages.base import Page
from schoolhr.ui.strings import role_label, unnamed_site
from schoolhr.ui.widgets.flow_layout import FlowLayout, flow_row

if TYPE_CHECKING:
    from schoolhr.doctor import DoctorReport
    from schoolhr.home import HomeSummary
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


class HomePage(Page):
    """Reads a quick status at once and runs the slower integrity check off the UI thread.
    It is shown before the store is open, so ``refresh`` shows what it can without it."""

    key = "home"

    edit_site_requested = Signal()
    backup_requested = Signal()
    refreshed = Signal()  # the integrity check has been done (a problem, if any, is shown)
    page_requested = Signal(str)  # the key of the page of the work (its button was pressed)
    checklist_requested = Signal(int)  # 「開啟」 beside a due checklist: that run
    import_requested = Signal()  # nothing has come from the county yet: 「匯入交換檔…」
    # the site, the recent operations, the due checklists, the county's work, the backups
    shows = frozenset(changes.LABELS)

    def __init__(self, paths: DataPaths, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._paths = paths
        self._county = False
        self._check_generation = 0
        self.status.hide()  # what happened shows in its section
        self.site_name = _label(role="subheading")
        self.site_role = _label()
        self.edit_site_button = QPushButton(self.tr("修改單位資料…"))
        self.edit_site_button.clicked.connect(self.edit_site_requested)
        self.health = _label(role="problem")
        self.health.setVisible(False)
        self.helpdesk_hint = _label(
            self.tr("請按 Ctrl+Shift+H 開啟「支援資訊」，複製給縣市人事處或資訊人員。")
        )
        self.helpdesk_hint.setVisible(False)
        self.backup_status = _label()
        self.backup_button = QPushButton(self.tr("立即備份"))
        self.backup_button.clicked.connect(self.backup_requested)
        self.operations = _label()
        # 待辦: one row per due checklist, and the claims waiting, each with its button
        self.todo_rows = QVBoxLayout()
        self.todo_empty = _label(self.tr("30 天內沒有到期的檢核表，也沒有待核定的積點。"))
        self.due_buttons: list[QPushButton] = []
        self._due_lines: list[str] = []
        self.claims_label = _label()
        self.claims_button = QPushButton(self.tr("查看積點紀錄"))
        self.claims_button.clicked.connect(lambda: self.page_requested.emit("rewards"))
        todo = QFrame()
        todo.setFrameShape(QFrame.Shape.StyledPanel)
        todo_layout = QVBoxLayout(todo)
        todo_layout.addWidget(_label(self.tr("待辦：到期與逾期（30 天內）"), "subheading"))
        todo_layout.addLayout(self.todo_rows)
        self.claims_row = self._row(self.claims_label, self.claims_button)
        todo_layout.addWidget(self.claims_row)
        todo_layout.addWidget(self.todo_empty)
        # 縣市寄來的: packs imported and the county's announcements
        self.arrived = _label()
        self.arrived_button = QPushButton(self.tr("查看交換紀錄"))
        self.arrived_button.clicked.connect(lambda: self.page_requested.emit("sync"))
        self.import_button = QPushButton(self.tr("匯入交換檔…"))
        self.import_button.clicked.connect(self.import_requested)
        self.arrived_section = self._section(
            self.tr("縣市人事處寄來的"), self.arrived, self.import_button, self.arrived_button
        )
        self.county_summary = _label()
        self.county_questions = _label()
        self.county_claims = _label()
        self.county_missing = _label()
        self.county_buttons = []
        for text, page in (
            (self.tr("處理未解答問題"), "unanswered"),
            (self.tr("核定積點"), "rewards"),
            (self.tr("各校寄送情形"), "sync"),
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
        layout.addWidget(self.health)
        layout.addWidget(self.helpdesk_hint)
        site_section = self._section(
            self.tr("本單位"), self.site_name, self.site_role, self.edit_site_button
        )
        layout.addWidget(site_section)
        layout.addWidget(self.county_section)
        layout.addWidget(todo)
        layout.addWidget(self.arrived_section)
        layout.addWidget(self._section(self.tr("備份"), self.backup_status, self.backup_button))
        layout.addWidget(self._section(self.tr("最近的資料作業"), self.operations))
        layout.addStretch(1)
        self.set_ready(False)

    def _row(self, label: QLabel, button: QPushButton) -> QWidget:
        row = QWidget()
        box = QHBoxLayout(row)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(label, 1)
        box.addWidget(button)
        return row

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
        self.import_button.setEnabled(ready)

    def set_county(self, county: bool) -> None:
        self._county = county
        self.county_section.setVisible(county)
        self.arrived_section.setVisible(not county)  # the county is where packs come from

    def reload(self, kinds: changes.Kinds) -> None:
        """Any change shows here; the database is checked again only after a restore."""
        self.refresh(check_integrity=changes.EVERYTHING in kinds)

    def refresh(self, check_integrity: bool = True) -> None:
        status = read_status(self._paths)
        summary: HomeSummary | None = None
        if self.store_open:  # shown before the store: the status files say enough
            from schoolhr.home import home_summary

            summary = home_summary(self.store)
            if self._county:
                from schoolhr.support.county import county_work

                self.show_county_work(county_work(self.store))
        if status.site is not None:
            self.site_name.setText(status.site.name or unnamed_site())
            self.site_role.setText(self.tr("角色：{0}").format(role_label(status.site.role)))
        else:
            self.site_name.setText(self.tr("正在開啟資料庫…"))
            self.site_role.setText("")
        self.operations.setText(
            "\n".join(
                f"{roc_datetime(op.at.astimezone())}　{op.summary}"
                for op in status.operations
                if op.kind != "migrate"  # the schema's revision is for the help desk
            )
            or self.tr("還沒有任何資料作業。")
        )
        self._show_due(status.due)
        self._show_summary(summary)
        last = status.last_backup
        if last is not None:
            self.backup_status.setText(
                self.tr("最近一次備份：{0}，{1}（共 {2} 份）").format(
                    roc_datetime(last.taken_at), last.reason_label, len(status.backups)
                )
            )
        else:
            self.backup_status.setText(self.tr("還沒有備份。建議現在按「立即備份」。"))
        if status.problem:
            self._show_problem(status.problem)
        elif check_integrity and status.database_exists:
            self._check_generation += 1
            generation = self._check_generation
            run_job(
                self,
                self.tr("檢查資料庫"),
                lambda _progress: _doctor(self._paths),
                lambda report: self._show_report(report, generation),
                quiet=True,
            )

    def _show_problem(self, problem: str | None) -> None:
        self.health.setText(self.tr("資料庫有問題：") + problem if problem else "")
        self.health.setVisible(bool(problem))
        self.helpdesk_hint.setVisible(bool(problem))

    def _show_due(self, due: list[DueChecklist]) -> None:
        while self.todo_rows.count():
            child = self.todo_rows.takeAt(0)
            widget = child.widget() if child is not None else None
            if widget is not None:
                widget.deleteLater()
        self.due_buttons = []
        self._due_lines = []
        for run, line in self._due_items(due):
            button = QPushButton(self.tr("開啟"))
            button.setAccessibleName(self.tr("開啟檢核表：{0}").format(run.title))
            button.clicked.connect(lambda _c=False, r=run.run_id: self.checklist_requested.emit(r))
            label = _label(line)
            if run.due_date < date.today():
                label.setProperty("role", "problem")
            self.todo_rows.addWidget(self._row(label, button))
            self.due_buttons.append(button)
            self._due_lines.append(line)

    def due_text(self) -> str:
        """The due checklists as listed, one a line."""
        return "\n".join(self._due_lines)

    def _show_summary(self, summary: HomeSummary | None) -> None:
        claims = summary.claims_waiting if summary is not None else 0
        # at the county the claims to decide are in its own section
        show_claims = bool(claims) and not self._county
        self.claims_row.setVisible(show_claims)
        self.claims_label.setText(
            self.tr("有 {0} 筆積點已申報，等待縣市人事處核定。").format(claims)
        )
        self.todo_empty.setVisible(not self._due_lines and not show_claims)
        if summary is None:
            self.arrived.setText("")
            self.import_button.setVisible(False)
            self.arrived_button.setVisible(False)
            return
        lines = []
        for exchange in summary.imports:
            kind = (
                self.tr("內容包第 {0} 版").format(exchange.content_version)
                if exchange.kind == "content" and exchange.content_version
                else self.tr("內容包")
                if exchange.kind == "content"
                else self.tr("資料包（核定結果等）")
            )
            lines.append(
                self.tr("{0}　匯入{1}（來自{2}）").format(
                    roc_date(exchange.at.astimezone().date()), kind, exchange.site_name
                )
            )
        if summary.news:
            lines.append(self.tr("最新消息："))
            lines += [f"　{roc_date(n.published)}　{n.title}" for n in summary.news]
        nothing = not summary.imports
        self.arrived.setText(
            "\n".join(lines)
            if lines
            else self.tr(
                "還沒有匯入縣市人事處的交換檔。縣市寄來的內容包（.zip，以隨身碟、電子郵件"
                "或公用資料夾傳送）請按「匯入交換檔…」匯入；第一次匯入前，請先在「交換檔」頁"
                "信任縣市公鑰，並以電話向縣市人事處核對指紋。"
            )
        )
        self.import_button.setVisible(nothing)
        self.arrived_button.setVisible(not nothing)

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

    def _due_items(self, due: list[DueChecklist]) -> list[tuple[DueItem, str]]:
        items = []
        for item in due_items(due, date.today()):
            days = item.days_left
            when = (
                self.tr("已逾期 {0} 天").format(-days)
                if days < 0
                else self.tr("今天到期")
                if days == 0
                else self.tr("還有 {0} 天").format(days)
            )
            period = f"（{item.period}）" if item.period else ""
            items.append((item, f"{roc_date(item.due_date)}　{item.title}{period}　{when}"))
        return items

    def _show_report(self, report: DoctorReport, generation: int) -> None:
        if generation != self._check_generation:
            return  # a newer check is on its way; an older result must not overwrite it
        self._show_problem(None if report.healthy else "；".join(report.problems))
        self.refreshed.emit()
