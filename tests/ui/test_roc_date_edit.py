"""The one date input of the window (RocDateEdit) and the 民國 year box, typed into as a clerk
types."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from pytestqt.qtbot import QtBot

from schoolhr.ui.widgets.roc_date_edit import RocDateEdit, RocYearSpinBox

JUNE_15 = date(2026, 6, 15)
START = date(2026, 1, 2)


def typed(qtbot: QtBot, edit: RocDateEdit, text: str) -> None:
    """Keys for ASCII; what an input method commits (民國、全形數字) arrives as inserted text,
    because QTest cannot press keys outside Latin-1."""
    edit.line.selectAll()
    if text.isascii():
        qtbot.keyClicks(edit.line, text)
    else:
        edit.line.insert(text)
    qtbot.keyClick(edit.line, Qt.Key.Key_Return)


@pytest.fixture
def edit(qtbot: QtBot) -> RocDateEdit:
    widget = RocDateEdit(START, label="檢閱日期")
    qtbot.addWidget(widget)
    widget.show()
    return widget


@pytest.mark.parametrize(
    "text",
    [
        "115/6/15",
        "115.6.15",
        "1150615",
        "民國115年6月15日",
        "115年6月15日",
        "2026-06-15",
        "2026/6/15",
        "１１５/６/１５",
        "２０２６－０６－１５",
    ],
)
def test_every_form_typed_gives_the_day(qtbot: QtBot, edit: RocDateEdit, text: str) -> None:
    with qtbot.waitSignal(edit.dateChanged) as changed:
        typed(qtbot, edit, text)
    assert changed.args == [JUNE_15]
    assert edit.date() == JUNE_15
    assert edit.text() == "115年6月15日"  # shown as 民國 once read
    assert edit.error_text() == ""


@pytest.mark.parametrize(
    ("text", "reason"),
    [("115/2/29", "2 月沒有 29 日"), ("六月十五", "看不懂"), ("115/13/1", "沒有 13 月")],
)
def test_a_bad_date_shows_the_error_and_keeps_the_old_value(
    qtbot: QtBot, edit: RocDateEdit, text: str, reason: str
) -> None:
    with qtbot.assertNotEmitted(edit.dateChanged):
        typed(qtbot, edit, text)
    assert edit.date() == START
    assert edit.text() == "115年1月2日"
    assert f"檢閱日期「{text}」" in edit.error_text() and reason in edit.error_text()
    assert "仍為 115年1月2日" in edit.error_text()
    typed(qtbot, edit, "113/2/29")  # a leap day that exists clears the error
    assert edit.date() == date(2024, 2, 29) and edit.error_text() == ""


def test_leaving_the_field_reads_it(qtbot: QtBot, edit: RocDateEdit) -> None:
    edit.line.selectAll()
    qtbot.keyClicks(edit.line, "115.6.15")
    assert edit.date() == JUNE_15  # read even before Enter


def test_an_optional_date_can_be_emptied(qtbot: QtBot) -> None:
    edit = RocDateEdit(JUNE_15, label="同意分享日期", allow_empty=True, empty_text="未同意")
    qtbot.addWidget(edit)
    assert edit.line.placeholderText() == "未同意"
    edit.line.clear()
    qtbot.keyClick(edit.line, Qt.Key.Key_Return)
    assert edit.date() is None and edit.error_text() == ""


def test_a_required_date_cannot_be_emptied(qtbot: QtBot, edit: RocDateEdit) -> None:
    edit.line.clear()
    qtbot.keyClick(edit.line, Qt.Key.Key_Return)
    assert edit.date() == START and "請輸入檢閱日期" in edit.error_text()


def test_the_calendar_is_headed_in_roc_and_picks_a_day(qtbot: QtBot, edit: RocDateEdit) -> None:
    qtbot.mouseClick(edit.button, Qt.MouseButton.LeftButton)
    popup = edit.popup
    assert popup is not None and popup.isVisible()
    assert popup.heading.text() == "民國 115 年 1 月"
    qtbot.mouseClick(popup.previous_year, Qt.MouseButton.LeftButton)
    assert popup.heading.text() == "民國 114 年 1 月"
    qtbot.mouseClick(popup.next_month, Qt.MouseButton.LeftButton)
    assert popup.heading.text() == "民國 114 年 2 月"
    with qtbot.waitSignal(edit.dateChanged):
        popup.calendar.clicked.emit(QDate(2025, 2, 14))
    assert edit.date() == date(2025, 2, 14) and edit.text() == "114年2月14日"
    assert not popup.isVisible()


def test_the_year_box_shows_and_takes_roc_years(qtbot: QtBot) -> None:
    box = RocYearSpinBox()
    qtbot.addWidget(box)
    box.setRange(2000, 2100)
    box.setValue(2026)
    assert box.text() == "民國 115 年度"
    box.lineEdit().selectAll()
    qtbot.keyClicks(box.lineEdit(), "113")
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Return)
    assert box.value() == 2024 and box.text() == "民國 113 年度"
    qtbot.keyClick(box, Qt.Key.Key_Up)
    assert box.value() == 2025
