"""The first-run welcome, shown once on a new profile (no site name yet; never in the demo):
1) the school's name and role, 2) where the county's content packs come from and how to trust
the county's key. 「略過」 (or Esc) leaves everything as it is."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from schoolhr import APP_NAME
from schoolhr.errors import UserError
from schoolhr.site import SiteRole
from schoolhr.store.database import update_site
from schoolhr.ui.strings import role_label
from schoolhr.ui.widgets.labels import wrapped

if TYPE_CHECKING:
    from schoolhr.store.database import Store

WELCOME_SETTING = "ui/welcome_shown"  # in the profile's settings.ini: shown once
WIDTH_EM = 36  # the dialog's width in multiples of the font height


class WelcomeDialog(QDialog):
    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self.setWindowTitle(self.tr("歡迎使用{0}").format(APP_NAME))
        heading = wrapped(self.tr("歡迎使用{0}").format(APP_NAME), role="heading")
        intro = wrapped(
            self.tr("第一次使用，請花一分鐘設定兩件事。之後都可在「檔案 → 單位資料」修改。")
        )
        site = store.site()
        self.name_edit = QLineEdit(site.name)
        self.name_edit.setMaxLength(200)
        self.name_edit.setAccessibleName(self.tr("校名或單位名稱"))
        self.name_edit.setPlaceholderText(self.tr("例：○○縣立○○國民小學"))
        self.role_box = QComboBox()
        self.role_box.setAccessibleName(self.tr("角色"))
        for role in SiteRole:
            self.role_box.addItem(role_label(role.value), role.value)
        self.role_box.setCurrentIndex(self.role_box.findData(site.role))
        self.role_box.currentIndexChanged.connect(self._role_chosen)
        step1 = QGroupBox(self.tr("1. 本單位"))
        form = QFormLayout(step1)
        form.addRow(self.tr("校名或單位名稱"), self.name_edit)
        form.addRow(self.tr("角色"), self.role_box)

        self.step2 = QGroupBox(self.tr("2. 縣市人事處寄來的內容包"))
        self.trust_button = QPushButton(self.tr("信任縣市公鑰…"))
        self.trust_button.clicked.connect(self.trust)
        self.trust_status = wrapped()
        trust_row = QHBoxLayout()
        trust_row.addWidget(self.trust_button)
        trust_row.addStretch(1)
        step2 = QVBoxLayout(self.step2)
        step2.addWidget(
            wrapped(
                self.tr(
                    "縣市人事處會寄來內容包（.zip 檔，以隨身碟、電子郵件或公用資料夾傳送），"
                    "內有新的常見問答、檢核表與最新消息，在「交換檔」頁按「匯入交換檔…」匯入。"
                )
            )
        )
        step2.addWidget(
            wrapped(
                self.tr(
                    "為確認檔案真的來自縣市人事處，請先向縣市人事處索取公鑰（.pem 檔），"
                    "按「信任縣市公鑰…」選取，並以電話向縣市人事處核對畫面上的指紋。"
                    "也可以之後再到「交換檔」頁設定。"
                )
            )
        )
        step2.addLayout(trust_row)
        step2.addWidget(self.trust_status)
        self.trust_status.setVisible(False)

        self.error = wrapped(role="problem")
        self.error.setVisible(False)
        buttons = QDialogButtonBox()
        self.skip_button = buttons.addButton(
            self.tr("略過"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.save_button = buttons.addButton(
            self.tr("開始使用"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button.setDefault(True)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addWidget(step1)
        layout.addWidget(self.step2)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self._role_chosen()
        self.name_edit.setFocus()
        self._fit(parent)

    def _fit(self, parent: QWidget | None) -> None:
        """Wide enough for the sentences to read in a few lines (it follows the zoom), never
        wider than the window or the screen."""
        width = self.fontMetrics().height() * WIDTH_EM
        screen = QGuiApplication.primaryScreen()
        if screen is not None:
            width = min(width, screen.availableGeometry().width() - 40)
        if parent is not None and parent.width() > 0:
            width = min(width, parent.width() - 40)
        width = max(width, 360)
        layout = self.layout()
        height = layout.totalHeightForWidth(width) if layout is not None else -1
        self.resize(width, height if height > 0 else self.sizeHint().height())

    def _role_chosen(self, _index: int = 0) -> None:
        """The county makes the content packs: it has no county key to trust."""
        self.step2.setVisible(self.role_box.currentData() != SiteRole.COUNTY.value)

    def trust(self) -> None:
        from schoolhr.ui.pages.sync_page import trust_county_key

        said = trust_county_key(self, self._store)
        if said:
            self.trust_status.setText(said)
            self.trust_status.setVisible(True)

    def save(self) -> None:
        try:
            update_site(self._store, name=self.name_edit.text(), role=self.role_box.currentData())
        except UserError as exc:
            self.error.setText(exc.message)
            self.error.setVisible(True)
            self.name_edit.setFocus()
            return
        self.accept()
