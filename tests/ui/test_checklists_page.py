"""The checklists page under pytest-qt, on the bundled templates."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox
from pytestqt.qtbot import QtBot

from schoolhr.checklists import service
from schoolhr.content.install import install_bundled_content
from schoolhr.paths import resources_dir
from schoolhr.ui.main_window import MainWindow
from schoolhr.ui.pages.checklists_page import ID_ROLE, ChecklistsPage
from schoolhr.ui.widgets.roc_date_edit import RocDateEdit


@pytest.fixture
def page(window: MainWindow) -> ChecklistsPage:
    assert window.store is not None
    install_bundled_content(window.store, resources_dir() / "content")  # the real templates
    window.refresh()
    window.show_page("checklists")
    checklists = window.checklists_page
    ids = [
        checklists.template_list.item(i).data(ID_ROLE)
        for i in range(checklists.template_list.count())
    ]
    checklists.template_list.setCurrentRow(ids.index("chiayi-usage-report"))
    return checklists


def test_the_templates_are_listed(page: ChecklistsPage) -> None:
    titles = [page.template_list.item(i).text() for i in range(page.template_list.count())]
    assert "人事資訊系統使用情形回報表" in titles and len(titles) >= 12


def test_starting_a_run_and_ticking_saves_at_once(page: ChecklistsPage, window: MainWindow) -> None:
    page.period_edit.setText("115年")
    page.start_run()
    assert page.run_list.count() == 1
    boxes = page.form_area.findChildren(QCheckBox)
    assert len(boxes) >= 50
    for box in boxes[:16]:
        box.setChecked(True)
    assert window.store is not None
    with window.store.read() as session:
        run = service.runs(session, "chiayi-usage-report")[0]
    assert run.period == "115年" and run.progress[0] == 16
    assert "16 項 → 90%" in page.run_info.text()
    assert page.progress.value() == 16


def test_a_wrong_date_is_refused_with_a_message(
    qtbot: QtBot, page: ChecklistsPage, window: MainWindow
) -> None:
    page.start_run()
    day = page.form_area.findChildren(RocDateEdit)[0]
    qtbot.keyClicks(day.line, "115/2/29")
    qtbot.keyClick(day.line, Qt.Key.Key_Return)
    assert "115/2/29" in day.error_text() and "2 月沒有 29 日" in day.error_text()
    assert day.date() is None
    day.line.clear()
    qtbot.keyClicks(day.line, "1150615")
    qtbot.keyClick(day.line, Qt.Key.Key_Return)
    assert day.text() == "115年6月15日" and day.error_text() == ""
    assert page.status.text() == "已儲存。"
    assert window.store is not None
    with window.store.read() as session:
        run = service.runs(session, "chiayi-usage-report")[0]
    assert date(2026, 6, 15).isoformat() in run.answers.values()
    combo = page.form_area.findChildren(QComboBox)[0]
    combo.setCurrentText("9月15日")
    assert page.status.text() == "已儲存。"


def test_the_run_is_saved_as_a_pdf(qtbot: QtBot, page: ChecklistsPage, tmp_path: Path) -> None:
    page.start_run()
    page.form_area.findChildren(QCheckBox)[0].setChecked(True)
    job = page.save_pdf_to(tmp_path / "report.pdf")
    assert job is not None
    with qtbot.waitSignal(job.succeeded, timeout=20_000):
        pass
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")
    assert "已存成" in page.status.text()


def test_completing_a_run_takes_it_off_the_due_list(
    page: ChecklistsPage, window: MainWindow
) -> None:
    assert window.store is not None
    with window.store.write() as session:
        service.start_run(
            session, "chiayi-usage-report", period="115年", due_date=date.today() + timedelta(10)
        )
    page.refresh()
    window.home_page.refresh(check_integrity=False)
    assert "人事資訊系統使用情形回報表（115年）　還有 10 天" in window.home_page.due_text()
    page.toggle_complete()
    assert page.complete_button.text() == "重新開啟"
    window.home_page.refresh(check_integrity=False)
    assert "人事資訊系統使用情形回報表" not in window.home_page.due_text()
