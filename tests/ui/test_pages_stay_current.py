"""Conflicts a person can decide, and pages that stay current.

A data pack with a conflict, imported in the county demo profile, shows the two versions field
by field (zh-TW labels, names, 民國 times; no UUID, JSON or UTC stamp) and the clerk settles it
with a button. A contacts import on the contacts page, and a restore on the backups page, show
on the other pages without a manual refresh."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QTableView
from pytestqt.qtbot import QtBot
from sqlalchemy import delete, select

from schoolhr.checklists.models import ChecklistAnswer, ChecklistRun
from schoolhr.contacts.models import Contact
from schoolhr.demo.builder import build_demo
from schoolhr.faq.models import UnansweredQuestion
from schoolhr.paths import DataPaths
from schoolhr.rewards.models import ProposalAdjustment, RewardEntry
from schoolhr.startup import open_profile
from schoolhr.store.backup import BackupInfo
from schoolhr.sync import service
from schoolhr.ui.app import application, build_main_window
from schoolhr.ui.jobs import wait_for_jobs
from schoolhr.ui.main_window import MainWindow
from schoolhr.ui.pages.sync_page import PlanDialog
from tests.helpers import TEST_DATA
from tests.ui.conftest import reset_app_zoom

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
UTC_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}|\+00:00|Z$")
ROC_TIME = re.compile(r"^\d{2,3}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}$")
SCHOOL_MOBILE, COUNTY_MOBILE = "0912000111", "0933000222"


def _cells(table: QTableView) -> list[list[str]]:
    model = table.model()
    return [
        [model.index(r, c).data() for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def _raw(text: str) -> bool:
    """Whether ``text`` shows what a clerk should never read: a UUID, JSON, a UTC stamp."""
    return bool(UUID.search(text) or UTC_STAMP.search(text) or "{" in text or '":' in text)


def _click_row(qtbot: QtBot, table: QTableView, row: int) -> None:
    rect = table.visualRect(table.model().index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


@dataclass
class Demo:
    county: DataPaths
    pack: Path
    person: str
    contact_uuid: str


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    """The county demo, and a pack from the demo school (松風國小) in which one of its clerks'
    mobile number was changed while the county changed it too."""
    root = tmp_path_factory.mktemp("demo-conflict")
    county_paths, school_paths = DataPaths(root / "county"), DataPaths(root / "school")
    build_demo(county_paths, reset=False, role="county")
    build_demo(school_paths, reset=False, role="school")
    county, school = open_profile(county_paths), open_profile(school_paths)
    try:
        here = school.site().site_uuid
        with school.write() as session:
            # the pack carries the school's directory only (its points were decided already)
            for model in (
                ChecklistAnswer,
                ChecklistRun,
                ProposalAdjustment,
                RewardEntry,
                UnansweredQuestion,
            ):
                session.execute(delete(model))
            mine = session.scalars(select(Contact).where(Contact.origin == here)).first()
            assert mine is not None
            mine.mobile, person, uuid = SCHOOL_MOBILE, mine.name, mine.uuid
        with county.write() as session:
            theirs = session.scalars(select(Contact).where(Contact.uuid == uuid)).one()
            theirs.mobile = COUNTY_MOBILE
        pack = root / "松風國小資料包.zip"
        service.export_pack(school, "data", pack)
    finally:
        county.close()
        school.close()
    return Demo(county_paths, pack, person, uuid)


@pytest.fixture
def county_window(qtbot: QtBot, demo: Demo) -> Iterator[MainWindow]:
    app = application()
    built = build_main_window(app, demo.county)
    assert built.store is not None
    with qtbot.waitSignal(built.home_page.refreshed, timeout=20_000):
        pass
    built.show()
    qtbot.waitExposed(built)
    yield built
    assert wait_for_jobs(20_000)
    QApplication.processEvents()
    built.close()
    if built.store is not None:
        built.store.close()
    zoom = built.zoom
    built.deleteLater()
    zoom.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    reset_app_zoom(app)


def test_a_conflict_in_the_county_demo_is_read_field_by_field_and_settled(
    qtbot: QtBot, county_window: MainWindow, demo: Demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = county_window
    window.show_page("sync")
    page = window.sync_page
    rewards = window.rewards_page  # built, so that it is reloaded when the conflict is settled
    shown: list[PlanDialog] = []

    def press_import(dialog: PlanDialog) -> int:
        shown.append(dialog)
        dialog.import_button.click()  # the clerk read the plan and pressed 匯入
        return dialog.result()

    monkeypatch.setattr(PlanDialog, "exec", press_import)

    # WHEN the school's pack is read and imported
    job = page.plan_file(demo.pack)
    assert job is not None
    qtbot.waitUntil(lambda: page.conflicts.model().rowCount() == 1, timeout=30_000)

    # THEN the plan named the person, and nothing in it was a UUID or JSON
    plan_rows = _cells(shown[0].items)
    assert any(demo.person in " ".join(row) for row in plan_rows)
    assert not any(_raw(cell) for row in plan_rows for cell in row)
    # AND the conflict says where it came from and when (民國), which version is in force
    kind, label, site, received, kept = _cells(page.conflicts)[0]
    assert (kind, site, kept) == ("聯絡人", "範例縣松風國小", "本機")
    assert demo.person in label and ROC_TIME.match(received)

    # WHEN the clerk opens the conflicts tab and chooses the conflict
    bar = page.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(1).center())
    assert page.tabs.currentIndex() == 1
    assert not page.keep_incoming.isEnabled()
    _click_row(qtbot, page.conflicts, 0)

    # THEN both versions stand side by side, field by field, as a clerk reads them
    fields = {row[0]: row[1:] for row in _cells(page.conflict_fields)}
    assert fields["手機（不同）"] == [COUNTY_MOBILE, SCHOOL_MOBILE]
    assert fields["姓名"] == [demo.person, demo.person]
    assert fields["資料來源"] == ["範例縣松風國小", "範例縣松風國小"]
    assert all(ROC_TIME.match(value) for value in fields["最後修改"])
    assert "手機" in page.conflict_summary.text()
    everything = [c for row in _cells(page.conflict_fields) for c in row]
    everything += [c for row in _cells(page.conflicts) for c in row]
    everything.append(page.conflict_summary.text())
    assert not [text for text in everything if _raw(text)]

    # WHEN the clerk takes the school's version
    qtbot.mouseClick(page.keep_incoming, Qt.MouseButton.LeftButton)

    # THEN it is in force, the conflict is gone and the window says what changed
    assert page.conflicts.model().rowCount() == 0
    assert "採用匯入" in page.status.text()
    assert window.store is not None
    with window.store.read() as session:
        mobile = session.scalar(select(Contact.mobile).where(Contact.uuid == demo.contact_uuid))
    assert mobile == SCHOOL_MOBILE
    assert "聯絡人" in window.statusBar().currentMessage()
    assert rewards.person.count() > 0


def _names(window: MainWindow) -> list[str]:
    combo = window.rewards_page.person
    return [combo.itemText(i) for i in range(combo.count())]


def test_a_contacts_import_shows_on_the_rewards_and_home_pages_without_refresh(
    qtbot: QtBot, window: MainWindow
) -> None:
    # GIVEN the rewards and home pages open before the import
    window.show_page("rewards")
    assert not any("黃堃" in name for name in _names(window))
    home_before = window.home_page.operations.text()

    # WHEN the clerk imports a contacts file on the contacts page and presses 匯入
    window.show_page("contacts")
    page = window.contacts_page
    page.import_path(TEST_DATA / "contacts" / "utf8-bom.csv")
    dialog = page.import_dialog
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=10_000)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "已匯入" in page.status.text(), timeout=10_000)

    # THEN, with no refresh asked for, the rewards page offers the new people and the home page
    # lists the import; the status bar says what changed
    assert any(name.startswith("黃堃") for name in _names(window))
    assert window.home_page.operations.text() != home_before
    assert "匯入聯絡人" in window.home_page.operations.text()
    assert window.statusBar().currentMessage().startswith("已更新聯絡人")


def test_after_a_restore_every_page_reloads(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN a backup, then a person added on the contacts page after it, every page open
    taken: list[BackupInfo] = []
    window.backup_finished.connect(taken.append)
    job = window.backup_now()
    assert job is not None
    qtbot.waitUntil(lambda: bool(taken), timeout=20_000)
    for key in window.page_keys():
        window.show_page(key)
    window.show_page("contacts")
    contacts = window.contacts_page
    contacts.new_contact()
    contacts.name.setText("後來的人")
    contacts.school.setText("卑南國小")
    qtbot.mouseClick(contacts.save_button, Qt.MouseButton.LeftButton)
    assert any(name.startswith("後來的人") for name in _names(window))
    reloaded: list[str] = []
    for key, built in window._built.items():
        original = built.refresh
        monkeypatch.setattr(
            built, "refresh", lambda *a, k=key, f=original, **kw: (reloaded.append(k), f(*a, **kw))
        )

    # WHEN the clerk restores the backup on the backups page
    window.show_page("backups")
    backups = window.backups_page
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes)
    )
    for row in range(backups.table.model().rowCount()):
        backups.table.selectRow(row)
        chosen = backups.selected_backup()
        if chosen is not None and chosen.path == taken[0].path:
            break
    assert chosen is not None and chosen.path == taken[0].path
    qtbot.mouseClick(backups.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "已還原" in backups.status.text(), timeout=30_000)

    # THEN every page has shown the database again, and the person added later is gone
    assert set(reloaded) >= set(window._built)
    assert not any(name.startswith("後來的人") for name in _names(window))
    assert "各頁都已重新載入" in window.statusBar().currentMessage()
