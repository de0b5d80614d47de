"""Preview and print a PDF made by schoolhr.reports: pages rendered with QtPdf into Qt's print
preview, from which the clerk prints to any system printer. Saving as PDF needs no printer."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QWidget

from schoolhr.errors import UserError


def load_pdf(path: Path, parent: QWidget) -> QPdfDocument:
    document = QPdfDocument(parent)
    status = document.load(str(path))
    if status != QPdfDocument.Error.None_:
        raise UserError(f"無法開啟 PDF「{path.name}」（{status.name}）。")
    return document


def paint_pages(document: QPdfDocument, printer: QPrinter) -> int:
    """Draw every page of ``document`` onto ``printer``; returns the number of pages."""
    painter = QPainter()
    if not painter.begin(printer):
        raise UserError("無法開始列印；請確認印表機是否可用。")
    try:
        target = painter.viewport()
        dpi = printer.resolution()
        for index in range(document.pageCount()):
            if index:
                printer.newPage()
            points = document.pagePointSize(index)
            size = QSize(int(points.width() / 72 * dpi), int(points.height() / 72 * dpi))
            image = document.render(index, size)
            scaled = size.scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(target.x(), target.y(), image.scaled(scaled))
    finally:
        painter.end()
    return document.pageCount()


def preview(path: Path, title: str, parent: QWidget) -> QPrintPreviewDialog:
    """Qt's print preview of the PDF at ``path``; its print button sends it to a printer."""
    document = load_pdf(path, parent)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle(f"預覽列印：{title}")
    dialog.paintRequested.connect(lambda p: paint_pages(document, p))
    dialog.finished.connect(document.deleteLater)
    return dialog
