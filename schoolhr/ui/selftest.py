"""``schoolhr self-test``: proof that an installation works, without a screen.

The installer's smoke test runs it in the frozen bundle, and a county's help desk can run it on
a clerk's PC (``SchoolHR.exe self-test``). Each check exercises something a broken bundle would
lack: the main window (Qt platform plugin, the database migrations, the bundled content), Qt's
own zh-TW strings (the translations folder), a checklist printed as PDF with the bundled
全字庫正楷體 embedded (the fonts folder, reportlab), that PDF opened by QtPdf as the print
preview does, and finally the doctor's database check. Every line says what was checked; the
exit code is non-zero when any check failed.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSize

from schoolhr.errors import ExitCode, UserError
from schoolhr.paths import DataPaths
from schoolhr.ui.app import application, build_main_window
from schoolhr.ui.jobs import wait_for_jobs
from schoolhr.ui.main_window import MainWindow

PDF_MAGIC = b"%PDF-"
# A standard button of Qt's own dialogs, and what qtbase_zh_TW.qm makes of it.
QT_SAMPLE = ("QPlatformTheme", "Cancel")


@dataclass(frozen=True)
class Check:
    label: str
    ok: bool
    detail: str

    def line(self) -> str:
        return f"{self.label}：{self.detail}"


def self_test(paths: DataPaths) -> int:
    """Run every check offscreen (unless a platform is chosen), print one line each and the
    doctor's report; 0 when all pass."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = application()
    checks: list[Check] = []
    window = build_main_window(app, paths)
    try:
        window.show()
        app.processEvents()
        shown = window.isVisible() and len(window.page_titles()) > 0
        checks.append(Check("主視窗", shown, "正常開啟與關閉" if shown else "無法顯示"))
        checks.append(_guarded("Qt 中文介面", _check_qt_translation))
        with tempfile.TemporaryDirectory(
            prefix="schoolhr-self-test-", ignore_cleanup_errors=True
        ) as folder:
            pdf = Path(folder) / "self-test.pdf"
            checks.append(_guarded("列印 PDF", lambda: _check_checklist_pdf(window, pdf)))
            if pdf.exists():
                checks.append(
                    _guarded("預覽列印（QtPdf）", lambda: _check_pdf_preview(pdf, window))
                )
        wait_for_jobs()
        app.processEvents()
        window.close()
        app.processEvents()
    finally:
        if window.store is not None:
            window.store.close()
    from schoolhr.doctor import run_doctor

    report = run_doctor(paths)
    for check in checks:
        print(check.line())
    print(report.to_text())
    if not all(check.ok for check in checks):
        return int(ExitCode.INTERNAL)
    return int(ExitCode.OK if report.healthy else ExitCode.UNHEALTHY)


def _guarded(label: str, check: Callable[[], str]) -> Check:
    """A check that passes with its detail, or fails with the user-facing sentence it raised
    (a missing font file says to reinstall), so the remaining checks still run."""
    try:
        return Check(label, True, check())
    except UserError as exc:
        return Check(label, False, exc.message)


def _check_qt_translation() -> str:
    context, text = QT_SAMPLE
    translated = QCoreApplication.translate(context, text)
    if translated == text:
        raise UserError("找不到 Qt 的中文翻譯檔，對話框按鈕會顯示英文；請重新安裝學校人事小幫手。")
    return f"已載入（{text} → {translated}）"


def _check_checklist_pdf(window: MainWindow, target: Path) -> str:
    """Print the first bundled checklist as the ``checklist print`` command does, then look in
    the file for the PDF header and the embedded subset of the bundled main font."""
    from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped]

    from schoolhr.checklists import service
    from schoolhr.checklists.printing import form_document
    from schoolhr.reports.fonts import MAIN_FONT
    from schoolhr.reports.pdf import render_form

    store = window.store
    if store is None:
        raise UserError("資料庫尚未開啟，無法列印檢核表。")
    with store.read() as session:
        templates = service.templates(session)
    if not templates:
        raise UserError("找不到任何內建檢核表；請重新安裝學校人事小幫手。")
    template = templates[0]
    document = form_document(template, None, store.site().name, date.today())
    result = render_form(document, target)
    data = target.read_bytes()
    # reportlab embeds a subset as "/BaseFont /AAAAAA+<PostScript name>" with a FontFile2.
    face_name = pdfmetrics.getFont(MAIN_FONT).face.name
    face = face_name if isinstance(face_name, bytes) else str(face_name).encode("ascii")
    if not data.startswith(PDF_MAGIC):
        raise UserError(f"列印出的檔案不是 PDF（{target.name}）；請重新安裝學校人事小幫手。")
    if b"+" + face not in data or b"/FontFile2" not in data:
        raise UserError("列印出的 PDF 沒有內嵌列印字型；請重新安裝學校人事小幫手。")
    missing = "".join(result.missing_characters)
    return (
        f"檢核表「{template.title}」{result.pages} 頁，"
        f"內嵌字型 {face.decode('ascii', 'replace')}（{result.size:,} 位元組）"
        + (f"；缺字以□代替：{missing}" if missing else "")
    )


def _check_pdf_preview(pdf: Path, window: MainWindow) -> str:
    """Open the PDF in the print preview the clerk gets (QtPdf and QtPrintSupport), let it
    render every page, print it to a PDF file and close it, as Ctrl+P then the printer button
    does."""
    from PySide6.QtCore import QEvent
    from PySide6.QtPrintSupport import QPrinter
    from PySide6.QtWidgets import QApplication

    from schoolhr.ui.printing import PdfPreviewDialog

    dialog = PdfPreviewDialog(pdf, "自我檢查", window)
    try:
        pages = dialog.document.pageCount()
        image = dialog.document.render(0, QSize(210, 297)) if pages else None
        if image is None or image.isNull():
            raise UserError("QtPdf 無法顯示列印出的 PDF，預覽列印將無法使用；請重新安裝。")
        dialog.show()
        widget = dialog.preview_widget()
        widget.updatePreview()
        QApplication.processEvents()
        if widget.pageCount() != pages:
            raise UserError("預覽列印無法顯示每一頁；請重新安裝學校人事小幫手。")
        printed = pdf.with_name("self-test-printed.pdf")
        printer = dialog.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))
        widget.print_()
        if not printed.exists() or not printed.read_bytes().startswith(PDF_MAGIC):
            raise UserError("預覽列印無法輸出到印表機（PDF）；請重新安裝學校人事小幫手。")
        return f"可開啟、顯示 {pages} 頁並列印到 PDF"
    finally:
        # the file must be released before its temporary folder is removed (Windows)
        dialog.close()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
