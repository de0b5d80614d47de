"""One way to read a date a clerk types or a spreadsheet holds, and one way to show it.

Every date input of the window and every importer (contacts from xlsx, csv and vCard,
checklist answers, the command line) reads dates with ``parse_date``. It accepts the forms
Taiwanese clerks write, with half- or full-width digits:

* 民國: ``115/6/15``, ``115.6.15``, ``115-6-15``, ``1150615`` (seven digits), ``115年6月15日``,
  ``民國115年6月15日``, ``中華民國115年6月15日``, ``民國115/6/15``;
* 西元: ``2026-06-15``, ``2026/6/15``, ``2026.6.15``, ``20260615`` (eight digits),
  ``2026年6月15日``, ``西元2026年6月15日``.

A year of four digits not starting with 0 is 西元; any other year (``115``, ``99``, ``0115``,
or one after 「民國」) is 民國. A spreadsheet's date cell read as text (``2026-06-15 00:00:00``)
is read too. Anything else, and a day that does not exist (民國115年 is 2026, not a leap year:
``115/2/29`` is refused, ``113/2/29`` is read), raises ``DateError`` (a ``ValueError``) whose
zh-TW message quotes the input and says what is wrong.

Files meant for machines (packs, JSON) keep ISO 8601: see ``schoolhr.isotime``. What people
read shows 民國: ``roc_date`` (``115年6月15日``), ``roc_short`` (``115/06/15``) and
``roc_year_label`` (``115年度``).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from schoolhr.text import ROC_EPOCH_YEAR, roc_date, roc_year

__all__ = [
    "DATE_FORMS",
    "DateError",
    "parse_date",
    "roc_date",
    "roc_short",
    "roc_year",
    "roc_year_label",
]

DATE_FORMS = "請寫成 115/6/15、115年6月15日、1150615 或 2026-06-15"

_SEPARATED = re.compile(
    r"^(?P<prefix>中華民國|民國|西元)?(?P<year>\d{1,4})[-/.年](?P<month>\d{1,2})[-/.月]"
    r"(?P<day>\d{1,2})日?(?:0{1,2}:00(?::00)?)?$"
)
_COMPACT = re.compile(r"^(?P<prefix>中華民國|民國|西元)?(?P<digits>\d{7}|\d{8})$")
_SPACES = re.compile(r"\s+")


class DateError(ValueError):
    """A date that cannot be read or does not exist; ``message`` is a zh-TW sentence."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _clean(text: str) -> str:
    """Full-width digits and punctuation to half-width, spaces dropped; 「年」「月」「日」 kept."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", text))


def parse_date(text: str, label: str = "日期") -> date:
    """The date ``text`` means (see the module docstring); ``DateError`` names ``label`` and
    quotes ``text`` when it is unreadable or impossible."""
    shown = text.strip()[:40]
    cleaned = _clean(text)
    unreadable = DateError(f"{label}「{shown}」看不懂：{DATE_FORMS}")
    prefix: str | None
    match = _SEPARATED.match(cleaned)
    if match is not None:
        prefix, year_text = match["prefix"], match["year"]
        month_text, day_text = match["month"], match["day"]
        if len(year_text) == 1 and prefix is None:  # 「1/2/3」: no year
            raise unreadable
    else:
        compact = _COMPACT.match(cleaned)
        if compact is None:
            raise unreadable
        prefix, digits = compact["prefix"], compact["digits"]
        if len(digits) == 7:  # 1150615: 民國 year of three digits
            if prefix == "西元":
                raise unreadable
            year_text, month_text, day_text = digits[:3], digits[3:5], digits[5:]
        else:  # 20260615
            if prefix in ("民國", "中華民國"):
                raise unreadable
            year_text, month_text, day_text = digits[:4], digits[4:6], digits[6:]
    if prefix == "西元":
        roc = False
    else:
        roc = prefix is not None or len(year_text) < 4 or year_text.startswith("0")
    year, month, day = int(year_text), int(month_text), int(day_text)
    if year == 0:
        gregorian = prefix == "西元" or (prefix is None and len(year_text) == 4)
        which = "西元 0 年" if gregorian else "民國 0 年"
        raise DateError(
            f"{label}「{shown}」的年份是 0，沒有{which}（民國元年是西元 1912 年）：{DATE_FORMS}"
        )
    if roc:
        year += ROC_EPOCH_YEAR
    elif year <= ROC_EPOCH_YEAR:
        raise DateError(
            f"{label}「{shown}」早於民國元年（1912 年），不合理：請確認年份，{DATE_FORMS}"
        )
    if not 1 <= month <= 12:
        raise DateError(f"{label}「{shown}」沒有 {month} 月：{DATE_FORMS}")
    try:
        return date(year, month, day)
    except ValueError:
        which_year = f"民國 {year - ROC_EPOCH_YEAR} 年（西元 {year} 年）"
        raise DateError(
            f"{label}「{shown}」不存在：{which_year}{month} 月沒有 {day} 日，請確認日期"
        ) from None


def roc_short(value: date) -> str:
    """``date(2026, 6, 15)`` -> ``'115/06/15'``."""
    return f"{roc_year(value.year)}/{value.month:02d}/{value.day:02d}"


def roc_year_label(year: int) -> str:
    """The 民國 school-year label of a Gregorian year: ``2026`` -> ``'115年度'``."""
    return f"{roc_year(year)}年度"
