"""One guide, one step at a time: tick it, move on by keyboard, open the system's address.

Used inside the guides page and, alone, in a narrow window beside the browser (400 px wide).
There it is ``compact``: a one-line header, the step's own text first and given the height,
the system, the preparations and 「重新開始」 below it, so that even at 200 % several lines of
the step can be read. Progress is saved as soon as it changes.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeySequence, QPixmap, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from schoolhr.text import roc_date
from schoolhr.ui.widgets.flow_layout import flow_row
from schoolhr.ui.widgets.safe_browser import plain_tooltip

if TYPE_CHECKING:
    from schoolhr.guides.schema import Guide
    from schoolhr.guides.service import SystemView
    from schoolhr.store.database import Store

PICTURE_WIDTH = 560  # at most; scaled down to the view's width


def _label(role: str | None = None) -> QLabel:
    label = QLabel("")
    label.setTextFormat(Qt.TextFormat.PlainText)  # content is data: a tag in it is shown, not run
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if role:
        label.setProperty("role", role)
    return label


class StepView(QWidget):
    step_changed = Signal(int)
    url_opened = Signal(str)

    def __init__(
        self,
        store: Store,
        content_dir: Path,
        parent: QWidget | None = None,
        *,
        compact: bool = False,
    ) -> None:
        super().__init__(parent)
        self.compact = compact
        self._store = store
        self._content_dir = content_dir
        self.guide: Guide | None = None
        self.system: SystemView | None = None
        self.index = 0
        self.done: set[int] = set()
        self._pixmap = QPixmap()

        self.title = _label("subheading")
        self.system_label = _label()
        self.open_button = QPushButton(self.tr("開啟系統"))
        self.open_button.clicked.connect(self.open_system)
        top = QHBoxLayout()
        top.addWidget(self.system_label, 1)
        top.addWidget(self.open_button)
        self.prerequisites = _label()
        self.counter = _label()
        self.step_title = _label("heading")
        self.detail = _label()
        self.warning = _label("problem")
        self.picture = QLabel()
        self.picture.setAlignment(Qt.AlignmentFlag.AlignLeft)
        self.tick = QCheckBox(self.tr("這一步完成了"))
        self.tick.toggled.connect(self._ticked)
        self.previous_button = QPushButton(self.tr("← 上一步"))
        self.next_button = QPushButton(self.tr("下一步 →"))
        self.previous_button.clicked.connect(self.previous)
        self.next_button.clicked.connect(self.next)
        self.restart_button = QPushButton(self.tr("重新開始"))
        self.restart_button.clicked.connect(self.restart)
        nav = flow_row(self.previous_button, self.next_button, self.restart_button)

        card = QWidget()
        card_layout = QVBoxLayout(card)
        for widget in (self.counter, self.step_title, self.detail, self.warning, self.picture):
            card_layout.addWidget(widget)
        card_layout.addWidget(self.tick)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(card)
        self.step_scroll = scroll

        layout = QVBoxLayout(self)
        if compact:
            self._compact_layout(layout, top, nav, card_layout)
        else:
            card_layout.addStretch(1)
            layout.addWidget(self.title)
            layout.addLayout(top)
            layout.addWidget(self.prerequisites)
            layout.addWidget(scroll, 1)
            layout.addLayout(nav)

        for keys, slot in (
            ((QKeySequence.StandardKey.MoveToNextPage, "Ctrl+Right", "Alt+Right"), self.next),
            ((QKeySequence.StandardKey.MoveToPreviousPage, "Ctrl+Left", "Alt+Left"), self.previous),
        ):
            for key in keys:
                shortcut = QShortcut(QKeySequence(key), self)
                shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                shortcut.activated.connect(slot)
        self.show_guide(None, None)

    def _compact_layout(
        self, layout: QVBoxLayout, top: QHBoxLayout, nav: QLayout, card: QVBoxLayout
    ) -> None:
        """One line of header (the guide's title, cut if long, whole in its tooltip, and
        「開啟系統」); the step text gets all the height; the rest follows the step."""
        layout.setContentsMargins(0, 0, 0, 0)
        self.title.setWordWrap(False)
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        top.removeWidget(self.system_label)
        top.insertWidget(0, self.title, 1)
        self.step_title.setProperty("role", "subheading")  # the big heading takes three lines
        nav.removeWidget(self.restart_button)
        card.addWidget(self.system_label)
        card.addWidget(self.prerequisites)
        card.addWidget(self.restart_button, 0, Qt.AlignmentFlag.AlignLeft)
        card.addStretch(1)
        layout.addLayout(top)
        layout.addWidget(self.step_scroll, 1)
        layout.addLayout(nav)

    def show_guide(self, guide: Guide | None, system: SystemView | None) -> None:
        from schoolhr.guides import service

        self.guide, self.system = guide, system
        if guide is None:
            self.title.setText(self.tr("請從清單選擇一份操作指引。"))
            for widget in (
                self.system_label,
                self.prerequisites,
                self.counter,
                self.step_title,
                self.detail,
                self.warning,
            ):
                widget.setText("")
            self.picture.clear()
            for control in (
                self.open_button,
                self.tick,
                self.previous_button,
                self.next_button,
                self.restart_button,
            ):
                control.setEnabled(False)
            return
        with self._store.read() as session:
            saved = service.progress(session, guide.id)
        self.done = set(saved.done)
        self.index = min(saved.current, len(guide.steps) - 1)
        self.title.setText(guide.title)
        self.title.setToolTip(plain_tooltip(guide.title) if self.compact else "")
        checked = self.tr("最後核對 {0}").format(roc_date(guide.checked))
        if guide.needs_screen_check:
            checked += self.tr("；畫面細節尚待核對，請以系統畫面為準")
        name = system.name if system else guide.system
        self.system_label.setText(f"{name}　（{checked}）")
        self.prerequisites.setText(
            self.tr("事前準備：") + "；".join(guide.prerequisites) if guide.prerequisites else ""
        )
        self.open_button.setEnabled(bool(system and system.url))
        self.open_button.setToolTip(
            plain_tooltip(system.url) if system and system.url else self.tr("尚未設定此系統的網址")
        )
        self.tick.setEnabled(True)
        self.restart_button.setEnabled(True)
        self._render()

    def _render(self) -> None:
        guide = self.guide
        if guide is None:
            return
        step = guide.steps[self.index]
        total = len(guide.steps)
        self.counter.setText(
            self.tr("步驟 {0}／{1}　已完成 {2} 步").format(self.index + 1, total, len(self.done))
        )
        self.step_title.setText(step.title)
        self.detail.setText(step.detail or "")
        self.warning.setText(self.tr("注意：") + step.warning if step.warning else "")
        self.warning.setVisible(bool(step.warning))
        self._pixmap = QPixmap()
        if step.picture:
            from schoolhr.guides.service import picture_path

            picture = picture_path(self._content_dir, step.picture, self._store.paths.root)
            self._pixmap = QPixmap(str(picture))
        self._scale_picture()
        self.tick.blockSignals(True)
        self.tick.setChecked(self.index in self.done)
        self.tick.blockSignals(False)
        self.previous_button.setEnabled(self.index > 0)
        self.next_button.setEnabled(self.index < total - 1)
        self.step_changed.emit(self.index)

    def _scale_picture(self) -> None:
        """The step's picture as wide as the view allows (it follows window resizes)."""
        if self._pixmap.isNull():
            self.picture.clear()
            return
        width = min(PICTURE_WIDTH, self._pixmap.width(), max(160, self.width() - 60))
        self.picture.setPixmap(
            self._pixmap.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
        )

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._scale_picture()

    def _save(self) -> None:
        from schoolhr.guides import service

        if self.guide is None:
            return
        with self._store.write() as session:
            service.save_progress(session, self.guide.id, self.done, self.index)

    def _ticked(self, on: bool) -> None:
        if on:
            self.done.add(self.index)
        else:
            self.done.discard(self.index)
        self._save()
        self._render()

    def next(self) -> None:
        if self.guide is not None and self.index < len(self.guide.steps) - 1:
            self.index += 1
            self._save()
            self._render()

    def previous(self) -> None:
        if self.guide is not None and self.index > 0:
            self.index -= 1
            self._save()
            self._render()

    def go_to(self, index: int) -> None:
        if self.guide is not None and 0 <= index < len(self.guide.steps):
            self.index = index
            self._save()
            self._render()

    def restart(self) -> None:
        from schoolhr.guides import service

        if self.guide is None:
            return
        with self._store.write() as session:
            service.reset_progress(session, self.guide.id)
        self.done, self.index = set(), 0
        self._render()

    def open_system(self) -> None:
        """Only after the click: open the system's address in the default browser."""
        if self.system and self.system.url:
            QDesktopServices.openUrl(QUrl(self.system.url))
            self.url_opened.emit(self.system.url)
