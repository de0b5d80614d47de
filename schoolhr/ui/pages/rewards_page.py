"""積點獎勵: entries claimed by schools and decided by the county, the year's proposals with
their exports and certificates, and charts of the approved points."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from schoolhr.rocdates import roc_year_label
from schoolhr.text import roc_date
from schoolhr.ui import changes
from schoolhr.ui.jobs import Job, run_job
from schoolhr.ui.models.rows import Column, RowsModel, number_column
from schoolhr.ui.pages.base import Page, needs_store
from schoolhr.ui.widgets.bar_chart import BarChart
from schoolhr.ui.widgets.buttons import push_button
from schoolhr.ui.widgets.flow_layout import flow_row
from schoolhr.ui.widgets.roc_date_edit import RocDateEdit, RocYearSpinBox
from schoolhr.ui.widgets.tables import rows_table

if TYPE_CHECKING:
    from schoolhr.rewards.certificate import CertificateResult
    from schoolhr.rewards.service import EntryView, Proposal

STATUSES = (("", "全部"), ("claimed", "待核定"), ("approved", "已核定"), ("rejected", "已退回"))


class RewardsPage(Page):
    key = "rewards"
    shows = frozenset({changes.CONTACTS, changes.REWARDS})
    page_requested = Signal(str)  # the key of the page of an empty page's next step

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._county = False
        self._entries: list[EntryView] = []
        self._proposals: list[Proposal] = []
        self._has_people = False
        self.year = RocYearSpinBox()
        self.year.setAccessibleName(self.tr("年度"))
        self.year.setRange(2000, 2100)
        self.year.setValue(date.today().year)
        self.year.valueChanged.connect(lambda _v: self.refresh())
        self.note = QLabel("")
        self.note.setWordWrap(True)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._entries_tab(), self.tr("積點紀錄"))
        self.tabs.addTab(self._proposals_tab(), self.tr("年度敘獎建議"))
        self.school_chart = BarChart(self.tr("各校核定點數"))
        self.kind_chart = BarChart(self.tr("各類別核定點數"))
        charts = QWidget()
        charts_layout = QVBoxLayout(charts)
        charts_layout.addWidget(self.school_chart)
        charts_layout.addWidget(self.kind_chart)
        charts_layout.addStretch(1)
        self.tabs.addTab(charts, self.tr("圖表"))
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("年度")))
        top.addWidget(self.year)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(top)
        layout.addWidget(self.note)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)

    def _entries_tab(self) -> QWidget:
        self.status_filter = QComboBox()
        for key, label in STATUSES:
            self.status_filter.addItem(self.tr(label), key)
        self.status_filter.currentIndexChanged.connect(lambda _i: self.refresh())
        self.entries_model: RowsModel[EntryView] = RowsModel(
            [
                Column(self.tr("日期"), lambda e: roc_date(e.date), lambda e: e.date),
                Column(self.tr("姓名"), lambda e: e.name),
                Column(self.tr("學校"), lambda e: e.school),
                Column(self.tr("類別"), lambda e: e.kind_label),
                number_column(self.tr("點數"), lambda e: e.points),
                Column(self.tr("狀態"), lambda e: e.status_label),
                Column(self.tr("事由"), lambda e: e.reason),
                Column(self.tr("審核理由"), lambda e: e.decision_reason),
            ]
        )
        self.entries = rows_table(self.entries_model, self.tr("積點紀錄"))
        self.person = QComboBox()
        self.person.setAccessibleName(self.tr("人員"))
        self.kind = QComboBox()
        self.kind.setAccessibleName(self.tr("積點項目"))
        self.on = RocDateEdit(date.today(), label=self.tr("日期"))
        self.reason = QLineEdit()
        self.reason.setAccessibleName(self.tr("事由"))
        self.reason.setPlaceholderText(self.tr("事由，例如：協助鄰校完成退休案件"))
        self.add_button = push_button(self.tr("申報積點"), self.add)
        form = flow_row(self.person, self.kind, self.on, self.reason, self.add_button)
        self.approve_button = push_button(self.tr("核定所選…"), lambda: self.decide(approve=True))
        self.reject_button = push_button(self.tr("退回所選…"), lambda: self.decide(approve=False))
        self.reverse_button = push_button(self.tr("沖銷所選…"), self.reverse)
        county = flow_row(
            QLabel(self.tr("篩選")),
            self.status_filter,
            self.approve_button,
            self.reject_button,
            self.reverse_button,
        )
        from schoolhr.ui.widgets.empty_state import EmptyState

        self.empty = EmptyState("", "", self.next_step)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addLayout(county)
        layout.addWidget(self.empty)
        layout.addWidget(self.entries, 1)
        layout.addLayout(form)
        return tab

    def _proposals_tab(self) -> QWidget:
        from schoolhr.rewards.service import points_text

        self.proposals_model: RowsModel[Proposal] = RowsModel(
            [
                Column(self.tr("姓名"), lambda p: p.name),
                Column(self.tr("學校"), lambda p: p.school),
                number_column(self.tr("核定點數"), lambda p: p.approved_points),
                number_column(self.tr("計入點數"), lambda p: p.counted_points),
                number_column(self.tr("年資倍率"), lambda p: p.multiplier, lambda m: f"×{m}"),
                number_column(self.tr("加權點數"), lambda p: p.weighted, points_text),
                Column(self.tr("敘獎建議"), self._final),
            ]
        )
        self.proposals_table = rows_table(self.proposals_model, self.tr("敘獎建議"))
        self.adjust_button = push_button(self.tr("調整建議…"), self.adjust)
        self.xlsx_button = push_button(self.tr("報表存成 Excel…"), lambda: self.export("xlsx"))
        self.csv_button = push_button(self.tr("WebHR 登打用 CSV…"), lambda: self.export("csv"))
        self.certificate_button = push_button(self.tr("獎狀 PDF…"), self.certificate)
        buttons = flow_row(
            self.adjust_button, self.xlsx_button, self.csv_button, self.certificate_button
        )
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addLayout(buttons)
        layout.addWidget(self.proposals_table, 1)
        return tab

    # -- data -----------------------------------------------------------------------------

    def set_ready(self, ready: bool) -> None:
        self.add_button.setEnabled(ready)
        self.empty.button.setEnabled(ready)

    def set_county(self, county: bool) -> None:
        """Only the county decides claims and adjusts proposals."""
        self._county = county
        for button in (
            self.approve_button,
            self.reject_button,
            self.reverse_button,
            self.adjust_button,
        ):
            button.setVisible(county)

    def load(self) -> None:
        from schoolhr.contacts import service as contacts
        from schoolhr.errors import UserError
        from schoolhr.rewards import service

        year = self.year.value()
        status = str(self.status_filter.currentData()) or None
        with self.store.read() as session:
            people = contacts.list_contacts(session)
            try:
                rules = service.current_rules(session)
            except UserError:  # no rules installed yet: nothing can be computed
                rules = None
            self._entries = service.list_entries(session, year=year, status=status)
            summary = service.year_summary(session, year) if rules else None
            self._proposals = service.proposals(session, year) if rules else []
        self.person.clear()
        for view in people:
            self.person.addItem(f"{view.record.name}（{view.record.school}）", view.id)
        self.kind.clear()
        if rules is not None:
            for kind in rules.kinds:
                self.kind.addItem(kind.label, kind.id)
            self.note.setText(self.tr("規則第 {0} 版：{1}").format(rules.version, rules.note))
        self.entries_model.set_rows(self._entries)
        self.proposals_model.set_rows(self._proposals)
        self._show_empty(bool(people), status)
        if summary is not None:
            self.school_chart.set_items(sorted(summary.by_school.items(), key=lambda i: -i[1]))
            self.kind_chart.set_items(sorted(summary.by_kind.items(), key=lambda i: -i[1]))

    def _show_empty(self, has_people: bool, status: str | None) -> None:
        """No entries this year: what to do next (the county waits for the schools' packs; a
        school claims, once it has people to claim for)."""
        year = self.year.value()
        if self._county:
            self.empty.set_text(
                self.tr(
                    "{0} 年還沒有學校申報的積點。學校的申報隨資料包寄來，"
                    "在「交換檔」頁匯入後會列在這裡等您核定。"
                ).format(year),
                self.tr("到交換檔頁"),
            )
        elif not has_people:
            self.empty.set_text(
                self.tr("還沒有人員可以申報積點。請先在「安心培力小群組」匯入或新增人員。"),
                self.tr("到安心培力小群組"),
            )
        else:
            self.empty.set_text(
                self.tr(
                    "{0} 年還沒有積點紀錄。在下方選人員、項目與日期，寫下事由，"
                    "再按表單右邊的「申報積點」；申報後等縣市人事處核定。"
                ).format(year),
                self.tr("申報積點"),
            )
        self.empty.setVisible(not self._entries and status is None)
        self._has_people = has_people

    @needs_store
    def next_step(self) -> None:
        """The empty page's button: to the 交換檔 page (county), to the contacts when there is
        nobody to claim for, else to the claim form, its first field focused."""
        if self._county:
            self.page_requested.emit("sync")
        elif not self._has_people:
            self.page_requested.emit("contacts")
        else:
            self.start_claim()

    def start_claim(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.person.setFocus()
        self.status.setText(self.tr("選好人員、項目與日期，寫下事由，再按「申報積點」。"))

    def _final(self, proposal: Proposal) -> str:
        final = proposal.final or self.tr("不予敘獎")
        if proposal.adjustment is not None:
            final += self.tr("（已調整：{0}）").format(proposal.adjustment.reason)
        return final

    def _selected_entries(self) -> list[int]:
        return [entry.id for entry in self.entries_model.selected(self.entries)]

    def _selected_people(self) -> list[int]:
        chosen = self.proposals_model.selected(self.proposals_table)
        return [proposal.contact_id for proposal in chosen]

    def _ask_reason(self, title: str) -> str | None:
        reason, ok = QInputDialog.getText(self, title, self.tr("理由（會保存在紀錄中）"))
        return reason if ok and reason.strip() else None

    # -- actions --------------------------------------------------------------------------

    @needs_store
    def add(self) -> None:
        from schoolhr.errors import UserError
        from schoolhr.rewards import service

        if self.person.currentData() is None:
            self.status.setText(self.tr("請先在「安心培力小群組」建立人員。"))
            return
        if not self.on.commit():
            self.status.setText(self.on.error_text())
            return
        chosen = self.on.date()
        assert chosen is not None  # the field cannot be empty
        try:
            entry = service.claim(
                self.store,
                int(self.person.currentData()),
                str(self.kind.currentData()),
                chosen,
                self.reason.text(),
            )
        except UserError as exc:
            self.show_error(exc)
            return
        self.reason.clear()
        self.refresh()
        self.data_changed.emit(frozenset({changes.REWARDS}))
        self.status.setText(
            self.tr("已申報 {0} 點（{1}），待縣市人事處審核。").format(
                entry.points, entry.kind_label
            )
        )

    def decide(self, approve: bool) -> None:

        ids = self._selected_entries()
        if not self._county or not ids:
            self.status.setText(self.tr("請先選擇要審核的紀錄。"))
            return
        reason = self._ask_reason(self.tr("核定") if approve else self.tr("退回"))
        if reason is None:
            return
        self.decide_ids(ids, approve, reason)

    def decide_ids(self, ids: list[int], approve: bool, reason: str) -> None:
        from schoolhr.errors import UserError
        from schoolhr.rewards import service

        try:
            result = service.decide_claims(self.store, ids, approve, reason)
        except UserError as exc:
            self.show_error(exc)
            return
        self.refresh()
        self.data_changed.emit(frozenset({changes.REWARDS}))
        self.status.setText(result.summary(self.tr("核定") if approve else self.tr("退回")))

    def reverse(self) -> None:
        from schoolhr.errors import UserError
        from schoolhr.rewards import service

        ids = self._selected_entries()
        if not self._county or len(ids) != 1:
            self.status.setText(self.tr("請選擇一筆已核定的紀錄來沖銷。"))
            return
        reason = self._ask_reason(self.tr("沖銷"))
        if reason is None:
            return
        try:
            service.reverse_entry(self.store, ids[0], reason)
        except UserError as exc:
            self.show_error(exc)
            return
        self.refresh()
        self.data_changed.emit(frozenset({changes.REWARDS}))

    def adjust(self) -> None:
        from schoolhr.errors import UserError
        from schoolhr.rewards import service
        from schoolhr.rewards.schema import AWARDS, NO_AWARD

        ids = self._selected_people()
        if not self._county or len(ids) != 1:
            self.status.setText(self.tr("請選擇一位人員。"))
            return
        choices = [*AWARDS, NO_AWARD]
        proposal, ok = QInputDialog.getItem(
            self, self.tr("調整建議"), self.tr("敘獎建議"), choices, 0, False
        )
        if not ok:
            return
        reason = self._ask_reason(self.tr("調整建議"))
        if reason is None:
            return
        try:
            service.set_proposal(self.store, self.year.value(), ids[0], proposal, reason)
        except UserError as exc:
            self.show_error(exc)
            return
        self.refresh()
        self.data_changed.emit(frozenset({changes.REWARDS}))

    @needs_store
    def export(self, fmt: str) -> Job[int] | None:
        name, _filter = QFileDialog.getSaveFileName(
            self, self.tr("匯出"), f"{roc_year_label(self.year.value())}積點.{fmt}", f"*.{fmt}"
        )
        return self.export_to(Path(name), fmt) if name else None

    def export_to(self, target: Path, fmt: str) -> Job[int] | None:
        from schoolhr.rewards import exports

        store, year = self.store, self.year.value()

        def work(_progress: object) -> int:
            with store.read() as session:
                if fmt == "xlsx":
                    return exports.write_report_xlsx(session, year, target)
                return exports.write_webhr_csv(session, year, target)

        def done(rows: int) -> None:
            self.status.setText(self.tr("已存成 {0}（{1} 列）。").format(target, rows))

        return run_job(self, self.tr("匯出"), work, done)

    def certificate(self) -> Job[CertificateResult] | None:
        ids = self._selected_people()
        if len(ids) != 1:
            self.status.setText(self.tr("請選擇一位人員。"))
            return None
        refusal = self.certificate_refusal(ids[0])
        if refusal:
            self.status.setText(refusal)
            return None
        name, _filter = QFileDialog.getSaveFileName(self, self.tr("獎狀"), "獎狀.pdf", "*.pdf")
        return self.certificate_to(ids[0], Path(name)) if name else None

    def certificate_refusal(self, contact_id: int) -> str:
        """Why the person gets no certificate (below the threshold …), before a file is asked
        for; "" when one can be made."""
        from schoolhr.errors import UserError
        from schoolhr.rewards.certificate import certificate_for

        try:
            with self.store.read() as session:
                certificate_for(session, contact_id, self.year.value(), self.store.site().name)
        except UserError as exc:
            return exc.message
        return ""

    def certificate_to(self, contact_id: int, target: Path) -> Job[CertificateResult] | None:
        from schoolhr.rewards.certificate import certificate_for, render_certificate

        store, year = self.store, self.year.value()

        def work(_progress: object) -> CertificateResult:
            with store.read() as session:
                made = certificate_for(session, contact_id, year, store.site().name)
            return render_certificate(made, target)

        def done(_result: CertificateResult) -> None:
            self.status.setText(self.tr("獎狀已存成 {0}。").format(target))

        return run_job(self, self.tr("獎狀"), work, done)
