"""操作指引: guides listed by system or by task, the step view, a narrow window to keep beside
the browser, presentation mode for trainers, printing, and this site's system addresses."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QInputDialog,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from schoolhr.ui import changes
from schoolhr.ui.jobs import Job, run_job
from schoolhr.ui.pages.base import Page, needs_store
from schoolhr.ui.widgets.adaptive_splitter import AdaptiveSplitter
from schoolhr.ui.widgets.ask import pick
from schoolhr.ui.widgets.buttons import push_button
from schoolhr.ui.widgets.fit import client_area
from schoolhr.ui.widgets.flow_layout import flow_row

if TYPE_CHECKING:
    from schoolhr.guides.schema import Guide
    from schoolhr.guides.service import SystemView
    from schoolhr.reports.pdf import RenderResult
    from schoolhr.store.database import Store
    from schoolhr.ui.widgets.presentation import PresentationWindow
    from schoolhr.ui.widgets.step_view import StepView

ID_ROLE = Qt.ItemDataRole.UserRole + 1
NARROW_SIZE = (400, 720)


class GuidesPage(Page):
    key = "guides"
    shows = frozenset({changes.CONTENT})

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._guides: dict[str, Guide] = {}
        self._systems: dict[str, SystemView] = {}
        self.step_view: StepView | None = None
        self.narrow_window: QWidget | None = None
        self.presentation: PresentationWindow | None = None
        self.last_pdf: Path | None = None

        self.order = QComboBox()
        self.order.addItems([self.tr("依系統"), self.tr("依工作")])
        self.order.currentIndexChanged.connect(lambda _i: self._fill_tree())
        self.tree = QTreeWidget()
        self.tree.setAccessibleName(self.tr("操作指引清單（依系統）"))
        self.tree.setHeaderHidden(True)
        self.tree.currentItemChanged.connect(self._chosen)
        self.address_button = push_button(self.tr("設定本縣系統網址…"), self.set_address)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.order)
        left_layout.addWidget(self.tree, 1)
        left_layout.addWidget(self.address_button)

        self.narrow_button = push_button(self.tr("在小視窗開啟（放在瀏覽器旁）"), self.open_narrow)
        self.present_button = push_button(self.tr("簡報模式 (F5)"), self.present)
        self.print_button = push_button(self.tr("預覽與列印 (Ctrl+P)"), self.print_preview)
        buttons = flow_row(self.narrow_button, self.present_button, self.print_button)
        self.right = QWidget()
        self.right_layout = QVBoxLayout(self.right)
        self.right_layout.setContentsMargins(0, 0, 0, 0)
        self.right_layout.addLayout(buttons)
        self.right_layout.addWidget(self.status)

        splitter = AdaptiveSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.right)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(splitter, 1)
        for key, slot in (
            (QKeySequence("F5"), self.present),
            (QKeySequence(QKeySequence.StandardKey.Print), self.print_preview),
        ):
            shortcut = QShortcut(key, self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self._set_buttons()

    def set_store(self, store: Store) -> None:
        from schoolhr.content.install import bundled_content_dir
        from schoolhr.ui.widgets.step_view import StepView

        super().set_store(store)
        if self.step_view is None:
            self.step_view = StepView(store, bundled_content_dir())
            self.right_layout.addWidget(self.step_view, 1)

    def load(self) -> None:
        from schoolhr.guides import service

        with self.store.read() as session:
            self._guides = {g.id: g for g in service.guides(session)}
            self._systems = {s.code: s for s in service.systems(session)}
        self._fill_tree()

    def _fill_tree(self) -> None:
        current = self.current_guide()
        self.tree.blockSignals(True)
        self.tree.clear()
        if self.order.currentIndex() == 0:
            for code, system in sorted(self._systems.items(), key=lambda kv: kv[1].name):
                guides = [g for g in self._guides.values() if g.system == code]
                if not guides:
                    continue
                parent = QTreeWidgetItem([f"{system.name}（{len(guides)}）"])
                self.tree.addTopLevelItem(parent)
                for guide in sorted(guides, key=lambda g: g.title):
                    child = QTreeWidgetItem([guide.title])
                    child.setData(0, ID_ROLE, guide.id)
                    parent.addChild(child)
                parent.setExpanded(True)
        else:
            for guide in sorted(self._guides.values(), key=lambda g: g.title):
                item = QTreeWidgetItem([guide.title])
                item.setData(0, ID_ROLE, guide.id)
                self.tree.addTopLevelItem(item)
        self.tree.blockSignals(False)
        if current is not None:
            self.show_guide(current.id)

    def current_guide(self) -> Guide | None:
        return self.step_view.guide if self.step_view is not None else None

    def _chosen(self, item: QTreeWidgetItem | None, _previous: object = None) -> None:
        guide_id = item.data(0, ID_ROLE) if item is not None else None
        if guide_id:
            self.show_guide(guide_id)

    def show_guide(self, guide_id: str) -> None:
        """Show a guide (also from a search result), remembering where the clerk was."""
        guide = self._guides.get(guide_id)
        if guide is None or self.step_view is None:
            return
        self.step_view.show_guide(guide, self._systems.get(guide.system))
        self._select_in_tree(guide_id)
        self._set_buttons()

    def _select_in_tree(self, guide_id: str) -> None:
        items = self.tree.findItems("*", Qt.MatchFlag.MatchWildcard | Qt.MatchFlag.MatchRecursive)
        for item in items:
            if item.data(0, ID_ROLE) == guide_id and self.tree.currentItem() is not item:
                self.tree.blockSignals(True)
                self.tree.setCurrentItem(item)
                self.tree.blockSignals(False)

    def _set_buttons(self) -> None:
        has_guide = self.current_guide() is not None
        for button in (self.narrow_button, self.present_button, self.print_button):
            button.setEnabled(has_guide)

    # -- beside the browser, on the projector, on paper --------------------------------------

    def open_narrow(self) -> QWidget | None:
        from schoolhr.content.install import bundled_content_dir
        from schoolhr.ui.widgets.step_view import StepView

        guide = self.current_guide()
        if guide is None:
            return None
        window = QWidget()
        window.setWindowTitle(guide.title)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        view = StepView(self.store, bundled_content_dir(), window, compact=True)
        view.show_guide(guide, self._systems.get(guide.system))
        view.step_changed.connect(lambda _i: self.show_guide(guide.id))
        layout = QVBoxLayout(window)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(view)
        close = QShortcut(QKeySequence(Qt.Key.Key_Escape), window)
        close.activated.connect(window.close)
        width, height = NARROW_SIZE
        area = client_area(self)  # never taller than the screen
        window.setMaximumHeight(area.height())
        window.resize(min(width, area.width()), min(height, area.height()))
        window.move(max(area.left(), area.right() - window.width() - 20), area.top())
        window.show()
        self.narrow_window = window
        return window

    def present(self) -> PresentationWindow | None:
        from schoolhr.content.install import bundled_content_dir
        from schoolhr.ui.widgets.presentation import PresentationWindow

        guide = self.current_guide()
        if guide is None or self.step_view is None:
            return None
        window = PresentationWindow(
            guide, bundled_content_dir(), self.store.paths.root, self.step_view.index
        )
        window.step_changed.connect(self.step_view.go_to)
        screen = self.screen()
        if screen is not None:  # cover the screen even where no window manager does it
            window.setGeometry(screen.geometry())
        window.showFullScreen()
        window.activateWindow()
        self.presentation = window
        return window

    @needs_store
    def print_preview(self) -> Job[RenderResult] | None:
        """The print preview of the open guide (see ``schoolhr.ui.printing``)."""
        from schoolhr.ui.printing import preview_rendered

        def title() -> str:
            guide = self.current_guide()
            return guide.title if guide else self.tr("操作指引")

        return preview_rendered(self, self.store.paths, "guide.pdf", self.save_pdf_to, title)

    def save_pdf_to(self, target: Path) -> Job[RenderResult] | None:
        from schoolhr.content.install import bundled_content_dir
        from schoolhr.guides.printing import guide_document
        from schoolhr.guides.service import SystemView
        from schoolhr.reports.pdf import render_form

        guide = self.current_guide()
        if guide is None:
            return None
        system = self._systems.get(guide.system) or SystemView(
            guide.system, guide.system, None, False, None, None
        )
        document = guide_document(
            guide,
            system,
            bundled_content_dir(),
            self.store.paths.root,
            self.store.site().name,
            date.today(),
        )
        job = run_job(self, self.tr("產生 PDF"), lambda _p: render_form(document, target))

        def done(result: RenderResult) -> None:
            self.last_pdf = target
            self.show_status(self.tr("已產生 PDF（{0} 頁）。").format(result.pages))

        job.on_success(done)
        return job

    @needs_store
    def set_address(self) -> None:
        from schoolhr.errors import UserError
        from schoolhr.guides import service

        per_site = [s for s in self._systems.values() if s.per_site] or list(self._systems.values())
        if not per_site:
            return
        chosen = pick(
            self,
            self.tr("設定系統網址"),
            self.tr("系統（各縣市網址不同者）"),
            per_site,
            lambda system: system.name,
        )
        if chosen is None:
            return
        url, ok = QInputDialog.getText(
            self,
            self.tr("設定系統網址"),
            self.tr("{0} 的網址（留白則清除）").format(chosen.name),
            text=chosen.site_url or "",
        )
        if not ok:
            return
        try:
            with self.store.write() as session:
                service.set_system_url(session, chosen.code, url)
        except UserError as exc:
            self.show_error(exc)
            return
        self.refresh()
        self.status.setText(self.tr("已更新 {0} 的網址。").format(chosen.name))
        self.data_changed.emit(frozenset({changes.CONTENT}))
