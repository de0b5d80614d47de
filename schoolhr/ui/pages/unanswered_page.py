"""未解答問題: what clerks searched for and did not find, most asked first (help desk)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QInputDialog,
    QWidget,
)

from schoolhr.text import roc_datetime
from schoolhr.ui import changes
from schoolhr.ui.models.rows import Column, RowsModel, number_column
from schoolhr.ui.pages.base import Page
from schoolhr.ui.widgets.buttons import push_button
from schoolhr.ui.widgets.flow_layout import flow_row
from schoolhr.ui.widgets.labels import wrapped
from schoolhr.ui.widgets.tables import rows_table

if TYPE_CHECKING:
    from schoolhr.faq.unanswered import Unanswered


class UnansweredPage(Page):
    key = "unanswered"
    shows = frozenset({changes.UNANSWERED, changes.FAQ})

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Unanswered] = []
        intro = wrapped(
            self.tr(
                "學校在常見問答中搜尋卻沒有找到答案的問題，最常被問的排在前面。"
                "補上問答後，請把問題標示為已解答。"
            )
        )
        self.model: RowsModel[Unanswered] = RowsModel(
            [
                Column(self.tr("問題"), lambda q: q.query),
                number_column(self.tr("次數"), lambda q: q.count),
                Column(
                    self.tr("最近一次"),
                    lambda q: roc_datetime(q.last_asked_at.astimezone()),
                    lambda q: q.last_asked_at,
                ),
                Column(self.tr("備註"), lambda q: q.note),
            ]
        )
        self.table = rows_table(self.model, self.tr("未解答問題清單"), single=True)
        self.answer_button = push_button(self.tr("標示為已由某則問答解答…"), self.mark_selected)
        buttons = flow_row(self.answer_button)
        self.arrange(intro, buttons, self.table, grow=self.table)

    def load(self) -> None:
        from schoolhr.faq.unanswered import list_unanswered

        self._rows = list_unanswered(self.store)
        self.model.set_rows(self._rows)
        self.answer_button.setEnabled(bool(self._rows))
        self.status.setText(self.tr("共 {0} 個未解答的問題。").format(len(self._rows)))

    def selected_question(self) -> Unanswered | None:
        return self.model.current(self.table)

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
