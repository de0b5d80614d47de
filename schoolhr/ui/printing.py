"""Preview and print a PDF made by schoolhr.reports: pages rendered with QtPdf into Qt's print
preview, from which the clerk prints to any system printer. Saving as PDF needs no printer.

Two rules keep printing safe on real office PCs:

- **The preview owns what it draws from.** ``QPrintPreviewDialog`` only borrows its
  ``QPrinter``; a printer made in a function and handed to the dialog is freed by Python when
  the function returns, and the dialog then paints on freed memory (the crash of the first
  wave). ``PdfPreviewDialog`` keeps its printer and its loaded document for as long as it
  lives, and removes the temporary folder of its PDF when it closes.
- **Pages are drawn at a bounded resolution.** A page is rendered at no more than
  ``PRINT_DPI_LIMIT`` dots per inch and the printer scales it, so a 1,200-dpi printer needs
  about 35 MB per A4 page, not 560 MB.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog, QPrintPreviewWidget
from PySide6.QtWidgets import QWidget

from schoolhr.errors import UserError
from schoolhr.temporary import new_folder, remove_folder

if TYPE_CHECKING:
    from schoolhr.paths import DataPaths
    from schoolhr.reports.pdf import RenderResult
    from schoolhr.ui.jobs import Job

log = logging.getLogger(__name__)

PRINT_DPI_LIMIT = 300  # enough for forms and small print; the printer scales the image up
POINTS_PER_INCH = 72
SCREEN_SHARE = 0.92  # of the screen's width and height the preview takes


def load_pdf(path: Path, parent: QWidget | None) -> QPdfDocument:
    document = QPdfDocument() if parent is None else QPdfDocument(parent)
    status = document.load(str(path))
    if status != QPdfDocument.Error.None_:
        document.deleteLater()
        raise UserError(f"無法開啟 PDF「{path.name}」（{status.name}）。")
    return document


def render_size(points: QSizeF, printer_dpi: int) -> QSize:
    """The pixel size a page of ``points`` is rendered at for a printer of ``printer_dpi``:
    the printer's resolution, but never above ``PRINT_DPI_LIMIT``."""
    dpi = max(1, min(printer_dpi, PRINT_DPI_LIMIT))
    return QSize(
        max(1, round(points.width() / POINTS_PER_INCH * dpi)),
        max(1, round(points.height() / POINTS_PER_INCH * dpi)),
    )


def paint_pages(document: QPdfDocument, printer: QPrinter) -> int:
    """Draw every page of ``document`` onto ``printer``; returns the number of pages.

    Each page is rendered at a bounded resolution and drawn scaled into the page, one page at
    a time, so memory does not grow with the printer's resolution or the number of pages."""
    painter = QPainter()
    if not painter.begin(printer):
        raise UserError("無法開始列印；請確認印表機是否可用。")
    try:
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        target = QRectF(painter.viewport())
        dpi = printer.resolution()
        for index in range(document.pageCount()):
            if index and not printer.newPage():
                raise UserError("印表機無法換頁，列印已中止；請確認印表機狀態後再試。")
            points = document.pagePointSize(index)
            image = document.render(index, render_size(points, dpi))
            if image.isNull():
                raise UserError(f"PDF 第 {index + 1} 頁無法顯示，列印已中止。")
            full = QSizeF(
                points.width() / POINTS_PER_INCH * dpi, points.height() / POINTS_PER_INCH * dpi
            )
            fitted = full.scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRectF(target.topLeft(), fitted), image)
    finally:
        painter.end()
    return document.pageCount()


class PdfPreviewDialog(QPrintPreviewDialog):
    """Qt's print preview of the PDF at ``pdf``; its printer button sends it to a printer.

    ``temporary``: a folder holding the PDF (and nothing the clerk chose to keep), removed
    when the preview closes. The dialog deletes itself when closed."""

    def __init__(
        self, pdf: Path, title: str, parent: QWidget | None, *, temporary: Path | None = None
    ) -> None:
        document = load_pdf(pdf, None)
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(title)
        _match_page(printer, document)
        super().__init__(printer, parent)
        # Qt's dialog keeps a bare pointer to the printer: this reference keeps it alive.
        self._printer = printer
        document.setParent(self)
        self._document = document
        self._temporary = temporary
        self.setWindowTitle(f"預覽列印：{title}")
        self._fit_screen(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.paintRequested.connect(self._paint)
        self.finished.connect(self._release)
        if temporary is not None:
            # also when the dialog goes with its parent (the app closing with it open); a
            # folder that could not go then is removed at the next start
            self.destroyed.connect(partial(remove_folder, temporary))

    def _fit_screen(self, parent: QWidget | None) -> None:
        """Most of the screen, so the page is readable and the tool bar (with its printer
        button at the end) fits even at 200 % on a 1024×768 remote desktop."""
        screen = (parent or self).screen()
        if screen is None:
            return
        area = screen.availableGeometry()
        self.resize(int(area.width() * SCREEN_SHARE), int(area.height() * SCREEN_SHARE))
        self.move(area.center() - self.rect().center())

    @property
    def document(self) -> QPdfDocument:
        return self._document

    def preview_widget(self) -> QPrintPreviewWidget:
        widget = self.findChild(QPrintPreviewWidget)
        assert widget is not None
        return widget

    def _paint(self, printer: QPrinter) -> None:
        try:
            paint_pages(self._document, printer)
        except UserError as error:  # a slot must not raise: say it, leave the preview blank
            log.warning("print preview: %s", error.message)
            self.setWindowTitle(f"{self.windowTitle()}（{error.message}）")

    def _release(self, _result: int = 0) -> None:
        """The PDF is released and its temporary folder removed as soon as the preview closes."""
        self._document.close()
        if self._temporary is not None:
            remove_folder(self._temporary)
            self._temporary = None


def _match_page(printer: QPrinter, document: QPdfDocument) -> None:
    """The printer's paper follows the PDF (A4 portrait forms, an A4 landscape certificate);
    the PDF carries its own margins, so the whole page is used."""
    if document.pageCount() == 0:
        return
    points = document.pagePointSize(0)
    landscape = points.width() > points.height()
    portrait_size = QSizeF(
        min(points.width(), points.height()), max(points.width(), points.height())
    )
    page_size = QPageSize(portrait_size, QPageSize.Unit.Point)
    orientation = (
        QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    )
    printer.setPageSize(page_size)
    printer.setPageOrientation(orientation)
    printer.setFullPage(True)


def preview_rendered(
    parent: QWidget,
    paths: DataPaths,
    file_name: str,
    render: Callable[[Path], Job[RenderResult] | None],
    title: Callable[[], str],
    shown: Callable[[PdfPreviewDialog], None] | None = None,
) -> Job[RenderResult] | None:
    """Ctrl+P on a page: ``render(target)`` starts the job that writes the PDF into a new
    private folder of the profile; when it is done the preview opens, and when the preview
    closes (or the job fails) the folder is removed."""
    folder = new_folder(paths, "preview-")
    job = render(folder / file_name)
    if job is None:
        remove_folder(folder)
        return None

    def show(_result: RenderResult) -> None:
        try:
            dialog = PdfPreviewDialog(folder / file_name, title(), parent, temporary=folder)
        except UserError:
            remove_folder(folder)
            raise
        dialog.open()
        if shown is not None:
            shown(dialog)

    job.on_success(show)
    job.failed.connect(lambda _message: remove_folder(folder))
    job.cancelled.connect(lambda: remove_folder(folder))
    return job
