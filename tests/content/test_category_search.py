"""The bundled FAQ answers the way clerks ask: in every category, two entries are each found
(among the first three) by two different phrasings, none of them the entry's title."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from schoolhr.content.files import read_content
from schoolhr.content.install import bundled_content_dir, install_bundled_content
from schoolhr.paths import prepare_data_dir
from schoolhr.search.engine import Searcher
from schoolhr.store.database import open_store

# category -> {entry id: (phrasing, phrasing)}
PHRASINGS: dict[str, dict[str, tuple[str, str]]] = {
    "請假": {
        "leave-bereavement": ("阿嬤過世喪假幾天", "家人往生可以請什麼假"),
        "leave-family-care": ("小孩發燒要請假照顧", "家庭照顧假怎麼請"),
    },
    "公假公差公出": {
        "official-leave-injury-commute": ("上班途中車禍可以請公假嗎", "因公受傷請假"),
        "official-leave-teacher-cases": ("老師哪些情況可以請公假", "教師公假"),
    },
    "加班與補休": {
        "overtime-after-the-fact": ("加班忘記先申請", "事後補申請加班"),
        "overtime-comp-leave-balance": ("補休還剩幾小時", "查補修餘額"),
    },
    "成績考核與考績": {
        "evaluation-appeal": ("考績不服怎麼辦", "對考核結果不滿可以申訴嗎"),
        "evaluation-partial-year": ("年中到職要打考績嗎", "另予考績"),
    },
    "獎懲": {
        "rewards-levels": ("記功和嘉獎差在哪", "記大功是什麼"),
        "rewards-offset": ("嘉獎抵申誡", "功過相抵"),
    },
    "待遇與福利": {
        "pay-child-education-allowance": ("小孩學費補助", "子女教育補助申請條件"),
        "pay-life-allowance-deadline": ("生育補助期限", "結婚補助多久內要申請"),
    },
    "年終工作獎金": {
        "year-end-bonus-basics": ("年終什麼時候發", "年終獎金怎麼發"),
        "year-end-bonus-not-paid": ("被記過還有年終嗎", "哪些人領不到年終"),
    },
    "保險": {
        "insurance-dependent-funeral": ("爸爸過世公保喪葬津貼", "眷屬喪葬給付"),
        "insurance-gongbao-benefits": ("公保給付有哪些", "公保可以申請哪些給付"),
    },
    "退休與撫卹": {
        "retirement-estimate-mydata": ("退休金試算", "MyData 看不到試算"),
        "retirement-application-steps": ("同仁要退休兼任人事要做什麼", "申請退休流程"),
    },
    "育嬰與留職停薪": {
        "parental-leave-allowance": ("育嬰假有津貼嗎", "育留津貼怎麼申請"),
        "parental-leave-insurance-during": ("育嬰留停期間健保", "留職停薪公保怎麼辦"),
    },
    "國民旅遊卡": {
        "travel-card-apply-card": ("國旅卡怎麼辦卡", "用自己的信用卡可以請休假補助嗎"),
        "travel-card-business-trip": ("出差用國旅卡刷", "國旅卡刷出差住宿"),
    },
    "終身學習": {
        "learning-elearn-plus": ("e等公務園時數", "線上課程時數會自動登錄嗎"),
        "learning-classroom-hours": ("實體研習時數誰登錄", "參加研習學習時數"),
    },
    "到職與離職": {
        "leaving-checklist": ("同仁離職要辦哪些事", "離職要辦什麼"),
        "leaving-resignation": ("老師想辭職", "職員辭職"),
    },
    "兼任人事業務": {
        "parttime-hr-handover": ("人事業務交接", "兼任人事換人"),
        "parttime-hr-duties": ("兼任人事做什麼", "兼辦人事的工作內容"),
    },
    "職場霸凌與性騷擾": {
        "bullying-complaint": ("被同事霸凌怎麼申訴", "職場霸凌申訴"),
        "bullying-principal": ("校長霸凌", "被校長欺負要找誰"),
    },
    "個人資料保護": {
        "privacy-ai-tools": ("可以用AI查同仁資料嗎", "把個資貼到ChatGPT"),
        "privacy-email-id-list": ("用LINE傳身分證字號名冊", "email傳個資"),
    },
    "差勤與寒暑假": {
        "break-teacher-duties": ("老師暑假需要每天來學校嗎", "寒假返校日沒來算曠職嗎"),
        "break-staff-flexible-hours": ("彈性上班時間是幾點到幾點", "早上晚到可以晚一點下班嗎"),
    },
    "工友與約用人員": {
        "worker-janitor-leave": ("工友一年有幾天特休", "工友請病假薪水照發嗎"),
        "worker-temp-staff-insurance-pension": (
            "臨時人員要不要保勞保跟健保",
            "約用人員什麼時候要加保退保",
        ),
    },
    "代理代課教師": {
        "substitute-teacher-types": ("代理老師和代課老師差在哪", "長代跟短代有什麼不一樣"),
        "substitute-teacher-insurance": ("代理老師可以保公保嗎", "代課老師的勞保勞退要怎麼辦"),
    },
    "兼職與出國": {
        "side-job-staff-approval": ("幹事下班後想去兼差可以嗎", "公務員兼職要申請同意還是備查"),
        "abroad-mainland-china-permit": (
            "主任暑假要去上海旅遊要申請嗎",
            "公務員去大陸玩要先經過誰同意",
        ),
    },
    "財產申報與利益迴避": {
        "asset-declaration-who": ("總務主任需要申報財產嗎", "代理校長要不要申報財產"),
        "conflict-of-interest-recusal": (
            "校長的兒子來報考代理老師怎麼辦",
            "主管遇到親戚的人事案要迴避嗎",
        ),
    },
    "教評會與懲戒": {
        "teacher-review-committee-members": ("教評會委員要幾個人", "家長會代表是教評會當然委員嗎"),
        "staff-suspension": ("職員被羈押要停職嗎", "停職的時候薪水怎麼發"),
    },
    "陞遷轉調與介聘": {
        "promotion-exam-transfer-restriction": (
            "地方特考進來的幹事要待幾年才能調走",
            "新人綁約三年可以提早調回家嗎",
        ),
        "transfer-teacher-jiepin-basics": (
            "老師想調到外縣市要服務滿幾年",
            "縣內調校和全國介聘差在哪",
        ),
    },
    "系統操作": {
        "systems-codes": ("A2是什麼系統", "DL1代碼"),
        "systems-ecpa-card-problems": ("自然人憑證PIN碼忘記", "憑證鎖卡"),
    },
}


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Searcher]:
    store = open_store(prepare_data_dir(Path(tmp_path_factory.mktemp("bundled"))))
    assert install_bundled_content(store, bundled_content_dir()) is not None
    yield Searcher(store.engine)
    store.close()


def test_every_category_is_covered_by_the_phrasings() -> None:
    content, problems = read_content(bundled_content_dir())
    assert content is not None, problems
    category_of = {entry.id: entry.category for entry in content.faq}
    assert set(PHRASINGS) == set(content.categories)
    for category, entries in PHRASINGS.items():
        assert {category_of[entry_id] for entry_id in entries} == {category}


@pytest.mark.parametrize(
    ("entry_id", "phrasing"),
    [
        (entry_id, phrasing)
        for entries in PHRASINGS.values()
        for entry_id, phrasings in entries.items()
        for phrasing in phrasings
    ],
)
def test_an_entry_is_found_by_how_clerks_ask(
    searcher: Searcher, entry_id: str, phrasing: str
) -> None:
    found = [hit.ref for hit in searcher.search(phrasing, limit=3, kinds=("faq",)).hits]
    assert entry_id in found, f"「{phrasing}」 finds {found}"


def test_a_question_with_a_word_no_answer_holds_is_answered_without_it(
    searcher: Searcher,
) -> None:
    outcome = searcher.search("教師職員婚假一樣嗎", kinds=("faq",))
    assert outcome.skipped == ("一樣",)
    assert outcome.hits[0].ref == "leave-marriage"
