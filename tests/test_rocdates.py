"""The one date parser every date input and importer uses (schoolhr.rocdates)."""

from __future__ import annotations

from datetime import date

import pytest

from schoolhr.rocdates import DateError, parse_date, roc_date, roc_short, roc_year_label

JUNE_15 = date(2026, 6, 15)


@pytest.mark.parametrize(
    "text",
    [
        "115/6/15",
        "115/06/15",
        "115.6.15",
        "115-6-15",
        "1150615",
        "民國115年6月15日",
        "中華民國115年6月15日",
        "民國 115 年 6 月 15 日",
        "民國115/6/15",
        "115年6月15日",
        "2026-06-15",
        "2026/6/15",
        "2026.6.15",
        "20260615",
        "2026年6月15日",
        "西元2026年6月15日",
        "2026-06-15 00:00:00",
        " 115/6/15 ",
        "１１５/６/１５",
        "１１５年６月１５日",
        "１１５０６１５",
        "２０２６－０６－１５",
        "２０２６／６／１５",
    ],
)
def test_every_form_a_clerk_types_means_the_same_day(text: str) -> None:
    assert parse_date(text) == JUNE_15


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("113/2/29", date(2024, 2, 29)),
        ("1130229", date(2024, 2, 29)),
        ("2024-02-29", date(2024, 2, 29)),
        ("民國1年1月1日", date(1912, 1, 1)),
        ("99/12/31", date(2010, 12, 31)),
        ("0115/1/2", date(2026, 1, 2)),
        ("115/12/31", date(2026, 12, 31)),
    ],
)
def test_boundaries_that_exist(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("115/2/29", "民國 115 年（西元 2026 年）2 月沒有 29 日"),
        ("1150229", "2 月沒有 29 日"),
        ("2026-02-29", "2 月沒有 29 日"),
        ("115/4/31", "4 月沒有 31 日"),
        ("115/13/1", "沒有 13 月"),
        ("115/0/1", "沒有 0 月"),
        ("115/1/0", "1 月沒有 0 日"),
        ("0000-01-01", "沒有西元 0 年"),
        ("民國0年1月1日", "沒有民國 0 年"),
        ("1900-01-01", "早於民國元年"),
        ("1/2/3", "看不懂"),
        ("明天", "看不懂"),
        ("", "看不懂"),
        ("115/6", "看不懂"),
        ("西元1150615", "看不懂"),
        ("民國20260615", "看不懂"),
        ("115/6/15/1", "看不懂"),
    ],
)
def test_impossible_dates_are_refused_naming_the_input(text: str, reason: str) -> None:
    with pytest.raises(DateError) as caught:
        parse_date(text, "檢閱日期")
    message = caught.value.message
    assert reason in message
    assert f"檢閱日期「{text.strip()}」" in message
    assert isinstance(caught.value, ValueError)


def test_unreadable_dates_list_the_forms() -> None:
    with pytest.raises(DateError, match="115/6/15、115年6月15日、1150615 或 2026-06-15"):
        parse_date("下週一")


def test_display_is_roc() -> None:
    assert roc_date(JUNE_15) == "115年6月15日"
    assert roc_short(JUNE_15) == "115/06/15"
    assert roc_year_label(2026) == "115年度"
    assert parse_date(roc_date(JUNE_15)) == parse_date(roc_short(JUNE_15)) == JUNE_15
