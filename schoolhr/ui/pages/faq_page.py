"""常見問答: type a question, see the answer; browse by category; tell the help desk what is
missing.

Typing searches after a short pause (``SEARCH_DELAY_MS``) in the page's search worker, one
background thread that reads the database on its own connections: the latest query wins, and an
answer to a query typed over since is dropped. The answer comes back by a queued signal; the UI
thread shows the first answer, then, in a later event, fills the list (at most ``SEARCH_LIMIT``
rows), so that no event does it all. Enter, a category, a suggestion and a refresh search at
once on the UI thread (one action, not a stream of keys), and what they show is there when they
return.

What the first search and the first typo need (the vocabulary: a second at 100,000 entries;
the reading tables) loads off the UI thread, from the moment the store is ready
(``MainWindow``) or the page gets it. A search typed before that is done waits for it at
most ``WARM_WAIT_S`` on the UI thread, then in the background, and runs once it is loaded.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QGuiApplication, QKeyEvent, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from schoolhr.text import normalize, normalize_with_map, roc_date
from schoolhr.ui import changes
from schoolhr.ui.jobs import Job, run_job
from schoolhr.ui.pages.base import Page, needs_store
from schoolhr.ui.widgets.adaptive_splitter import AdaptiveSplitter
from schoolhr.ui.widgets.flow_layout import flow_row
from schoolhr.ui.widgets.safe_browser import SafeTextBrowser
from schoolhr.ui.zoom import current_colours

if TYPE_CHECKING:
    from schoolhr.faq.service import FaqView
    from schoolhr.search.engine import Hit, Outcome, Searcher
    from schoolhr.store.database import Store

log = logging.getLogger(__name__)

SEARCH_DELAY_MS = 120
SEARCH_LIMIT = 50  # results listed for a query
LIST_CHUNK = 1000  # entries listed in one event when the box is emptied
UNANSWERED_WAIT_S = 2.0  # leaving the page waits this long for the questions being recorded
WARM_WAIT_S = 0.05  # a search waits this long on the UI thread for the vocabulary, no longer
READ_AFTER_MS = 5000  # an answer on screen this long counts as read (the search was answered)
ALL_CATEGORIES = "全部"
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1
KIND_ROLE = Qt.ItemDataRole.UserRole + 2
SEARCHED_KINDS = ("faq", "guide")  # step guides show up beside the answers
SIDE_BY_SIDE_EM = 34  # narrower than this many font heights: results above the answer


@dataclass
class Answer:
    """What the search worker found for a typed query: the search's outcome and its hits in
    the category (or, for an empty query, the category's ``(id, title, category)`` rows), and
    the first answer read ahead, so that the UI thread only shows it."""

    outcome: Outcome | None = None
    hits: list[Hit] = field(default_factory=list)
    rows: list[tuple[str, str, str]] | None = None
    first: FaqView | None = None


class SearchWorker(QObject):
    """One background thread answering the page's typed queries, the latest first.

    ``ask(number, query, category)`` replaces any request not yet begun; ``answered`` brings
    back ``(number, answer)`` by a queued signal: an ``Answer``, or ``None`` when the work
    failed (logged). ``log_unanswered(query)`` records a question given up on
    (a write: off the UI thread too); those are never dropped. The thread never touches a
    widget."""

    answered = Signal(int, object)

    def __init__(self, store: Store, searcher: Searcher) -> None:
        super().__init__()
        self._store = store
        self._searcher = searcher
        self._wake = threading.Condition()
        self._request: tuple[int, str, str | None] | None = None
        self._unanswered: list[str] = []  # questions to record, in the order given up on
        self._recording = False
        self._closed = False
        self._thread = threading.Thread(target=self._serve, name="faq-search", daemon=True)
        self._thread.start()

    def ask(self, number: int, query: str, category: str | None) -> None:
        with self._wake:
            self._request = (number, query, category)
            self._wake.notify_all()

    def settle(self, timeout: float) -> bool:
        """Wait (at most ``timeout`` seconds) until the questions given are recorded."""
        with self._wake:
            return self._wake.wait_for(
                lambda: not self._unanswered and not self._recording, timeout
            )

    def log_unanswered(self, normalized_query: str) -> None:
        with self._wake:
            self._unanswered.append(normalized_query)
            self._wake.notify_all()

    def close(self) -> None:
        """Stop the thread after the request under way (its answer is not delivered); the
        questions still to record are recorded first."""
        with self._wake:
            self._closed = True
            self._request = None
            self._wake.notify_all()

    def _serve(self) -> None:
        from schoolhr.faq import unanswered as questions

        while True:
            with self._wake:
                while self._request is None and not self._unanswered and not self._closed:
                    self._wake.wait()
                unanswered, self._unanswered = self._unanswered, []
                request, self._request = self._request, None
                self._recording = bool(unanswered)
            for question in unanswered:
                try:
                    questions.record_unanswered(self._store, question)
                except Exception:
                    log.exception("recording an unanswered question failed: %r", question)
            if unanswered:
                with self._wake:
                    self._recording = False
                    self._wake.notify_all()
            if request is None:
                if self._closed:
                    return
                continue
            number, query, category = request
            result = self._answer(query, category)
            with self._wake:
                if self._closed:
                    return
                try:
                    self.answered.emit(number, result)
                except RuntimeError:  # the page is gone
                    return

    def _answer(self, query: str, category: str | None) -> Answer | None:
        from schoolhr.faq import service

        try:
            answer = Answer()
            if normalize(query):
                outcome = self._searcher.search(query, limit=SEARCH_LIMIT, kinds=SEARCHED_KINDS)
                answer.outcome = outcome
                answer.hits = [h for h in outcome.hits if category in (None, h.subtitle)]
                first = answer.hits[0].ref if answer.hits and answer.hits[0].kind == "faq" else ""
            with self._store.read() as session:
                if answer.outcome is None:
                    answer.rows = service.published_titles(session, category)
                    first = answer.rows[0][0] if answer.rows else ""
                if first:
                    answer.first = service.published(session, first)
            return answer
        except Exception:
            log.exception("FAQ search failed in the background: %r", query)
            return None


class FaqPage(Page):
    key = "faq"
    shows = frozenset({changes.FAQ})

    answer_shown = Signal(str)  # entry id
    edit_requested = Signal(str)  # entry id ("" for a new entry)
    guide_requested = Signal(str)  # guide id: the clerk opened a guide from the results

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._searcher: Searcher | None = None
        self._outcome: Outcome | None = None
        self._current: FaqView | None = None
        self._pending_query = ""  # typed, not yet answered: logged if abandoned
        self._warming: Job[None] | None = None  # loading the vocabulary off the UI thread
        self._search_waits = False  # a search waits for the warm-up to end
        self._warm_failed = False  # searches load the vocabulary themselves, as before
        self._can_edit = False
        self._worker: SearchWorker | None = None
        self._asked = 0  # requests to the worker so far: an answer to an older one is stale
        self._waiting: tuple[int, str | None] | None = None  # (request, category) unanswered

        self.search_box = QLineEdit()
        self.search_box.setAccessibleName(self.tr("搜尋常見問答"))
        self.search_box.setPlaceholderText(
            self.tr("輸入問題，例如：補休期限、特休天數、WebITR 請假")
        )
        self.search_box.setClearButtonEnabled(True)
        self.search_box.installEventFilter(self)
        self.not_found_button = QPushButton(self.tr("沒找到答案…"))
        self.not_found_button.clicked.connect(self.report_not_found)
        search_row = QHBoxLayout()
        search_row.addWidget(self.search_box, 1)
        search_row.addWidget(self.not_found_button)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.status.linkActivated.connect(self._use_suggestion)

        self.categories = QListWidget()
        self.categories.setAccessibleName(self.tr("問答分類"))
        self.categories.setObjectName("categories")
        self.categories.currentRowChanged.connect(lambda _row: self._run_search())
        self.results = QListWidget()
        self.results.setAccessibleName(self.tr("搜尋結果"))
        self.results.setObjectName("results")
        self.results.setWordWrap(True)
        self.results.currentItemChanged.connect(self._preview)
        self.results.itemActivated.connect(self._open)
        self.results.installEventFilter(self)

        self.answer = SafeTextBrowser()
        self.answer.setAccessibleName(self.tr("問答內容"))
        self.answer.setObjectName("answer")
        self.answer.installEventFilter(self)
        self.copy_button = QPushButton(self.tr("複製答案"))
        self.copy_button.clicked.connect(self.copy_answer)
        self.edit_button = QPushButton(self.tr("編輯這則…"))
        self.edit_button.clicked.connect(
            lambda: self.edit_requested.emit(self._current.id if self._current else "")
        )
        self.new_button = QPushButton(self.tr("新增問答…"))
        self.new_button.clicked.connect(lambda: self.edit_requested.emit(""))
        answer_buttons = flow_row(self.copy_button, self.edit_button, self.new_button)

        self.lists = QSplitter(Qt.Orientation.Vertical)
        self.lists.setChildrenCollapsible(False)
        self.lists.addWidget(self.categories)
        self.lists.addWidget(self.results)
        self.lists.setStretchFactor(1, 3)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.answer, 1)
        right_layout.addLayout(answer_buttons)
        self.reading = QSplitter(Qt.Orientation.Horizontal)  # the categories join it when narrow
        self.reading.setChildrenCollapsible(False)
        self.reading.addWidget(right)
        # Side by side when there is room. When narrow (200 % on a small screen) the results
        # take the whole width above the answer, and the categories move beside the answer,
        # so that several results show at once.
        self.splitter = AdaptiveSplitter(side_by_side_em=SIDE_BY_SIDE_EM)
        self.splitter.addWidget(self.lists)
        self.splitter.addWidget(self.reading)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.orientation_changed.connect(self._arrange_lists)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(search_row)
        layout.addWidget(self.status)
        layout.addWidget(self.splitter, 1)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._search_in_background)
        self._read_timer = QTimer(self)
        self._read_timer.setSingleShot(True)
        self._read_timer.setInterval(READ_AFTER_MS)
        self._read_timer.timeout.connect(self._mark_answered)
        self.search_box.textChanged.connect(self._typed)
        self._set_enabled(False)
        self.status.setText(self.tr("正在載入常見問答…"))

    # -- store and content ------------------------------------------------------------

    def set_store(self, store: Store) -> None:
        from schoolhr.search.engine import Searcher

        super().set_store(store)
        self._searcher = Searcher.shared(store.engine)
        if self._worker is not None:
            self._worker.close()
        self._worker = SearchWorker(store, self._searcher)
        self._worker.answered.connect(self._answered, Qt.ConnectionType.QueuedConnection)
        self.destroyed.connect(self._worker.close)
        self._set_enabled(True)
        self._warm_up()

    def _warm_up(self) -> None:
        """Load the vocabulary and the reading tables in the background (no dialog)."""
        searcher = self._searcher
        if searcher is None or self._warming is not None or searcher.ready():
            return
        self._warm_failed = False
        job = run_job(self, "準備搜尋", lambda _progress: searcher.warm_up(), quiet=True)
        job.succeeded.connect(lambda _result: self._warmed(job, failed=False))
        job.failed.connect(lambda _message: self._warmed(job, failed=True))
        self._warming = job

    def _warmed(self, job: Job[None], *, failed: bool) -> None:
        if job is not self._warming:
            return
        self._warming = None
        self._warm_failed = failed  # logged by the job; the next search tries on its own
        searcher = self._searcher
        if not failed and searcher is not None and not searcher.ready():
            self._warm_up()  # the content changed meanwhile: load it again
            return
        if self._search_waits:
            self._search_waits = False
            self._run_search()

    def set_county(self, county: bool) -> None:
        self.set_can_edit(county)

    def set_can_edit(self, can_edit: bool) -> None:
        """The county role edits entries; schools read them."""
        self._can_edit = can_edit
        self.edit_button.setVisible(can_edit)
        self.new_button.setVisible(can_edit)
        self._update_buttons()

    def load(self) -> None:
        """Content changed (installed, edited): refresh categories, vocabulary and results."""
        if self._searcher is None:
            return
        from schoolhr.content.install import bundled_content_dir
        from schoolhr.content.reading import read_text
        from schoolhr.faq import service

        self._searcher.reload_if_changed()
        self._warm_up()
        # read as content check reads it; a missing or broken file: the database's order
        text = read_text(bundled_content_dir() / "categories.txt", []) or ""
        order = [
            line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
        ]
        with self.store.read() as session:
            counts = service.categories(session, order)
        selected = self.selected_category()
        self.categories.blockSignals(True)
        self.categories.clear()
        total = sum(count for _c, count in counts)
        self.categories.addItem(f"{ALL_CATEGORIES}（{total}）")
        self.categories.item(0).setData(ENTRY_ROLE, None)
        for category, count in counts:
            item = QListWidgetItem(f"{category}（{count}）")
            item.setData(ENTRY_ROLE, category)
            self.categories.addItem(item)
        rows = [self.categories.item(i).data(ENTRY_ROLE) for i in range(self.categories.count())]
        self.categories.setCurrentRow(rows.index(selected) if selected in rows else 0)
        self.categories.blockSignals(False)
        self._run_search()

    def _set_enabled(self, enabled: bool) -> None:
        for widget in (self.search_box, self.categories, self.results, self.not_found_button):
            widget.setEnabled(enabled)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.copy_button.setEnabled(self._current is not None)
        self.edit_button.setEnabled(self._can_edit and self._current is not None)
        self.new_button.setEnabled(self._can_edit)

    # -- searching --------------------------------------------------------------------

    def focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def selected_category(self) -> str | None:
        item = self.categories.currentItem()
        category: str | None = item.data(ENTRY_ROLE) if item is not None else None
        return category

    def search_now(self) -> None:
        """Run the pending search at once (Enter, or a test)."""
        self._search_timer.stop()
        self._run_search()

    def searching(self) -> bool:
        """Whether a typed query still waits for its answer (the pause, the worker, the
        warm-up)."""
        return self._search_timer.isActive() or self._waiting is not None or self._search_waits

    def _typed(self, _text: str) -> None:
        self._asked += 1  # an answer to what was in the box before is stale now
        self._waiting = None
        self._search_timer.start()

    def _search_in_background(self) -> None:
        """The pause in typing: ask the worker; ``_answered`` shows what it finds."""
        if self._searcher is None or self._worker is None:
            return
        query = self.search_box.text()
        abandoned = self._track_abandoned(query)
        if abandoned:
            self._worker.log_unanswered(abandoned)
        category = self.selected_category()
        self._asked += 1
        self._waiting = (self._asked, category)
        if normalize(query) and not self._searcher.ready():
            self._warm_up()  # the worker's search waits for it, off the UI thread
            self.status.setText(self.tr("正在準備搜尋，請稍候…"))
        self._worker.ask(self._asked, query, category)

    def _answered(self, number: int, answer: Answer | None) -> None:
        waiting = self._waiting
        if waiting is None or waiting[0] != number:
            return  # typed over, or answered at once since (Enter): not shown
        if answer is None:  # failed in the background (logged): search here, as Enter does
            self._run_search()
            return
        self._outcome = answer.outcome
        if answer.hits and answer.hits[0].kind == "guide":
            self._show_guide_summary(answer.hits[0].ref)
        else:
            self._show(answer.first.id if answer.first else None, answer.first)
        if answer.hits or answer.rows:
            self._read_timer.start()
        outcome, rows = answer.outcome, answer.rows
        if outcome is not None:
            QTimer.singleShot(0, lambda: self._fill_later(number, answer.hits, outcome))
        else:
            QTimer.singleShot(0, lambda: self._list_later(number, rows or []))

    def _fill_later(self, number: int, hits: list[Hit], outcome: Outcome) -> None:
        if number != self._asked:
            return  # typed over meanwhile
        self._waiting = None
        self._fill_results(hits, preview=False)
        self._say_found(hits, outcome)

    def _list_later(self, number: int, rows: list[tuple[str, str, str]], start: int = 0) -> None:
        """List ``rows`` from ``start`` on, ``LIST_CHUNK`` rows an event (10,000 at once hold
        the UI thread for a tenth of a second)."""
        if number != self._asked:
            return  # typed over meanwhile
        end = start + LIST_CHUNK
        if start == 0:
            self._fill_listing(rows[:end], preview=False)
            self.status.setText(self.tr("共 {0} 則。輸入問題即可搜尋。").format(len(rows)))
        else:
            self._add_listing(rows[start:end])
        if end < len(rows):
            QTimer.singleShot(0, lambda: self._list_later(number, rows, end))
        else:
            self._waiting = None

    def _run_search(self) -> None:
        if self._searcher is None:
            return
        self._asked += 1  # answered here: what the worker brings back for before is stale
        self._waiting = None
        query = self.search_box.text()
        abandoned = self._track_abandoned(query)
        if abandoned:
            self._record_unanswered(abandoned)
        category = self.selected_category()
        if not normalize(query):
            self._outcome = None
            self._list_category(category)
            return
        if not self._warm_failed and not self._searcher.ready():
            self._warm_up()
            if not self._searcher.ready(wait=WARM_WAIT_S):
                self._search_waits = True  # ``_warmed`` runs it
                self.status.setText(self.tr("正在準備搜尋，請稍候…"))
                return
        self._search_waits = False
        outcome = self._searcher.search(query, limit=SEARCH_LIMIT, kinds=SEARCHED_KINDS)
        self._outcome = outcome
        hits = [h for h in outcome.hits if category is None or h.subtitle == category]
        self._fill_results(hits)
        self._say_found(hits, outcome)

    def _say_found(self, hits: list[Hit], outcome: Outcome) -> None:
        if hits and outcome.skipped:
            self.status.setText(
                self.tr("沒有完全符合的問答；以下是略過「{0}」後找到的 {1} 則。").format(
                    "、".join(outcome.skipped), len(hits)
                )
            )
        elif hits:
            self.status.setText(self.tr("找到 {0} 則。↓ 選擇，Enter 開啟。").format(len(hits)))
        elif outcome.suggestions:
            links = "、".join(f'<a href="{s}">{s}</a>' for s in outcome.suggestions)
            self.status.setText(self.tr("找不到符合的問答。您是不是要找：") + links)
        else:
            self.status.setText(
                self.tr("找不到符合的問答。可換個說法，或按「沒找到答案」告訴人事處。")
            )

    def _arrange_lists(self, orientation: Qt.Orientation) -> None:
        """Stacked: the results above, the categories beside the answer below; side by side:
        the categories above the results, the answer on the right."""
        # stacked, the results take the whole width: one line a title (cut, whole in the
        # answer) keeps three or more results in view at 200 % on a small screen
        stacked = orientation == Qt.Orientation.Vertical
        self.results.setWordWrap(not stacked)
        self.results.setHorizontalScrollBarPolicy(
            Qt.ScrollBarPolicy.ScrollBarAlwaysOff
            if stacked
            else Qt.ScrollBarPolicy.ScrollBarAsNeeded
        )
        if orientation == Qt.Orientation.Vertical:
            self.reading.insertWidget(0, self.categories)
            height, width = self.splitter.height(), self.splitter.width()
            self.splitter.setSizes([height * 7 // 10, height * 3 // 10])
            self.reading.setSizes([width // 3, width * 2 // 3])
        else:
            self.lists.insertWidget(0, self.categories)
            height, width = self.splitter.height(), self.splitter.width()
            self.splitter.setSizes([width // 3, width * 2 // 3])
            self.lists.setSizes([height // 4, height * 3 // 4])

    def _list_category(self, category: str | None) -> None:
        from schoolhr.faq import service

        with self.store.read() as session:
            rows = service.published_titles(session, category)
        self._fill_listing(rows)

    def _fill_listing(self, rows: list[tuple[str, str, str]], *, preview: bool = True) -> None:
        """Every entry of a category (``(id, title, category)`` rows), titles only."""
        self.results.setUpdatesEnabled(False)
        self.results.blockSignals(True)
        try:
            self.results.clear()
            self._add_listing(rows)
        finally:
            self.results.blockSignals(False)
            self.results.setUpdatesEnabled(True)
        self.status.setText(self.tr("共 {0} 則。輸入問題即可搜尋。").format(len(rows)))
        self._select_first(bool(rows), preview)

    def _add_listing(self, rows: list[tuple[str, str, str]]) -> None:
        for entry_id, title, category in rows:
            item = QListWidgetItem(f"{title}\n{category}")
            item.setData(ENTRY_ROLE, entry_id)
            self.results.addItem(item)

    def _select_first(self, any_rows: bool, preview: bool) -> None:
        if not any_rows:
            if preview:
                self._show(None)
        elif preview:
            self.results.setCurrentRow(0)
        else:  # already shown (``_answered``)
            self.results.blockSignals(True)
            self.results.setCurrentRow(0)
            self.results.blockSignals(False)

    def _fill_results(self, hits: list[Hit], *, preview: bool = True) -> None:
        # one layout and one repaint for the new list, and no preview of "nothing" while
        # the old one is taken down: this runs at every pause in typing
        self.results.setUpdatesEnabled(False)
        self.results.blockSignals(True)
        try:
            self.results.clear()
            for hit in hits:
                matched = "、".join(hit.matched)
                detail = f"{hit.subtitle}｜符合：{matched}" if matched else hit.subtitle
                item = QListWidgetItem(f"{hit.title}\n{detail}")
                item.setData(ENTRY_ROLE, hit.ref)
                item.setData(KIND_ROLE, hit.kind)
                self.results.addItem(item)
        finally:
            self.results.blockSignals(False)
            self.results.setUpdatesEnabled(True)
        self._select_first(bool(hits), preview)

    def _use_suggestion(self, suggestion: str) -> None:
        self.search_box.setText(suggestion)
        self.search_now()

    # -- showing answers --------------------------------------------------------------

    def _preview(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        if item is not None and item.data(KIND_ROLE) == "guide":
            self._show_guide_summary(item.data(ENTRY_ROLE))
        else:
            self._show(item.data(ENTRY_ROLE) if item is not None else None)
        if item is not None:
            self._read_timer.start()

    def _open(self, item: QListWidgetItem) -> None:
        self._mark_answered()
        if item.data(KIND_ROLE) == "guide":
            self.guide_requested.emit(item.data(ENTRY_ROLE))
            return
        self._show(item.data(ENTRY_ROLE))
        self.answer.setFocus()

    def _show_guide_summary(self, guide_id: str) -> None:
        from schoolhr.guides import service

        self._current = None
        self._update_buttons()
        with self.store.read() as session:
            guide = service.guide(session, guide_id)
            system = service.system(session, guide.system)
        steps = "\n".join(f"{i}. {step.title}" for i, step in enumerate(guide.steps, 1))
        self.answer.set_markdown(
            f"## {guide.title}\n\n*操作指引｜{system.name}*\n\n{steps}\n\n"
            "按 Enter 或連按兩下，開啟逐步操作畫面。"
        )

    def open_current(self) -> None:
        item = self.results.currentItem()
        if item is not None:
            self._open(item)

    def _show(self, entry_id: str | None, view: FaqView | None = None) -> None:
        """Show the entry ``entry_id`` (``view``: it, read already)."""
        from schoolhr.faq import service

        self._current = view
        if view is None and entry_id:
            with self.store.read() as session:
                self._current = service.published(session, entry_id)
        self._update_buttons()
        if self._current is None:
            self.answer.clear()
            return
        view = self._current
        self.answer.set_markdown(answer_markdown(view))
        self.answer.moveCursor(QTextCursor.MoveOperation.Start)  # read from the title down
        if self._outcome is not None:
            for hit in self._outcome.hits:
                if hit.ref == view.id:
                    highlight(self.answer, hit.highlight)
        self.answer_shown.emit(view.id)

    def copy_answer(self) -> None:
        from schoolhr.faq.text import plain_text

        if self._current is not None:
            QGuiApplication.clipboard().setText(plain_text(self._current))
            self.status.setText(self.tr("已複製「{0}」的答案。").format(self._current.title))

    # -- unanswered questions ---------------------------------------------------------

    def _track_abandoned(self, query: str) -> str:
        """A question is abandoned when the clerk types a different one (or clears the box)
        without having opened or read an answer to it: return that one (to record), or ""."""
        new = normalize(query)
        old = self._pending_query
        self._pending_query = new if len(new) >= 2 else ""
        if old and not (new.startswith(old) or old.startswith(new)):
            return old
        return ""

    def _mark_answered(self) -> None:
        self._read_timer.stop()
        self._pending_query = ""

    def _record_unanswered(self, normalized_query: str) -> None:
        from schoolhr.faq.unanswered import record_unanswered

        if self.store_open:  # a question typed, and the app closed, before the store opened
            record_unanswered(self.store, normalized_query)

    def _log_unanswered(self, normalized_query: str) -> None:
        self._record_unanswered(normalized_query)
        self._pending_query = ""

    def flush_unanswered(self) -> None:
        """Leaving the page or the app: a question still pending was not answered; the ones
        the search worker is recording are recorded before this returns."""
        self._read_timer.stop()
        if self._pending_query:
            self._log_unanswered(self._pending_query)
        if self._worker is not None:
            self._worker.settle(UNANSWERED_WAIT_S)

    @needs_store
    def report_not_found(self) -> None:
        from schoolhr.ui.dialogs.not_found_dialog import NotFoundDialog

        dialog = NotFoundDialog(self.search_box.text(), self)
        if dialog.exec():
            from schoolhr.faq.unanswered import record_unanswered

            recorded = record_unanswered(self.store, dialog.question(), dialog.note())
            self._pending_query = ""
            if recorded is None:
                self.status.setText(self.tr("請把問題寫完整一點（至少兩個字）再送出。"))
            else:
                self.status.setText(
                    self.tr("已記下「{0}」，縣市人事處會看到這個問題。").format(recorded.query)
                )
                self.data_changed.emit(frozenset({changes.UNANSWERED}))

    def hideEvent(self, event: QEvent) -> None:
        self.flush_unanswered()
        super().hideEvent(event)  # type: ignore[arg-type]

    # -- keyboard ---------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress:
            return False
        assert isinstance(event, QKeyEvent)
        key = event.key()
        if watched is self.search_box:
            if key in (Qt.Key.Key_Down, Qt.Key.Key_PageDown) and self.results.count():
                self.search_now()
                self.results.setFocus()
                if self.results.currentRow() < 0:
                    self.results.setCurrentRow(0)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.search_now()
                self.open_current()
                return True
            if key == Qt.Key.Key_Escape and self.search_box.text():
                self.search_box.clear()
                self.search_now()
                return True
        elif watched is self.results:
            if key == Qt.Key.Key_Escape or (
                key == Qt.Key.Key_Up and self.results.currentRow() == 0
            ):
                self.focus_search()
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.open_current()
                return True
        elif watched is self.answer and key == Qt.Key.Key_Escape:
            self.results.setFocus()
            return True
        return False


def answer_markdown(view: FaqView) -> str:
    sources = []
    for source in view.sources:
        name = source["name"] + (f" {source['article']}" if source.get("article") else "")
        sources.append(f"[{name}]({source['url']})" if source.get("url") else name)
    review = f"內容檢閱日期：{roc_date(view.reviewed)}"
    if view.needs_review:
        review += "（此則待複查，請以法規原文為準）"
        if view.review_note:
            review += f"\n\n**待複查事項**：{view.review_note}"
    return "\n\n".join(
        [
            f"## {view.title}",
            f"*適用對象：{'、'.join(view.audience)}　分類：{view.category}*",
            view.body.strip(),
            "---",
            "**依據**：" + "；".join(sources),
            review,
        ]
    )


def highlight(browser: SafeTextBrowser, normalized_terms: tuple[str, ...]) -> int:
    """Mark every place the matched words occur in the shown answer; return how many."""
    document = browser.document()
    text = document.toPlainText()
    normalized, origin = normalize_with_map(text)
    colours = current_colours()  # black on yellow: white text would vanish on it
    fmt = QTextCharFormat()
    fmt.setBackground(QColor(colours.search_highlight))
    fmt.setForeground(QColor(colours.search_highlight_text))
    marked = 0
    for term in normalized_terms:
        start = normalized.find(term)
        while start >= 0 and term:
            end = start + len(term) - 1
            cursor = QTextCursor(document)
            cursor.setPosition(origin[start])
            cursor.setPosition(origin[end] + 1, QTextCursor.MoveMode.KeepAnchor)
            cursor.mergeCharFormat(fmt)
            marked += 1
            start = normalized.find(term, start + len(term))
    return marked
