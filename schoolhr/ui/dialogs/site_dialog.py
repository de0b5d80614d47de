"""Set this site's name and role (school or county HR office)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QLineEdit, QWidget

from schoolhr.errors import UserError
from schoolhr.site import SiteRole
from schoolhr.store.database import Store, update_site
from schoolhr.ui.strings import role_label
from schoolhr.ui.widgets.buttons import Standard, confirm_box
from schoolhr.ui.widgets.fit import form_body, lay_out
from schoolhr.ui.widgets.labels import wrapped


class SiteDialog(QDialog):
    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self.setWindowTitle(self.tr("單位資料"))
        site = store.site()
        self.name_edit = QLineEdit(site.name)
        self.name_edit.setMaxLength(200)
        self.name_edit.setPlaceholderText(self.tr("例：○○縣立○○國民小學"))
        self.role_box = QComboBox()
        for role in SiteRole:
            self.role_box.addItem(role_label(role.value), role.value)
        self.role_box.setCurrentIndex(self.role_box.findData(site.role))
        self.error = wrapped(role="problem")
        buttons = confirm_box(self, self.save, confirm=Standard.Save)
        body, form = form_body()
        form.addRow(self.tr("校名或單位名稱"), self.name_edit)
        form.addRow(self.tr("角色"), self.role_box)
        form.addRow(self.error)
        lay_out(self, body, buttons, 32, 8)

    def save(self) -> None:
        try:
            update_site(self._store, name=self.name_edit.text(), role=self.role_box.currentData())
        except UserError as exc:
            self.error.setText(exc.message)
            return
        self.accept()
