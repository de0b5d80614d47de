"""A checklist as a printable form: blank from its template, or filled in from a run.

Labels are the template's, never followed by the item's type. On a blank form (or an item left
empty) a date item offers 「＿年＿月＿日」 to fill in and a choice item its choices, each with a
box to tick; the head has lines to write the 期間 (or 對象) and the 填表人 on; the sign-off block
is the template's ``signatures``.
"""

from __future__ import annotations

from datetime import date

from schoolhr.checklists.schema import ChecklistItem, ChecklistTemplate
from schoolhr.checklists.service import RunView
from schoolhr.reports.pdf import FormDocument, FormField, FormRow, FormSection
from schoolhr.text import based_on, roc_date

DATE_BLANK = "＿＿年＿＿月＿＿日"  # 民國; fits the 內容 column on one line
CHOICES_ON_ONE_LINE = 9  # characters; longer choices go one a line


def form_document(
    template: ChecklistTemplate,
    run: RunView | None,
    site_name: str,
    today: date,
) -> FormDocument:
    """The form for ``template``; with ``run``, its answers and notes filled in."""
    sections = [
        FormSection(section.title, [_row(item, run) for item in section.items])
        for section in template.sections
    ]
    for_person = template.period == "人員"
    subject = (run.person or run.period) if run and for_person else (run.period if run else "")
    fields = [FormField("對象" if for_person else "期間", subject), FormField("填表人")]
    subtitle_parts = []
    if run is not None:
        if run.person and not for_person:
            fields.insert(1, FormField("對象", run.person))
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
    return FormDocument(
        title=template.title,
        site_name=site_name,
        printed_on=today,
        sections=sections,
        subtitle="；".join(subtitle_parts),
        intro=intro,
        fields=tuple(fields),
        signatures=tuple(template.signatures),
        footer_note=based_on(
            (source.name for source in template.sources), "內容檢閱日期", template.reviewed
        ),
    )


def _row(item: ChecklistItem, run: RunView | None) -> FormRow:
    value = run.answers.get(item.id, "") if run else ""
    note = run.notes.get(item.id, "") if run else ""
    if item.type == "check":
        return FormRow(label=item.label, checked=bool(value), note=note)
    if item.type == "date":
        value = roc_date(date.fromisoformat(value)) if value else DATE_BLANK
    elif item.type == "choice" and not value:
        boxes = [f"□{choice}" for choice in item.choices or ()]
        value = "　".join(boxes)
        if len(value) > CHOICES_ON_ONE_LINE:
            value = "\n".join(boxes)
    return FormRow(label=item.label, value=value, note=note)
