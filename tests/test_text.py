from datetime import date, datetime

import pytest

from schoolhr.text import (
    human_size,
    normalize,
    normalize_with_map,
    roc_date,
    roc_datetime,
    roc_year,
)


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


def test_full_width_and_case_are_folded() -> None:
    assert normalize("ＷｅｂＩＴＲ") == normalize("webitr") == "webitr"
    assert normalize("Ａ２") == "a2"


def test_simplified_characters_become_traditional() -> None:
    assert normalize("补休") == normalize("補休")
    assert normalize("国民旅游卡") == normalize("國民旅遊卡")
    assert normalize("考绩") == normalize("考績")


def test_traditional_text_stays_as_it_is() -> None:
    assert normalize("系統") == "系統"  # 系 is its own first Traditional form
    assert normalize("後來請假") == "後來請假"
    assert normalize("旅遊") == normalize("旅游")


def test_variants_are_folded() -> None:
    assert normalize("台東縣") == normalize("臺東縣")
    assert normalize("羣組") == normalize("群組")
    assert normalize("峯") == normalize("峰")


def test_punctuation_spaces_and_emoji_are_ignored() -> None:
    assert normalize("補 休？！😀「期限」") == "補休期限"
    assert normalize('"*NEAR(') == "near"
    assert normalize("") == ""


def test_the_map_points_back_to_the_original_characters() -> None:
    text = "請問 ＷｅｂＩＴＲ 怎麼用"
    normalized, origin = normalize_with_map(text)
    start = normalized.index("webitr")
    assert text[origin[start] : origin[start + 5] + 1] == "ＷｅｂＩＴＲ"


def test_spaces_between_cjk_characters_are_closed_others_kept() -> None:
    from schoolhr.text import close_cjk_spaces

    assert close_cjk_spaces("每人每年一份）， 作為依據") == "每人每年一份），作為依據"
    assert close_cjk_spaces("行政院人事行政總處 員工\u00a0手冊") == "行政院人事行政總處員工手冊"
    assert close_cjk_spaces("WebHR 異動、積點 12 點") == "WebHR 異動、積點 12 點"
    assert close_cjk_spaces("第一行\n第二行") == "第一行\n第二行"
