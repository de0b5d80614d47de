"""Write resources/content/README.md, the content index, from the bundled content:
``python resources/content/make_index.py`` after any content change (tests/content/test_index.py
fails until the index is current)."""

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from schoolhr.content.files import read_content
from schoolhr.content.install import bundled_content_dir

c, problems = read_content(bundled_content_dir())
if c is None:
    sys.exit("\n".join(str(p) for p in problems))
out = []
w = out.append
w("# 內建內容索引（bundled content index）")
w("")
w(
    f"內容版本 {c.manifest.version}。這份索引列出內建的常見問答、操作指引與檢核表涵蓋什麼、依據哪些來源、何時檢閱。"
)
w(
    "目前的數量與「逾一年未檢閱」「待複查」清單以 `schoolhr content stats` 為準；`schoolhr content check` 檢查格式；"
)
w("`tests/content/test_index.py` 確認這份索引列出每一則內容（新增內容時一併更新本檔）。")
w("")
w("## 撰寫規則")
w("")
w("- 法規以名稱引用，只有確定時才寫條次；不寫沒有把握的金額、日數、期限或按鈕名稱。")
w("- 每則註明適用對象（教師、職員、兼任人事…）；教師與職員規定不同時分開寫。")
w("- 每則有檢閱日期（問答 `reviewed`、操作指引 `checked`、檢核表 `reviewed`）。")
w(
    "- `reviewed` 是對照所列來源實際核對的日期。只有某項具體事實（日數、金額、期限、條次、適用對象）未能在法規原文核對時，"
    "問答才標 `needs_review: true`，並以 `review_note` 寫明是哪一項事實、為什麼未能核對（App 在答案下方顯示「待複查事項」）；"
    "核對後刪除兩者。畫面與按鈕名稱未逐一核對的操作指引標 `needs_screen_check: true`（App 提醒以系統畫面為準）。"
)
w(
    "- 來源連到法規本身：法律與法規命令用全國法規資料庫的法規頁（`LawAll.aspx?pcode=…`），引條次時用條文頁"
    "（`LawSingle.aspx?pcode=…&flno=N`）；其他來源連到發布機關該規定或公告的頁面。`content check` 拒絕網站首頁"
    "（自助系統本身的登入頁除外）與官方網站（`*.gov.tw`、`*.edu.tw`、臺灣銀行公教保險部、國民旅遊卡網站）以外的網址；"
    "找不到官方頁面的來源只寫名稱（與文號），不放連結，`content stats` 列出這些來源。"
)
w(
    "- 回答以下一步結尾（在哪個系統做什麼，或請洽學校人事／縣市人事處），並提醒以全國法規資料庫的現行條文為準。"
)
w(
    "- 檔案一律存成 UTF-8 編碼，每個檔案不超過 1 MB；YAML 巢狀不超過 20 層，不用錨點與別名（`&`、`*`）或 `!!` 標記。"
)
w(
    "- 答案、指引與檢核表只用 Markdown 的文字格式：不用 HTML（任何 `<…>` 標籤或註解）、不嵌入圖片（指引步驟的圖片寫在 `picture`），"
    "連結只指向 `https://`（或 `http://`）網址；要顯示角括號請用全形「＜＞」。縣市內容包也依同樣規則檢查，不符者整包拒絕匯入。"
)
w("")
faq = sorted(c.faq, key=lambda e: (c.categories.index(e.category), e.id))
dates = [e.reviewed for e in c.faq]
w("## 常見問答")
w("")
w(
    f"共 {len(c.faq)} 則，檢閱日期 {min(dates)} 至 {max(dates)}，其中 {sum(1 for e in c.faq if e.needs_review)} 則標為待複查（needs_review）。"
)
w("")
w("| 分類 | 則數 | 待複查 |")
w("|---|---|---|")
for cat in c.categories:
    es = [e for e in c.faq if e.category == cat]
    w(f"| {cat} | {len(es)} | {sum(1 for e in es if e.needs_review)} |")
w("")
for cat in c.categories:
    w(f"### {cat}")
    w("")
    w("| id | 問題 | 對象 | 檢閱 | 待複查 |")
    w("|---|---|---|---|---|")
    for e in [e for e in faq if e.category == cat]:
        w(
            f"| `{e.id}` | {e.title} | {'、'.join(e.audience)} | {e.reviewed} | {'是' if e.needs_review else ''} |"
        )
    w("")
w("## 操作指引")
w("")
names = {s.code: s.name for s in c.systems}
w(
    f"共 {len(c.guides)} 份，其中 {sum(1 for g in c.guides if g.needs_screen_check)} 份標為畫面待核對（needs_screen_check）。"
)
w("")
w("| id | 工作 | 系統 | 對象 | 核對 |")
w("|---|---|---|---|---|")
for g in sorted(c.guides, key=lambda g: (g.system, g.id)):
    w(
        f"| `{g.id}` | {g.title} | {names.get(g.system, g.system)} | {'、'.join(g.audience)} | {g.checked} |"
    )
w("")
w("## 檢核表")
w("")
w(f"共 {len(c.checklists)} 份。")
w("")
w("| id | 檢核表 | 對象 | 檢閱 |")
w("|---|---|---|---|")
for k in sorted(c.checklists, key=lambda k: k.id):
    w(f"| `{k.id}` | {k.title} | {'、'.join(k.audience)} | {k.reviewed} |")
w("")
w("## 來源")
w("")
w(
    "引用次數（問答、操作指引、檢核表合計；同一來源的不同寫法各列一行）。網址只用官方網站首頁或系統入口。"
)
w("")
cnt = Counter()
for item in list(c.faq) + list(c.guides) + list(c.checklists):
    for s in item.sources:
        cnt[s.name] += 1
w("| 來源 | 引用 |")
w("|---|---|")
for name, n in sorted(cnt.items(), key=lambda x: (-x[1], x[0])):
    w(f"| {name.replace('|', '／')} | {n} |")
w("")
w(
    "種子文件（縣市提供、未隨程式發布的四份原始文件）：001 人事業務精進建議（FAQ 機器人、同義詞、安心培力小群組、兼任人事獎勵），002 人事總處 113 年政策說明（補休 2 年期限、霸凌與性騷擾、個資與 AI 工具、帳號安全），003 嘉義縣人事業務數位化計畫（系統代碼、使用情形調查表 6/15 與 9/15），004 臺北市人事資訊系統訓練計畫（WebHR 子系統、種籽教師）。"
)
w("")
w("## 同義詞與停用詞")
w("")
w(
    f"`synonyms.tsv` 共 {len(c.synonyms)} 組：口語說法（特休、年假、國旅卡、育留…）、縮寫與系統代碼（A2、D6、DL1、WebITR…，只收種子文件說明過的代碼）、常見的注音與同音打錯字（補修、考積、嘉奬、霸淩…）。`stopwords.txt` 共 {len(c.stopwords)} 個停用詞。"
)
Path(__file__).with_name("README.md").write_text("\n".join(out) + "\n", encoding="utf-8")
