"""PDF forms: rare characters, embedded fonts, pagination, page numbers, escaping, margins."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pypdf
import pytest

from schoolhr.errors import UserFileError
from schoolhr.reports.fonts import EXT_B_FONT, MAIN_FONT, register_fonts
from schoolhr.reports.pdf import FormDocument, FormRow, FormSection, RenderResult, render_form

RARE = "堃喆犇峯碁銹裏墻恒粧嫺"
EXT_B = "\U0002148a"  # 𡒊, CJK Extension B
NO_FONT = "\U00030000"  # CJK Extension G: in neither bundled font
MM = 72 / 25.4


def render(document: FormDocument) -> tuple[RenderResult, pypdf.PdfReader, bytes]:
    buffer = io.BytesIO()
    result = render_form(document, buffer)
    data = buffer.getvalue()
    return result, pypdf.PdfReader(io.BytesIO(data)), data


def page_texts(reader: pypdf.PdfReader) -> list[str]:
    return [page.extract_text() for page in reader.pages]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def form(*sections: FormSection, **fields: Any) -> FormDocument:
    values: dict[str, Any] = {
        "title": "新進人員報到檢核表",
        "site_name": "臺東縣立桃源國民小學",
        "printed_on": date(2024, 3, 5),
        "sections": list(sections),
    }
    values.update(fields)
    return FormDocument(**values)


@pytest.fixture(scope="module")
def rare_form() -> tuple[RenderResult, pypdf.PdfReader, bytes]:
    rows = [
        FormRow("到職人員姓名", value="林" + RARE[:6] + EXT_B),
        FormRow("學經歷證件", checked=True, note="備註" + RARE[6:]),
        FormRow("公保加保", checked=False, value="待辦"),
    ]
    return render(
        form(
            FormSection("一、報到當日", rows),
            subtitle="對象：王" + EXT_B,
            intro="本表供兼任人事核對報到程序。",
            footer_note="依據：公務人員任用法",
        )
    )


def test_rare_name_characters_print_and_extract(rare_form: Any) -> None:
    result, reader, _ = rare_form
    text = "".join(page_texts(reader))
    for char in RARE + EXT_B:
        assert char in text, f"U+{ord(char):04X} missing from the PDF text"
    assert result.missing_characters == []


def test_ext_b_character_uses_the_fallback_font() -> None:
    fonts = register_fonts()
    assert fonts.font_for("堃") == MAIN_FONT
    assert fonts.font_for(EXT_B) == EXT_B_FONT
    assert fonts.font_for(NO_FONT) is None


def test_title_items_site_and_roc_date_in_text(rare_form: Any) -> None:
    result, reader, data = rare_form
    text = squeeze("".join(page_texts(reader)))
    for expected in (
        "新進人員報到檢核表",
        "臺東縣立桃源國民小學",
        "列印日期：113年3月5日",
        "一、報到當日",
        "到職人員姓名",
        "公保加保",
        "待辦",
        "依據：公務人員任用法",
        "承辦人",
        "單位主管",
    ):
        assert expected in text
    assert result.pages == len(reader.pages) == 1
    assert result.size == len(data)
    assert data.startswith(b"%PDF-")


def _fonts(reader: pypdf.PdfReader) -> list[Any]:
    found = []
    for page in reader.pages:
        resources: Any = page["/Resources"].get_object()
        for ref in resources.get("/Font", {}).values():
            found.append(ref.get_object())
    return found


def test_fonts_are_embedded_and_nothing_else_is_referenced(rare_form: Any) -> None:
    _, reader, _ = rare_form
    fonts = _fonts(reader)
    assert fonts
    base_names = set()
    for font in fonts:
        base_names.add(str(font["/BaseFont"]))
        assert font["/Subtype"] == "/TrueType", font["/BaseFont"]
        descriptor = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, f"{font['/BaseFont']} is not embedded"
        assert "/ToUnicode" in font
    # subsets of TW-Kai and of its Ext-B companion, and no standard or system font
    assert any("TW-Kai-98_1" in name for name in base_names)
    assert any("TW-Kai-Ext-B" in name for name in base_names)
    assert all(re.fullmatch(r"/[A-Z]{6}\+TW-Kai.*", name) for name in base_names), base_names


def test_long_note_paginates_and_keeps_all_its_text() -> None:
    sentences = [f"第{i:03d}句：請確認證件正本與影本相符並登錄到職資料。" for i in range(200)]
    note = "".join(sentences)[:5000]
    assert len(note) == 5000
    rows = [FormRow(f"項目{i}", checked=i % 2 == 0, note="短備註") for i in range(6)]
    rows.insert(2, FormRow("長備註", value="見備註", note=note))
    section = FormSection("二、系統設定", rows, columns=("甲欄", "乙欄", "丙欄"))
    result, reader, _ = render(form(section))
    assert result.pages > 1
    assert result.missing_characters == []
    decorations = ("臺東縣立桃源國民小學", "新進人員報到檢核表", "列印日期：113年3月5日")
    body = ""
    for number, text in enumerate(page_texts(reader), start=1):
        text = squeeze(text)
        for decoration in (*decorations, f"第{number}頁／共{result.pages}頁"):
            text = text.replace(decoration, "")
        body += re.sub("[甲乙丙]欄", "", text)
    assert squeeze(note) in body


def test_page_x_of_y_on_every_page() -> None:
    rows = [
        FormRow(f"檢核項目 {i}", checked=bool(i % 3), note="依規定辦理。" * 8) for i in range(60)
    ]
    result, reader, _ = render(form(FormSection("檢核", rows)))
    assert result.pages >= 3
    for number, text in enumerate(page_texts(reader), start=1):
        text = squeeze(text)
        assert f"第{number}頁／共{result.pages}頁" in text
        assert "新進人員報到檢核表" in text and "臺東縣立桃源國民小學" in text
        assert "項目" in text  # the header row repeats


def test_markup_in_user_text_prints_literally() -> None:
    rows = [
        FormRow("<b>粗體</b>", value="&amp; & <br/>", note="<font name=x>不是字型</font>"),
        FormRow("A & B <i>", checked=True, value="<para>"),
    ]
    result, reader, _ = render(
        form(FormSection("<u>節</u>", rows), title="表 <b>x</b>", intro="&lt; &#x41;")
    )
    text = squeeze("".join(page_texts(reader)))
    for literal in (
        "<b>粗體</b>",
        "&amp;&<br/>",
        "<fontname=x>不是字型</font>",
        "A&B<i>",
        "<para>",
        "<u>節</u>",
        "表<b>x</b>",
        "&lt;&#x41;",
    ):
        assert literal in text
    assert result.pages == 1


def test_character_without_a_font_is_reported_and_marked() -> None:
    assert register_fonts().font_for(NO_FONT) is None
    rows = [FormRow("姓名", value=f"陳{NO_FONT}明"), FormRow("其他", note=f"{NO_FONT}再一次\ue000")]
    result, reader, _ = render(form(FormSection("一", rows), site_name="桃源國小"))
    assert result.missing_characters == [NO_FONT, "\ue000"]  # each once, in order
    text = squeeze("".join(page_texts(reader)))
    assert "陳□明" in text
    assert "U+30000、U+E000" in text  # the note under the form names the code points
    assert NO_FONT not in text


def test_invisible_characters_are_not_reported() -> None:
    text = "王\u200b小\ufeff明\u00a0\t先生\U000e0100"  # ZWSP, BOM, NBSP, tab, an IVS selector
    result, reader, _ = render(form(FormSection("一", [FormRow("姓名", value=text)])))
    assert result.missing_characters == []
    assert "王小明" in squeeze(page_texts(reader)[0])


def test_check_boxes_are_drawn_not_typed() -> None:
    rows = [FormRow("已勾", checked=True), FormRow("未勾", checked=False)]
    _, reader, _ = render(form(FormSection("一", rows), signatures=()))
    text = page_texts(reader)[0]
    assert not set(text) & set("☐☑☒✓✔□■")
    content = reader.pages[0].get_contents()
    assert content is not None
    ops = content.get_data().decode("latin-1")
    # two empty-box rectangles and one tick path (moveto, lineto, lineto, stroke)
    assert ops.count(" re\n") + ops.count(" re ") >= 2
    assert re.search(r" m\s+[\d.]+ [\d.]+ l\s+[\d.]+ [\d.]+ l\s+S", ops)


def test_signature_box_is_optional_and_never_split() -> None:
    _, reader, _ = render(form(FormSection("一", [FormRow("甲")]), signatures=()))
    assert "承辦人" not in squeeze(page_texts(reader)[0])
    # Push the box row by row past the end of page 2: labels, sign space and date lines stay
    # together, and once they no longer fit they all move to the next page.
    moved = False
    for count in range(33, 39):
        rows = [FormRow(f"項目{i}", note="說明" * 20) for i in range(count)]
        _, reader, _ = render(form(FormSection("一", rows), signatures=("承辦人", "校長")))
        texts = [squeeze(text) for text in page_texts(reader)]
        pages = [index for index, text in enumerate(texts) if "承辦人" in text]
        assert len(pages) == 1
        assert "校長" in texts[pages[0]] and texts[pages[0]].count("民國＿年＿月＿日") == 2
        moved |= f"項目{count - 1}" not in texts[pages[0]]
    assert moved


def test_empty_document_and_section() -> None:
    result, reader, _ = render(form(FormSection("空的一節", []), subtitle="", intro=""))
    assert result.pages == 1
    assert "本節沒有項目" in squeeze(page_texts(reader)[0])


def test_writes_a_path_and_replaces_it_whole(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "表.pdf"
    target.write_bytes(b"old")
    result = render_form(form(FormSection("一", [FormRow("甲", "乙")])), target)
    assert target.read_bytes().startswith(b"%PDF-")
    assert result.size == target.stat().st_size
    assert [p.name for p in folder.iterdir()] == ["表.pdf"]  # no temporary file left


def test_unwritable_target_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserFileError, match="無法寫入"):
        render_form(form(), tmp_path / "no-such-folder" / "表.pdf")


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_everything_printed_stays_15_mm_from_the_edge(tmp_path: Path) -> None:
    long_label = "很長的項目名稱" * 30
    rows = [FormRow(long_label, value="x" * 300, note="備註，" * 400), FormRow("甲", checked=True)]
    target = tmp_path / "margins.pdf"
    document = form(
        FormSection("一", rows),
        title="很長的表單標題" * 12,
        site_name="臺東縣立很長很長的國民小學" * 5,
        footer_note="依據" * 200,
        signatures=("承辦人", "人事主任", "會計主任", "校長"),
    )
    render_form(document, target)
    html = subprocess.run(
        ["pdftotext", "-bbox", str(target), "-"], check=True, capture_output=True, text=True
    ).stdout
    page = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', html)
    assert page is not None
    width, height = float(page.group(1)), float(page.group(2))
    words = re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"', html
    )
    assert len(words) > 50
    for x_min, y_min, x_max, y_max in ((float(v) for v in word) for word in words):
        assert x_min >= 15 * MM and y_min >= 15 * MM
        assert x_max <= width - 15 * MM and y_max <= height - 15 * MM
