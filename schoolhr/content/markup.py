"""The Markdown that content may use: an allow-list, checked in ``schoolhr content check`` and
when a county content pack is imported.

Allowed: text, emphasis, headings, lists, tables, quotes, code, rules, and links to an absolute
``http://`` or ``https://`` address (``[text](https://…)``, ``<https://…>`` or the bare
address). Everything else that a Markdown viewer could turn into something other than text is
refused:

- raw HTML of any kind: tags (``<script>``, ``<img …>``, ``<iframe>``, ``</b>`` …), comments
  (``<!-- -->``), declarations and processing instructions (``<!…>``, ``<?…>``), and an angle
  bracket autolink that is not http(s) (``<file:///…>``, ``<mailto:…>``, ``<a@b.tw>``);
- images (``![…](…)``): the viewer loads no picture from content (guide pictures are a guide
  step's ``picture``, not Markdown);
- a link or link reference definition whose address is not ``http(s)://…`` once its character
  references and backslash escapes are decoded (``javascript:``, ``file:``, ``data:``,
  relative paths, ``#anchors``, empty addresses);
- ``file:``, ``ftp:``, ``javascript:``, ``vbscript:`` addresses written out as text.

The check is deliberately stricter than Markdown itself (an HTML-looking ``<b`` in a code span
is refused too): a full-width ``＜`` shows an angle bracket without any doubt.
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Iterator
from typing import Any

from schoolhr.content.links import flag_problem, source_link_problem

MAX_PER_TEXT = 10  # problems reported for one text; the rest is the same mistake again

_WEB = re.compile(r"https?://[^\s<>]", re.IGNORECASE)
_ANGLE = re.compile(r"<[A-Za-z/!?]")
_AUTOLINK = re.compile(r"<https?://[^<>\s]*>", re.IGNORECASE)
_TAG_NAME = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*")
_INLINE_LINK = re.compile(r"\]\(")
_DEFINITION = re.compile(r"\[[^\]\n]*\]:")
_BARE = re.compile(r"(?<![A-Za-z0-9+.\-(<])(?:file|ftp|javascript|vbscript):", re.IGNORECASE)
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")

FIELD_LABELS = {
    "id": "編號",
    "title": "標題",
    "category": "分類",
    "audience": "適用對象",
    "keywords": "關鍵字",
    "sources": "依據",
    "name": "名稱",
    "article": "條號",
    "url": "網址",
    "reviewed": "檢閱日期",
    "needs_review": "待複查",
    "review_note": "複查說明",
    "body": "答案",
    "version": "版本",
    "publisher": "發布單位",
    "note": "說明",
    "kinds": "積點類別",
    "label": "名稱",
    "points": "積點",
    "cap_per_year": "每年上限",
    "seniority": "年資加成",
    "from_years": "起始年資",
    "to_years": "結束年資",
    "multiplier": "加成倍數",
    "thresholds": "門檻",
    "min_points": "門檻點數",
    "proposal": "獎度",
    "seed_teacher": "種籽教師",
    "staff_limit": "員額界限",
    "large_office_choice": "逾員額界限時的獎勵方式",
    "purpose": "用途",
    "sections": "區段",
    "items": "項目",
    "help": "說明",
    "choices": "選項",
    "signatures": "簽章欄",
    "prerequisites": "事前準備",
    "steps": "步驟",
    "detail": "說明",
    "warning": "注意",
    "mistakes": "常見錯誤",
    "problem": "狀況",
    "meaning": "意思",
    "picture": "圖片",
    "system": "系統",
    "code": "代碼",
    "systems": "系統",
}
"""zh-TW names of content fields, for messages that say where a problem is."""


def markup_problems(text: str) -> list[tuple[int, str]]:
    """What in ``text`` is outside the allow-list, as (line of ``text``, zh-TW message), in the
    order it occurs; at most ``MAX_PER_TEXT``."""
    problems: list[tuple[int, str]] = []
    kinds_on: dict[int, set[str]] = {}
    line, counted = 1, 0
    for position, kind, message in sorted(_findings(text)):
        line += text.count("\n", counted, position)
        counted = position
        seen = kinds_on.setdefault(line, set())
        # one problem of a kind a line (<script>…</script> is one); an address written out
        # only when nothing else on its line (the <img> or link that holds it) is reported
        if kind in seen or (kind == "bare" and seen):
            continue
        seen.add(kind)
        problems.append((line, message))
        if len(problems) == MAX_PER_TEXT:
            break
    return problems


def _findings(text: str) -> Iterator[tuple[int, str, str]]:
    """(position, kind, message) of each finding; at most ``MAX_PER_TEXT`` × 2 of a kind (a
    long text full of the same mistake costs no more than a short one)."""
    for kind, find in (("html", _html), ("image", _images), ("link", _links), ("bare", _bare)):
        for position, message in itertools.islice(find(text), MAX_PER_TEXT * 2):
            yield position, kind, message


def _html(text: str) -> Iterator[tuple[int, str]]:
    for match in _ANGLE.finditer(text):
        start = match.start()
        if _AUTOLINK.match(text, start):
            continue
        if text.startswith("<!--", start):
            yield start, "不可使用 HTML 註解（<!-- -->）"
            continue
        name = _TAG_NAME.match(text, start)
        shown = name.group(0) if name else text[start : start + 2]
        yield (
            start,
            (
                f"不可使用 HTML 標籤或角括號連結「{shown}…」，只能用 Markdown"
                "（要顯示角括號請改用全形「＜」「＞」）"
            ),
        )


def _images(text: str) -> Iterator[tuple[int, str]]:
    for match in re.finditer(r"!\[", text):
        yield match.start(), "不可嵌入圖片（![…](…)）；程式不顯示答案中的圖片，請改用文字或連結"


def _links(text: str) -> Iterator[tuple[int, str]]:
    for match in _INLINE_LINK.finditer(text):
        address = _address(text, match.end())
        if not _WEB.match(address):
            yield match.start(), _bad_link(address)
    for match in _DEFINITION.finditer(text):
        address = _address(text, match.end())
        if not _WEB.match(address):
            yield match.start(), _bad_link(address)


def _bare(text: str) -> Iterator[tuple[int, str]]:
    for match in _BARE.finditer(text):
        yield (
            match.start(),
            f"不可寫出「{match.group(0)}」開頭的網址；只能連到 http:// 或 https:// 網址",
        )


def _address(text: str, start: int) -> str:
    """The start of the link address at ``start`` (after ``](`` or ``]:``), decoded as a
    Markdown viewer would: leading blanks (and one line break) skipped, ``<…>`` opened,
    backslash escapes and character references resolved. Only its scheme matters."""
    window = text[start : start + 300].lstrip(" \t")
    if window.startswith("\r\n"):
        window = window[2:]
    elif window[:1] in ("\n", "\r"):
        window = window[1:]
    window = window.lstrip(" \t")
    if window.startswith("<"):
        window = window[1:]
    ends = [window.find(c) for c in (" ", "\t", "\n", "\r", ">") if c in window]
    token = window[: min(ends)] if ends else window
    return html.unescape(_ESCAPE.sub(r"\1", token))


def _bad_link(address: str) -> str:
    shown = address[:40] + ("…" if len(address) > 40 else "")
    if not address or address.startswith(")"):
        return "連結沒有網址；連結只能指向 http:// 或 https:// 網址"
    return f"連結「{shown}」不是 http:// 或 https:// 網址；連結只能指向公開網頁"


def record_problems(
    value: Any, loc: tuple[str | int, ...] = ()
) -> list[tuple[tuple[str | int, ...], int, str]]:
    """Every string in ``value`` (a record as JSON: dicts, lists, strings), checked:
    (where, line of that string, message). Each source's address and a FAQ record's review flag
    are checked too (``schoolhr.content.links``)."""
    out: list[tuple[tuple[str | int, ...], int, str]] = []
    if not loc and isinstance(value, dict) and "needs_review" in value:
        flag = flag_problem(value)
        if flag is not None:
            out.append(((flag[0],), 1, flag[1]))
    stack: list[tuple[tuple[str | int, ...], Any]] = [(loc, value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, str):
            out.extend((where, line, message) for line, message in markup_problems(item))
        elif isinstance(item, dict):
            url = item.get("url")
            if len(where) >= 2 and where[-2] == "sources" and isinstance(url, str):
                problem = source_link_problem(url)
                if problem is not None:
                    out.append(((*where, "url"), 1, problem))
            stack.extend(((*where, str(k)), v) for k, v in reversed(list(item.items())))
        elif isinstance(item, list):
            stack.extend(((*where, i), v) for i, v in reversed(list(enumerate(item))))
    return out


def field_label(loc: tuple[str | int, ...]) -> str:
    """「步驟．第 2 項．說明」 for ("steps", 1, "detail")."""
    parts = [
        FIELD_LABELS.get(part, part) if isinstance(part, str) else f"第 {part + 1} 項"
        for part in loc
    ]
    return "．".join(parts) or "內容"
