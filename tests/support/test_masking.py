"""Masking personal data: what has a shape by pattern, names by value, the home folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from schoolhr.contacts import service as contacts
from schoolhr.contacts.records import ContactRecord
from schoolhr.paths import DataPaths
from schoolhr.store.database import Store
from schoolhr.support.masking import (
    EMAIL_MASK,
    HOME_MASK,
    ID_MASK,
    NAME_MASK,
    PHONE_MASK,
    known_names,
    mask_personal_data,
)


@pytest.mark.parametrize(
    "number",
    [
        "0912-345-678",
        "0912345678",
        "0912 345 678",
        "0912-345678",
        "+886 912 345 678",
        "+886-912-345678",
        "886912345678",
    ],
)
def test_mobile_numbers_are_masked_however_they_are_written(number: str) -> None:
    assert mask_personal_data(f"手機：{number}。", home="/nonexistent") == f"手機：{PHONE_MASK}。"


@pytest.mark.parametrize(
    "number",
    [
        "02-2397-9108",
        "(089)301058#70",
        "02-23979108#123",
        "(02)2397-9108 轉 123",
        "049-2345678",
        "04-2345-6789 分機 12",
        "+886-2-2397-9108",
        "0223979108",
        "02 2397 9108",
    ],
)
def test_landline_numbers_are_masked_with_their_extension(number: str) -> None:
    assert (
        mask_personal_data(f"電話{number}，謝謝", home="/nonexistent") == f"電話{PHONE_MASK}，謝謝"
    )


@pytest.mark.parametrize("number", ["A123456789", "f234567890", "A812345678", "AB12345678"])
def test_id_numbers_are_masked_also_inside_chinese_text(number: str) -> None:
    assert mask_personal_data(f"身分證{number}有誤", home="/x") == f"身分證{ID_MASK}有誤"


def test_email_addresses_are_masked() -> None:
    text = "寄給 wang.xiaoming+hr@school.edu.tw 與 a_b@example.org。"
    assert mask_personal_data(text, home="/x") == f"寄給 {EMAIL_MASK} 與 {EMAIL_MASK}。"


def test_known_names_are_masked_longest_first() -> None:
    text = "王小明的代理人是王小明德，歐陽娜娜也在。王 不是名字。"
    masked = mask_personal_data(text, {"王小明", "王小明德", "歐陽娜娜", "王"}, home="/x")
    assert masked == f"{NAME_MASK}的代理人是{NAME_MASK}，{NAME_MASK}也在。王 不是名字。"


def test_the_home_folder_is_masked_in_both_slash_styles() -> None:
    home = r"C:\Users\wangxm"
    text = r"資料夾 C:\Users\wangxm\AppData\Local\SchoolHR 與 C:/Users/wangxm/Desktop/a.xlsx"
    masked = mask_personal_data(text, home=home)
    assert "wangxm" not in masked
    assert masked.count(HOME_MASK) == 2 and r"\AppData\Local\SchoolHR" in masked


def test_text_without_personal_data_is_left_as_it_is() -> None:
    text = (
        "2026-11-22 10:03:04,567 ERROR schoolhr.cli [MainThread] 資料庫 1372160 位元組，"
        "結構版本 0009_origins，內容 2026.11.22.4，識別碼 550e8400-e29b-41d4-a716-446655440000，"
        "指紋 BBEF 9C76 413C 9EAE，第 12 筆、共 0 筆，耗時 0.25 秒，積點 10 點，113年3月5日，"
        "2026-01-05 02:03 王"
    )
    # a one-character "name" would hide ordinary words everywhere: it is not used
    assert mask_personal_data(text, {"王"}, home="/nonexistent") == text


def test_known_names_reads_contacts_and_people_on_checklists(
    store: Store, data_paths: DataPaths
) -> None:
    with store.write() as session:
        contacts.save_contact(session, ContactRecord(name="林淑芬", line_id="shufen_lin"))
        contacts.save_contact(session, ContactRecord(name="陳志豪"))
    assert known_names(data_paths) == {"林淑芬", "shufen_lin", "陳志豪"}


def test_known_names_of_an_unreadable_database_is_none(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path)
    paths.database.write_bytes(b"this is not a database at all" * 200)
    assert known_names(paths) is None
    assert known_names(DataPaths(tmp_path / "empty")) == set()


def test_many_names_sharing_first_characters_are_all_masked() -> None:
    # GIVEN a county's worth of names, many sharing their first characters
    names = {f"{s}{a}{b}" for s in "王林陳黃張" for a in "小志淑" for b in "明華芬"}
    names |= {"王小", "王小明德", "歐陽娜娜"}
    text = "、".join(sorted(names)) + "。王先生不在名單。"
    masked = mask_personal_data(text, names, home="/x")
    assert masked == "、".join([NAME_MASK] * len(names)) + "。王先生不在名單。"


def test_latin_line_ids_are_masked_only_as_whole_words() -> None:
    masked = mask_personal_data(
        "LINE: shufen_lin；shufen_linda 與 table 與 ab 不是", {"shufen_lin", "ab"}, home="/x"
    )
    assert masked == f"LINE: {NAME_MASK}；shufen_linda 與 table 與 ab 不是"


def test_a_number_never_spans_two_lines() -> None:
    text = "第 1 筆：02\n2397-9108 不是同一個號碼"
    assert mask_personal_data(text, home="/x") == text
