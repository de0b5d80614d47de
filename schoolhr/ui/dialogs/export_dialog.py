"""Export contacts: pick the fields (name, school, work phone and email by default), say why,
and confirm before people who have not consented are included (個人資料保護法)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QWidget,
)

from schoolhr.contacts import formats
from schoolhr.contacts.records import DEFAULT_EXPORT_FIELDS, FIELD_LABELS
from schoolhr.ui.widgets.buttons import confirm_box
from schoolhr.ui.widgets.fit import column_body, lay_out


class ExportDialog(QDialog):
    def __init__(self, without_consent: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("匯出通訊錄"))
        self.boxes: dict[str, QCheckBox] = {}
        grid = QGridLayout()
        for index, (name, label) in enumerate(FIELD_LABELS.items()):
            box = QCheckBox(label)
            box.setChecked(name in DEFAULT_EXPORT_FIELDS)
            if name == "name":
                box.setEnabled(False)  # a list without names helps nobody
            self.boxes[name] = box
            grid.addWidget(box, index // 3, index % 3)
        fields_box = QGroupBox(self.tr("匯出的欄位（只勾需要的）"))
        fields_box.setLayout(grid)
        self.format_box = QComboBox()
        for fmt in formats.FORMATS:
            self.format_box.addItem(fmt.label, fmt.name)
        self.purpose = QLineEdit()
        self.purpose.setPlaceholderText(self.tr("必填，例如：115年第1次小群組聚會通知"))
        self.include = QCheckBox(
            self.tr("也包含尚未同意分享的 {0} 人（我已取得他們的同意）").format(without_consent)
        )
        self.include.setVisible(without_consent > 0)
        self.error = QLabel("")
        self.error.setProperty("role", "problem")
        buttons = confirm_box(self, self._check, self.tr("匯出…"))
        self.include.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        body, body_layout = column_body()
        body_layout.addWidget(fields_box)
        body_layout.addWidget(QLabel(self.tr("格式")))
        body_layout.addWidget(self.format_box)
        body_layout.addWidget(QLabel(self.tr("用途（會記錄在匯出紀錄中）")))
        body_layout.addWidget(self.purpose)
        body_layout.addWidget(self.include)
        body_layout.addWidget(self.error)
        body_layout.addStretch(1)
        lay_out(self, body, buttons, 48, 22)

    def fields(self) -> list[str]:
        return [name for name, box in self.boxes.items() if box.isChecked()]

    def file_format(self) -> str:
        return str(self.format_box.currentData())

    def _check(self) -> None:
        if not self.purpose.text().strip():
            self.error.setText(self.tr("請寫下這次匯出的用途。"))
            return
        self.accept()
