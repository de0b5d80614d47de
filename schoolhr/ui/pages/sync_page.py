"""交換檔: export a data pack (or, at the county, a signed content pack), import a pack after
reading what it would do, settle conflicts with both versions side by side, trust a county key,
and see the history of exchanges. The county also imports a folder of school packs at once,
sees which schools have sent what and when, and sends one school its own records back."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from schoolhr.text import roc_datetime
from schoolhr.ui import changes
from schoolhr.ui.jobs import Job, run_job
from schoolhr.ui.models.rows import Column, RowsModel, number_column
from schoolhr.ui.pages.base import Page, needs_store
from schoolhr.ui.widgets.ask import confirmed, pick
from schoolhr.ui.widgets.buttons import push_button
from schoolhr.ui.widgets.fit import fit_to_screen
from schoolhr.ui.widgets.flow_layout import flow_row
from schoolhr.ui.widgets.labels import wrapped
from schoolhr.ui.widgets.tables import rows_table

if TYPE_CHECKING:
    from schoolhr.store.database import Store
    from schoolhr.sync.readable import FieldRow
    from schoolhr.sync.service import (
        ConflictView,
        ExchangeView,
        ExportResult,
        FolderOutcome,
        ImportPlan,
        ImportResult,
        PlanItem,
        SenderView,
        SignerView,
    )

CANCELLED_NAMED = 5  # packs a cancelled folder import names in the status line


def trust_county_key(parent: QWidget, store: Store) -> str | None:
    """「信任縣市公鑰…」 (the 交換檔 page and the first-run welcome): pick the county's public
    key, read its fingerprint to the clerk, who checks it by telephone, and trust it. What
    happened, for a status line; None when the clerk cancels."""
    from schoolhr.errors import UserError
    from schoolhr.sync import service

    name, _filter = QFileDialog.getOpenFileName(parent, parent.tr("縣市人事處的公鑰"), "", "*.pem")
    if not name:
        return None
    try:
        info = service.key_info(Path(name))
    except UserError as exc:
        return exc.message
    answer = QMessageBox.question(
        parent,
        parent.tr("信任這把公鑰？"),
        parent.tr("指紋：{0}\n請向縣市人事處以電話核對這組指紋後再信任。").format(
            info.fingerprint_text
        ),
    )
    if answer != QMessageBox.StandardButton.Yes:
        return None
    service.trust_key(store, Path(name))
    return parent.tr("已信任指紋為 {0} 的公鑰。").format(info.fingerprint_text)


class PlanDialog(QDialog):
    """What a pack would do, read before anything is written."""

    def __init__(self, plan: ImportPlan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("匯入交換檔：{0}").format(plan.path.name))
        kind = self.tr("內容包") if plan.kind == "content" else self.tr("資料包")
        head = QLabel(
            self.tr("{0}，來自「{1}」，{2}。\n{3}。按「匯入」前不會寫入任何資料。").format(
                kind, plan.site_name, plan.created_at, plan.summary()
            )
        )
        head.setWordWrap(True)
        self.items_model: RowsModel[PlanItem] = RowsModel(
            [
                Column(self.tr("類型"), lambda i: i.type_label),
                Column(self.tr("項目"), lambda i: i.label),
                Column(self.tr("動作"), lambda i: i.action_label),
            ],
            plan.items,
        )
        self.items = rows_table(self.items_model, self.tr("匯入的項目"), single=True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = QPushButton(self.tr("匯入"))
        buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.clicked.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(head)
        layout.addWidget(self.items, 1)
        layout.addWidget(buttons)
        fit_to_screen(self, 60, 30)


class SyncPage(Page):
    key = "sync"
    shows = frozenset({changes.EXCHANGES, changes.CONTACTS})  # conflicts name people

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._county = False
        self._conflicts: list[ConflictView] = []
        self.last_plan: ImportPlan | None = None
        self.last_folder_outcomes: list[FolderOutcome] = []
        self.folder_job: Job[list[FolderOutcome]] | None = (
            None  # the folder import that is running (Cancel)
        )
        intro = wrapped(
            self.tr(
                "學校與縣市人事處以檔案交換資料（隨身碟、電子郵件、公用資料夾）。"
                "匯入前會先列出將新增、更新與衝突的筆數，並先備份。"
            )
        )
        self.export_data_button = push_button(self.tr("匯出資料包…"), self.export_data)
        self.export_content_button = push_button(
            self.tr("匯出內容包（縣市）…"), self.export_content
        )
        self.export_school_button = push_button(
            self.tr("匯出給學校的資料包…"),
            self.export_for_school,
            tip=self.tr("只含該校自己的資料與縣市的核定結果，不會帶出其他學校的個人資料"),
        )
        self.import_folder_button = push_button(self.tr("匯入整個資料夾…"), self.import_folder)
        self.import_button = push_button(self.tr("匯入交換檔…"), self.import_file)
        self.trust_button = push_button(self.tr("信任縣市公鑰…"), self.trust)
        buttons = flow_row(
            self.import_button,
            self.import_folder_button,
            self.export_data_button,
            self.export_school_button,
            self.export_content_button,
            self.trust_button,
        )

        self.conflicts_model: RowsModel[ConflictView] = RowsModel(
            [
                Column(self.tr("類型"), lambda c: c.type_label),
                Column(self.tr("項目"), lambda c: c.label),
                Column(self.tr("來自"), lambda c: c.site_name),
                Column(self.tr("匯入時間"), lambda c: c.received, lambda c: c.created_at),
                Column(self.tr("目前採用"), lambda c: c.kept_label),
            ]
        )
        self.conflicts = rows_table(self.conflicts_model, self.tr("衝突清單"), single=True)
        self.conflicts.selectionModel().selectionChanged.connect(self._show_conflict)
        self.conflict_summary = QLabel("")
        self.conflict_summary.setWordWrap(True)
        self.fields_model: RowsModel[FieldRow] = RowsModel(
            [
                Column(
                    self.tr("欄位"),
                    lambda f: f.label + (self.tr("（不同）") if f.differs else ""),
                    bold=lambda f: f.differs,
                ),
                Column(self.tr("本機的資料"), lambda f: f.local, bold=lambda f: f.differs),
                Column(self.tr("匯入的資料"), lambda f: f.incoming, bold=lambda f: f.differs),
            ]
        )
        self.conflict_fields = rows_table(self.fields_model, self.tr("兩個版本逐欄比較"))
        self.conflict_fields.setWordWrap(True)
        header = self.conflict_fields.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.keep_local = QPushButton(self.tr("保留本機"))
        self.keep_local.setToolTip(self.tr("以本機的資料為準，下次交換時也會傳給對方"))
        self.keep_local.clicked.connect(lambda: self.resolve("local"))
        self.keep_incoming = QPushButton(self.tr("採用匯入"))
        self.keep_incoming.setToolTip(self.tr("以匯入檔案中的資料為準"))
        self.keep_incoming.clicked.connect(lambda: self.resolve("incoming"))
        choose = flow_row(self.keep_local, self.keep_incoming)
        conflicts_tab = QWidget()
        conflicts_layout = QVBoxLayout(conflicts_tab)
        conflicts_layout.addWidget(self.conflicts, 1)
        conflicts_layout.addWidget(self.conflict_summary)
        # the choice right under the summary, in view with the fields that differ (listed first)
        conflicts_layout.addLayout(choose)
        conflicts_layout.addWidget(self.conflict_fields, 2)

        self.history_model: RowsModel[ExchangeView] = RowsModel(
            [
                Column(self.tr("時間"), lambda e: roc_datetime(e.at.astimezone()), lambda e: e.at),
                Column(
                    self.tr("方向"),
                    lambda e: self.tr("匯入") if e.direction == "import" else self.tr("匯出"),
                ),
                Column(
                    self.tr("種類"),
                    lambda e: self.tr("內容包") if e.kind == "content" else self.tr("資料包"),
                ),
                Column(self.tr("單位"), lambda e: e.site_name),
                Column(self.tr("檔案"), lambda e: e.file_name),
                Column(self.tr("結果"), lambda e: e.summary),
            ]
        )
        self.history = rows_table(self.history_model, self.tr("交換紀錄"), single=True)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.history, self.tr("交換紀錄"))
        self.tabs.addTab(conflicts_tab, self.tr("衝突"))
        self.senders_model: RowsModel[SenderView] = RowsModel(
            [
                Column(self.tr("學校"), lambda v: v.site_name or v.site_uuid),
                Column(
                    self.tr("最近匯入"),
                    lambda v: roc_datetime(v.last_at.astimezone()),
                    lambda v: v.last_at,
                ),
                Column(
                    self.tr("資料包製作時間"),
                    lambda v: roc_datetime(v.last_pack_created_at.astimezone()),
                    lambda v: v.last_pack_created_at,
                ),
                number_column(self.tr("次數"), lambda v: v.imports),
                Column(self.tr("內容"), lambda v: v.last_summary),
            ]
        )
        self.senders = rows_table(self.senders_model, self.tr("各校寄送情形"), single=True)
        self.senders_tab = self.tabs.addTab(self.senders, self.tr("各校寄送情形"))
        self.keys_model: RowsModel[SignerView] = RowsModel(
            [
                Column(self.tr("指紋"), lambda k: k.fingerprint_text),
                Column(self.tr("種類"), lambda k: k.kind),
                Column(self.tr("名稱"), lambda k: k.name),
            ]
        )
        self.keys = rows_table(self.keys_model, self.tr("接受的金鑰"), single=True)
        self.keys.selectionModel().selectionChanged.connect(self._key_chosen)
        self.untrust_button = push_button(
            self.tr("停止信任這把金鑰…"),
            self.confirm_untrust,
            tip=self.tr("金鑰遺失或更換、學校換了電腦時使用；之後以這把金鑰簽署的檔案都會被拒絕"),
        )
        self.untrust_button.setEnabled(False)
        keys_tab = QWidget()
        keys_layout = QVBoxLayout(keys_tab)
        keys_layout.addWidget(self.keys, 1)
        keys_layout.addLayout(flow_row(self.untrust_button))
        self.tabs.addTab(keys_tab, self.tr("金鑰"))
        self._keys: list[SignerView] = []
        from schoolhr.ui.widgets.empty_state import EmptyState

        self.empty = EmptyState("", self.tr("匯入交換檔…"), self.import_file)
        self.arrange(intro, buttons, self.empty, self.tabs, grow=self.tabs)
        self.set_county(False)

    def set_ready(self, ready: bool) -> None:
        for button in (
            self.import_button,
            self.import_folder_button,
            self.export_data_button,
            self.export_school_button,
            self.trust_button,
            self.empty.button,
        ):
            button.setEnabled(ready)

    def set_county(self, county: bool) -> None:
        """The county publishes signed content packs, imports folders of school packs and
        sends each school its own records back; schools send data packs."""
        self._county = county
        self.export_content_button.setVisible(county)
        self.export_school_button.setVisible(county)
        self.import_folder_button.setVisible(county)
        self.export_data_button.setVisible(not county)
        self.tabs.setTabVisible(self.senders_tab, county)
        self.empty.set_text(
            self.tr(
                "還沒有匯入任何交換檔。學校寄來的資料包（.zip）按「匯入交換檔…」逐一匯入，"
                "或按「匯入整個資料夾…」一次匯入。"
            )
            if county
            else self.tr(
                "還沒有匯入任何交換檔。縣市人事處寄來的內容包（.zip，以隨身碟、電子郵件或"
                "公用資料夾傳送）按「匯入交換檔…」匯入；第一次匯入前，請先按「信任縣市公鑰…」"
                "選取縣市人事處給的公鑰，並以電話核對指紋。"
            )
        )

    def load(self) -> None:
        from schoolhr.sync import service

        exchanges = service.history(self.store)
        self.empty.setVisible(not any(e.direction == "import" for e in exchanges))
        self.history_model.set_rows(exchanges)
        self._conflicts = service.conflicts(self.store)
        self.conflicts_model.set_rows(self._conflicts)
        self.tabs.setTabText(1, self.tr("衝突（{0}）").format(len(self._conflicts)))
        self._show_conflict()
        if self._county:
            self.senders_model.set_rows(service.senders(self.store))

        self._keys = service.signing_keys(self.store)
        self.keys_model.set_rows(self._keys)
        self._key_chosen()

    # -- import ---------------------------------------------------------------------------

    @needs_store
    def import_file(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self, self.tr("匯入交換檔"), "", self.tr("交換檔 (*.zip *.hrpack);;所有檔案 (*)")
        )
        if name:
            self.plan_file(Path(name))

    def plan_file(self, path: Path, confirm: bool = True) -> Job[ImportPlan]:
        """Read the pack and show what it would do (nothing is written)."""
        from schoolhr.sync import service

        store = self.store

        def shown(plan: ImportPlan) -> None:
            self.last_plan = plan
            self.status.setText(plan.summary())
            if confirm:
                dialog = PlanDialog(plan, self)
                if dialog.exec():
                    self.apply(plan)

        job = run_job(
            self, self.tr("讀取交換檔"), lambda _p: service.plan_import(store, path), shown
        )
        job.failed.connect(self.status.setText)
        return job

    @needs_store
    def import_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("匯入資料夾中的所有交換檔"))
        if folder:
            self.import_folder_at(Path(folder))

    def import_folder_at(self, folder: Path, confirm: bool = True) -> Job[list[FolderOutcome]]:
        """Read every pack in ``folder`` first (the summary), then import each on its own: a
        refused pack is listed with its reason and the others still go in."""
        from schoolhr.sync import service

        store = self.store

        def planned(outcomes: list[service.FolderOutcome]) -> None:
            lines = [f"{o.path.name}：{o.error}" for o in outcomes]
            self.status.setText(self.tr("資料夾中有 {0} 個交換檔。").format(len(outcomes)))
            if not outcomes:
                return
            if confirm:
                answer = QMessageBox.question(
                    self,
                    self.tr("匯入資料夾"),
                    self.tr(
                        "將逐一匯入（匯入前先備份一次；每個檔案各自一次寫入，"
                        "可在學校之間按「取消」停止）：\n\n"
                    )
                    + "\n".join(lines),
                )
                if answer != QMessageBox.StandardButton.Yes:
                    return
            self._apply_folder(folder)

        job = run_job(
            self,
            self.tr("讀取資料夾"),
            lambda progress: service.import_folder(store, folder, dry_run=True, progress=progress),
            planned,
        )
        job.failed.connect(self.status.setText)
        return job

    def _apply_folder(self, folder: Path) -> None:
        from schoolhr.sync import service

        store = self.store

        def done(outcomes: list[service.FolderOutcome]) -> None:
            done_count = sum(1 for o in outcomes if o.result is not None)
            refused = [
                f"{o.path.name}：{o.error}"
                for o in outcomes
                if o.result is None and not o.cancelled
            ]
            stopped = [o.path.name for o in outcomes if o.cancelled]
            text = self.tr("已匯入 {0} 個交換檔").format(done_count)
            if stopped:
                text = self.tr("已取消：") + text
                # the first few by name: a county cancelling early leaves up to 200
                named = "、".join(stopped[:CANCELLED_NAMED])
                if len(stopped) > CANCELLED_NAMED:
                    named += self.tr(" 等")
                text += self.tr("；{0} 個因取消未匯入：").format(len(stopped)) + named
            if refused:
                text += self.tr("；{0} 個未匯入：").format(len(refused)) + "；".join(refused)
            self.status.setText(text)
            self.last_folder_outcomes = outcomes
            self.refresh()
            types = {"contacts", "reward_entries", "unanswered", "checklist_runs"}
            self.data_changed.emit(changes.of_records(types if done_count else ()))

        self.folder_job = run_job(
            self,
            self.tr("匯入資料夾"),
            lambda progress: service.import_folder(store, folder, progress=progress),
            done,
        )

    def apply(self, plan: ImportPlan) -> Job[ImportResult]:
        from schoolhr.sync import service

        store = self.store

        def done(result: ImportResult) -> None:
            self.status.setText(result.summary)
            self.refresh()
            self.data_changed.emit(changes.of_records(i.record_type for i in plan.items))
            self._show_announcements()

        job = run_job(
            self, self.tr("匯入交換檔"), lambda _p: service.apply_import(store, plan), done
        )
        job.failed.connect(lambda _message: self._changed_since_preview(job, plan))
        return job

    def _changed_since_preview(self, job: Job[ImportResult], plan: ImportPlan) -> None:
        """This site's data changed after the preview: the clerk is told (the job's message)
        and sees the new preview, to confirm again."""
        from schoolhr.sync.service import PlanChangedError

        if isinstance(job.error, PlanChangedError):
            self.plan_file(plan.path)

    def _show_announcements(self) -> None:
        from schoolhr.sync import service

        news = service.unseen_announcements(self.store)
        if not news:
            return
        text = "\n\n".join(f"{n.title}\n{n.body}" for n in news)
        from schoolhr.ui.dialogs.news_dialog import NewsDialog

        NewsDialog(text, self).exec()  # a long message scrolls; 「確定」 stays reachable
        service.mark_announcements_seen(self.store, [n.id for n in news])

    # -- export ---------------------------------------------------------------------------

    @needs_store
    def export_data(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(
            self, self.tr("匯出資料包"), "資料包.zip", "*.zip"
        )
        if name:
            self.export_to("data", Path(name))

    @needs_store
    def export_for_school(self) -> None:
        from schoolhr.sync import service

        schools = service.senders(self.store)
        if not schools:
            self.status.setText(self.tr("還沒有學校寄資料包來，無法寄回。"))
            return
        school = pick(
            self,
            self.tr("匯出給學校的資料包"),
            self.tr("學校"),
            schools,
            lambda v: f"{v.site_name or v.site_uuid}（{v.site_uuid[:8]}）",
        )
        if school is None:
            return
        name, _filter = QFileDialog.getSaveFileName(
            self,
            self.tr("匯出給學校的資料包"),
            f"給{school.site_name or '學校'}的資料包.zip",
            "*.zip",
        )
        if not name:
            return
        key = self.ask_county_key()  # the school accepts decisions signed by the county only
        if key is not None:
            self.export_to("data", Path(name), key, for_school=school.site_uuid)

    def ask_county_key(self) -> object | None:
        """The county's private key (file and passphrase), for signing a pack; None when the
        clerk cancels or the key cannot be opened (the status line says why)."""
        from schoolhr.errors import UserError
        from schoolhr.sync import signing

        key_file, _filter = QFileDialog.getOpenFileName(
            self, self.tr("縣市人事處的私鑰"), "", "*.pem"
        )
        if not key_file:
            return None
        passphrase, ok = QInputDialog.getText(
            self, self.tr("私鑰密碼"), self.tr("私鑰的密碼"), QLineEdit.EchoMode.Password
        )
        if not ok:
            return None
        try:
            return signing.load_private_key(Path(key_file), passphrase)
        except UserError as exc:
            self.show_error(exc)
            return None

    @needs_store
    def export_content(self) -> None:
        key = self.ask_county_key()
        if key is None:
            return
        name, _filter = QFileDialog.getSaveFileName(
            self, self.tr("匯出內容包"), "內容包.zip", "*.zip"
        )
        if name:
            self.export_to("content", Path(name), key)

    def export_to(
        self,
        kind: str,
        target: Path,
        private_key: object = None,
        for_school: str | None = None,
    ) -> Job[ExportResult]:
        from schoolhr.content.install import bundled_content_dir
        from schoolhr.sync import service

        store = self.store

        def work(_progress: object) -> ExportResult:
            version = service.next_content_version(store) if kind == "content" else None
            return service.export_pack(
                store,
                kind,
                target,
                private_key=private_key,  # type: ignore[arg-type]
                content_version=version,
                content_dir=bundled_content_dir(),
                for_school=for_school,
            )

        def done(result: ExportResult) -> None:
            self.status.setText(result.summary())
            self.refresh()
            self.data_changed.emit(frozenset({changes.EXCHANGES}))

        return run_job(self, self.tr("匯出交換檔"), work, done)

    # -- keys and conflicts ----------------------------------------------------------------

    @needs_store
    def trust(self) -> None:
        said = trust_county_key(self, self.store)
        if said:
            self.status.setText(said)
            self.refresh()

    def _selected_key(self) -> SignerView | None:
        chosen = self.keys_model.selected(self.keys)
        return chosen[0] if chosen else None

    def _key_chosen(self) -> None:
        self.untrust_button.setEnabled(self._selected_key() is not None)

    def confirm_untrust(self) -> None:
        chosen = self._selected_key()
        if chosen is None:
            return
        if confirmed(
            self,
            self.tr("停止信任金鑰"),
            self.tr(
                "要停止信任{0}「{1}」（指紋 {2}）嗎？\n"
                "之後以這把金鑰簽署的交換檔都會被拒絕；需要時可再以「信任縣市公鑰」加回。"
            ).format(chosen.kind, chosen.name, chosen.fingerprint_text),
        ):
            self.untrust(chosen.fingerprint)

    def untrust(self, fingerprint: str) -> None:
        from schoolhr.errors import UserError
        from schoolhr.sync import service

        try:
            view = service.untrust_key(self.store, fingerprint)
        except UserError as exc:
            self.show_error(exc)
            return
        self.refresh()
        self.status.setText(
            self.tr("已停止信任{0}「{1}」（{2}）。").format(
                view.kind, view.name, view.fingerprint_text
            )
        )

    def _selected_conflict(self) -> ConflictView | None:
        chosen = self.conflicts_model.selected(self.conflicts)
        return chosen[0] if chosen else None

    def _show_conflict(self) -> None:
        """The chosen conflict's two versions field by field; the fields that differ in bold,
        named in the line above the table."""
        chosen = self._selected_conflict()
        # the fields that differ first: at 200 % on a small screen they are what is in view
        rows = sorted(chosen.fields, key=lambda row: not row.differs) if chosen else []
        self.fields_model.set_rows(rows)
        self.conflict_fields.resizeRowsToContents()
        if chosen is None:
            self.conflict_summary.setText(
                self.tr("選擇一筆衝突，比較本機與匯入的資料，再決定採用哪一個。")
                if self._conflicts
                else self.tr("沒有待處理的衝突。")
            )
        else:
            differing = "、".join(row.label for row in chosen.differing) or self.tr("無")
            self.conflict_summary.setText(
                self.tr("「{0}」：本機與「{1}」的資料不同的欄位：{2}。目前採用{3}的資料。").format(
                    chosen.label, chosen.site_name, differing, chosen.kept_label
                )
            )
        self.keep_local.setEnabled(chosen is not None)
        self.keep_incoming.setEnabled(chosen is not None)

    def resolve(self, keep: str) -> None:
        from schoolhr.sync import service

        chosen = self._selected_conflict()
        if chosen is None:
            return
        service.resolve_conflict(self.store, chosen.id, keep)
        self.refresh()
        kept = self.tr("本機") if keep == "local" else self.tr("匯入")
        self.status.setText(
            self.tr("已處理衝突「{0}」：採用{1}的資料。").format(chosen.label, kept)
        )
        self.data_changed.emit(changes.of_records([chosen.record_type]) - {changes.BACKUPS})
