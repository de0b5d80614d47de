"""Print preview from the checklists and guides pages: it opens, renders its pages, prints to a
PDF printer and closes without a crash, at a bounded resolution, leaving no temporary PDF."""

from __future__ import annotations

import gc
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QEvent, QSize, QSizeF, Qt
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from schoolhr.content.install import install_bundled_content
from schoolhr.paths import DataPaths, resources_dir
from schoolhr.temporary import new_folder, remove_leftovers
from schoolhr.ui.main_window import MainWindow
from schoolhr.ui.pages.checklists_page import ChecklistsPage
from schoolhr.ui.printing import PRINT_DPI_LIMIT, PdfPreviewDialog, paint_pages, render_size

A4_POINTS = QSizeF(595.28, 841.89)


def open_previews() -> list[PdfPreviewDialog]:
    return [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, PdfPreviewDialog) and w.isVisible()
    ]


def wait_for_preview(qtbot: QtBot) -> PdfPreviewDialog:
    """The PDF is made off the UI thread; the preview opens when it is ready."""
    qtbot.waitUntil(lambda: len(open_previews()) == 1, timeout=30_000)
    return open_previews()[0]


def print_and_close(qtbot: QtBot, dialog: PdfPreviewDialog, target: Path) -> int:
    """Python drops its references and collects (the first wave's printer was freed here),
    then the preview renders every page, prints to a PDF file, and is closed with Esc."""
    folder = dialog._temporary
    assert folder is not None and folder.is_dir()
    screen = dialog.screen().availableGeometry()
    assert dialog.width() <= screen.width() and dialog.height() <= screen.height()
    gc.collect()
    widget = dialog.preview_widget()
    widget.updatePreview()
    pages = widget.pageCount()
    assert pages == dialog.document.pageCount() > 0
    printer = dialog.printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(target))
    widget.print_()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert open_previews() == []
    assert not folder.exists(), "the preview's temporary PDF is removed when it closes"
    return pages


@pytest.fixture
def real_content(window: MainWindow) -> MainWindow:
    assert window.store is not None
    install_bundled_content(window.store, resources_dir() / "content")
    window.refresh()
    return window


def checklists(window: MainWindow, template_row: int) -> ChecklistsPage:
    window.show_page("checklists")
    page = window.checklists_page
    page.template_list.setCurrentRow(template_row)
    return page


def test_checklist_run_preview_prints_and_closes(
    qtbot: QtBot, real_content: MainWindow, tmp_path: Path
) -> None:
    window = real_content
    page = checklists(window, 0)
    page.start_run()
    assert page.run_list.count() >= 1
    page.preview_button.click()  # 「預覽與列印 (Ctrl+P)」
    dialog = wait_for_preview(qtbot)
    pages = print_and_close(qtbot, dialog, tmp_path / "printed.pdf")
    assert len(PdfReader(io.BytesIO((tmp_path / "printed.pdf").read_bytes())).pages) == pages
    assert list(window.paths.temporary.iterdir()) == []


def test_blank_form_preview_prints_and_closes(
    qtbot: QtBot, real_content: MainWindow, tmp_path: Path
) -> None:
    page = checklists(real_content, 1)
    page.blank_button.click()  # 「列印空白表…」
    dialog = wait_for_preview(qtbot)
    print_and_close(qtbot, dialog, tmp_path / "blank.pdf")
    assert (tmp_path / "blank.pdf").read_bytes().startswith(b"%PDF")


def test_ctrl_p_on_the_guides_page_previews_the_guide(
    qtbot: QtBot, shown_window: MainWindow, tmp_path: Path
) -> None:
    window = shown_window
    window.show_page("guides")
    page = window.guides_page
    page.show_guide("webitr-comp-leave")
    page.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    dialog = wait_for_preview(qtbot)
    assert "在 WebITR 申請加班補休" in dialog.windowTitle()
    print_and_close(qtbot, dialog, tmp_path / "guide.pdf")


def test_a_preview_closed_with_the_window_leaves_nothing(
    qtbot: QtBot, real_content: MainWindow
) -> None:
    page = checklists(real_content, 0)
    page.blank_button.click()
    dialog = wait_for_preview(qtbot)
    folder = dialog._temporary
    assert folder is not None
    dialog.deleteLater()  # what happens when the window goes with the preview still open
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not folder.exists()


# -- bounded resolution ------------------------------------------------------------------


class _RecordingDocument(QPdfDocument):
    """A QPdfDocument that records the sizes it is asked to render pages at."""

    def __init__(self) -> None:
        super().__init__(None)
        self.sizes: list[QSize] = []

    def render(self, page: int, size: QSize, *args: object) -> object:  # type: ignore[override]
        self.sizes.append(size)
        return super().render(page, size)


def test_render_size_is_bounded_whatever_the_printer() -> None:
    at_300 = render_size(A4_POINTS, 300)
    assert render_size(A4_POINTS, 1200) == at_300 == render_size(A4_POINTS, 2400)
    assert (at_300.width(), at_300.height()) == (2480, 3508)
    assert render_size(A4_POINTS, 150).width() == 1240  # below the limit: the printer's own


def test_a_1200_dpi_printer_gets_pages_rendered_at_300_dpi(
    tmp_path: Path, data_paths: DataPaths, qtbot: QtBot
) -> None:
    from datetime import date

    from schoolhr.checklists.printing import form_document
    from schoolhr.content.files import read_content
    from schoolhr.reports.pdf import render_form

    content, problems = read_content(resources_dir() / "content")
    assert content is not None, problems
    template = content.checklists[0]
    source = tmp_path / "form.pdf"
    render_form(form_document(template, None, "測試國小", date(2026, 3, 1)), source)

    document = _RecordingDocument()
    assert document.load(str(source)) == QPdfDocument.Error.None_
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setResolution(1200)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    printer.setFullPage(True)
    pages = paint_pages(document, printer)
    document.close()

    assert pages == len(document.sizes) >= 1
    limit = render_size(A4_POINTS, PRINT_DPI_LIMIT)
    for size in document.sizes:
        assert size.width() <= limit.width() + 1 and size.height() <= limit.height() + 1
    # about 35 MB a page instead of 560 MB at the printer's 1,200 dpi
    assert max(s.width() * s.height() * 4 for s in document.sizes) < 40_000_000
    assert len(PdfReader(tmp_path / "printed.pdf").pages) == pages


# -- leftovers ---------------------------------------------------------------------------


def test_leftover_preview_files_are_removed_at_the_next_start(data_paths: DataPaths) -> None:
    stale = new_folder(data_paths, "preview-")
    (stale / "checklist.pdf").write_bytes(b"%PDF-1.4 names and answers")
    (data_paths.temporary / "stray.pdf").write_bytes(b"%PDF")
    assert remove_leftovers(data_paths) == 2
    assert list(data_paths.temporary.iterdir()) == []
    assert remove_leftovers(data_paths) == 0


def test_starting_the_window_removes_leftovers(data_paths: DataPaths) -> None:
    """The real start, in its own process: the window opens, is usable, and quits."""
    from schoolhr.ui.app import STARTUP_PROBE_ENV

    stale = new_folder(data_paths, "preview-")
    (stale / "guide.pdf").write_bytes(b"%PDF-1.4")
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    env[STARTUP_PROBE_ENV] = "1"  # quits once the window is usable
    done = subprocess.run(
        [sys.executable, "-m", "schoolhr", "--data-dir", str(data_paths.root)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "usable" in done.stdout
    assert not stale.exists()
