"""安心培力小群組: the contact list (filter, sort, detail form, call, mail), import with a
preview, export with a field picker and purpose, and the peer groups."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal, TypeVar, cast

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from schoolhr.contacts import formats
from schoolhr.text import normalize, roc_date
from schoolhr.ui import changes
from schoolhr.ui.jobs import Job, run_job
from schoolhr.ui.models.rows import Column, RowsModel, number_column
from schoolhr.ui.pages.base import Page, needs_store
from schoolhr.ui.widgets.adaptive_splitter import AdaptiveSplitter
from schoolhr.ui.widgets.buttons import push_button
from schoolhr.ui.widgets.fit import column_body
from schoolhr.ui.widgets.flow_layout import flow_row
from schoolhr.ui.widgets.roc_date_edit import RocDateEdit
from schoolhr.ui.widgets.tables import rows_table

if TYPE_CHECKING:
    from schoolhr.contacts.records import ContactRecord
    from schoolhr.contacts.service import ContactView, ExportResult
    from schoolhr.store.database import Store
    from schoolhr.ui.pages.base import Waiter


W = TypeVar("W", bound=QWidget)


def _row(form: QFormLayout, label: str, widget: W) -> W:
    """``widget``, added to ``form`` as the row ``label``."""
    form.addRow(label, widget)
    return widget


class ContactsPage(Page):
    key = "contacts"
    shows = frozenset({changes.CONTACTS})

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._current_id: int | None = None
        self.tabs = QTabWidget()
        self.tabs.addTab(self._contacts_tab(), self.tr("通訊錄"))
        from schoolhr.ui.widgets.groups_view import GroupsView

        self.groups = GroupsView()
        self.groups.data_changed.connect(self.data_changed)
        self.tabs.addTab(self.groups, self.tr("小群組"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)

    # -- layout ---------------------------------------------------------------------------

    def _contacts_tab(self) -> QWidget:
        self.filter = QLineEdit()
        self.filter.setAccessibleName(self.tr("篩選通訊錄"))
        self.filter.setPlaceholderText(self.tr("篩選：姓名、學校、區域、業務、電話…"))
        self.filter.textChanged.connect(self._filter_changed)
        self._needle = ""  # the filter's text, folded as ``list_contacts`` folds a query
        self._texts: dict[int, str] = {}  # a contact's id: its folded text, until the next load
        self.model: RowsModel[ContactView] = RowsModel(self._columns())
        self.proxy = self.model.proxy
        self.table = rows_table(self.model, self.tr("通訊錄"), stretch_last=False)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)  # as Qt's header started it
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _p: self._select(cur))

        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # labels above when narrow
        self.name = _row(form, self.tr("姓名"), QLineEdit())
        self.school = _row(form, self.tr("學校"), QLineEdit())
        self.region = _row(form, self.tr("區域"), QLineEdit())
        self.role = _row(form, self.tr("職務"), QComboBox())
        self.duties = _row(form, self.tr("業務"), QLineEdit())
        self.duties.setPlaceholderText(self.tr("以頓號分隔，例如：差勤、考核"))
        self.years = _row(form, self.tr("人事年資"), QSpinBox())
        self.years.setRange(-1, 60)
        self.years.setSpecialValueText(self.tr("未填"))
        self.office_phone = _row(form, self.tr("公務電話"), QLineEdit())
        self.office_phone.setPlaceholderText("02-2397-9108#123")
        self.mobile = _row(form, self.tr("手機"), QLineEdit())
        self.mobile.setPlaceholderText("0912-345-678")
        self.email = _row(form, self.tr("電子郵件"), QLineEdit())
        self.line_id = _row(form, self.tr("LINE ID"), QLineEdit())
        self.notes = _row(form, self.tr("備註"), QPlainTextEdit())
        self.notes.setFixedHeight(self.fontMetrics().height() * 3)
        consent_date = RocDateEdit(
            label=self.tr("同意分享日期"), allow_empty=True, empty_text=self.tr("未同意")
        )
        self.consent_date = _row(form, self.tr("同意分享日期"), consent_date)
        self.consent_scope = _row(form, self.tr("同意分享的範圍"), QLineEdit())
        self.consent_scope.setPlaceholderText(self.tr("例如：姓名、學校、公務電話與電子郵件"))
        self.save_button = push_button(self.tr("儲存"), self.save)
        self.new_button = push_button(self.tr("新增聯絡人"), self.new_contact)
        detail_buttons = flow_row(
            self.save_button,
            self.new_button,
            push_button(self.tr("刪除"), self.delete),
            push_button(self.tr("撥號"), self.call),
            push_button(self.tr("寄信"), self.mail),
        )
        # the long form scrolls on its own; its buttons stay in sight below it
        fields, fields_layout = column_body()
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

        self.import_button = push_button(self.tr("匯入…"), self.import_file)
        self.export_button = push_button(self.tr("匯出…"), self.export)
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

        super().set_store(store)
        self.role.clear()
        self.role.addItem("")
        self.role.addItems(list(ROLES))
        self.groups.set_store(store)

    def set_ready(self, ready: bool) -> None:
        for button in (self.import_button, self.export_button, self.save_button, self.new_button):
            button.setEnabled(ready)
        self.empty.button.setEnabled(ready)

    def set_waiter(self, waiter: Waiter) -> None:
        super().set_waiter(waiter)
        self.groups.set_waiter(waiter)

    def load(self) -> None:
        """Read everyone (the filter box then filters them here, without reading again)."""
        from schoolhr.contacts import service

        with self.store.read() as session:
            rows = service.list_contacts(session)
        self._texts.clear()
        self.model.set_rows(rows)
        self._show_count()
        self.groups.refresh()

    def _filter_changed(self, text: str) -> None:
        """Of the rows read once, show those with the filter's text in any field: typing
        neither reads the database again nor touches the groups."""
        self._needle = normalize(text)
        self.model.set_filter(self._matches if self._needle else None)
        self._show_count()

    def _matches(self, view: ContactView) -> bool:
        text = self._texts.get(view.id)
        if text is None:
            from schoolhr.contacts.service import search_text  # SQLAlchemy: not at start-up

            text = self._texts[view.id] = search_text(view.record)
        return self._needle in text

    def _show_count(self) -> None:
        shown = self.proxy.rowCount()
        self.empty.setVisible(not shown and not self.filter.text())
        self.status.setText(self.tr("共 {0} 人。").format(shown))

    def shown_views(self) -> list[ContactView]:
        """The people the filter shows, in the order they were read (school, then name)."""
        rows = self.model.rows()
        return [view for view in rows if self._matches(view)] if self._needle else rows

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

        if not self.consent_date.commit():
            self.status.setText(self.consent_date.error_text())
            return
        try:
            with self.store.write() as session:
                self._current_id = service.save_contact(
                    session, self.form_record(), self._current_id, self.store.site().site_uuid
                )
        except UserError as exc:
            self.show_error(exc)
            return
        self.refresh()
        self.status.setText(self.tr("已儲存「{0}」。").format(self.name.text()))
        self.data_changed.emit(frozenset({changes.CONTACTS}))

    def delete(self) -> None:
        from schoolhr.contacts import service

        if self._current_id is None:
            return
        answer = QMessageBox.question(
            self, self.tr("刪除聯絡人"), self.tr("要刪除「{0}」嗎？").format(self.name.text())
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        with self.store.write() as session:
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
            self, self.tr("匯入通訊錄"), "", formats.open_filter()
        )
        if name:
            self.import_path(Path(name))

    def import_path(self, path: Path) -> None:
        from schoolhr.ui.dialogs.import_dialog import ImportDialog

        dialog = ImportDialog(self.store, path, self)
        dialog.imported.connect(self._imported)
        dialog.open()
        dialog.load()
        self.import_dialog = dialog

    def _imported(self, summary: str) -> None:
        self.refresh()
        self.status.setText(summary)
        self.data_changed.emit(frozenset({changes.CONTACTS}))

    @needs_store
    def export(self) -> None:
        from schoolhr.ui.dialogs.export_dialog import ExportDialog

        rows = self.shown_views()
        without = sum(1 for row in rows if row.record.consent_date is None)
        dialog = ExportDialog(without, self)
        if not dialog.exec():
            return
        suffix = dialog.file_format()
        name, _filter = QFileDialog.getSaveFileName(
            self, self.tr("匯出通訊錄"), f"通訊錄.{suffix}", formats.by_name(suffix).save_filter()
        )
        if not name:
            return
        self.export_to(
            Path(name), dialog.fields(), dialog.purpose.text(), suffix, dialog.include.isChecked()
        )

    def export_to(
        self, path: Path, fields: list[str], purpose: str, fmt: str, include_without_consent: bool
    ) -> Job[ExportResult]:
        from schoolhr.contacts import service

        store = self.store
        ids = [view.id for view in self.shown_views()]

        file_format = cast("Literal['xlsx', 'csv', 'vcf']", fmt)

        def work(_progress: object) -> ExportResult:
            return service.export_contacts(
                store, ids, fields, purpose, file_format, path, include_without_consent
            )

        def done(result: ExportResult) -> None:
            text = self.tr("已匯出 {0} 人到 {1}。").format(result.count, path)
            if result.left_out_without_consent:
                text += self.tr("未同意分享的 {0} 人沒有匯出。").format(
                    result.left_out_without_consent
                )
            self.status.setText(text)

        return run_job(self, self.tr("匯出通訊錄"), work, done)
