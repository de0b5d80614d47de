"""The one date input of the window: a line the clerk types a date into, in 民國 or 西元.

``RocDateEdit`` reads what is typed with ``schoolhr.rocdates.parse_date`` (``115/6/15``,
``115.6.15``, ``1150615``, ``民國115年6月15日``, ``2026-06-15`` …, full-width digits too) when
the clerk presses Enter or leaves the field, and then shows the day as 民國
(``115年6月15日``). A date that cannot be read or does not exist is refused: the message
(naming what was typed) shows under the field, and the date stays what it was. The 「月曆」
button opens a month calendar headed in 民國 years to pick a day with the mouse.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, QLocale, Qt, Signal
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (
    QCalendarWidget,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from schoolhr.rocdates import DateError, parse_date, roc_date, roc_year
from schoolhr.text import ROC_EPOCH_YEAR
from schoolhr.ui.widgets.labels import wrapped

Day = date  # the class below has a method named ``date``


def _qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def _pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def _step_button(arrow: str, name: str, step: Callable[[], None]) -> QToolButton:
    """A button of the calendar's bar that turns the page by a month or a year."""
    button = QToolButton()
    button.setText(arrow)
    button.setAccessibleName(name)
    button.clicked.connect(step)
    return button


class RocCalendarPopup(QFrame):
    """A month calendar whose heading names the 民國 year (Qt's own bar shows 西元)."""

    picked = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setFrameShape(QFrame.Shape.Box)
        self.calendar = QCalendarWidget()
        self.calendar.setNavigationBarVisible(False)
        self.calendar.setGridVisible(True)
        self.calendar.setLocale(QLocale(QLocale.Language.Chinese, QLocale.Country.Taiwan))
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Sunday)
        self.calendar.setHorizontalHeaderFormat(
            QCalendarWidget.HorizontalHeaderFormat.SingleLetterDayNames
        )
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.calendar.setMinimumDate(QDate(1912, 1, 1))
        self.calendar.setMaximumDate(QDate(2999, 12, 31))
        self.heading = QLabel("")
        self.heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.previous_year = _step_button("«", self.tr("上一年"), self.calendar.showPreviousYear)
        self.previous_month = _step_button("‹", self.tr("上個月"), self.calendar.showPreviousMonth)
        self.next_month = _step_button("›", self.tr("下個月"), self.calendar.showNextMonth)
        self.next_year = _step_button("»", self.tr("下一年"), self.calendar.showNextYear)
        self.today = QPushButton(self.tr("今天"))
        self.today.clicked.connect(lambda: self._pick(QDate.currentDate()))
        bar = QHBoxLayout()
        bar.addWidget(self.previous_year)
        bar.addWidget(self.previous_month)
        bar.addWidget(self.heading, 1)
        bar.addWidget(self.next_month)
        bar.addWidget(self.next_year)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.calendar)
        layout.addWidget(self.today, 0, Qt.AlignmentFlag.AlignRight)
        self.calendar.currentPageChanged.connect(self._show_heading)
        self.calendar.clicked.connect(self._pick)
        self.calendar.activated.connect(self._pick)

    def show_month_of(self, value: date) -> None:
        self.calendar.setSelectedDate(_qdate(value))
        self.calendar.setCurrentPage(value.year, value.month)
        self._show_heading(value.year, value.month)

    def _show_heading(self, year: int, month: int) -> None:
        self.heading.setText(self.tr("民國 {0} 年 {1} 月").format(roc_year(year), month))

    def _pick(self, value: QDate) -> None:
        self.hide()
        self.picked.emit(_pydate(value))


class RocDateEdit(QWidget):
    """A date typed in any form ``parse_date`` reads, shown as 民國; see the module docstring.

    ``date()`` is the current date (None when empty, if ``allow_empty``); ``dateChanged``
    sends the new one each time it changes."""

    dateChanged = Signal(object)

    def __init__(
        self,
        value: Day | None = None,
        *,
        label: str = "日期",
        allow_empty: bool = False,
        empty_text: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._label = label
        self._allow_empty = allow_empty
        self._date: Day | None = value if value is not None or allow_empty else Day.today()
        self.line = QLineEdit()
        self.line.setAccessibleName(label)
        self.line.setPlaceholderText(empty_text or self.tr("例如 115/6/15"))
        self.line.setToolTip(
            self.tr("可輸入 115/6/15、115.6.15、1150615、115年6月15日 或 2026-06-15")
        )
        self.line.editingFinished.connect(self.commit)
        self.button = QToolButton()
        self.button.setText(self.tr("月曆"))
        self.button.setAccessibleName(self.tr("{0}：開啟月曆").format(label))
        self.button.clicked.connect(self.open_calendar)
        self.error = wrapped(role="problem")
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setVisible(False)
        self.popup: RocCalendarPopup | None = None
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.line, 1)
        row.addWidget(self.button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.error)
        self.setFocusProxy(self.line)
        self._show()

    # ------------------------------------------------------------------------------ value

    def date(self) -> Day | None:
        """The date, after reading what is still being typed (a click elsewhere may not have
        ended the editing yet)."""
        if self.line.text().strip() != self._shown():
            self.commit()
        return self._date

    def setDate(self, value: Day | None) -> None:
        if value is None and not self._allow_empty:
            raise ValueError("this date field cannot be empty")
        self._clear_error()
        changed = value != self._date
        self._date = value
        self._show()
        if changed:
            self.dateChanged.emit(value)

    def text(self) -> str:
        return self.line.text()

    def error_text(self) -> str:
        return self.error.text() if self.error.isVisibleTo(self) else ""

    def commit(self) -> bool:
        """Read the typed text; False (and the error shown, the date kept) when refused."""
        text = self.line.text().strip()
        if text == self._shown():
            return True
        if not text:
            if self._allow_empty:
                self.setDate(None)
                return True
            self._refuse(self.tr("請輸入{0}，例如 115/6/15").format(self._label))
            return False
        try:
            value = parse_date(text, self._label)
        except DateError as exc:
            self._refuse(exc.message)
            return False
        self.setDate(value)
        return True

    # ------------------------------------------------------------------------------ inside

    def _shown(self) -> str:
        return roc_date(self._date) if self._date is not None else ""

    def _show(self) -> None:
        self.line.setText(self._shown())

    def _refuse(self, message: str) -> None:
        kept = self._shown() or self.tr("空白")
        self.error.setText(self.tr("{0}（仍為 {1}）").format(message, kept))
        self.error.setVisible(True)
        self.line.setAccessibleDescription(self.error.text())
        self._show()

    def _clear_error(self) -> None:
        self.error.clear()
        self.error.setVisible(False)
        self.line.setAccessibleDescription("")

    def open_calendar(self) -> None:
        if self.popup is None:
            self.popup = RocCalendarPopup(self)
            self.popup.picked.connect(self.setDate)
        self.popup.show_month_of(self._date or Day.today())
        self.popup.adjustSize()
        below = self.line.mapToGlobal(self.line.rect().bottomLeft())
        screen = self.screen().availableGeometry()
        x = min(below.x(), screen.right() - self.popup.width())
        y = below.y()
        if y + self.popup.height() > screen.bottom():
            y = self.line.mapToGlobal(self.line.rect().topLeft()).y() - self.popup.height()
        self.popup.move(max(x, screen.left()), max(y, screen.top()))
        self.popup.show()
        self.popup.calendar.setFocus()


class RocYearSpinBox(QSpinBox):
    """A year chosen as 民國 (「民國 115 年度」) whose ``value()`` is the 西元 year (2026) the
    services count in; the clerk types or steps the 民國 year."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPrefix(self.tr("民國 "))
        self.setSuffix(self.tr(" 年度"))

    def textFromValue(self, value: int) -> str:
        return str(value - ROC_EPOCH_YEAR)

    def valueFromText(self, text: str) -> int:
        digits = self._digits(text)
        return int(digits) + ROC_EPOCH_YEAR if digits else self.value()

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        digits = self._digits(text)
        if not digits:
            return (QValidator.State.Intermediate, text, pos)
        year = int(digits) + ROC_EPOCH_YEAR
        if self.minimum() <= year <= self.maximum():
            return (QValidator.State.Acceptable, text, pos)
        if len(digits) < 3:
            return (QValidator.State.Intermediate, text, pos)
        return (QValidator.State.Invalid, text, pos)

    def _digits(self, text: str) -> str:
        body = text.removeprefix(self.prefix()).removesuffix(self.suffix()).strip()
        body = unicodedata.normalize("NFKC", body)
        return body if body.isdigit() else ""
