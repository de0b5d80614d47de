"""The main window: navigation on the left, one page at a time on the right.

The window is built, shown and usable before the database store is open (opening it imports
SQLAlchemy and may migrate or back up). Every action is enabled from the start: one that needs
the store and is used before it is open waits for it (``when_store_ready``: a busy cursor and
「正在開啟資料庫…」), and happens once ``attach_store`` has opened the pages to it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, TypeVar, cast

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QFontMetrics, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QStackedWidget,
    QWidget,
)

from schoolhr import APP_NAME
from schoolhr.paths import DataPaths
from schoolhr.progress import Progress
from schoolhr.site import SiteRole
from schoolhr.status import read_status
from schoolhr.store.backup import BackupInfo
from schoolhr.text import roc_datetime
from schoolhr.ui import changes
from schoolhr.ui.pages import registry
from schoolhr.ui.pages.base import Page
from schoolhr.ui.pages.home_page import HomePage
from schoolhr.ui.zoom import ZoomController

if TYPE_CHECKING:
    from schoolhr.store.database import Store
    from schoolhr.ui.dialogs.about_dialog import AboutDialog
    from schoolhr.ui.dialogs.helpdesk_dialog import HelpDeskDialog
    from schoolhr.ui.dialogs.shortcuts_dialog import ShortcutsDialog
    from schoolhr.ui.dialogs.welcome_dialog import WelcomeDialog
    from schoolhr.ui.jobs import Job
    from schoolhr.ui.pages.backups_page import BackupsPage
    from schoolhr.ui.pages.checklists_page import ChecklistsPage
    from schoolhr.ui.pages.contacts_page import ContactsPage
    from schoolhr.ui.pages.faq_page import FaqPage
    from schoolhr.ui.pages.guides_page import GuidesPage
    from schoolhr.ui.pages.rewards_page import RewardsPage
    from schoolhr.ui.pages.sync_page import SyncPage
    from schoolhr.ui.pages.unanswered_page import UnansweredPage

NAV_WIDTH_EM = 9  # navigation width in multiples of the font height, so it follows the zoom
PRESENTATION_ZOOM = 150


P = TypeVar("P", bound=Page)


class PageOf(Generic[P]):
    """The window's page ``key``, typed (``window.faq_page`` is the FAQ page, built when
    first asked for)."""

    def __init__(self, key: str) -> None:
        self.key = key

    def __get__(self, window: MainWindow, owner: type[MainWindow]) -> P:
        return cast("P", window.page(self.key))


def _is_demo(paths: DataPaths) -> bool:
    from schoolhr.demo.marker import is_demo_profile

    return is_demo_profile(paths)


class MainWindow(QMainWindow):
    store_ready = Signal()
    backup_finished = Signal(object)
    data_changed = Signal(object)  # the kinds of data changed (schoolhr.ui.changes), pages reloaded

    def __init__(self, paths: DataPaths, settings: QSettings, zoom: ZoomController) -> None:
        super().__init__()
        self.paths = paths
        self.store: Store | None = None
        self._waiting: dict[object, Callable[[], object]] = {}  # run once the store is open
        self._wait_cursor = False
        self.welcome_dialog: WelcomeDialog | None = None
        self._settings = settings
        self.zoom = zoom
        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setAccessibleName(self.tr("頁面"))
        self.pages = QStackedWidget()

        # Pages are built when first needed (the home page at once, the others once the
        # window is up), which keeps start-up short.
        self._page_keys: list[str] = []
        self._built: dict[str, Page] = {}
        for page_entry in registry.PAGES:
            self.add_page(page_entry.key, page_entry.title())
        self.navigation.currentRowChanged.connect(self._go_to)
        self.navigation.setCurrentRow(0)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.addWidget(self.navigation)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)
        self.zoom_label = QLabel()
        self.statusBar().addPermanentWidget(self.zoom_label)
        self.demo = _is_demo(paths)
        self.demo_label = QLabel(self.tr("示範模式：範例資料，非真實人員"))
        self.demo_label.setProperty("role", "demo")
        self.demo_label.setAccessibleName(self.tr("示範模式"))
        # permanent, so that status messages never cover it
        self.statusBar().insertPermanentWidget(0, self.demo_label)
        self.demo_label.setVisible(self.demo)
        self._presenting = False
        self._before_presentation: tuple[int, bool] = (zoom.percent, False)
        self._page_actions: dict[str, QAction] = {}  # View › the page (Ctrl+N), by key
        self._build_menus()
        self._show_pages_of(county=False)  # until the store says which site this is
        zoom.changed.connect(self._on_zoom)
        self._on_zoom(zoom.percent)
        self._set_ready(False)
        self.store_ready.connect(self._warm_up_search)
        self.home_page.refresh(check_integrity=False)
        self.refresh_title()
        self._restore_geometry()

    def attach_store(self, store: Store) -> None:
        """The store is open: enable the actions that write and show the full status (the
        other pages are built, and read the database, when first opened)."""
        self.store = store
        self._set_ready(True)
        self.refresh()
        self.store_ready.emit()
        self._run_waiting()
        self.welcome()

    def _warm_up_search(self) -> Job[None] | None:
        """Load the search's vocabulary and reading tables in the background (no dialog), so
        that the first search and the first typo on the FAQ page do not wait for them."""
        if self.store is None:
            return None
        from schoolhr.search.engine import Searcher
        from schoolhr.ui.jobs import run_job

        searcher = Searcher.shared(self.store.engine)
        return run_job(self, "準備搜尋", lambda _progress: searcher.warm_up(), quiet=True)

    def when_store_ready(
        self, callback: Callable[[], object] | None = None, key: object = None
    ) -> bool:
        """Run ``callback`` now when the store is open (True). Before that, show that the app
        waits for it (a busy cursor, 「正在開啟資料庫…」 in the status bar) and keep
        ``callback``, run once the store is open (False); ``key`` names it, so that an action
        pressed twice while waiting runs once. ``None``: only show the wait (a page opened
        early, which fills itself once the store is open)."""
        if self.store is not None:
            if callback is not None:
                callback()
            return True
        if callback is not None:
            self._waiting[key if key is not None else callback] = callback
        if not self._wait_cursor:
            QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
            self._wait_cursor = True
        self.statusBar().showMessage(self.tr("正在開啟資料庫…"))
        return False

    def end_wait_cursor(self) -> None:
        """The normal cursor again (the store is open, or the app asks something first)."""
        if self._wait_cursor:
            self._wait_cursor = False
            QApplication.restoreOverrideCursor()

    def _run_waiting(self) -> None:
        self.end_wait_cursor()
        waiting, self._waiting = list(self._waiting.values()), {}
        for callback in waiting:
            if self.store is None:  # an action closed it again (a demo reset): wait anew
                self.when_store_ready(callback)
            else:
                callback()

    def welcome(self) -> WelcomeDialog | None:
        """The first-run welcome, once, on a profile with no site name yet (never the demo)."""
        from schoolhr.ui.dialogs.welcome_dialog import WELCOME_SETTING, WelcomeDialog

        if self.store is None or self.demo or self.store.site().name:
            return None
        if self._settings.value(WELCOME_SETTING, False, type=bool):
            return None
        dialog = WelcomeDialog(self.store, self)
        dialog.finished.connect(self._welcomed)
        self.welcome_dialog = dialog
        dialog.open()
        return dialog

    def _welcomed(self, _result: int) -> None:
        from schoolhr.ui.dialogs.welcome_dialog import WELCOME_SETTING

        self._settings.setValue(WELCOME_SETTING, True)
        self._settings.sync()
        self.refresh()

    def _set_ready(self, ready: bool) -> None:
        """Whether the store is open. Actions stay enabled either way (``when_store_ready``)."""
        for page in self._built.values():
            self._prepare(page)
        if not ready:
            self.statusBar().showMessage(self.tr("正在開啟資料庫…"))
        else:
            self.statusBar().clearMessage()

    def _prepare(self, page: Page) -> None:
        """Tell a page how to wait for the store, and give it the store once it is open."""
        page.set_waiter(self.when_store_ready)
        page.set_ready(True)
        if self.store is not None:
            page.set_store(self.store)
            page.set_county(self.store.site().role == SiteRole.COUNTY.value)

    def add_page(self, key: str, title: str) -> None:
        """Pages sit in a scroll area so nothing is cut off at 200 % zoom on a small screen."""
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.pages.addWidget(scroll)
        self.navigation.addItem(title)
        self._page_keys.append(key)

    def page(self, key: str) -> Page:
        """The page ``key``, built on first use."""
        if key not in self._built:
            page = self._build_page(key)
            self._built[key] = page
            scroll = self.pages.widget(self._page_keys.index(key))
            assert isinstance(scroll, QScrollArea)
            scroll.setWidget(page)
            page.data_changed.connect(lambda kinds, p=page: self.announce(kinds, p))
            self._prepare(page)
            if self.store is not None:
                page.refresh()
        return self._built[key]

    def _build_page(self, key: str) -> Page:
        """The page ``key`` from the registry, wired to what the window does for it."""
        page = registry.entry(key).build(self.paths)
        if key == "home":
            home = cast("HomePage", page)
            home.edit_site_requested.connect(self.edit_site)
            home.backup_requested.connect(self.backup_now)
            home.page_requested.connect(self.show_page)
            home.checklist_requested.connect(self.open_checklist)
            home.import_requested.connect(self.import_exchange)
        if key == "faq":
            faq = cast("FaqPage", page)
            faq.edit_requested.connect(self.edit_faq)
            faq.guide_requested.connect(self.open_guide)
            if self.store is None:  # type before the store is open: searched once it is
                faq.set_can_edit(False)  # until the store says this is the county
                faq.search_box.setEnabled(True)
                faq.not_found_button.setEnabled(True)
                faq.search_box.textChanged.connect(lambda _text: faq.wait_for_store())
        if key == "rewards":
            cast("RewardsPage", page).page_requested.connect(self.show_page)
        if key == "backups":
            cast("BackupsPage", page).backup_button.clicked.connect(self.backup_now)
        return page

    home_page: PageOf[HomePage] = PageOf("home")
    faq_page: PageOf[FaqPage] = PageOf("faq")
    guides_page: PageOf[GuidesPage] = PageOf("guides")
    checklists_page: PageOf[ChecklistsPage] = PageOf("checklists")
    contacts_page: PageOf[ContactsPage] = PageOf("contacts")
    rewards_page: PageOf[RewardsPage] = PageOf("rewards")
    sync_page: PageOf[SyncPage] = PageOf("sync")
    backups_page: PageOf[BackupsPage] = PageOf("backups")
    unanswered_page: PageOf[UnansweredPage] = PageOf("unanswered")

    def _go_to(self, row: int) -> None:
        if row >= 0:
            page = self.page(self._page_keys[row])
            if isinstance(page, HomePage) and self.store is not None:
                page.refresh(check_integrity=False)  # what is due changes on the other pages
            elif not isinstance(page, HomePage):
                page.wait_for_store()  # filled once the store is open
            self.pages.setCurrentIndex(row)

    def _show_pages_of(self, county: bool) -> None:
        """Offer the pages this site sees (the registry's role): in the navigation and as
        Ctrl+N actions."""
        for row, page_entry in enumerate(registry.PAGES):
            visible = page_entry.seen_by(county)
            self.navigation.item(row).setHidden(not visible)
            self._page_actions[page_entry.key].setVisible(visible)
            if not visible and self.navigation.currentRow() == row:
                self.navigation.setCurrentRow(0)

    def page_keys(self) -> list[str]:
        """The keys of the pages this site's role sees, in navigation order."""
        rows = range(self.navigation.count())
        return [self._page_keys[r] for r in rows if not self.navigation.item(r).isHidden()]

    def page_titles(self) -> list[str]:
        """The titles of the pages this site's role sees, in navigation order."""
        return [registry.entry(key).title() for key in self.page_keys()]

    def show_page(self, key: str) -> None:
        """Go to the page ``key`` (its registry key, e.g. "faq")."""
        self.navigation.setCurrentRow(self._page_keys.index(key))

    def page_action(self, key: str) -> QAction:
        """The View menu's action (Ctrl+N) that shows the page ``key``."""
        return self._page_actions[key]

    def current_key(self) -> str:
        """The key of the page shown."""
        return self._page_keys[self.pages.currentIndex()]

    def current_page(self) -> QWidget:
        scroll = self.pages.currentWidget()
        assert isinstance(scroll, QScrollArea)
        page = scroll.widget()
        assert page is not None
        return page

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("檔案(&F)"))
        self.backup_action = self._action(self.tr("立即備份(&B)"), "Ctrl+B", self.backup_now)
        self.site_action = self._action(self.tr("單位資料(&S)…"), None, self.edit_site)
        file_menu.addAction(self.backup_action)
        file_menu.addAction(self.site_action)
        self.reset_demo_action = self._action(
            self.tr("重設示範資料(&D)…"), None, self.confirm_reset_demo
        )
        self.reset_demo_action.setVisible(self.demo)
        file_menu.addAction(self.reset_demo_action)
        file_menu.addSeparator()
        # Qt's standard Quit keys are empty on Windows: Ctrl+Q is set on every platform
        file_menu.addAction(self._action(self.tr("結束(&X)"), "Ctrl+Q", self.close))

        edit_menu = self.menuBar().addMenu(self.tr("編輯(&E)"))
        find = self._action(
            self.tr("搜尋常見問答(&F)"), QKeySequence.StandardKey.Find, self.find_in_faq
        )
        edit_menu.addAction(find)

        view_menu = self.menuBar().addMenu(self.tr("檢視(&V)"))
        zoom_in = self._action(self.tr("放大(&I)"), "Ctrl+=", self.zoom.zoom_in)
        zoom_in.setShortcuts([QKeySequence("Ctrl+="), QKeySequence("Ctrl++")])
        view_menu.addAction(zoom_in)
        view_menu.addAction(self._action(self.tr("縮小(&O)"), "Ctrl+-", self.zoom.zoom_out))
        view_menu.addAction(self._action(self.tr("原始大小(&R)"), "Ctrl+0", self.zoom.reset))
        self.contrast_action = self._action(
            self.tr("高對比(&H)"), "Ctrl+Shift+C", self.zoom.set_high_contrast
        )
        self.contrast_action.setCheckable(True)
        self.contrast_action.setChecked(self.zoom.high_contrast)
        view_menu.addAction(self.contrast_action)
        self.presentation_action = self._action(
            self.tr("簡報模式（全螢幕、放大）(&P)"), "F11", self.set_presentation
        )
        self.presentation_action.setCheckable(True)
        view_menu.addAction(self.presentation_action)
        view_menu.addSeparator()
        for row, page_entry in enumerate(registry.PAGES):
            go_to_page = self._action(
                page_entry.title(),
                f"Ctrl+{row + 1}",
                lambda _checked=False, key=page_entry.key: self.show_page(key),
            )
            view_menu.addAction(go_to_page)
            self._page_actions[page_entry.key] = go_to_page

        help_menu = self.menuBar().addMenu(self.tr("說明(&H)"))
        about = self._action(
            self.tr("關於與診斷資訊(&A)…"), QKeySequence.StandardKey.HelpContents, self.show_about
        )
        help_menu.addAction(about)
        self.helpdesk_action = self._action(
            self.tr("支援資訊（遠端協助）(&S)…"), "Ctrl+Shift+H", self.show_helpdesk
        )
        help_menu.addAction(self.helpdesk_action)
        self.shortcuts_action = self._action(
            self.tr("鍵盤快速鍵一覽(&K)"), "?", self.show_shortcuts
        )
        help_menu.addAction(self.shortcuts_action)

    def _action(self, text: str, shortcut: object, slot: object) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))  # type: ignore[call-overload]
        action.triggered.connect(slot)
        return action

    # -- help desk, workshops --------------------------------------------------------------

    def open_guide_state(self) -> tuple[str, str] | None:
        """(guide title, 「第 n／m 步：step」) the clerk has open, for the help-desk panel."""
        if "guides" not in self._built:
            return None
        view = self.guides_page.step_view
        guide = view.guide if view is not None else None
        if view is None or guide is None or not guide.steps:
            return None
        step = guide.steps[view.index]
        return guide.title, f"第 {view.index + 1}／{len(guide.steps)} 步：{step.title}"

    def show_helpdesk(self) -> HelpDeskDialog:
        from schoolhr.ui.dialogs.helpdesk_dialog import HelpDeskDialog

        dialog = HelpDeskDialog(self.paths, self.store, self.open_guide_state(), self)
        dialog.open()
        dialog.gather()
        return dialog

    def show_shortcuts(self) -> ShortcutsDialog:
        from schoolhr.ui.dialogs.shortcuts_dialog import ShortcutsDialog

        dialog = ShortcutsDialog(self)
        dialog.open()
        return dialog

    def set_presentation(self, on: bool) -> None:
        """Presentation mode for a workshop: full screen and text at 150 % or more; leaving it
        puts back the zoom and window state the trainer had."""
        if on == self._presenting:
            return
        self._presenting = on
        self.presentation_action.setChecked(on)
        if on:
            self._before_presentation = (self.zoom.percent, self.isMaximized())
            self.zoom.set_percent(max(PRESENTATION_ZOOM, self.zoom.percent))
            self.showFullScreen()
            self.statusBar().showMessage(self.tr("簡報模式：按 F11 離開，按 ? 顯示快速鍵"), 8000)
        else:
            percent, maximized = self._before_presentation
            self.zoom.set_percent(percent)
            if maximized:
                self.showMaximized()
            else:
                self.showNormal()

    @property
    def presenting(self) -> bool:
        return self._presenting

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self._presenting:
            self.set_presentation(False)
            return
        super().keyPressEvent(event)

    def confirm_reset_demo(self) -> None:
        answer = QMessageBox.question(
            self,
            self.tr("重設示範資料"),
            self.tr("示範資料會回到初始狀態，工作坊中輸入的資料都會清除。要重設嗎？"),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.reset_demo()

    def reset_demo(self) -> Job[Store] | None:
        """Rebuild the demo profile in place (only a folder marked as the demo's)."""
        if not self.demo or self.store is None:
            return None
        from schoolhr.ui.jobs import run_job

        store, paths = self.store, self.paths
        self.store = None
        self._set_ready(False)

        def work(_progress: Progress) -> Store:
            from schoolhr.demo import build_demo
            from schoolhr.startup import open_profile

            store.close()
            build_demo(paths, reset=True)
            return open_profile(paths)

        def done(new_store: Store) -> None:
            self.attach_store(new_store)
            self.statusBar().showMessage(self.tr("示範資料已重設。"), 10_000)

        return run_job(self, self.tr("重設示範資料"), work, done)

    def backup_now(self) -> Job[BackupInfo] | None:
        store = self.store
        if store is None:
            self.when_store_ready(self.backup_now, "backup")
            return None
        from schoolhr.ui.jobs import run_job

        def done(info: BackupInfo) -> None:
            self.statusBar().showMessage(
                self.tr("已備份並通過檢查：{0}（{1}）").format(
                    info.path.name, roc_datetime(info.taken_at)
                ),
                10_000,
            )
            self.announce(frozenset({changes.BACKUPS}), message="")
            self.backup_finished.emit(info)

        return run_job(
            self, self.tr("備份資料庫"), lambda progress: store.backup("manual", progress), done
        )

    def find_in_faq(self) -> None:
        """Ctrl+F: to the FAQ search box, wherever the clerk is."""
        self.show_page("faq")
        self.faq_page.focus_search()

    def open_guide(self, guide_id: str) -> None:
        self.show_page("guides")
        self.guides_page.show_guide(guide_id)

    def open_checklist(self, run_id: int) -> None:
        self.show_page("checklists")
        self.checklists_page.open_run(run_id)

    def import_exchange(self) -> None:
        self.show_page("sync")
        self.sync_page.import_file()

    def edit_faq(self, entry_id: str) -> None:
        if self.store is None:
            self.when_store_ready(lambda: self.edit_faq(entry_id), "edit-faq")
            return
        from schoolhr.ui.dialogs.faq_edit_dialog import FaqEditDialog
        from schoolhr.ui.pages.faq_page import ENTRY_ROLE

        categories = [
            self.faq_page.categories.item(i).data(ENTRY_ROLE)
            for i in range(1, self.faq_page.categories.count())
        ]
        dialog = FaqEditDialog(self.store, categories, entry_id, self)
        if dialog.exec():
            self.announce(frozenset({changes.FAQ}))

    def edit_site(self) -> None:
        if self.store is None:
            self.when_store_ready(self.edit_site, "edit-site")
            return
        from schoolhr.ui.dialogs.site_dialog import SiteDialog

        if SiteDialog(self.store, self).exec():
            self.announce(frozenset({changes.SITE}))

    def show_about(self) -> AboutDialog:
        from schoolhr.ui.dialogs.about_dialog import AboutDialog

        dialog = AboutDialog(self.paths, self)
        dialog.open()
        return dialog

    def refresh(self) -> None:
        """Everything shown again from the database (after a backup, restore, edit)."""
        if self.store is not None:
            county = self.store.site().role == SiteRole.COUNTY.value
            self._show_pages_of(county)
            for key, page in self._built.items():
                page.set_county(county)
                if key != "home":
                    page.refresh()
        self.home_page.refresh()
        self.refresh_title()

    def announce(
        self, kinds: changes.Kinds, source: Page | None = None, message: str | None = None
    ) -> None:
        """Data changed (``source``, the page where it was changed, shows it already): every
        other page showing it reloads, and the status bar says what changed (``message``, when
        given, instead; "" to leave the status bar as it is)."""
        kinds = frozenset(kinds)
        if changes.EVERYTHING in kinds or changes.SITE in kinds:
            self.refresh()  # the site's role decides which pages and actions are offered
        else:
            for page in self._built.values():
                if page is not source:
                    page.reload(kinds)
        text = changes.describe(kinds) if message is None else message
        if text:
            self.statusBar().showMessage(text, 10_000)
        self.data_changed.emit(kinds)

    def refresh_title(self) -> None:
        site = read_status(self.paths, operations=0).site
        name = site.name if site else ""
        title = f"{name} — {APP_NAME}" if name else APP_NAME
        self.setWindowTitle(self.tr("【示範模式】") + title if self.demo else title)

    def bring_to_front(self) -> None:
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    def _on_zoom(self, percent: int) -> None:
        self.zoom_label.setText(self.tr("縮放 {0}%").format(percent))
        self.navigation.setFixedWidth(self._navigation_width())

    def _navigation_width(self) -> int:
        """Just wide enough for the longest page title at this zoom (never wider than
        ``NAV_WIDTH_EM`` font heights), so that the page keeps the rest of a narrow window."""
        self.navigation.ensurePolished()
        metrics = QFontMetrics(self.navigation.font())
        widest = max(metrics.horizontalAdvance(title) for title in self.page_titles())
        padding = round(self.zoom.point_size()) * 2  # the items' side padding (style sheet)
        frame = self.navigation.frameWidth() * 2
        needed = widest + padding + frame + metrics.averageCharWidth()
        return min(needed, QFontMetrics(QApplication.font()).height() * NAV_WIDTH_EM)

    def _restore_geometry(self) -> None:
        geometry = self._settings.value("ui/geometry")
        if isinstance(geometry, QByteArray) and self.restoreGeometry(geometry):
            return
        self.resize(1000, 700)

    def closeEvent(self, event: QCloseEvent) -> None:
        # the trainer's own zoom is what the profile keeps, not the presentation's
        self.set_presentation(False)
        if "faq" in self._built:
            self.faq_page.flush_unanswered()
        self._settings.setValue("ui/geometry", self.saveGeometry())
        self._settings.sync()
        self._waiting.clear()
        self.end_wait_cursor()
        super().closeEvent(event)
