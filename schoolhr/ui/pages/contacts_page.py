"""安心培力小群組: the contact list (filter, sort, detail form, call, mail), import with a
preview, export with a field picker and purpose, and the peer groups."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal, cast

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from schoolhr.text import roc_date
from schoolhr.ui import changes
from schoolhr.ui.jobs import Job, run_job
from schoolhr.ui.models.rows import Column, RowsModel, number_column
from schoolhr.ui.pages.base import Page, needs_store
from schoolhr.ui.widgets.adaptive_splitter import AdaptiveSplitter
from schoolhr.ui.widgets.flow_layout import flow_row
from schoolhr.ui.widgets.roc_date_edit import RocDateEdit
from schoolhr.ui.widgets.tables import rows_table

if TYPE_CHECKING:
    from schoolhr.contacts.records import ContactRecord
    from schoolhr.contacts.service import ContactView
    from schoolhr.store.database import Store


class ContactsPage(Page):
    shows = frozenset({changes.CONTACTS})

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store: Store | None = None
        self._current_id: int | None = None
        heading = QLabel(self.tr("安心培力小群組"))
        heading.setProperty("role", "heading")
        self.tabs = QTabWidget()
        self.tabs.addTab(self._contacts_tab(), self.tr("通訊錄"))
        from schoolhr.ui.widgets.groups_view import GroupsView

        self.groups = GroupsView()
        self.groups.changed.connect(lambda: self.data_changed.emit(frozenset({changes.CONTACTS})))
        self.tabs.addTab(self.groups, self.tr("小群組"))
        self.status = QLabel("")
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)

    # -- layout ---------------------------------------------------------------------------

    def _contacts_tab(self) -> QWidget:
        self.filter = QLineEdit()
        self.filter.setAccessibleName(self.tr("篩選通訊錄"))
        self.filter.setPlaceholderText(self.tr("篩選：姓名、學校、區域、業務、電話…"))
        self.filter.textChanged.connect(lambda _t: self.refresh())
        self.model: RowsModel[ContactView] = RowsModel(self._columns())
        self.proxy = self.model.proxy
        self.table = rows_table(self.model, self.tr("通訊錄"), stretch_last=False)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)  # as Qt's header started it
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _p: self._select(cur))

        self.name = QLineEdit()
        self.school = QLineEdit()
        self.region = QLineEdit()
        self.role = QComboBox()
        self.duties = QLineEdit()
        self.duties.setPlaceholderText(self.tr("以頓號分隔，例如：差勤、考核"))
        self.years = QSpinBox()
        self.years.setRange(-1, 60)
        self.years.setSpecialValueText(self.tr("未填"))
        self.office_phone = QLineEdit()
        self.office_phone.setPlaceholderText("02-2397-9108#123")
        self.mobile = QLineEdit()
        self.mobile.setPlaceholderText("0912-345-678")
        self.email = QLineEdit()
        self.line_id = QLineEdit()
        self.notes = QPlainTextEdit()
        self.notes.setFixedHeight(self.fontMetrics().height() * 3)
        self.consent_date = RocDateEdit(
            label=self.tr("同意分享日期"), allow_empty=True, empty_text=self.tr("未同意")
        )
        self.consent_scope = QLineEdit()
        self.consent_scope.setPlaceholderText(self.tr("例如：姓名、學校、公務電話與電子郵件"))
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # labels above when narrow
        for label, widget in (
            ("姓名", self.name),
            ("學校", self.school),
            ("區域", self.region),
            ("職務", self.role),
            ("業務", self.duties),
            ("人事年資", self.years),
            ("公務電話", self.office_phone),
            ("手機", self.mobile),
            ("電子郵件", self.email),
            ("LINE ID", self.line_id),
            ("備註", self.notes),
            ("同意分享日期", self.consent_date),
            ("同意分享的範圍", self.consent_scope),
        ):
            form.addRow(self.tr(label), widget)
        self.save_button = QPushButton(self.tr("儲存"))
        self.save_button.clicked.connect(self.save)
        self.new_button = QPushButton(self.tr("新增聯絡人"))
        self.new_button.clicked.connect(self.new_contact)
        self.delete_button = QPushButton(self.tr("刪除"))
        self.delete_button.clicked.connect(self.delete)
        self.call_button = QPushButton(self.tr("撥號"))
        self.call_button.clicked.connect(self.call)
        self.mail_button = QPushButton(self.tr("寄信"))
        self.mail_button.clicked.connect(self.mail)
        detail_buttons = flow_row(
            self.save_button,
            self.new_button,
            self.delete_button,
            self.call_button,
            self.mail_button,
        )
        # the long form scrolls on its own; its buttons stay in sight below it
        fields = QWidget()
        fields_layout = QVBoxLayout(fields)
        fields_layout.setContentsMargins(0, 0, 0, 0)
        fields_layout.addLayout(form)
        fields_layout.addStretch(1)
        fields_scroll = QScrollArea()
        fields_scroll.setWidgetResizable(True)
        fields_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        fields_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        fields_scroll.setWidget(fields)
        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.addWidget(fields_scroll, 1)
        detail_layout.addLayout(detail_buttons)

        self.import_button = QPushButton(self.tr("匯入…"))
        self.import_button.clicked.connect(self.import_file)
        self.export_button = QPushButton(self.tr("匯出…"))
        self.export_button.clicked.connect(self.export)
        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(self.import_button)
        top.addWidget(self.export_button)
        splitter = AdaptiveSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        from schoolhr.ui.widgets.empty_state import EmptyState

        self.empty = EmptyState(
            self.tr(
                "通訊錄還沒有人。可匯入縣市人事處或學校的名冊（Excel、CSV、vCard），"
                "匯入前會先列出每一筆讓您確認；也可以按右邊的「新增聯絡人」逐一輸入。"
            ),
            self.tr("匯入通訊錄…"),
            self.import_file,
        )
        tab = QWidget()
        tab_layout = QVBoxLayout(tab)
        tab_layout.addLayout(top)
        tab_layout.addWidget(self.empty)
        tab_layout.addWidget(splitter, 1)
        return tab

    def _columns(self) -> list[Column[ContactView]]:
        def text(header: str, field: str) -> Column[ContactView]:
            return Column(header, lambda v: str(getattr(v.record, field) or ""))

        return [
            text(self.tr("姓名"), "name"),
            text(self.tr("學校"), "school"),
            text(self.tr("區域"), "region"),
            text(self.tr("職務"), "role"),
            number_column(self.tr("年資"), lambda v: v.record.years),
            text(self.tr("公務電話"), "office_phone"),
            text(self.tr("手機"), "mobile"),
            text(self.tr("電子郵件"), "email"),
            Column(
                self.tr("同意"),
                lambda v: (
                    roc_date(v.record.consent_date) if v.record.consent_date else self.tr("未同意")
                ),
                lambda v: v.record.consent_date,
            ),
        ]

    # -- data -----------------------------------------------------------------------------

    def set_store(self, store: Store) -> None:
        from schoolhr.contacts.records import ROLES

        self._store = store
        self.role.clear()
        self.role.addItem("")
        self.role.addItems(list(ROLES))
        self.groups.set_store(store)

    def set_ready(self, ready: bool) -> None:
        for button in (self.import_button, self.export_button, self.save_button, self.new_button):
            button.setEnabled(ready)
        self.empty.button.setEnabled(ready)

    def refresh(self) -> None:
        from schoolhr.contacts import service

        if self._store is None:
            return
        with self._store.read() as session:
            rows = service.list_contacts(session, self.filter.text())
        self.model.set_rows(rows)
        self.empty.setVisible(not rows and not self.filter.text())
        self.status.setText(self.tr("共 {0} 人。").format(len(rows)))
        self.groups.refresh()

    def _select(self, index: object) -> None:
        from PySide6.QtCore import QModelIndex

        assert isinstance(index, QModelIndex)
        if not index.isValid():
            return
        view = self.model.row(index)
        self._current_id = view.id
        self._show(view.record)

    def _show(self, record: ContactRecord) -> None:
        self.name.setText(record.name)
        self.school.setText(record.school)
        self.region.setText(record.region)
        self.role.setCurrentText(record.role)
        self.duties.setText("、".join(record.duties))
        self.years.setValue(record.years if record.years is not None else -1)
        self.office_phone.setText(record.office_phone)
        self.mobile.setText(record.mobile)
        self.email.setText(record.email)
        self.line_id.setText(record.line_id)
        self.notes.setPlainText(record.notes)
        self.consent_date.setDate(record.consent_date)
        self.consent_scope.setText(record.consent_scope)

    def form_record(self) -> ContactRecord:
        import re

        from schoolhr.contacts.records import ContactRecord

        return ContactRecord(
            name=self.name.text(),
            school=self.school.text(),
            region=self.region.text(),
            role=self.role.currentText(),
            duties=[d for d in re.split(r"[、,，;；/\s]+", self.duties.text()) if d],
            years=None if self.years.value() < 0 else self.years.value(),
            office_phone=self.office_phone.text(),
            mobile=self.mobile.text(),
            email=self.email.text(),
            line_id=self.line_id.text(),
            notes=self.notes.toPlainText(),
            consent_date=self.consent_date.date(),
            consent_scope=self.consent_scope.text(),
        )

    def new_contact(self) -> None:
        from schoolhr.contacts.records import ContactRecord

        self._current_id = None
        self.table.clearSelection()
        self._show(ContactRecord(name=""))
        self.name.setFocus()

    @needs_store
    def save(self) -> None:
        from schoolhr.contacts import service
        from schoolhr.errors import UserError

        if self._store is None:
            return
        if not self.consent_date.commit():
            self.status.setText(self.consent_date.error_text())
            return
        try:
            with self._store.write() as session:
                self._current_id = service.save_contact(
                    session, self.form_record(), self._current_id, self._store.site().site_uuid
                )
        except UserError as exc:
            self.status.setText(exc.message)
            return
        self.refresh()
        self.status.setText(self.tr("已儲存「{0}」。").format(self.name.text()))
        self.data_changed.emit(frozenset({changes.CONTACTS}))

    def delete(self) -> None:
        from schoolhr.contacts import service

        if self._store is None or self._current_id is None:
            return
        answer = QMessageBox.question(
            self, self.tr("刪除聯絡人"), self.tr("要刪除「{0}」嗎？").format(self.name.text())
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        with self._store.write() as session:
            service.delete_contact(session, self._current_id)
        self._current_id = None
        self.refresh()
        self.data_changed.emit(frozenset({changes.CONTACTS}))

    def call(self) -> None:
        number = self.mobile.text() or self.office_phone.text()
        if number:
            QDesktopServices.openUrl(QUrl("tel:" + number.replace("#", ",")))

    def mail(self) -> None:
        if self.email.text():
            QDesktopServices.openUrl(QUrl("mailto:" + self.email.text()))

    # -- import and export ------------------------------------------------------------------

    @needs_store
    def import_file(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self, self.tr("匯入通訊錄"), "", self.tr("通訊錄 (*.xlsx *.csv *.txt *.tsv *.vcf)")
        )
        if name:
            self.import_path(Path(name))

    def import_path(self, path: Path) -> Job | None:
        from schoolhr.ui.dialogs.import_dialog import ImportDialog

        if self._store is None:
            return None
        dialog = ImportDialog(self._store, path, self)
        dialog.imported.connect(self._imported)
        dialog.open()
        dialog.load()
        self.import_dialog = dialog
        return None

    def _imported(self, summary: str) -> None:
        self.refresh()
        self.status.setText(summary)
        self.data_changed.emit(frozenset({changes.CONTACTS}))

    @needs_store
    def export(self) -> None:
        from schoolhr.ui.dialogs.export_dialog import ExportDialog

        if self._store is None:
            return
        rows = self.model.rows()
        without = sum(1 for row in rows if row.record.consent_date is None)
        dialog = ExportDialog(without, self)
        if not dialog.exec():
            return
        suffix = dialog.file_format()
        name, _filter = QFileDialog.getSaveFileName(
            self, self.tr("匯出通訊錄"), f"通訊錄.{suffix}", f"*.{suffix}"
        )
        if not name:
            return
        self.export_to(
            Path(name), dialog.fields(), dialog.purpose.text(), suffix, dialog.include.isChecked()
        )

    def export_to(
        self, path: Path, fields: list[str], purpose: str, fmt: str, include_without_consent: bool
    ) -> Job | None:
        from schoolhr.contacts import service

        store = self._store
        if store is None:
            return None
        ids = [view.id for view in self.model.rows()]

        file_format = cast("Literal['xlsx', 'csv', 'vcf']", fmt)

        def work(_progress: object) -> object:
            return service.export_contacts(
                store, ids, fields, purpose, file_format, path, include_without_consent
            )

        def done(result: object) -> None:
            count = getattr(result, "count", 0)
            left_out = getattr(result, "left_out_without_consent", 0)
            text = self.tr("已匯出 {0} 人到 {1}。").format(count, path)
            if left_out:
                text += self.tr("未同意分享的 {0} 人沒有匯出。").format(left_out)
            self.status.setText(text)

        return run_job(self, self.tr("匯出通訊錄"), work, done)
