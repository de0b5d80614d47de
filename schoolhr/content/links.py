"""Where a content source may point, and what a 「待複查」 flag must say.

A clerk who opens a source must land on the regulation, article or notice the answer rests on,
on the site of the body that issued it. So a source address is refused when it

- is not on an official site: ``*.gov.tw``, ``*.edu.tw``, or one of the two agents that run a
  public scheme for the government (臺灣銀行公教保險部 for 公保, 聯合信用卡處理中心 for the
  國民旅遊卡); or
- is a site's home page (``https://www.dgpa.gov.tw/``, ``…/index.html``, ``…/mp.asp?mp=1``),
  which leaves the clerk to search for the rule. The only home pages allowed are those of the
  self-service systems a guide is about, where the home page *is* the system's sign-in page.

An FAQ answer flagged ``needs_review`` must carry a ``review_note`` naming the unverified fact,
and a note without the flag is a leftover; both are refused. These rules apply to the bundled
content (``schoolhr content check``), to county content packs (import and export) and to the
county's own edits in the app.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

OFFICIAL_SUFFIXES = (".gov.tw", ".edu.tw")
OFFICIAL_AGENTS = ("www.bot.com.tw", "nccc.com.tw")  # the host, or a subdomain of it
# Self-service systems whose address is the system itself (its sign-in page).
SYSTEM_HOSTS = frozenset(
    {
        "ecpa.dgpa.gov.tw",  # eCPA 人事服務網
        "elearn.hrd.gov.tw",  # e等公務園+學習平臺
        "inquiry.nccc.com.tw",  # 國民旅遊卡檢核系統
        "moica.nat.gov.tw",  # 內政部憑證管理中心
    }
)
_HOME_FILE = re.compile(r"^(index|default|home|main)\.(html?|aspx?|php|jsp)$", re.IGNORECASE)
_HOME_QUERY = re.compile(r"^mp=\d+$", re.IGNORECASE)
_HOME_SCRIPT = re.compile(r"^mp\.aspx?$", re.IGNORECASE)


def _official(host: str) -> bool:
    if host.endswith(OFFICIAL_SUFFIXES):
        return True
    return any(host == agent or host.endswith("." + agent) for agent in OFFICIAL_AGENTS)


def is_home_page(url: str) -> bool:
    parts = urlsplit(url)
    last = parts.path.strip("/").rsplit("/", 1)[-1] if parts.path.strip("/") else ""
    if "/" in parts.path.strip("/"):
        return False
    if not last:
        return not parts.query or bool(_HOME_QUERY.match(parts.query))
    if _HOME_FILE.match(last):
        return not parts.query
    return bool(_HOME_SCRIPT.match(last)) and bool(_HOME_QUERY.match(parts.query or "mp=1"))


def source_link_problem(url: str) -> str | None:
    """Why ``url`` may not be a source's address, or None when it may."""
    host = (urlsplit(url).hostname or "").lower()
    if not host:
        return "來源網址無法辨識"
    if not _official(host):
        return (
            f"來源網址「{host}」不是官方網站；請連到 law.moj.gov.tw、edu.law.moe.gov.tw "
            "或其他 .gov.tw、.edu.tw 網站上該法規或公告的頁面"
        )
    if is_home_page(url) and host not in SYSTEM_HOSTS:
        return (
            f"來源網址「{url}」是網站首頁；請連到該法規（全國法規資料庫的法規或條文頁）"
            "或公告本身的頁面"
        )
    return None


def flag_problem(record: dict[str, Any]) -> tuple[str, str] | None:
    """(field, message) when a FAQ record's 「待複查」 flag and note disagree."""
    flagged = bool(record.get("needs_review"))
    note = record.get("review_note")
    has_note = isinstance(note, str) and bool(note.strip())
    if flagged and not has_note:
        return (
            "needs_review",
            "標為待複查時須以「複查說明」（review_note）寫明哪一項事實尚未確認、為什麼",
        )
    if has_note and not flagged:
        return "review_note", "有「複查說明」卻未標為待複查；已確認的內容請刪除說明"
    return None
