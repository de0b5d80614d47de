import re
import shutil
import subprocess
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


CJK = r"[\u2e80-\u2fff\u3001-\u303f\u3040-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]"
SPACE_BETWEEN_CJK = re.compile(f"{CJK}[ \u00a0\t]+{CJK}")
TYPE_LEAKS = ("（日期）", "（數字）", "（文字）", "（勾選）", "（選項）", "（選擇）")
FILLED = {"check": "1", "date": "2026-06-15", "number": "12", "text": "已辦理完成"}


def drawn_strings(path: Path) -> list[str]:
    """Each piece of text the PDF draws (one text operation), as read back from the file."""
    pieces: list[str] = []
    for page in PdfReader(path).pages:
        page.extract_text(visitor_text=lambda text, *_: pieces.append(text.strip("\n")))
    return [piece for piece in pieces if piece.strip()]


def filled_run(store: Store, template: ChecklistTemplate) -> service.RunView:
    with store.write() as session:
        label = "王小明" if template.period == "人員" else "115年度"
        run = service.start_run(
            session,
            template.id,
            period=label if template.period != "人員" else "",
            person=label if template.period == "人員" else "",
        )
        for item in template.items():
            value = (item.choices or [""])[0] if item.type == "choice" else FILLED[item.type]
            service.set_answer(session, run.id, item.id, value, note="已與承辦人確認")
        return service.run_view(session, run.id)


def assert_printed_as_offices_print_it(
    path: Path, template: ChecklistTemplate, empty_fields: int
) -> str:
    pieces = drawn_strings(path)
    text = "".join(pieces)
    for leak in TYPE_LEAKS:
        assert leak not in text
    for piece in pieces:
        assert not SPACE_BETWEEN_CJK.search(piece), piece
    # the sign-off block: each title once, a line to sign and a 民國 date line each
    signatures = template.signatures
    for title in signatures:
        assert title in text
    assert text.count("民國＿年＿月＿日") == len(signatures)
    # each box: a line to sign on and three in its date; and one for each empty head field
    assert pieces.count("＿") == 4 * len(signatures) + empty_fields
    return text


@pytest.mark.parametrize("template", bundled_templates(), ids=lambda t: t.id)
def test_blank_and_filled_forms_print_as_offices_print_them(
    template: ChecklistTemplate, store: Store, tmp_path: Path
) -> None:
    blank, filled = tmp_path / "blank.pdf", tmp_path / "filled.pdf"
    render_form(form_document(template, None, "測試國小", date(2026, 11, 22)), blank)
    text = assert_printed_as_offices_print_it(blank, template, 2)
    subject = "對象" if template.period == "人員" else "期間"
    assert f"{subject}：＿" in text and "填表人：＿" in text  # lines to write on, not blanks
    if any(item.type == "date" for item in template.items()):
        assert "＿＿年＿＿月＿＿日" in text

    install_bundled_content(store)
    run = filled_run(store, template)
    render_form(form_document(run.template, run, "測試國小", date(2026, 11, 22)), filled)
    text = assert_printed_as_offices_print_it(filled, template, 1)
    value = "王小明" if template.period == "人員" else "115年度"
    assert f"{subject}：{value}" in text and "填表人：＿" in text
    if any(item.type == "date" for item in template.items()):
        assert "115年6月15日" in text and "＿＿年＿＿月＿＿日" not in text


def test_the_default_sign_off_and_blank_choices(tmp_path: Path) -> None:
    data = bundled_templates()[0].model_dump(mode="json")
    data.pop("signatures")
    data["sections"] = [
        {
            "id": "one",
            "title": "一、測試",
            "items": [
                {"id": "on", "label": "到職日期", "type": "date"},
                {"id": "who", "label": "身分", "type": "choice", "choices": ["教師", "職員"]},
                {"id": "count", "label": "人數", "type": "number"},
            ],
        }
    ]
    template = ChecklistTemplate.model_validate(data)
    assert template.signatures == ["承辦人", "單位主管", "校長"]
    target = tmp_path / "default.pdf"
    render_form(form_document(template, None, "測試國小", date(2026, 11, 22)), target)
    text = assert_printed_as_offices_print_it(target, template, 2)
    assert "承辦人單位主管校長" in text  # the sign-off block, in that order
    assert "到職日期" in text and "□教師" in text and "□職員" in text and "人數（" not in text
    for wrong in (["校長", "校長"], ["一", "二", "三", "四", "五"], ["很長很長很長的主管職稱名稱"]):
        with pytest.raises(ValueError):
            ChecklistTemplate.model_validate({**data, "signatures": wrong})
    assert ChecklistTemplate.model_validate({**data, "signatures": []}).signatures == []


def test_pdftotext_shows_no_type_hint_and_the_sign_off(tmp_path: Path) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("needs poppler-utils")
    template = next(t for t in bundled_templates() if t.id == "seed-teacher-attendance")
    target = tmp_path / "form.pdf"
    render_form(form_document(template, None, "測試國小", date(2026, 11, 22)), target)
    text = subprocess.run(
        ["pdftotext", str(target), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "參加日期（日期）" not in text and "時數（數字）" not in text
    assert "填表人：＿" in text and "民國＿年＿月＿日" in text
    assert "（每人每年一份），作為" in text  # the folded YAML line's space is gone
