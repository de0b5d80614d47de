"""The one table model: headers, display text, sorting by raw values (民國 dates chronologically,
points as numbers, None first), the object behind a sorted row, and the in-memory filter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from schoolhr.text import roc_date
from schoolhr.ui.models.rows import NUMBER, Column, RowsModel
from schoolhr.ui.widgets.tables import rows_table
from tests.ui.tables import click_header, column_texts


@dataclass(frozen=True)
class Entry:
    name: str
    on: date | None
    points: int | None


ENTRIES = [
    Entry("甲", date(2024, 3, 1), 100),  # 民國113年
    Entry("乙", date(2010, 12, 31), 5),  # 民國99年
    Entry("丙", None, None),
    Entry("丁", date(2011, 1, 2), 10),  # 民國100年
]


def model() -> RowsModel[Entry]:
    return RowsModel(
        [
            Column("姓名", lambda e: e.name),
            Column("日期", lambda e: roc_date(e.on) if e.on else "", lambda e: e.on),
            Column(
                "點數",
                lambda e: "" if e.points is None else str(e.points),
                lambda e: e.points,
                align=NUMBER,
                tooltip=lambda e: f"{e.name} 的點數",
            ),
        ],
        ENTRIES,
    )


def table(qtbot: QtBot, rows: RowsModel[Entry]) -> QTableView:
    view = rows_table(rows, "積點")
    qtbot.addWidget(view)
    view.resize(600, 300)
    view.show()
    return view


def test_headers_text_alignment_and_the_given_order(qtbot: QtBot) -> None:
    rows = model()
    view = table(qtbot, rows)
    headers = [rows.headerData(c, Qt.Orientation.Horizontal) for c in range(3)]
    assert headers == ["姓名", "日期", "點數"]
    assert view.model().headerData(1, Qt.Orientation.Horizontal) == "日期"
    assert column_texts(view, 0) == ["甲", "乙", "丙", "丁"]  # no sorting before a click
    assert column_texts(view, 1) == ["113年3月1日", "99年12月31日", "", "100年1月2日"]
    points = rows.proxy.index(0, 2)
    assert points.data(Qt.ItemDataRole.TextAlignmentRole) == int(NUMBER)
    assert points.data(Qt.ItemDataRole.ToolTipRole) == "甲 的點數"
    assert rows.proxy.index(0, 0).data(Qt.ItemDataRole.TextAlignmentRole) is None


@pytest.mark.parametrize(
    ("number", "ascending"),
    [
        (1, ["", "99年12月31日", "100年1月2日", "113年3月1日"]),  # as text, 100年 before 99年
        (2, ["", "5", "10", "100"]),  # as text, "10" and "100" before "5"
    ],
    ids=["roc-dates-chronologically", "points-as-numbers"],
)
def test_a_column_sorts_by_its_raw_value_none_first(
    qtbot: QtBot, number: int, ascending: list[str]
) -> None:
    rows = model()
    view = table(qtbot, rows)
    view.sortByColumn(number, Qt.SortOrder.AscendingOrder)
    assert column_texts(view, number) == ascending
    view.sortByColumn(number, Qt.SortOrder.DescendingOrder)
    assert column_texts(view, number) == ascending[::-1]  # None last the other way round


def test_row_after_sorting_is_the_object_shown(qtbot: QtBot) -> None:
    rows = model()
    view = table(qtbot, rows)
    view.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    assert rows.row(view.model().index(0, 0)) is ENTRIES[0]
    assert rows.row(view.model().index(3, 2)) is ENTRIES[2]
    assert rows.row(1) is ENTRIES[1]  # a row number of the model itself: the given order
    view.selectRow(1)
    assert rows.selected(view) == [ENTRIES[3]]
    assert rows.current(view) is ENTRIES[3]
    assert rows.shown() == [ENTRIES[0], ENTRIES[3], ENTRIES[1], ENTRIES[2]]


def test_a_click_on_a_header_sorts_and_a_second_click_reverses(qtbot: QtBot) -> None:
    rows = model()
    view = table(qtbot, rows)
    click_header(qtbot, view, 1)
    assert column_texts(view, 1) == ["", "99年12月31日", "100年1月2日", "113年3月1日"]
    click_header(qtbot, view, 1)
    assert column_texts(view, 1) == ["113年3月1日", "100年1月2日", "99年12月31日", ""]


def test_new_rows_keep_the_sorting_and_the_filter_works_in_memory(qtbot: QtBot) -> None:
    rows = model()
    view = table(qtbot, rows)
    view.sortByColumn(2, Qt.SortOrder.AscendingOrder)
    rows.set_filter(lambda e: e.points is not None and e.points >= 10)
    assert column_texts(view, 0) == ["丁", "甲"]
    assert rows.rows() == ENTRIES  # the filter hides rows, it does not drop them
    rows.set_rows([*ENTRIES, Entry("戊", date(2020, 1, 1), 50)])
    assert column_texts(view, 0) == ["丁", "戊", "甲"]
    rows.set_filter(None)
    assert column_texts(view, 0) == ["丙", "乙", "丁", "戊", "甲"]
