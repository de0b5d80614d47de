"""The clerk's home page, the first-run welcome, the help-desk facts and the empty pages'
next steps, pressed the way a clerk would."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from schoolhr.checklists import service as checklists
from schoolhr.contacts import service as contacts
from schoolhr.contacts.records import ContactRecord
from schoolhr.content.install import install_bundled_content
from schoolhr.paths import DataPaths, resources_dir
from schoolhr.site import SiteRole
from schoolhr.status import read_status
from schoolhr.sync import signing
from schoolhr.ui.app import application, build_main_window
from schoolhr.ui.dialogs.helpdesk_dialog import HelpDeskDialog
from schoolhr.ui.jobs import wait_for_jobs
from schoolhr.ui.main_window import MainWindow
from tests.helpers import TEST_CONTENT
from tests.ui.conftest import reset_app_zoom

# QTest cannot type Chinese characters (it aborts): text is put in the way an input method
# commits it, with the line edit's own insert()
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def open_fresh(
    qtbot: QtBot, data_paths: DataPaths, monkeypatch: pytest.MonkeyPatch
) -> Iterator[object]:
    """Opens the main window on the test's profile as the app does (a new profile at first),
    and closes every window it opened at the end."""
    monkeypatch.setattr("schoolhr.content.install.bundled_content_dir", lambda: TEST_CONTENT)
    opened: list[MainWindow] = []

    def open_window() -> MainWindow:
        window = build_main_window(application(), data_paths)
        opened.append(window)
        return window

    yield open_window
    assert wait_for_jobs(10_000)
    QApplication.processEvents()
    for window in opened:
        window.close()
        if window.store is not None:
            window.store.close()
        window.zoom.deleteLater()
        window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    reset_app_zoom(application())


def test_the_welcome_appears_once_on_a_new_profile_and_esc_skips_it(
    qtbot: QtBot, open_fresh: object, data_paths: DataPaths
) -> None:
    window = open_fresh()  # type: ignore[operator]
    dialog = window.welcome_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.windowTitle().startswith("歡迎使用")
    assert dialog.step2.isVisibleTo(dialog)  # a school: where content packs come from

    qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    assert not dialog.isVisible()
    site = read_status(data_paths).site
    assert site is not None and site.name == ""  # skipping changes nothing
    window.close()
    assert window.store is not None
    window.store.close()
    window.store = None

    again = open_fresh()  # type: ignore[operator]
    assert again.welcome_dialog is None  # shown once, even though the name is still empty


def test_the_skip_button_also_skips(qtbot: QtBot, open_fresh: object) -> None:
    window = open_fresh()  # type: ignore[operator]
    dialog = window.welcome_dialog
    assert dialog is not None
    qtbot.mouseClick(dialog.skip_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert window.home_page.site_name.text() == "（尚未設定校名）"


def test_filling_in_the_welcome_sets_the_site_name_and_role(
    qtbot: QtBot, open_fresh: object
) -> None:
    window = open_fresh()  # type: ignore[operator]
    dialog = window.welcome_dialog
    assert dialog is not None
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)  # an empty name is refused
    assert dialog.isVisible() and "不可空白" in dialog.error.text()

    dialog.name_edit.insert("嘉義縣人事處")  # as the input method commits it
    dialog.role_box.setFocus()
    qtbot.keyClick(dialog.role_box, Qt.Key.Key_Down)  # 學校 → 縣市人事處
    assert dialog.role_box.currentData() == SiteRole.COUNTY.value
    assert not dialog.step2.isVisibleTo(dialog)  # the county has no county key to trust
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert not dialog.isVisible()
    assert window.store is not None
    site = window.store.site()
    assert (site.name, site.role) == ("嘉義縣人事處", "county")
    assert window.home_page.site_name.text() == "嘉義縣人事處"
    assert "未解答問題" in window.page_titles()  # the county's page is there at once


def test_the_welcome_trusts_the_county_key_after_the_fingerprint_is_read(
    qtbot: QtBot, open_fresh: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from schoolhr.sync import service

    _private, public = signing.generate_keypair("county passphrase")
    key_file = tmp_path / "county.pem"
    key_file.write_bytes(public)
    asked: list[str] = []
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(key_file), ""))
    )
    monkeypatch.setattr(
        QMessageBox,
        "question",
        staticmethod(lambda _p, _t, text, *a: asked.append(text) or QMessageBox.StandardButton.Yes),
    )
    window = open_fresh()  # type: ignore[operator]
    dialog = window.welcome_dialog
    assert dialog is not None
    qtbot.mouseClick(dialog.trust_button, Qt.MouseButton.LeftButton)

    fingerprint = service.key_info(key_file).fingerprint_text
    assert len(asked) == 1 and fingerprint in asked[0] and "電話" in asked[0]
    assert fingerprint in dialog.trust_status.text()
    assert window.store is not None
    assert fingerprint in [k.fingerprint_text for k in service.signing_keys(window.store)]


def _real_content(window: MainWindow) -> None:
    """The bundled checklist templates and reward rules (the small test content has none)."""
    assert window.store is not None
    install_bundled_content(window.store, resources_dir() / "content")
    window.refresh()


def test_the_home_page_lists_a_due_checklist_and_its_button_opens_it(
    qtbot: QtBot, window: MainWindow
) -> None:
    _real_content(window)
    assert window.store is not None
    with window.store.write() as session:
        template = checklists.templates(session)[0]
        run = checklists.start_run(
            session, template.id, period="115年", due_date=date.today() - timedelta(days=2)
        )
    window.refresh()
    home = window.home_page
    assert f"{template.title}（115年）　已逾期 2 天" in home.due_text()
    assert not home.todo_empty.isVisibleTo(home)
    assert len(home.due_buttons) == 1

    qtbot.mouseClick(home.due_buttons[0], Qt.MouseButton.LeftButton)

    assert window.current_page() is window.checklists_page
    page = window.checklists_page
    assert page.current_template() is not None and page.current_template().id == template.id  # type: ignore[union-attr]
    assert page._run is not None and page._run.id == run.id
    assert page.run_title.text() == template.title


def test_the_home_page_says_what_came_from_the_county_or_how_to_import_it(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = window.home_page
    assert "還沒有匯入縣市人事處的交換檔" in home.arrived.text()
    assert home.import_button.isVisibleTo(home)
    titles: list[str] = []
    monkeypatch.setattr(
        QFileDialog,
        "getOpenFileName",
        staticmethod(lambda _parent, title, *a, **k: titles.append(title) or ("", "")),
    )
    qtbot.mouseClick(home.import_button, Qt.MouseButton.LeftButton)
    assert window.current_page() is window.sync_page
    assert titles == ["匯入交換檔"]


def test_ctrl_shift_h_shows_the_technical_facts_that_left_the_home_page(
    qtbot: QtBot, shown_window: MainWindow, data_paths: DataPaths
) -> None:
    qtbot.keyClick(shown_window, Qt.Key.Key_H, CTRL_SHIFT)
    dialog = shown_window.findChild(HelpDeskDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=20_000)
    text = dialog.text.toPlainText()
    status = read_status(data_paths)
    assert status.site is not None and status.content is not None
    assert f"單位識別碼：{status.site.site_uuid}" in text
    assert f"結構版本：{status.schema_revision}" in text
    assert f"資料庫：{data_paths.database}" in text
    assert "資料庫大小：" in text and "健康檢查：正常" in text
    assert f"內建內容：{status.content[0]}" in text
    dialog.close()


def test_an_empty_contact_list_offers_to_import_one(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.show_page("contacts")
    page = window.contacts_page
    assert page.empty.isVisibleTo(page) and page.empty.button.text() == "匯入通訊錄…"
    titles: list[str] = []
    monkeypatch.setattr(
        QFileDialog,
        "getOpenFileName",
        staticmethod(lambda _parent, title, *a, **k: titles.append(title) or ("", "")),
    )
    qtbot.mouseClick(page.empty.button, Qt.MouseButton.LeftButton)
    assert titles == ["匯入通訊錄"]

    page.filter.insert("沒有這個人")  # filtered to nothing is not an empty list
    assert page.empty.isHidden()
    page.filter.clear()
    page.new_contact()
    page.name.insert("林小芳")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert page.empty.isHidden()


def test_a_checklist_with_no_runs_offers_to_start_one(qtbot: QtBot, window: MainWindow) -> None:
    _real_content(window)
    window.show_page("checklists")
    page = window.checklists_page
    template = page.current_template()
    assert template is not None
    assert page.empty.isVisibleTo(page) and template.title in page.empty.label.text()
    assert page.empty.button.text() == "開始一份檢核表"

    qtbot.mouseClick(page.empty.button, Qt.MouseButton.LeftButton)

    assert page.empty.isHidden()
    assert page.run_list.count() == 1
    assert page._run is not None and page.run_title.text() == template.title


def test_rewards_with_no_claims_lead_to_the_people_then_to_the_claim_form(
    qtbot: QtBot, shown_window: MainWindow
) -> None:
    window = shown_window
    _real_content(window)
    window.show_page("rewards")
    page = window.rewards_page
    assert page.empty.isVisibleTo(page)
    assert page.empty.button.text() == "到安心培力小群組"  # nobody to claim for yet
    qtbot.mouseClick(page.empty.button, Qt.MouseButton.LeftButton)
    assert window.current_page() is window.contacts_page

    assert window.store is not None
    with window.store.write() as session:
        contacts.save_contact(session, ContactRecord(name="林小芳", school="測試國小"))
    window.show_page("rewards")
    page.refresh()
    assert page.empty.button.text() == "申報積點"
    qtbot.mouseClick(page.empty.button, Qt.MouseButton.LeftButton)
    assert page.person.hasFocus()
    assert "申報積點" in page.status.text()

    page.reason.insert("協助鄰校完成退休案件")
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    assert page.empty.isHidden()  # a claim: the page is no longer empty
    window.show_page("home")
    assert "1 筆積點已申報" in window.home_page.claims_label.text()
    assert window.home_page.claims_row.isVisibleTo(window.home_page)


def test_the_exchange_page_with_nothing_imported_offers_to_import(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.show_page("sync")
    page = window.sync_page
    assert page.empty.isVisibleTo(page) and page.empty.button.text() == "匯入交換檔…"
    assert "信任縣市公鑰" in page.empty.label.text()
    titles: list[str] = []
    monkeypatch.setattr(
        QFileDialog,
        "getOpenFileName",
        staticmethod(lambda _parent, title, *a, **k: titles.append(title) or ("", "")),
    )
    qtbot.mouseClick(page.empty.button, Qt.MouseButton.LeftButton)
    assert titles == ["匯入交換檔"]
