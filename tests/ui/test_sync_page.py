"""The exchange page: export a data pack, read what a pack would do, import it."""

from __future__ import annotations

import os
import threading
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from schoolhr.contacts import service as contacts
from schoolhr.contacts.records import ContactRecord
from schoolhr.paths import prepare_data_dir
from schoolhr.store.database import open_store, update_site
from schoolhr.sync import service
from schoolhr.text import roc_datetime
from schoolhr.ui.main_window import MainWindow
from schoolhr.ui.pages import sync_page
from schoolhr.ui.pages.sync_page import SyncPage
from tests.ui.tables import cell_text, click_header, column_texts


def test_a_school_pack_is_previewed_then_imported(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    # GIVEN another school's data pack holding a contact
    other = open_store(prepare_data_dir(tmp_path / "other"))
    try:
        update_site(other, name="臺東縣立卑南國小")
        with other.write() as session:
            contacts.save_contact(session, ContactRecord(name="林堃芬", school="卑南國小"))
        pack = tmp_path / "school.zip"
        service.export_pack(other, "data", pack)
    finally:
        other.close()
    assert window.store is not None
    update_site(window.store, role="county")  # a county imports the schools' packs
    window.refresh()
    window.show_page("sync")
    page = window.sync_page

    # WHEN the pack is read, nothing is written yet
    job = page.plan_file(pack, confirm=False)
    assert job is not None
    with qtbot.waitSignal(job.succeeded, timeout=20_000):
        pass
    assert page.last_plan is not None and "將新增 1 筆" in page.status.text()
    assert window.store is not None
    with window.store.read() as session:
        assert contacts.list_contacts(session) == []

    # THEN importing it adds the contact and records the exchange
    applied = page.apply(page.last_plan)
    assert applied is not None
    with qtbot.waitSignal(applied.succeeded, timeout=20_000):
        pass
    with window.store.read() as session:
        assert [v.record.name for v in contacts.list_contacts(session)] == ["林堃芬"]
    assert page.history_model.rowCount() >= 1


def test_a_data_pack_is_exported(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    window.show_page("sync")
    page = window.sync_page
    job = page.export_to("data", tmp_path / "out.zip")
    assert job is not None
    with qtbot.waitSignal(job.succeeded, timeout=20_000):
        pass
    assert (tmp_path / "out.zip").read_bytes()[:2] == b"PK"
    assert "資料包" in page.status.text()


def _school_packs(tmp_path: Path, schools: list[tuple[str, str, str]]) -> Path:
    """A folder ``inbox`` of data packs, one per (school, person, file name), each exported by
    that school's own profile with one person; the files dated in the order given (a folder
    import takes the oldest first)."""
    folder = tmp_path / "inbox"
    for number, (name, person, file_name) in enumerate(schools):
        school = open_store(prepare_data_dir(tmp_path / name))
        try:
            update_site(school, name=name)
            with school.write() as session:
                contacts.save_contact(session, ContactRecord(name=person, school=name))
            pack = service.export_pack(school, "data", folder / file_name).path
            os.utime(pack, (1_700_000_000 + number, 1_700_000_000 + number))
        finally:
            school.close()
    return folder


def _county_sync_page(window: MainWindow) -> SyncPage:
    """The window in the county's role, on its exchange page."""
    assert window.store is not None
    update_site(window.store, role="county")
    window.refresh()
    window.show_page("sync")
    return window.sync_page


def test_the_county_imports_a_folder_and_sends_one_school_its_pack(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    # GIVEN a folder with two schools' data packs, and the window in the county's role
    folder = _school_packs(
        tmp_path, [("卑南國小", "林堃芬", "卑南國小.zip"), ("初鹿國小", "陳小明", "初鹿國小.zip")]
    )
    page = _county_sync_page(window)
    assert page.import_folder_button.isVisibleTo(page)
    assert not page.export_data_button.isVisibleTo(page)

    # WHEN the folder is imported (the summary is read first, then each pack goes in)
    job = page.import_folder_at(folder, confirm=False)
    assert job is not None
    with qtbot.waitSignal(job.succeeded, timeout=20_000):
        pass
    qtbot.waitUntil(lambda: "已匯入" in page.status.text(), timeout=20_000)
    assert "已匯入 2 個交換檔" in page.status.text()
    # THEN the senders tab lists both schools
    assert page.senders_model.rowCount() == 2
    schools = {cell_text(page.senders, r, 0) for r in range(2)}
    assert schools == {"卑南國小", "初鹿國小"}

    # AND a pack back to one school, signed with the county's key, holds only that school's
    # person
    target = tmp_path / "back.zip"
    sent = page.export_to("data", target, Ed25519PrivateKey.generate(), for_school="卑南國小")
    assert sent is not None
    with qtbot.waitSignal(sent.succeeded, timeout=20_000):
        pass
    with zipfile.ZipFile(target) as archive:
        people = archive.read("records/contacts.jsonl").decode()
        assert "signature.ed25519" in archive.namelist()
    assert "林堃芬" in people and "陳小明" not in people


def test_the_county_stops_trusting_a_schools_key_in_the_keys_tab(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:
    school = open_store(prepare_data_dir(tmp_path / "卑南國小"))
    try:
        update_site(school, name="卑南國小")
        service.export_pack(school, "data", tmp_path / "one.zip")
    finally:
        school.close()
    assert window.store is not None
    update_site(window.store, role="county")
    service.import_pack(window.store, tmp_path / "one.zip")
    window.refresh()
    window.show_page("sync")
    page = window.sync_page
    rows = {cell_text(page.keys, r, 2): r for r in range(page.keys_model.rowCount())}
    assert "卑南國小" in rows
    assert not page.untrust_button.isEnabled()
    page.keys.selectRow(rows["卑南國小"])
    assert page.untrust_button.isEnabled()
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes)
    )
    page.untrust_button.click()
    assert "已停止信任學校金鑰「卑南國小」" in page.status.text()
    names = {cell_text(page.keys, r, 2) for r in range(page.keys_model.rowCount())}
    assert "卑南國小" not in names


@pytest.mark.parametrize(
    ("named", "listed"),
    [(5, "1-初鹿國小.zip、2-利嘉國小.zip"), (1, "1-初鹿國小.zip 等")],
    ids=["all named", "the first named"],
)
def test_cancel_during_a_folder_import_keeps_the_schools_already_in(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch, named: int, listed: str
) -> None:
    # (the status line names the first CANCELLED_NAMED packs not imported, then 「等」)
    monkeypatch.setattr(sync_page, "CANCELLED_NAMED", named)
    # GIVEN a folder with three schools' data packs, and the window in the county's role
    names = ("卑南國小", "初鹿國小", "利嘉國小")
    folder = _school_packs(
        tmp_path, [(name, f"人員{n}", f"{n}-{name}.zip") for n, name in enumerate(names)]
    )
    page = _county_sync_page(window)
    # the second school's pack waits, once read, until the clerk has pressed Cancel
    real_plan = service.plan_import
    calls: list[str] = []
    reached, go = threading.Event(), threading.Event()

    def plan(store, path):  # type: ignore[no-untyped-def]
        result = real_plan(store, path)
        calls.append(path.name)
        if len(calls) == len(names) + 2:  # the read-through first, then the second import
            reached.set()
            go.wait(20)
        return result

    monkeypatch.setattr(service, "plan_import", plan)

    # WHEN the folder is imported and Cancel is pressed while the second school goes in
    job = page.import_folder_at(folder, confirm=False)
    assert job is not None
    with qtbot.waitSignal(job.succeeded, timeout=20_000):
        pass
    qtbot.waitUntil(lambda: reached.is_set(), timeout=20_000)
    assert page.folder_job is not None
    page.folder_job.cancel()
    go.set()

    # THEN the first school stays imported, and the status says which were not
    qtbot.waitUntil(lambda: "已取消" in page.status.text(), timeout=20_000)
    text = page.status.text()
    assert "已匯入 1 個交換檔" in text
    assert f"2 個因取消未匯入：{listed}" in text
    assert [o.cancelled for o in page.last_folder_outcomes] == [False, True, True]
    assert [s.site_name for s in service.senders(window.store)] == ["卑南國小"]
    assert page.senders_model.rowCount() == 1


def test_a_click_on_a_header_sorts_times_and_counts_by_value(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN exchanges and senders in 民國 99, 100 and 113, newest first as the service lists them
    times = [datetime(y, m, d, 9, tzinfo=UTC) for y, m, d in ((2024, 3, 1), (2011, 1, 2))]
    times.append(datetime(2010, 12, 31, 9, tzinfo=UTC))
    exchanges = [
        service.ExchangeView(n, at, "import", "data", f"u{n}", f"第{n}國小", f"{n}.zip", None, "")
        for n, at in enumerate(times)
    ]
    senders = [
        service.SenderView(f"u{n}", f"第{n}國小", at, at, imports, "")
        for n, (at, imports) in enumerate(zip(times, (10, 100, 5), strict=True))
    ]
    monkeypatch.setattr(service, "history", lambda _store, limit=500: exchanges)
    monkeypatch.setattr(service, "senders", lambda _store: senders)
    assert window.store is not None
    update_site(window.store, role="county")
    window.refresh()
    window.show_page("sync")
    page = window.sync_page
    page.tabs.setCurrentWidget(page.history)
    oldest_first = [roc_datetime(at.astimezone()) for at in reversed(times)]
    assert column_texts(page.history, 0) == oldest_first[::-1]

    # WHEN the clerk clicks 時間: oldest first (as text, 100年 and 113年 would come before 99年)
    click_header(qtbot, page.history, 0)
    assert column_texts(page.history, 0) == oldest_first
    assert oldest_first[0].startswith("99年") and oldest_first[2].startswith("113年")

    # AND 次數 on the senders' tab: 5, 10, 100 (as text, "100" would come before "5")
    page.tabs.setCurrentWidget(page.senders)
    click_header(qtbot, page.senders, 3)
    assert column_texts(page.senders, 3) == ["5", "10", "100"]
    click_header(qtbot, page.senders, 3)
    assert column_texts(page.senders, 3) == ["100", "10", "5"]
    assert [v.site_name for v in page.senders_model.shown()] == ["第1國小", "第0國小", "第2國小"]
