"""The rewards page: a school claims, the county decides in bulk, proposals and certificate."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from schoolhr.contacts import service as contacts
from schoolhr.contacts.records import ContactRecord
from schoolhr.content.install import install_bundled_content
from schoolhr.paths import resources_dir
from schoolhr.rewards import service
from schoolhr.store.database import update_site
from schoolhr.ui.main_window import MainWindow
from tests.ui.tables import cell_text, click_header, column_texts


def prepare(window: MainWindow) -> int:
    assert window.store is not None
    install_bundled_content(window.store, resources_dir() / "content")  # the real rules
    with window.store.write() as session:
        person = contacts.save_contact(
            session,
            ContactRecord(name="林堃芬", school="宜蘭縣立大同國小", role="兼任人事", years=4),
        )
    window.refresh()
    window.show_page("rewards")
    return person


def test_a_school_claims_and_cannot_decide(qtbot: QtBot, window: MainWindow) -> None:
    prepare(window)
    page = window.rewards_page
    assert page.approve_button.isHidden()
    page.on.setDate(date.today() - timedelta(days=1))
    page.reason.setText("協助鄰校完成退休案件")
    page.add()
    assert "待縣市人事處審核" in page.status.text()
    assert page.entries_model.rowCount() == 1 and cell_text(page.entries, 0, 5) == "待核定"


def test_the_county_approves_and_a_certificate_prints(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    person = prepare(window)
    assert window.store is not None
    update_site(window.store, name="宜蘭縣政府人事處", role="county")
    window.refresh()
    page = window.rewards_page
    assert not page.approve_button.isHidden()
    year = page.year.value()
    with window.store.write() as session:
        rules = service.current_rules(session)
        kind = rules.kinds[0].id
        ids = [
            service.add_entry(session, person, kind, date(year, 1, day), "績優案件").id
            for day in (2, 3)
        ]
    page.refresh()
    page.decide_ids(ids, approve=True, reason="查證屬實")
    page.decide_ids(ids, approve=True, reason="查證屬實")  # twice changes nothing
    assert "原已核定" in page.status.text()
    with window.store.read() as session:
        assert service.balance(session, person, year) == sum(
            e.points for e in service.list_entries(session, contact_id=person)
        )
    assert page.proposals_model.rowCount() == 1
    target = tmp_path / "certificate.pdf"
    job = page.certificate_to(person, target)
    assert job is not None
    with qtbot.waitSignal(job.succeeded, timeout=20_000):
        pass
    text = "".join(p.extract_text() for p in PdfReader(target).pages)
    assert "林堃芬" in text and "中華民國" in text
    assert page.school_chart.items and page.kind_chart.items


def test_a_certificate_below_the_threshold_is_refused_with_the_reason(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QFileDialog

    person = prepare(window)
    assert window.store is not None
    page = window.rewards_page
    year = page.year.value()
    with window.store.write() as session:
        rules = service.current_rules(session)
        lowest = min(rules.thresholds, key=lambda t: t.min_points)
        kind = min(rules.kinds, key=lambda k: k.points)
        entry = service.add_entry(session, person, kind.id, date(year, 1, 2), "協助鄰校")
        service.approve(session, [entry.id], "查證屬實")
        points = service.proposal_of(session, year, person).weighted
        assert points < lowest.min_points
    page.refresh()
    asked: list[str] = []
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *args, **kwargs: asked.append("file") or ("", "")
    )
    assert page.proposals_model.rowCount() == 1
    page.proposals_table.selectRow(0)
    qtbot.mouseClick(page.certificate_button, Qt.MouseButton.LeftButton)
    message = page.status.text()
    assert "林堃芬" in message and "不能製作獎狀" in message
    assert f"未達敘獎門檻 {service.points_text(lowest.min_points)} 點" in message
    assert f"的積點為 {service.points_text(points)} 點" in message
    assert asked == []  # refused before a file name is asked for


def test_the_year_and_the_dates_are_shown_in_roc(qtbot: QtBot, window: MainWindow) -> None:
    prepare(window)
    page = window.rewards_page
    today = date.today()
    roc = today.year - 1911
    assert page.year.text() == f"民國 {roc} 年度"
    page.year.lineEdit().selectAll()
    qtbot.keyClicks(page.year.lineEdit(), str(roc - 1))
    qtbot.keyClick(page.year.lineEdit(), Qt.Key.Key_Return)
    assert page.year.value() == today.year - 1  # the services count in 西元
    page.year.setValue(today.year)
    page.on.line.clear()
    qtbot.keyClicks(page.on.line, f"{roc}0101")  # the seven-digit 民國 form
    qtbot.keyClick(page.on.line, Qt.Key.Key_Return)
    assert page.on.date() == date(today.year, 1, 1)
    page.reason.setText("協助鄰校完成退休案件")
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    assert cell_text(page.entries, 0, 0) == f"{roc}年1月1日"
    page.on.line.clear()
    qtbot.keyClicks(page.on.line, f"{roc}/2/30")
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)  # leaving the field reads it
    assert f"「{roc}/2/30」" in page.status.text() and "2 月沒有 30 日" in page.status.text()
    assert page.entries_model.rowCount() == 1


def test_a_click_on_a_header_sorts_dates_and_points_by_value(
    qtbot: QtBot, window: MainWindow
) -> None:
    person = prepare(window)
    assert window.store is not None
    page = window.rewards_page
    year = page.year.value() - 1  # a year gone by: every day of it may be claimed
    page.year.setValue(year)
    with window.store.write() as session:
        points = {kind.points: kind.id for kind in service.current_rules(session).kinds}
        for day, worth in ((date(year, 12, 2), 1), (date(year, 1, 15), 10), (date(year, 10, 1), 5)):
            service.add_entry(session, person, points[worth], day, "協助鄰校")
    page.refresh()
    page.tabs.setCurrentIndex(0)
    assert page.entries_model.rowCount() == 3
    roc = year - 1911
    click_header(qtbot, page.entries, 0)  # 日期: as text, 12月 would come before 1月
    assert column_texts(page.entries, 0) == [
        f"{roc}年1月15日",
        f"{roc}年10月1日",
        f"{roc}年12月2日",
    ]
    click_header(qtbot, page.entries, 4)  # 點數: as text, "10" would come before "5"
    assert column_texts(page.entries, 4) == ["1", "5", "10"]
    click_header(qtbot, page.entries, 4)
    assert column_texts(page.entries, 4) == ["10", "5", "1"]
    page.entries.selectRow(0)  # the selection reads the entry sorted to the top
    assert [e.points for e in page.entries_model.selected(page.entries)] == [10]
    assert column_texts(page.entries, 0)[0] == f"{roc}年1月15日"
