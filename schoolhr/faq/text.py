"""An FAQ answer as plain text: for ``schoolhr faq show`` and the 「複製答案」 button."""

from __future__ import annotations

from schoolhr.faq.service import FaqView
from schoolhr.text import roc_date


def sources_line(view: FaqView) -> str:
    parts = []
    for source in view.sources:
        part = source["name"] + (f" {source['article']}" if source.get("article") else "")
        parts.append(part + (f"（{source['url']}）" if source.get("url") else ""))
    return "；".join(parts)


def plain_text(view: FaqView) -> str:
    lines = [
        view.title,
        f"適用對象：{'、'.join(view.audience)}　分類：{view.category}",
        "",
        view.body.strip(),
        "",
        f"依據：{sources_line(view)}",
        f"內容檢閱日期：{roc_date(view.reviewed)}" + ("（待複查）" if view.needs_review else ""),
    ]
    if view.needs_review and view.review_note:
        lines.append(f"待複查事項：{view.review_note}")
    return "\n".join(lines)
