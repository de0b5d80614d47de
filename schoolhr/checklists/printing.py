"""A checklist as a printable form: blank from its template, or filled in from a run."""

from __future__ import annotations

from datetime import date

from schoolhr.checklists.schema import ChecklistItem, ChecklistTemplate
from schoolhr.checklists.service import RunView
from schoolhr.reports.pdf import FormDocument, FormRow, FormSection
from schoolhr.text import roc_date

TYPE_HINTS = {"date": "（日期）", "number": "（數字）", "text": "", "choice": ""}


def form_document(
    template: ChecklistTemplate,
    run: RunView | None,
    site_name: str,
    today: date,
) -> FormDocument:
    """The form for ``template``; with ``run``, its answers and notes filled in."""
    sections = [
        FormSection(
            title=section.title,
            rows=[_row(item, run) for item in section.items],
        )
        for section in template.sections
    ]
    subtitle_parts = []
    if run is not None:
        if run.period:
            subtitle_parts.append(f"期間：{run.period}")
        if run.person:
            subtitle_parts.append(f"對象：{run.person}")
        if run.due_date:
            subtitle_parts.append(f"期限：{roc_date(run.due_date)}")
        done, total = run.progress
        subtitle_parts.append(f"已完成 {done}／{total} 項")
        for score in run.scores():
            subtitle_parts.append(f"{score.label}：{score.count} 項，{score.percent}%")
    intro = template.purpose
    for section in template.sections:
        if section.note:
            intro += f"\n{section.title}：{section.note}"
    sources = "；".join(source.name for source in template.sources)
    return FormDocument(
        title=template.title,
        site_name=site_name,
        printed_on=today,
        sections=sections,
        subtitle="　".join(subtitle_parts),
        intro=intro,
        signatures=tuple(template.signatures),
        footer_note=f"依據：{sources}（內容檢閱日期 {roc_date(template.reviewed)}）",
    )


def _row(item: ChecklistItem, run: RunView | None) -> FormRow:
    label = item.label
    if item.type == "choice" and item.choices:
        label += "（" + "／".join(item.choices) + "）"
    else:
        label += TYPE_HINTS.get(item.type, "")
    value = run.answers.get(item.id, "") if run else ""
    note = run.notes.get(item.id, "") if run else ""
    if item.type == "check":
        return FormRow(label=label, checked=bool(value), note=note)
    if item.type == "date" and value:
        value = roc_date(date.fromisoformat(value))
    return FormRow(label=label, value=value, note=note)
