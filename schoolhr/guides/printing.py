"""A guide as a printable PDF: its steps (pictures included, never split across pages), the
prerequisites, and the common mistakes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from schoolhr.guides.schema import Guide
from schoolhr.guides.service import SystemView, picture_path
from schoolhr.reports.pdf import FormDocument, FormRow, FormSection, FormStep
from schoolhr.text import based_on


def guide_document(
    guide: Guide,
    system: SystemView,
    content_dir: Path,
    data_dir: Path,
    site_name: str,
    today: date,
) -> FormDocument:
    """``data_dir``: the profile's folder, where the pictures county packs brought are."""
    steps = [
        FormStep(
            title=step.title,
            detail=step.detail or "",
            warning=step.warning or "",
            picture=picture_path(content_dir, step.picture, data_dir) if step.picture else None,
        )
        for step in guide.steps
    ]
    sections = []
    if guide.mistakes:
        sections.append(
            FormSection(
                title="常見錯誤與狀況",
                rows=[FormRow(label=m.problem, value=m.meaning) for m in guide.mistakes],
                columns=("狀況", "說明與處理", "處理紀錄"),
            )
        )
    intro = [f"系統：{system.name}" + (f"（{system.url}）" if system.url else "")]
    intro.append(f"適用對象：{'、'.join(guide.audience)}")
    if guide.prerequisites:
        intro.append("事前準備：" + "；".join(guide.prerequisites))
    if guide.needs_screen_check:
        intro.append("※ 本指引的畫面細節尚未逐一與實際系統核對，操作時以系統畫面為準。")
    return FormDocument(
        title=guide.title,
        site_name=site_name,
        printed_on=today,
        sections=sections,
        subtitle="操作指引",
        intro="\n".join(intro),
        signatures=(),
        footer_note=based_on((source.name for source in guide.sources), "最後核對", guide.checked),
        steps=steps,
    )
