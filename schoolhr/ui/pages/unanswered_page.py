"""未解答問題: what clerks searched for and did not find, most asked first (help desk)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from schoolhr.text import roc_datetime
from schoolhr.ui import changes
from schoolhr.ui.pages.base import Page

if TYPE_CHECKING:
    from schoolhr.faq.unanswered import Unanswered

COL_QUERY, COL_COUNT, COL_LAST, COL_NOTE = range(4)
ROW_ROLE = Qt.ItemDataRole.UserRole + 1


class UnansweredPage(Page):
    key = "unanswered"
    shows = frozenset({changes.UNANSWERED, changes.FAQ})

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Unanswered] = []
        intro = QLabel(
            self.tr(
                "學校在常見問答中搜尋卻沒有找到答案的問題，最常被問的排在前面。"
                "補上問答後，請把問題標示為已解答。"
            )
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(0, 4)
        self.table.setAccessibleName(self.tr("未解答問題清單"))
        self.table.setHorizontalHeaderLabels(
            [self.tr("問題"), self.tr("次數"), self.tr("最近一次"), self.tr("備註")]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.answer_button = QPushButton(self.tr("標示為已由某則問答解答…"))
        self.answer_button.clicked.connect(self.mark_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.answer_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(intro)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)

    def load(self) -> None:
        from schoolhr.faq.unanswered import list_unanswered

        self._rows = list_unanswered(self.store)
        self.table.setRowCount(len(self._rows))
        for row, question in enumerate(self._rows):
            cells = (
                question.query,
                str(question.count),
                roc_datetime(question.last_asked_at.astimezone()),
                question.note,
            )
            for column, shown in enumerate(cells):
                item = QTableWidgetItem(shown)
                item.setData(ROW_ROLE, question.id)
                self.table.setItem(row, column, item)
        self.answer_button.setEnabled(bool(self._rows))
        self.status.setText(self.tr("共 {0} 個未解答的問題。").format(len(self._rows)))

    def selected_question(self) -> Unanswered | None:
        row = self.table.currentRow()
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def mark_selected(self) -> None:
        from schoolhr.faq import service
        from schoolhr.faq.unanswered import mark_answered

        question = self.selected_question()
        if question is None:
            self.show_status(self.tr("請先選擇一個問題。"))
            return
        with self.store.read() as session:
            entries = service.published_entries(session)
        labels = [f"{e.title}（{e.id}）" for e in entries]
        label, ok = QInputDialog.getItem(
            self, self.tr("選擇解答的問答"), question.query, labels, 0, False
        )
        if not ok:
            return
        entry = entries[labels.index(label)]
        mark_answered(self.store, question.id, entry.id)
        self.refresh()
        self.data_changed.emit(frozenset({changes.UNANSWERED}))
        self.show_status(
            self.tr("已標示「{0}」由「{1}」解答。").format(question.query, entry.title)
        )
