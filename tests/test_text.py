from datetime import date, datetime

import pytest

from schoolhr.text import human_size, roc_date, roc_datetime, roc_year


def test_roc_years_on_forms() -> None:
    assert roc_year(2024) == 113
    assert roc_date(date(2025, 1, 1)) == "114年1月1日"
    assert roc_datetime(datetime(2024, 3, 5, 9, 7)) == "113年3月5日 09:07"


def test_years_before_the_republic_are_refused() -> None:
    with pytest.raises(ValueError):
        roc_year(1911)


def test_sizes_for_people() -> None:
    assert human_size(512) == "512 B"
    assert human_size(1536) == "1.5 KB"
    assert human_size(3 * 1024 * 1024) == "3.0 MB"
