"""Sources open the rule itself on an official site, and a 「待複查」 flag says what to check."""

import shutil
from pathlib import Path

import pytest

from schoolhr.content.files import read_content
from schoolhr.content.links import is_home_page, source_link_problem
from tests.helpers import TEST_CONTENT

ENTRY = """---
id: leave-links
title: 補休可以分次使用嗎？
category: 加班與補休
audience: [職員]
keywords: [補休]
sources:
  - name: 公務人員請假規則
    article: 第3條
    url: {url}
reviewed: 2026-11-01
{flag}---
可以，依機關規定分次申請。
"""


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(TEST_CONTENT, target)
    return target


def problems_for(content_dir: Path, url: str, flag: str = "") -> list[str]:
    path = content_dir / "faq" / "leave-links.md"
    path.write_text(ENTRY.format(url=url, flag=flag), encoding="utf-8")
    content, problems = read_content(content_dir)
    assert (content is None) == bool(problems)
    return [str(p) for p in problems]


@pytest.mark.parametrize(
    "url",
    [
        "https://law.moj.gov.tw/",
        "https://law.moj.gov.tw",
        "https://www.dgpa.gov.tw/",
        "https://www.dgpa.gov.tw/index.html",
        "https://www.dgpa.gov.tw/mp.asp?mp=1",
        "https://edu.law.moe.gov.tw/Default.aspx",
        "https://www.bot.com.tw/",
    ],
)
def test_a_home_page_is_refused_at_its_line(content_dir: Path, url: str) -> None:
    problems = problems_for(content_dir, url)
    assert len(problems) == 1
    assert problems[0].endswith(
        f"leave-links.md:10: 「依據．第 1 項．網址」來源網址「{url}」是網站首頁；"
        "請連到該法規（全國法規資料庫的法規或條文頁）或公告本身的頁面"
    )


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/law",
        "https://law.moj.gov.tw.example.com/LawClass/LawAll.aspx?pcode=S0110016",
        "https://www.notbot.com.tw/page",
    ],
)
def test_a_site_that_is_not_official_is_refused(content_dir: Path, url: str) -> None:
    problems = problems_for(content_dir, url)
    assert len(problems) == 1 and "不是官方網站" in problems[0], problems


@pytest.mark.parametrize(
    "url",
    [
        "https://law.moj.gov.tw/LawClass/LawSingle.aspx?pcode=S0110016&flno=3",
        "https://law.moj.gov.tw/LawClass/LawAll.aspx?pcode=S0110016",
        "https://www.dgpa.gov.tw/information?uid=83&pid=11397",
        "https://www.bot.com.tw/tw/government-employee-insurance/faq",
        "https://travel.nccc.com.tw/NASApp/NTC/servlet/com.du.mvc.EntryServlet?Action=Q",
    ],
)
def test_the_page_of_a_rule_on_an_official_site_passes(content_dir: Path, url: str) -> None:
    assert problems_for(content_dir, url) == []


def test_only_a_self_service_system_may_be_linked_by_its_home_page() -> None:
    assert source_link_problem("https://ecpa.dgpa.gov.tw/") is None  # the system's sign-in
    assert source_link_problem("https://elearn.hrd.gov.tw/") is None
    assert source_link_problem("https://pics.dgpa.gov.tw/") is not None  # an agency's site
    assert is_home_page("https://www.dgpa.gov.tw/mp.aspx?mp=1")
    assert not is_home_page("https://www.dgpa.gov.tw/mp.asp?mp=2&ctNode=1")
    assert not is_home_page("https://law.moj.gov.tw/LawClass/LawAll.aspx?pcode=S0070001")


LAW = "https://law.moj.gov.tw/LawClass/LawSingle.aspx?pcode=S0110016&flno=3"


def test_a_flag_without_a_note_is_refused_at_the_flag(content_dir: Path) -> None:
    problems = problems_for(content_dir, LAW, "needs_review: true\n")
    assert len(problems) == 1
    assert problems[0].endswith(
        "leave-links.md:12: 「待複查」標為待複查時須以「複查說明」（review_note）"
        "寫明哪一項事實尚未確認、為什麼"
    )


def test_a_note_without_a_flag_is_a_leftover(content_dir: Path) -> None:
    problems = problems_for(content_dir, LAW, "review_note: 第3條的日數待確認\n")
    assert len(problems) == 1 and "「複查說明」有「複查說明」卻未標為待複查" in problems[0]


def test_a_flag_with_its_note_passes_and_the_note_is_kept(content_dir: Path) -> None:
    flag = "needs_review: true\nreview_note: 第3條的日數待對照114年修正後條文\n"
    assert problems_for(content_dir, LAW, flag) == []
    content, _ = read_content(content_dir)
    assert content is not None
    entry = next(e for e in content.faq if e.id == "leave-links")
    assert entry.review_note == "第3條的日數待對照114年修正後條文"
