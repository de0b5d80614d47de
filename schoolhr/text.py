"""zh-TW text helpers shared by all features: 民國 (ROC) dates for forms and screens."""

from __future__ import annotations

from datetime import date, datetime

ROC_EPOCH_YEAR = 1911  # 民國元年 = 1912


def roc_year(year: int) -> int:
    """The 民國 year of a Gregorian year (2024 -> 113). Years before 1912 are refused."""
    if year <= ROC_EPOCH_YEAR:
        raise ValueError(f"{year} 年早於民國元年")
    return year - ROC_EPOCH_YEAR


def roc_date(value: date) -> str:
    """``date(2024, 3, 5)`` -> ``'113年3月5日'``, as printed on Taiwanese government forms."""
    return f"{roc_year(value.year)}年{value.month}月{value.day}日"


def roc_datetime(value: datetime) -> str:
    """``datetime(2024, 3, 5, 9, 7)`` -> ``'113年3月5日 09:07'`` (local time as given)."""
    return f"{roc_date(value)} {value:%H:%M}"


def human_size(num_bytes: int) -> str:
    """A file size for people: ``1536`` -> ``'1.5 KB'``."""
    size = float(num_bytes)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    raise AssertionError("unreachable")
