"""小群組: build the peer groups (locked people stay), move and lock people, rename groups,
and export the roster as PDF or xlsx."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QInputDialog,
    QLabel,
    QMessageBox,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from schoolhr.progress import Progress
from schoolhr.ui import changes
from schoolhr.ui.jobs import Job, run_job
from schoolhr.ui.pages.base import UsesStore, needs_store
from schoolhr.ui.widgets.buttons import push_button
from schoolhr.ui.widgets.flow_layout import flow_row
from schoolhr.ui.widgets.safe_browser import plain_tooltip

if TYPE_CHECKING:
    from schoolhr.contacts.peer_groups.builder import GroupingResult
    from schoolhr.contacts.peer_groups.service import GroupView, RosterExport

CONTACT_ROLE = Qt.ItemDataRole.UserRole + 1
PEOPLE = frozenset({changes.CONTACTS})  # the kinds a change to the groups changes
GROUP_ROLE = Qt.ItemDataRole.UserRole + 2


class GroupsView(QWidget, UsesStore):
    """The contacts page's 小群組 tab: its store and its way of waiting for it are the
    page's (``ContactsPage.set_store``, ``set_waiter``)."""

    # groups were built, renamed or a member moved or locked: the kinds changed, as a page's
    # data_changed (the contacts page passes it on)
    data_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._groups: list[GroupView] = []
        self.min_size = QSpinBox()
        self.min_size.setAccessibleName(self.tr("每組最少人數"))
        self.min_size.setRange(2, 30)
        self.min_size.setValue(7)
        self.max_size = QSpinBox()
        self.max_size.setAccessibleName(self.tr("每組最多人數"))
        self.max_size.setRange(2, 30)
        self.max_size.setValue(9)
        self.build_button = push_button(self.tr("自動分組（鎖定的人不動）"), self.confirm_build)
        top = flow_row(
            QLabel(self.tr("每組人數")),
            self.min_size,
            QLabel("–"),
            self.max_size,
            self.build_button,
        )
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setAccessibleName(self.tr("小群組與成員"))
        self.tree.setColumnCount(5)
        self.tree.setHeaderLabels(
            [
                self.tr("組別／姓名"),
                self.tr("學校"),
                self.tr("區域"),
                self.tr("職務"),
                self.tr("年資"),
            ]
        )
        self.lock_button = push_button(self.tr("鎖定／解除鎖定"), self.toggle_lock)
        self.move_button = push_button(self.tr("移到其他組…"), self.move_selected)
        self.rename_button = push_button(self.tr("重新命名這組…"), self.rename_selected)
        self.pdf_button = push_button(self.tr("名冊存成 PDF…"), lambda: self.export_roster("pdf"))
        self.xlsx_button = push_button(
            self.tr("名冊存成 Excel…"), lambda: self.export_roster("xlsx")
        )
        actions = flow_row(
            self.lock_button,
            self.move_button,
            self.rename_button,
            self.pdf_button,
            self.xlsx_button,
        )
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.tree, 1)
        layout.addLayout(actions)

    def refresh(self) -> None:
        from schoolhr.contacts.peer_groups import service as groups

        with self.store.read() as session:
            self._groups = groups.list_groups(session)
        self.tree.clear()
        for group in self._groups:
            parent = QTreeWidgetItem([f"{group.name}（{len(group.members)} 人）"])
            parent.setData(0, GROUP_ROLE, group.id)
            parent.setToolTip(0, plain_tooltip(group.explanation))
            self.tree.addTopLevelItem(parent)
            explanation = QTreeWidgetItem([group.explanation])
            parent.addChild(explanation)
            explanation.setFirstColumnSpanned(True)  # only takes effect once in the tree
            for member in group.members:
                years = "" if member.years is None else str(member.years)
                name = ("🔒 " if member.locked else "") + member.name
                child = QTreeWidgetItem([name, member.school, member.region, member.role, years])
                child.setData(0, CONTACT_ROLE, member.contact_id)
                child.setData(0, GROUP_ROLE, group.id)
                parent.addChild(child)
            parent.setExpanded(True)
        for column in range(1, 5):
            self.tree.resizeColumnToContents(column)
        width = max(
            (
                self.fontMetrics().horizontalAdvance(f"{g.name}（{len(g.members)} 人）")
                for g in self._groups
            ),
            default=0,
        )
        self.tree.setColumnWidth(0, width + self.fontMetrics().height() * 3)

    def selected_contact(self) -> tuple[int, int] | None:
        item = self.tree.currentItem()
        if item is None or item.data(0, CONTACT_ROLE) is None:
            return None
        return int(item.data(0, CONTACT_ROLE)), int(item.data(0, GROUP_ROLE))

    @needs_store
    def confirm_build(self) -> Job[GroupingResult] | None:
        answer = QMessageBox.question(
            self,
            self.tr("自動分組"),
            self.tr("沒有鎖定的人都會重新分組（會先備份）。要繼續嗎？"),
        )
        return self.build() if answer == QMessageBox.StandardButton.Yes else None

    def build(self) -> Job[GroupingResult]:
        from schoolhr.contacts.peer_groups import service as groups

        store = self.store
        low, high = self.min_size.value(), self.max_size.value()

        def work(progress: Progress) -> GroupingResult:
            return groups.regroup(store, low, high, progress=progress)

        def done(result: GroupingResult) -> None:
            self.refresh()
            self.message.setText(result.message)
            self.data_changed.emit(PEOPLE)

        return run_job(self, self.tr("分組"), work, done)

    def toggle_lock(self) -> None:
        from schoolhr.contacts.peer_groups import service as groups

        chosen = self.selected_contact()
        if chosen is None:
            self.message.setText(self.tr("請先選擇一位組員。"))
            return
        contact_id, group_id = chosen
        locked = next(
            m.locked
            for g in self._groups
            if g.id == group_id
            for m in g.members
            if m.contact_id == contact_id
        )
        with self.store.write() as session:
            groups.set_locked(session, contact_id, not locked)
        self.refresh()
        self.data_changed.emit(PEOPLE)

    def move_selected(self) -> None:
        chosen = self.selected_contact()
        if chosen is None:
            self.message.setText(self.tr("請先選擇一位組員。"))
            return
        others = [g for g in self._groups if g.id != chosen[1]]
        if not others:
            return
        labels = [g.name for g in others]
        label, ok = QInputDialog.getItem(
            self, self.tr("移到其他組"), self.tr("組別"), labels, 0, False
        )
        if ok:
            self.move_to(chosen[0], others[labels.index(label)].id)

    def move_to(self, contact_id: int, group_id: int) -> None:
        from schoolhr.contacts.peer_groups import service as groups

        with self.store.write() as session:
            groups.move_member(session, contact_id, group_id)
            groups.refresh_explanation(session, group_id)
        self.refresh()
        self.data_changed.emit(PEOPLE)

    def rename_selected(self) -> None:
        from schoolhr.contacts.peer_groups import service as groups

        item = self.tree.currentItem()
        if item is None or item.data(0, GROUP_ROLE) is None:
            return
        group_id = int(item.data(0, GROUP_ROLE))
        current = next(g.name for g in self._groups if g.id == group_id)
        name, ok = QInputDialog.getText(self, self.tr("重新命名"), self.tr("組名"), text=current)
        if ok and name.strip():
            with self.store.write() as session:
                groups.rename_group(session, group_id, name)
            self.refresh()
            self.data_changed.emit(PEOPLE)

    @needs_store
    def export_roster(self, fmt: str) -> Job[RosterExport] | None:
        name, _filter = QFileDialog.getSaveFileName(
            self, self.tr("匯出小群組名冊"), f"安心培力小群組名冊.{fmt}", f"*.{fmt}"
        )
        return self.export_roster_to(Path(name)) if name else None

    def export_roster_to(self, path: Path) -> Job[RosterExport]:
        from schoolhr.contacts.peer_groups import service as groups

        store = self.store

        def work(_progress: object) -> RosterExport:
            return groups.export_roster(store, path)

        def done(_result: RosterExport) -> None:
            self.message.setText(self.tr("名冊已存成 {0}。").format(path))

        return run_job(self, self.tr("匯出名冊"), work, done)
