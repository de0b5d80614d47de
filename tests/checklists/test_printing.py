from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from schoolhr.checklists import service
from schoolhr.checklists.printing import form_document
from schoolhr.checklists.schema import ChecklistTemplate
from schoolhr.content.files import read_content
from schoolhr.content.install import bundled_content_dir, install_bundled_content
from schoolhr.reports.pdf import render_form
from schoolhr.store.database import Store

RARE = "堃喆犇峯碁銹裏墻恒粧嫺𡒊"


def bundled_templates() -> list[ChecklistTemplate]:
    content, problems = read_content(bundled_content_dir())
    assert content is not None, problems
    return content.checklists


def pdf_text(path: Path) -> str:
    return "".join(page.extract_text() for page in PdfReader(path).pages).replace("\n", "")


@pytest.mark.parametrize("template", bundled_templates(), ids=lambda t: t.id)
def test_every_bundled_template_prints_blank(template: ChecklistTemplate, tmp_path: Path) -> None:
    target = tmp_path / f"{template.id}.pdf"
    result = render_form(form_document(template, None, "測試國小", date(2026, 11, 22)), target)
    text = pdf_text(target)
    assert result.pages >= 1 and result.missing_characters == []
    assert template.title in text
    first = template.sections[0].items[0].label
    assert first[:8] in text


def test_a_filled_run_prints_answers_rare_names_and_a_long_note(
    store: Store, tmp_path: Path
) -> None:
    install_bundled_content(store)
    with store.write() as session:
        run = service.start_run(session, "chiayi-usage-report", period="115年", person=RARE)
        service.set_answer(session, run.id, "a2", True, note=RARE + "。" + "備註很長" * 1250)
        service.set_answer(session, run.id, "report-date", "2026-06-15")
        view = service.run_view(session, run.id)
    target = tmp_path / "run.pdf"
    result = render_form(form_document(view.template, view, "測試國小", date(2026, 11, 22)), target)
    text = pdf_text(target)
    assert result.pages > 4 and result.missing_characters == []
    for char in RARE:
        assert char in text
    assert "115年6月15日" in text and "已完成 2／" in text
