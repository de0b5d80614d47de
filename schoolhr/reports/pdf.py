"""A4 forms as PDF: the printing layer the features share (checklists, reward summaries …).

A feature describes its form as a ``FormDocument`` (title, site, date, sections of rows) and
calls ``render_form``. Every page carries the site name and the title at the top and the
民國 print date and "第 x 頁／共 y 頁" at the bottom, all at least 15 mm from the paper's edge
(office printers cannot print closer). Each section is a table whose header row repeats on
every page; a long cell (a note of thousands of characters) wraps and continues on the next
page instead of running off the paper. Under the title, fields such as 期間 and 填表人 print
their value or, left empty, a line to write on. A sign-off block (承辦人 / 單位主管 / 校長 …: a
box each, with room and a line to sign and a 「民國＿年＿月＿日」 date line) closes the form and
is never split across pages. Fill-in lines are 「＿」 stretched to length, so that the text read
back from the PDF shows them.

User text is escaped, so a note cannot inject reportlab markup: ``<b>`` prints as ``<b>``.
Text is set in the bundled 全字庫正楷體 with per-character fallback to its Ext-B companion
(``schoolhr.reports.fonts``); both are embedded as subsets. A character neither font has is
printed as 「□」, listed with its code point in a note at the end of the form (so the clerk can
write it in by hand), and returned in ``RenderResult.missing_characters`` so the caller can say
so on screen. Spaces between two CJK characters (a folded YAML line) are not printed.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO
from xml.sax.saxutils import escape

from reportlab.lib import colors, textsplit  # type: ignore[import-untyped]
from reportlab.lib.enums import TA_CENTER  # type: ignore[import-untyped]
from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]
from reportlab.platypus import (  # type: ignore[import-untyped]
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    Image,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
    paragraph,
)

from schoolhr import __version__
from schoolhr.errors import UserFileError
from schoolhr.files import atomic_path
from schoolhr.reports.fonts import (
    MAIN_FONT,
    MISSING_MARK,
    FontSet,
    Runs,
    draw_runs,
    printable_runs,
    register_fonts,
    runs_width,
)
from schoolhr.text import close_cjk_spaces, roc_date


@dataclass
class FormRow:
    """One line of a form. ``checked``: ``None`` for a plain row; ``True``/``False`` draws a
    check box (a vector box, ticked or empty) before ``value``. ``note`` may be long: it wraps
    and continues on the next page."""

    label: str
    value: str = ""
    checked: bool | None = None
    note: str = ""


@dataclass
class FormSection:
    title: str
    rows: list[FormRow]
    columns: tuple[str, str, str] = ("項目", "內容", "備註")


@dataclass
class FormStep:
    """A numbered step (of a guide): printed whole on one page, its picture scaled to fit."""

    title: str
    detail: str = ""
    warning: str = ""
    picture: Path | None = None


@dataclass(frozen=True)
class FormField:
    """A field of the form's head: ``label``, then ``value`` or, when empty, a line to write on."""

    label: str
    value: str = ""


SIGN_OFF = ("承辦人", "單位主管", "校長")


@dataclass
class FormDocument:
    title: str
    site_name: str
    printed_on: date
    sections: list[FormSection]
    subtitle: str = ""
    intro: str = ""
    fields: tuple[FormField, ...] = ()  # under the title: 期間, 填表人 …
    signatures: tuple[str, ...] = SIGN_OFF  # the sign-off block; empty: none
    footer_note: str = ""  # e.g. the rules the form rests on
    steps: list[FormStep] = field(default_factory=list)  # printed before the sections


@dataclass
class RenderResult:
    pages: int
    missing_characters: list[str] = field(default_factory=list)  # printed as 「□」
    size: int = 0  # bytes


# -- page geometry (points) -----------------------------------------------------------------

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 18 * mm
HEADER_BASELINE = PAGE_HEIGHT - 20 * mm  # header text tops out about 17 mm below the edge
HEADER_RULE = PAGE_HEIGHT - 22 * mm
FRAME_TOP = PAGE_HEIGHT - 25 * mm
FRAME_BOTTOM = 25 * mm
FOOTER_RULE = 22 * mm
FOOTER_BASELINE = 17.5 * mm  # descenders stay above 16.5 mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
HEADER_SIZE = 9.5

COLUMN_SHARES = (0.34, 0.24, 0.42)  # 項目, 內容, 備註
CELL_PADDING_X = 4
CELL_PADDING_Y = 3
CHUNK_LINES = 5  # lines per sub-row: a page break inside a long row wastes at most this much
LONG_NOTE_LINES = 8  # a note longer than this in its column continues at full width
STEP_PICTURE_HEIGHT = 95 * mm  # a step and its picture fit on one page with room to spare
SIGNATURE_SPACE = 22 * mm  # room to sign in each box
FIELD_BLANK = 38 * mm  # the line to write on of an empty field
DATE_BLANK = 11 * mm  # the line for the year, month or day of a date; at least DATE_BLANK_MIN
DATE_BLANK_MIN = 5 * mm
BLANK_MARK = "＿"  # stretched to a fill-in line's length
BOX_SIZE = 9.0  # the check box, points (about 3.2 mm: room for a pen tick on a blank form)
BOX_GAP = 4.0
GRID_COLOUR = colors.Color(0.25, 0.25, 0.25)
HEADER_FILL = colors.Color(0.88, 0.88, 0.88)
NOTE_COLOUR = colors.Color(0.3, 0.3, 0.3)


def _style(name: str, size: float, leading: float, **extra: Any) -> ParagraphStyle:
    # rightIndent: room for the punctuation that CJK wrapping hangs past the line end (，。、
    # may not start a line), so that it never crosses a table line or into the margin.
    return ParagraphStyle(
        name,
        fontName=MAIN_FONT,
        fontSize=size,
        leading=leading,
        wordWrap="CJK",
        rightIndent=0.6 * size,
        **extra,
    )


# Full-width punctuation that must not start a line in zh-TW. reportlab's list (Japanese
# rules) lacks ，；：？！ and the angle brackets, so a line could begin with "，".
NOT_AT_LINE_START = "，；：？！〉》﹞﹚﹜…‥"


def _extend_line_start_rules() -> None:
    # Both line breakers (one font: textsplit.wordSplit; mixed fonts: paragraph.cjkFragSplit)
    # read their module's copy at run time. Only CJK-wrapped paragraphs are affected.
    for module in (textsplit, paragraph):
        missing = "".join(ch for ch in NOT_AT_LINE_START if ch not in module.ALL_CANNOT_START)
        if missing:
            module.ALL_CANNOT_START += missing


STYLES = {
    "title": _style("title", 18, 24, alignment=TA_CENTER, spaceAfter=4),
    "subtitle": _style("subtitle", 11, 15, alignment=TA_CENTER, spaceAfter=4),
    "intro": _style("intro", 10.5, 15.5, spaceBefore=4, spaceAfter=2),
    "section": _style("section", 12.5, 17, spaceBefore=10, spaceAfter=4),
    "cell": _style("cell", 10, 14),
    "check": _style("check", 10, 14, leftIndent=BOX_SIZE + BOX_GAP),
    "head": _style("head", 10, 14, alignment=TA_CENTER),
    "small": _style("small", 8.5, 12, textColor=NOTE_COLOUR, spaceBefore=6),
    "signature": _style("signature", 10.5, 14, alignment=TA_CENTER),
    "signature_date": _style("signature_date", 9.5, 13),
    "field": _style("field", 11, 17),
}


def render_form(
    document: FormDocument, target: Path | BinaryIO, *, private: bool = False
) -> RenderResult:
    """Write ``document`` as an A4 PDF to ``target`` (a path, replaced only when the whole PDF
    is ready, or a binary file object). ``private``: the file is readable by its owner only
    (personal data; ``schoolhr.files``)."""
    fonts = register_fonts()
    _extend_line_start_rules()
    writer = _Writer(document, fonts)
    data, pages = writer.build()
    if isinstance(target, Path):
        _write_file(target, data, private)
    else:
        target.write(data)
    return RenderResult(pages=pages, missing_characters=list(writer.missing), size=len(data))


def _write_file(target: Path, data: bytes, private: bool) -> None:
    try:
        with atomic_path(target, private=private) as partial:
            partial.write_bytes(data)
    except OSError as exc:
        raise UserFileError(
            f"無法寫入「{target}」（{exc.strerror or exc}）。"
            "若這個檔案正用 PDF 閱讀器開著，請先關閉再試；或改存到其他資料夾。"
        ) from exc


class _Writer:
    """One rendering: the text-to-markup conversion and the characters it could not print."""

    def __init__(self, document: FormDocument, fonts: FontSet) -> None:
        self.document = document
        self.fonts = fonts
        self.missing: dict[str, None] = {}  # insertion-ordered set
        self.header_left = self.runs(document.site_name)
        self.header_right = self.runs(document.title)
        self.footer_left = self.runs(f"列印日期：{roc_date(document.printed_on)}")

    # -- text ---------------------------------------------------------------------------------

    def runs(self, text: str) -> Runs:
        """``(font, text)`` runs of one line, missing characters replaced and recorded."""
        return printable_runs(
            close_cjk_spaces(" ".join(text.splitlines())), self.fonts, self.missing
        )

    def markup(self, text: str) -> str:
        """Paragraph markup for user text: escaped, fonts per character, line breaks kept."""
        lines = []
        for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
            parts = []
            for font, run in self.runs(line):
                # reportlab collapses U+3000 like a space; forms use it to line things up
                escaped = escape(run).replace("\u3000", "\u00a0\u00a0")
                if font == MAIN_FONT:
                    parts.append(escaped)
                else:
                    parts.append(f'<font name="{font}">{escaped}</font>')
            lines.append("".join(parts))
        return "<br/>".join(lines)

    def paragraph(self, text: str, style: str) -> Paragraph:
        return Paragraph(self.markup(text), STYLES[style])

    # -- the story ----------------------------------------------------------------------------

    def story(self) -> list[Flowable]:
        doc = self.document
        story: list[Flowable] = [self.paragraph(doc.title, "title")]
        if doc.fields:
            groups = [[f"{field.label}：", field.value or None] for field in doc.fields]
            story += [self.write_line(groups, "field", FIELD_BLANK), Spacer(1, 4)]
        if doc.subtitle:
            story.append(self.paragraph(doc.subtitle, "subtitle"))
        if doc.intro:
            story.append(self.paragraph(doc.intro, "intro"))
        for number, step in enumerate(doc.steps, 1):
            story.append(KeepTogether(self.step(number, step)))
        for section in doc.sections:
            # room for the heading, the header row and a first sub-row, or a new page
            story.append(CondPageBreak(50 * mm))
            if section.title:
                story.append(self.paragraph(section.title, "section"))
            else:
                story.append(Spacer(1, 8))
            story.append(self.table(section))
        if doc.footer_note:
            story.append(self.paragraph(doc.footer_note, "small"))
        if doc.signatures:
            story.append(self.signature_box(doc.signatures))
        # Last, so that it lists every character of the form (the header's were seen at init).
        if self.missing:
            codes = "、".join(f"U+{ord(ch):04X}" for ch in self.missing)
            note = (
                f"※ 本表有 {len(self.missing)} 個字內建字型沒有，印成「{MISSING_MARK}」，"
                f"請以手寫補正（字碼 {codes}）。"
            )
            story.insert(-1 if doc.signatures else len(story), self.paragraph(note, "small"))
        return story

    def step(self, number: int, step: FormStep) -> list[Flowable]:
        """A step's flowables; kept together so a step is never split across pages."""
        parts: list[Flowable] = [self.paragraph(f"步驟 {number}：{step.title}", "section")]
        if step.detail:
            parts.append(self.paragraph(step.detail, "intro"))
        if step.warning:
            warning = Table(
                [[self.paragraph(f"注意：{step.warning}", "cell")]],
                colWidths=[CONTENT_WIDTH],
                style=[
                    ("BOX", (0, 0), (-1, -1), 1, GRID_COLOUR),
                    ("BACKGROUND", (0, 0), (-1, -1), HEADER_FILL),
                    ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING_X * 2),
                    ("TOPPADDING", (0, 0), (-1, -1), CELL_PADDING_Y * 2),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PADDING_Y * 2),
                ],
            )
            parts += [Spacer(1, 3), warning]
        if step.picture is not None:
            image = Image(str(step.picture))
            scale = min(
                CONTENT_WIDTH / image.imageWidth, STEP_PICTURE_HEIGHT / image.imageHeight, 1
            )
            image.drawWidth = image.imageWidth * scale
            image.drawHeight = image.imageHeight * scale
            parts += [Spacer(1, 4), image]
        return parts

    def table(self, section: FormSection) -> Table:
        """One section as a table. Each row is cut into sub-rows of at most ``CHUNK_LINES``
        lines drawn as one cell, so that the table breaks between pages inside a long row by
        ordinary row splitting (reportlab's in-row splitting repeats headers mid-page). A note
        too long for its column continues at full width under its row."""
        widths = [CONTENT_WIDTH * share for share in COLUMN_SHARES]
        inner = [width - 2 * CELL_PADDING_X for width in widths]
        data: list[list[Any]] = [[self.paragraph(name, "head") for name in section.columns]]
        commands: list[tuple[Any, ...]] = [
            ("FONTNAME", (0, 0), (-1, -1), MAIN_FONT),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING_X),
            ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING_X),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, 0), CELL_PADDING_Y),
            ("BOTTOMPADDING", (0, 0), (-1, 0), CELL_PADDING_Y + 1),
            ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
            ("BOX", (0, 0), (-1, -1), 0.8, GRID_COLOUR),
            ("LINEAFTER", (0, 0), (-2, 0), 0.6, GRID_COLOUR),
            ("LINEBELOW", (0, 0), (-1, 0), 0.6, GRID_COLOUR),
            # a row cut by a page break: close it at the bottom, give it air at the top
            ("LINEBELOW", (0, "splitlast"), (-1, "splitlast"), 0.6, GRID_COLOUR),
            ("BOTTOMPADDING", (0, "splitlast"), (-1, "splitlast"), CELL_PADDING_Y),
            ("TOPPADDING", (0, "splitfirst"), (-1, "splitfirst"), CELL_PADDING_Y),
        ]
        rows = section.rows or [FormRow("（本節沒有項目）")]
        for row in rows:
            first = len(data)
            note = self.paragraph(row.note, "cell")
            long_note = _height(note, inner[2]) > LONG_NOTE_LINES * STYLES["cell"].leading
            if row.checked is None:
                content: Paragraph = self.paragraph(row.value, "cell")
            else:
                content = _CheckParagraph(
                    self.markup(row.value) or "\u00a0", STYLES["check"], checked=row.checked
                )
            cells = [
                self.paragraph(row.label, "cell"),
                content,
                self.paragraph("（見下方）", "cell") if long_note else note,
            ]
            columns = [_chunks(cell, width) for cell, width in zip(cells, inner, strict=True)]
            for index in range(max(len(column) for column in columns)):
                data.append([column[index] if index < len(column) else "" for column in columns])
            commands.append(("LINEAFTER", (0, first), (-2, len(data) - 1), 0.6, GRID_COLOUR))
            if long_note:
                full = self.paragraph(f"{section.columns[2]}：{row.note}", "cell")
                below = len(data)
                for chunk in _chunks(full, CONTENT_WIDTH - 2 * CELL_PADDING_X):
                    data.append([chunk, "", ""])
                    commands.append(("SPAN", (0, len(data) - 1), (-1, len(data) - 1)))
                commands.append(("LINEABOVE", (0, below), (-1, below), 0.4, NOTE_COLOUR, 0, (2, 2)))
                commands.append(("TOPPADDING", (0, below), (-1, below), CELL_PADDING_Y))
            last = len(data) - 1
            commands.append(("LINEABOVE", (0, first), (-1, first), 0.6, GRID_COLOUR))
            commands.append(("TOPPADDING", (0, first), (-1, first), CELL_PADDING_Y))
            commands.append(("BOTTOMPADDING", (0, last), (-1, last), CELL_PADDING_Y + 1))
        table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
        table.setStyle(TableStyle(commands))
        return table

    def write_line(
        self, groups: list[list[str | None]], style: str, blank: float, minimum: float = 0
    ) -> _WriteLine:
        """Groups of text (``str``) and fill-in lines (``None``), centred and wrapped between
        groups; lines shrink towards ``minimum`` when one group is too wide."""
        converted = [[None if part is None else self.runs(part) for part in g] for g in groups]
        return _WriteLine(converted, STYLES[style], blank, minimum or blank)

    def signature_box(self, signatures: tuple[str, ...]) -> Flowable:
        width = CONTENT_WIDTH / max(len(signatures), 2)  # one box: half the width, at right
        date_line: list[str | None] = ["民國", None, "年", None, "月", None, "日"]
        data = [
            [self.paragraph(name, "signature") for name in signatures],
            [self.write_line([[None]], "signature", width - 16) for _ in signatures],
            [
                self.write_line([date_line], "signature_date", DATE_BLANK, DATE_BLANK_MIN)
                for _ in signatures
            ],
        ]
        table = Table(
            data,
            colWidths=[width] * len(signatures),
            rowHeights=[None, SIGNATURE_SPACE, None],
            hAlign="RIGHT",
        )
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), MAIN_FONT),
                    ("BOX", (0, 0), (-1, -1), 0.8, GRID_COLOUR),
                    ("INNERGRID", (0, 0), (-1, 0), 0.6, GRID_COLOUR),
                    ("LINEAFTER", (0, 0), (-2, -1), 0.6, GRID_COLOUR),
                    ("LINEBELOW", (0, 0), (-1, 0), 0.6, GRID_COLOUR),
                    ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("VALIGN", (0, 1), (-1, 1), "BOTTOM"),  # the line to sign on
                    ("TOPPADDING", (0, 0), (-1, -1), 4),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                ]
            )
        )
        return KeepTogether([Spacer(1, 8 * mm), table])

    # -- pages --------------------------------------------------------------------------------

    def build(self) -> tuple[bytes, int]:
        buffer = io.BytesIO()
        doc = BaseDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=MARGIN_X,
            rightMargin=MARGIN_X,
            topMargin=PAGE_HEIGHT - FRAME_TOP,
            bottomMargin=FRAME_BOTTOM,
            title=self.document.title,
            author=self.document.site_name,
            subject=self.document.subtitle,
            creator=f"學校人事小幫手 SchoolHR {__version__}",
            initialFontName=MAIN_FONT,
            pageCompression=1,
        )
        frame = Frame(
            MARGIN_X,
            FRAME_BOTTOM,
            CONTENT_WIDTH,
            FRAME_TOP - FRAME_BOTTOM,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id="body",
        )
        doc.addPageTemplates([PageTemplate(id="form", frames=[frame])])
        counted: list[int] = []

        def make_canvas(*args: Any, **kwargs: Any) -> _NumberedCanvas:
            return _NumberedCanvas(*args, decorate=self.decorate, counted=counted, **kwargs)

        doc.build(self.story(), canvasmaker=make_canvas)
        return buffer.getvalue(), counted[0] if counted else 0

    def decorate(self, canvas: Canvas, page: int, total: int) -> None:
        """Header and footer of one page, drawn once the number of pages is known."""
        canvas.saveState()
        canvas.setStrokeColor(GRID_COLOUR)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN_X, HEADER_RULE, PAGE_WIDTH - MARGIN_X, HEADER_RULE)
        canvas.line(MARGIN_X, FOOTER_RULE, PAGE_WIDTH - MARGIN_X, FOOTER_RULE)
        canvas.setFillColor(colors.black)
        page_text = [(MAIN_FONT, f"第 {page} 頁／共 {total} 頁")]
        half = CONTENT_WIDTH / 2 - 6 * mm
        draw_runs(canvas, MARGIN_X, HEADER_BASELINE, _fit(self.header_left, half), HEADER_SIZE)
        right = _fit(self.header_right, half)
        draw_runs(
            canvas, PAGE_WIDTH - MARGIN_X - _width(right), HEADER_BASELINE, right, HEADER_SIZE
        )
        draw_runs(canvas, MARGIN_X, FOOTER_BASELINE, self.footer_left, HEADER_SIZE)
        x = PAGE_WIDTH - MARGIN_X - _width(page_text)
        draw_runs(canvas, x, FOOTER_BASELINE, page_text, HEADER_SIZE)
        canvas.restoreState()


def _height(paragraph: Paragraph, width: float) -> float:
    return float(paragraph.wrap(width, PAGE_HEIGHT)[1])


def _chunks(paragraph: Paragraph, width: float) -> list[Paragraph]:
    """``paragraph`` cut into pieces of at most ``CHUNK_LINES`` lines."""
    limit = CHUNK_LINES * paragraph.style.leading + 0.5
    pieces = []
    while _height(paragraph, width) > limit:
        parts = paragraph.split(width, limit)
        if len(parts) < 2:
            break
        pieces.append(parts[0])
        paragraph = parts[1]
    pieces.append(paragraph)
    return pieces


def _width(runs: Runs) -> float:
    return runs_width(runs, HEADER_SIZE)


def _fit(runs: Runs, width: float) -> Runs:
    """``runs`` cut short with an ellipsis to fit ``width``."""
    if _width(runs) <= width:
        return runs
    chars = [(font, ch) for font, text in runs for ch in text]
    while chars and _width([*chars, (MAIN_FONT, "…")]) > width:
        chars.pop()
    return [*chars, (MAIN_FONT, "…")]


class _NumberedCanvas(Canvas):  # type: ignore[misc]
    """Keeps each page until the end, then draws every header and footer with the page total
    (the usual reportlab recipe for "page x of y" in one layout pass)."""

    def __init__(
        self,
        *args: Any,
        decorate: Callable[[Canvas, int, int], None],
        counted: list[int],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._decorate = decorate
        self._counted = counted
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        self._counted.append(total)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._decorate(self, number, total)
            super().showPage()
        super().save()


class _CheckParagraph(Paragraph):  # type: ignore[misc]
    """A paragraph with a check box drawn before its first line (lines, not a font glyph, so
    it prints the same everywhere). ``checked``: ticked or empty; ``None``: no box (the part
    of a split paragraph that continues on the next page)."""

    def __init__(self, *args: Any, checked: bool | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.checked = checked

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts: list[Flowable] = super().split(availWidth, availHeight)
        for index, part in enumerate(parts):
            if isinstance(part, _CheckParagraph):
                part.checked = self.checked if index == 0 else None
        return parts

    def draw(self) -> None:
        super().draw()
        if self.checked is None:
            return
        canvas = self.canv
        size = self.style.fontSize
        x = 0.0
        y = self.height - 0.62 * size - BOX_SIZE / 2  # centred on the first line's characters
        canvas.saveState()
        canvas.setStrokeColor(colors.black)
        canvas.setLineWidth(0.8)
        canvas.rect(x, y, BOX_SIZE, BOX_SIZE, stroke=1, fill=0)
        if self.checked:
            canvas.setLineWidth(1.3)
            canvas.setLineCap(1)
            canvas.setLineJoin(1)
            tick = canvas.beginPath()
            tick.moveTo(x + 0.18 * BOX_SIZE, y + 0.52 * BOX_SIZE)
            tick.lineTo(x + 0.42 * BOX_SIZE, y + 0.22 * BOX_SIZE)
            tick.lineTo(x + 0.86 * BOX_SIZE, y + 0.86 * BOX_SIZE)
            canvas.drawPath(tick, stroke=1, fill=0)
        canvas.restoreState()


class _WriteLine(Flowable):  # type: ignore[misc]
    """One line (or more, wrapped between groups) of text and fill-in lines, centred. A fill-in
    line is 「＿」 stretched horizontally to its length, in the same text object as its
    neighbours, so that it prints as a line and reads back as 「＿」 (not as a space)."""

    GAP = "\u3000\u3000"  # between groups

    def __init__(
        self, groups: list[list[Runs | None]], style: ParagraphStyle, blank: float, minimum: float
    ) -> None:
        super().__init__()
        self.groups = groups
        self.style = style
        self.blank = blank
        self.minimum = minimum
        self.lines: list[list[list[Runs | None]]] = []
        self.width = 0.0

    def _text_width(self, runs: Runs) -> float:
        return runs_width(runs, self.style.fontSize)

    def _group_width(self, group: list[Runs | None], blank: float) -> float:
        return sum(blank if part is None else self._text_width(part) for part in group)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        gap = self._text_width([(MAIN_FONT, self.GAP)])
        self.width = availWidth
        self.lines, used = [], 0.0
        for group in self.groups:
            width = self._group_width(group, self.blank)
            if self.lines and used + gap + width <= availWidth:
                self.lines[-1].append(group)
                used += gap + width
            else:
                self.lines.append([group])
                used = width
        self.height = len(self.lines) * self.style.leading
        return availWidth, self.height

    def draw(self) -> None:
        size, font_name = self.style.fontSize, self.style.fontName
        mark_width = pdfmetrics.stringWidth(BLANK_MARK, font_name, size)
        gap: Runs = [(MAIN_FONT, self.GAP)]
        for number, line in enumerate(self.lines):
            blanks = sum(part is None for group in line for part in group)
            fixed = sum(self._group_width(group, 0) for group in line)
            fixed += self._text_width(gap) * (len(line) - 1)
            blank = self.blank
            if blanks and fixed + blanks * blank > self.width:
                blank = max(self.minimum, (self.width - fixed) / blanks)
            total = fixed + blanks * blank
            text = self.canv.beginText()
            text.setTextOrigin(
                max(0.0, (self.width - total) / 2),
                self.height - (number + 1) * self.style.leading + 0.25 * self.style.leading,
            )
            for index, group in enumerate(line):
                parts: list[Runs | None] = [gap, *group] if index else list(group)
                for part in parts:
                    if part is None:
                        text.setFont(font_name, size)
                        text.setHorizScale(100 * blank / mark_width)
                        text.textOut(BLANK_MARK)
                        text.setHorizScale(100)
                        continue
                    for font, piece in part:
                        text.setFont(font, size)
                        text.textOut(piece)
            self.canv.drawText(text)
